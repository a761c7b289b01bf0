"""httpx transports that make a client polite: rate limit, retries, cache-only replay,
and a stop at the first bot wall.

They wrap each other like httpx's own transports (the seam is ``httpx.BaseTransport``):

    CacheTransport (hishel, pages only) -> RetryTransport -> RateLimitTransport -> HTTPTransport

Every request has a total deadline (:class:`Deadline`): connect, headers, body and any
wait between retries. httpx has only per-operation timeouts (a server sending a header
byte every few seconds never trips a read timeout; encode/httpx#1450 says such a limit
belongs in httpcore), so the HTTPTransport's httpcore pool gets a network backend
(:class:`DeadlineBackend`, httpcore's own extension point) that gives each socket
operation at most the time left; ``RetryTransport`` never sleeps past it.

The rate limit sits innermost, so every request that reaches the wire is counted:
first tries, retries and each hop of a redirect (the client follows redirects by
sending a new request through the whole stack). Cache hits never reach it.

The innermost transport also recognises a bot wall (a Cloudflare challenge: ``403`` or
``503`` with ``cf-mitigated: challenge``, or from ``server: cloudflare`` with a challenge
page). It raises :class:`Blocked` and marks the shared limiter, so every other request of
the run, in any thread, fails at once without reaching the network: a blocked run stops
within the requests already in flight. Alaveteli's own ``403`` for a hidden request
(``render_hidden``) carries no such header and is an ordinary HTTP error.
"""

from __future__ import annotations

import email.utils
import math
import random
import ssl
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import httpcore
import httpx

from .config import WINDOW_SLACK, ClientConfig
from .errors import Blocked, OfflineMiss, TooSlow, TransferError

RETRY_AFTER_STATUSES = frozenset({429, 503})
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
# request extension: how many times a 500 may be asked again (search pages: once, since
# a bad query makes Alaveteli answer 500 and every 500 mails its maintainers)
RETRY_500 = "foi_retry_500"
CHALLENGE_MARKERS = (b"cf-chl", b"challenge-platform", b"Just a moment", b"challenge-body")


class Deadline:
    """The total time one request may take, however it is spent: the connection, the
    status line and headers, the body, and any wait before a retry.

    ``with deadline.applied():`` makes it the deadline of the requests made inside the
    block, in this thread (a context variable), body reads included."""

    def __init__(self, seconds: float) -> None:
        self.started = time.monotonic()
        self.seconds = seconds

    @property
    def at(self) -> float:
        return self.started + self.seconds

    def left(self) -> float:
        return self.at - time.monotonic()

    def passed(self) -> bool:
        return self.left() <= 0

    def extend_to(self, seconds: float) -> None:
        """A new total, counted from the same start (an attachment's body, say)."""
        self.seconds = seconds

    @contextmanager
    def applied(self) -> Iterator[Deadline]:
        token = _CURRENT_DEADLINE.set(self)
        try:
            yield self
        finally:
            _CURRENT_DEADLINE.reset(token)

    def error(self, url: object, why: str = "") -> TooSlow:
        return TooSlow(
            f"{url}: no complete answer within the {self.seconds:g} s total deadline"
            + (f" ({why})" if why else "")
        )

    def error_for(self, url: object, exc: Exception) -> TransferError:
        """What a failed transfer means: the deadline if it has passed, else the failure."""
        if self.passed():
            return self.error(url, f"{exc.__class__.__name__}: the server is too slow")
        return TransferError(f"{url}: {exc.__class__.__name__}: {exc}")


_CURRENT_DEADLINE: ContextVar[Deadline | None] = ContextVar("foi_total_deadline", default=None)


def current_deadline() -> Deadline | None:
    return _CURRENT_DEADLINE.get()


def _within_deadline(timeout: float | None, kind: type[httpcore.TimeoutException]) -> float | None:
    """A socket operation's timeout, cut to the time the current request has left."""
    deadline = _CURRENT_DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline.left()
    if left <= 0:  # a zero timeout would make the socket non-blocking, not time out
        raise kind(f"the {deadline.seconds:g} s total deadline has passed")
    return left if timeout is None else min(timeout, left)


class DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read and write ends by the request's total deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self.inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, _within_deadline(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, _within_deadline(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _within_deadline(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(self.inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's socket backend, connecting within the request's total deadline."""

    def __init__(self) -> None:
        self.inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _within_deadline(timeout, httpcore.ConnectTimeout)
        stream = self.inner.connect_tcp(host, port, timeout, local_address, socket_options)
        return DeadlineStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        timeout = _within_deadline(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(self.inner.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


def network_transport() -> httpx.HTTPTransport:
    """httpx's HTTP transport over a pool whose sockets keep to the total deadline.

    HTTPTransport takes no network backend, so its pool is rebuilt with httpx's own
    defaults (``httpx._config.DEFAULT_LIMITS``, its SSL context) and ours."""
    transport = httpx.HTTPTransport(retries=0)
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(),
        max_connections=100,
        max_keepalive_connections=20,
        keepalive_expiry=5.0,
        network_backend=DeadlineBackend(),
    )
    return transport


def sleep_within_deadline(delay: float, url: object, why: str) -> None:
    """Sleep before a retry, unless the wait would end past the request's deadline."""
    deadline = _CURRENT_DEADLINE.get()
    if deadline is not None and delay >= deadline.left():
        raise deadline.error(url, f"{why}; a retry would wait {delay:.0f} s more")
    time.sleep(delay)


class RateLimiter:
    """Hands out send slots at ``rate`` a second, shared by every thread and client.

    Two rules, both on the times sends really happened (after any oversleep):

    - sends are at least ``1/rate`` apart, so the long-run average is the rate itself,
      fractional or below one (2.5 a second: one every 0.4 s; 0.5: one every 2 s), and
      any span of W seconds holds at most ``ceil(W * rate)`` sends;
    - no ``window`` (one second plus ``WINDOW_SLACK``) holds more than ``ceil(rate)``,
      so jitter on the way cannot make the server see ``ceil(rate) + 1`` in one second.

    With a whole-number rate the second rule costs about 3% of throughput; with a
    fractional one it never binds unless sends bunch up.
    """

    def __init__(
        self,
        rate: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not rate > 0 or math.isinf(rate):
            raise ValueError("rate must be a positive number")
        self.interval = 1.0 / rate
        self.per_window = math.ceil(rate)
        self.window = 1.0 + WINDOW_SLACK
        self.blocked: Blocked | None = None  # set at the first bot wall; every send refused
        self._sent: deque[float] = deque(maxlen=self.per_window)
        self._lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep

    def _earliest(self) -> float:
        if not self._sent:
            return -math.inf
        earliest = self._sent[-1] + self.interval
        if len(self._sent) == self.per_window:
            earliest = max(earliest, self._sent[0] + self.window)
        return earliest

    def wait(self) -> None:
        # the lock is held while sleeping: sends are handed out one at a time, in order
        with self._lock:
            while (delay := self._earliest() - self._clock()) > 0:
                self._sleep(delay)
            self._sent.append(self._clock())


class RateLimitTransport(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport, limiter: RateLimiter) -> None:
        self.inner = inner
        self.limiter = limiter

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.limiter.blocked is not None:
            raise self.limiter.blocked
        self.limiter.wait()
        if self.limiter.blocked is not None:  # another thread met the wall while we waited
            raise self.limiter.blocked
        response = self.inner.handle_request(request)
        if is_challenge(response):
            response.close()
            self.limiter.blocked = Blocked(challenge_message(request, response))
            raise self.limiter.blocked
        return response

    def close(self) -> None:
        self.inner.close()


def is_challenge(response: httpx.Response) -> bool:
    """A bot wall, not the site: Cloudflare's challenge header, or its 403/503 page."""
    if response.headers.get("cf-mitigated", "").lower() == "challenge":
        return True
    if response.status_code not in (403, 503):
        return False
    if "cloudflare" not in response.headers.get("server", "").lower():
        return False
    head = response.read()[:65536]  # a challenge page is small
    return any(marker in head for marker in CHALLENGE_MARKERS)


def challenge_message(request: httpx.Request, response: httpx.Response) -> str:
    mitigated = response.headers.get("cf-mitigated")
    how = f"cf-mitigated: {mitigated}" if mitigated else "server: cloudflare, challenge page"
    return (
        f"{request.url.host} is behind a Cloudflare bot challenge (HTTP {response.status_code}, "
        f"{how}) at {request.url}: stopped the whole run. This tool does not get round it. "
        "Ask the site for access (WhatDoTheyKnow: contact its volunteers), work `offline` "
        "with an HTTP cache filled earlier, or save the request pages in a browser and "
        "record them with `foi import`."
    )


def backoff_delay(attempt: int, config: ClientConfig) -> float:
    """Exponential back-off with full jitter: up to base * 2**(attempt-1), capped."""
    ceiling = min(config.backoff_cap, config.backoff * float(2 ** (attempt - 1)))
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class RetryTransport(httpx.BaseTransport):
    """Retries 429/5xx answers and broken connections, honouring Retry-After on 429 and 503.

    A refused connection or unknown host fails at once (a wrong ``base_url``, say)."""

    def __init__(self, inner: httpx.BaseTransport, config: ClientConfig) -> None:
        self.inner = inner
        self.config = config

    def _delay(self, response: httpx.Response | None, attempt: int) -> float:
        if response is not None and response.status_code in RETRY_AFTER_STATUSES:
            wait = retry_after_seconds(response.headers.get("retry-after"))
            if wait is not None:
                return min(wait, self.config.retry_after_cap)
        return backoff_delay(attempt, self.config)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        retries_500 = request.extensions.get(RETRY_500)
        for attempt in range(1, self.config.max_tries):
            try:
                response = self.inner.handle_request(request)
            except (httpx.ConnectError, httpx.UnsupportedProtocol):
                raise  # nothing listening, no such host, or a bad URL: waiting will not help
            except (httpx.TransportError, httpx.TimeoutException) as exc:
                deadline = current_deadline()
                if deadline is not None and deadline.passed():
                    raise
                sleep_within_deadline(self._delay(None, attempt), request.url, type(exc).__name__)
                continue
            if response.status_code not in RETRYABLE_STATUSES:
                return response
            if response.status_code == 500 and retries_500 is not None:
                if retries_500 <= 0:
                    return response
                retries_500 -= 1
            response.close()
            sleep_within_deadline(
                self._delay(response, attempt), request.url, _status_why(response)
            )
        return self.inner.handle_request(request)  # the last try: its answer or error stands

    def close(self) -> None:
        self.inner.close()


def _status_why(response: httpx.Response) -> str:
    after = response.headers.get("retry-after")
    return f"HTTP {response.status_code}" + (f", Retry-After: {after}" if after else "")


class OfflineTransport(httpx.BaseTransport):
    """The end of the chain when offline: anything the cache cannot answer is an error."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        raise OfflineMiss(f"{request.url}: not in the HTTP cache (working `offline`)")


def wire_transport(config: ClientConfig, limiter: RateLimiter) -> httpx.BaseTransport:
    """The network end of the chain: retries over a rate-limited HTTP transport."""
    if config.offline:
        return OfflineTransport()
    return RetryTransport(RateLimitTransport(network_transport(), limiter), config)
