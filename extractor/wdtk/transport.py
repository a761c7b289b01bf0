"""httpx transports that make a client polite: rate limit, retries, cache-only replay.

They wrap each other like httpx's own transports (the seam is ``httpx.BaseTransport``):

    CacheTransport (hishel, pages only) -> RetryTransport -> RateLimitTransport -> HTTPTransport

The rate limit sits innermost, so every request that reaches the wire is counted:
first tries, retries and each hop of a redirect (the client follows redirects by
sending a new request through the whole stack). Cache hits never reach it.
"""

from __future__ import annotations

import email.utils
import math
import random
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime

import httpx

from .config import WINDOW_SLACK, ClientConfig
from .errors import OfflineMiss

RETRY_AFTER_STATUSES = frozenset({429, 503})
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})


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
        self.limiter.wait()
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def backoff_delay(attempt: int, config: ClientConfig) -> float:
    """Exponential back-off with full jitter: up to base * 2**(attempt-1), capped."""
    ceiling = min(config.backoff_cap, config.backoff * 2 ** (attempt - 1))
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

    A refused connection or unknown host fails at once (a wrong --base-url, say)."""

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
        for attempt in range(1, self.config.max_tries):
            try:
                response = self.inner.handle_request(request)
            except (httpx.ConnectError, httpx.UnsupportedProtocol):
                raise  # nothing listening, no such host, or a bad URL: waiting will not help
            except (httpx.TransportError, httpx.TimeoutException):
                time.sleep(self._delay(None, attempt))
                continue
            if response.status_code not in RETRYABLE_STATUSES:
                return response
            response.close()
            time.sleep(self._delay(response, attempt))
        return self.inner.handle_request(request)  # the last try: its answer or error stands

    def close(self) -> None:
        self.inner.close()


class OfflineTransport(httpx.BaseTransport):
    """The end of the chain with --offline: anything the cache cannot answer is an error."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        raise OfflineMiss(f"{request.url}: not in the HTTP cache (--offline)")


def wire_transport(config: ClientConfig, limiter: RateLimiter) -> httpx.BaseTransport:
    """The network end of the chain: retries over a rate-limited HTTP transport."""
    if config.offline:
        return OfflineTransport()
    network = httpx.HTTPTransport(retries=0)
    return RetryTransport(RateLimitTransport(network, limiter), config)
