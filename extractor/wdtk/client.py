"""A typed client for one Alaveteli site (WhatDoTheyKnow by default).

What it reads, and where Alaveteli defines it (``mysociety/alaveteli``):

- ``/request/<url_title>.json``: ``InfoRequest#json_for_api(true)`` in
  ``app/models/info_request.rb``: tags as ``[name, value]`` pairs (``tag_array`` in
  ``lib/has_tag_string/has_tag_string.rb``), ``law_used``, ``display_status``, the
  requester (``user.url_name``) and every event (``InfoRequestEvent#json_for_api``).
- ``/request/<url_title>``: the HTML page. Attachments and message texts are in no JSON:
  ``app/views/request/_incoming_correspondence.html.erb`` (``div.incoming#incoming-<id>``),
  ``_attachments.html.erb`` (``li.attachment``: a link, ``p.attachment__name``,
  ``p.attachment__meta``; a hidden one shows ``span.hidden_attachment``, an erased one
  "This file has been erased."), ``_outgoing_correspondence.html.erb``
  (``div.outgoing#outgoing-<id>``) and ``comments/_single_comment.html.erb``
  (``#comment-<id>``). Attachment links are ``/request/<url_title>/response/<m>/attach/
  <part>/<name>``; pages rendered before Alaveteli 0.45 use the numeric request id there.
- ``/feed/search/<query>.json?page=N``: search results as events, 25 a page, in
  last-*described* order (``track_thing.rb``: ``feed_sortby: 'described'``); ``page`` is
  honoured since Alaveteli 0.39 and there is no last page but the end.
- ``/list?query=...&request_date_after=...&request_date_before=...&page=N``:
  ``request_controller.rb#list``: requests (one listing each, ``_request_listing_via_event``
  markup) for a query in a closed date window, at most 500 results a query.
- ``/body/<url_name>.json`` and ``/body/all-authorities.csv`` (``lib/public_body_csv.rb``).

The site's ``/robots.txt`` is read once per client (through the cache) and honoured
before every request, redirects included (:class:`Disallowed`). Alaveteli's own
(``public/robots.txt``, which WhatDoTheyKnow serves) disallows ``*/feed/*`` and
``*/search/*`` and allows ``/list``, request pages, their JSON and attachments, so
``/list`` is the default way to enumerate. Its rules use wildcards, which the standard
library's ``urllib.robotparser`` ignores; Protego (Scrapy's parser, RFC 9309) reads them.

Pages and JSON go through an on-disk HTTP cache (hishel); attachments do not
(see :mod:`extractor.wdtk.download`). Redirects are followed only within the site (its
host and the ``www.``/bare twin): nothing, not even the User-Agent with the user's
contact, goes to another host.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote, unquote, urlencode, urljoin, urlsplit

import hishel
import httpx
from hishel.httpx import CacheTransport
from protego import Protego
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from ..records import RequestEvent
from .config import (
    EARLIEST_REQUEST,
    LIST_MAX_PAGES,
    LIST_MAX_RESULTS,
    MAX_FEED_PAGES,
    SEARCH_PAGE_SIZE,
    ClientConfig,
    site_hosts,
)
from .errors import (
    BadQuery,
    BadReference,
    ContentError,
    Disallowed,
    HttpError,
    NotFound,
    OffSite,
    SearchCutOff,
    TooLarge,
)
from .transport import RETRY_500, Deadline, RateLimiter, wire_transport

URL_TITLE = re.compile(r"[A-Za-z0-9_\-]{1,255}")
# /request/<url_title or, before Alaveteli 0.45, the numeric id>/response/<m>/attach/<part>/<name>
ATTACHMENT_PATH = re.compile(r"^/request/([^/]+)/response/(\d+)/attach/(\d+)/([^/]+)$")
LOCALE = re.compile(r"^[a-z]{2}(_[A-Za-z]{2})?$")  # /cy/request/..., /en_GB/request/...
# the states of InfoRequest (app/models/info_request/state.rb); awaiting_description is a
# flag of the request JSON, not a state
STATUSES = frozenset(
    {
        "waiting_response",
        "waiting_clarification",
        "gone_postal",
        "not_held",
        "rejected",
        "successful",
        "partially_successful",
        "internal_review",
        "error_message",
        "requires_admin",
        "user_withdrawn",
        "attention_requested",
        "vexatious",
        "not_foi",
    }
)
OPERATORS = ("AND", "OR", "NOT", "XOR")
ROBOTS_AGENT = "foi-extractor"  # the product token robots.txt groups are matched against
Tag = tuple[str, str | None]


@dataclass
class Message:
    """An incoming message (a response) of a request."""

    id: int
    event_id: int
    created_at: str | None


Event = RequestEvent  # the record is in the floor: the store keeps it as read


@dataclass
class RequestInfo:
    url_title: str
    id: int | None  # None only for an import with no request JSON and no id on the page
    title: str
    authority: str
    authority_name: str
    status: str | None
    created_at: str | None
    updated_at: str | None
    url: str
    tags: list[Tag] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    events: list[RequestEvent] = field(default_factory=list)
    law_used: str | None = None
    display_status: str | None = None
    requester: str | None = None
    prominence: str | None = None
    body_tags: list[Tag] = field(default_factory=list)


@dataclass
class AttachmentLink:
    """One attachment as listed on the request page. ``filename`` is untrusted."""

    url: str  # absolute, url_title form, no query string (its path is the identity)
    download_url: str  # as the page links it (the numeric-id form on old pages)
    incoming_message_id: int
    part: int
    filename: str
    display_size: str | None = None


@dataclass
class Withheld:
    """An attachment the page lists but does not serve: hidden or erased by the site."""

    incoming_message_id: int
    attachment_id: int | None  # from ``li#attachment-<id>``
    status: str  # "hidden" or "erased"
    filename: str | None = None  # erased ones keep their name; hidden ones show none
    note: str | None = None


@dataclass
class Correspondence:
    """The text of one message or annotation on the request page."""

    kind: str  # "incoming", "outgoing" or "comment"
    id: int
    text: str
    created_at: str | None = None


@dataclass
class RequestPage:
    attachments: list[AttachmentLink] = field(default_factory=list)
    withheld: list[Withheld] = field(default_factory=list)
    correspondence: list[Correspondence] = field(default_factory=list)
    unreadable: int = 0  # li.attachment items that were neither a link nor withheld


@dataclass
class SearchHit:
    url_title: str
    title: str
    authority: str
    authority_name: str
    status: str | None
    date: str | None  # when the request was made (the feed) or sent (the list)
    url: str
    display_status: str | None = None


@dataclass
class Enumeration:
    """How a list of requests was read, to print with it."""

    method: str  # "feed" or "list"
    requests: int = 0
    pages: int = 0
    windows: list[tuple[date, date, int]] = field(default_factory=list)  # start, end, found
    complete: bool = True
    note: str = ""

    def line(self) -> str:
        """How the list was read, e.g. "read from the search feed: 89 pages, in
        last-described order (complete)"."""
        if self.method == "feed":
            how = f"the search feed: {self.pages} pages, in last-described order"
        else:
            how = f"/list: {len(self.windows)} date windows, {self.pages} pages"
        state = "complete" if self.complete else f"NOT complete: {self.note}"
        return f"read from {how} ({state})"


@dataclass
class SearchFilters:
    """The user's query plus the filters Alaveteli's Xapian query language supports.

    ``since`` and ``until`` select requests *made* in that window (inclusive)."""

    text: str | None = None
    body: str | None = None
    body_tag: str | None = None
    status: str | None = None
    since: date | None = None
    until: date | None = None
    filetype: str | None = None

    def terms(self) -> list[str]:
        """The query without dates, checked: a bad one never reaches the site."""
        text = self.text.strip() if self.text and self.text.strip() else None
        if text:
            check_query_syntax(text)
        terms = [text] if text else []
        for prefix, value in (
            ("requested_from", self.body),
            ("request_public_body_tag", self.body_tag),
            ("latest_status", self.status),
            ("filetype", self.filetype),
        ):
            if value:
                terms.append(f"{prefix}:{_query_word(prefix, value)}")
        if self.status and self.status not in STATUSES:
            raise BadQuery(
                f"unknown status {self.status!r}; one of {', '.join(sorted(STATUSES))}",
                setting="status",
            )
        if self.since and self.until and self.since > self.until:
            raise BadQuery(f"{self.since} is after `until` {self.until}", setting="since")
        return terms

    def to_query(self, today: date | None = None) -> str:
        """The feed query. Every event of a request made on or after ``since`` falls in
        ``since..today``, so that range selects a superset; the window itself is applied
        to each request's creation date (events say nothing of when a request was made)."""
        terms = self.terms()
        if self.since:
            terms.append(f"{_uk_date(self.since)}..{_uk_date(today or date.today())}")
        if not terms and not self.until:
            raise BadQuery("give a search query or at least one filter")
        return " ".join(terms) if terms else f"01/01/2001..{_uk_date(today or date.today())}"

    def made_in_window(self, created_at: str | None) -> bool:
        if not (self.since or self.until):
            return True
        if not created_at:
            return False
        made = date.fromisoformat(created_at[:10])
        return (self.since is None or made >= self.since) and (
            self.until is None or made <= self.until
        )


def check_query_syntax(text: str) -> None:
    """Refuse what makes Xapian fail (and Alaveteli answer 500, mailing its maintainers)."""
    if text.count('"') % 2:
        raise BadQuery(f"{text!r}: unbalanced quotes")
    depth = 0
    tokens = re.findall(r'"[^"]*"|\(|\)|[^\s()]+', text)
    previous: str | None = None
    for token in tokens:
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
            if depth < 0 or previous == "(":
                raise BadQuery(f"{text!r}: unbalanced or empty parentheses")
        if (
            token in OPERATORS
            and token != "NOT"
            and (previous is None or previous in OPERATORS or previous == "(")
        ):
            raise BadQuery(f"{text!r}: {token} needs a term before it")
        previous = token
    if depth:
        raise BadQuery(f"{text!r}: unbalanced parentheses")
    if previous in OPERATORS:
        raise BadQuery(f"{text!r}: {previous} needs a term after it")


def _query_word(prefix: str, value: str) -> str:
    value = value.strip().lstrip(".") if prefix == "filetype" else value.strip()
    if not URL_TITLE.fullmatch(value):
        raise BadQuery(f"{prefix}: {value!r} is not a single word")
    return value.lower() if prefix == "filetype" else value


def _uk_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _text(node: Node | None) -> str:
    """Visible text with runs of space collapsed. Inline markup is joined with nothing:
    highlighted stems sit inside words (``Polic<span>e</span>``)."""
    return " ".join((node.text(separator="") if node else "").split())


def _block_text(node: Node | None) -> str:
    """A message's text: one line per block, blank lines dropped."""
    if node is None:
        return ""
    lines = (" ".join(line.split()) for line in node.text(separator="\n").splitlines())
    return "\n".join(line for line in lines if line)


def as_tags(value: Any) -> list[Tag]:
    """Tags as ``(name, value)`` pairs from Alaveteli's ``[[name, value], ...]``."""
    tags: list[Tag] = []
    for item in value or []:
        if isinstance(item, list | tuple) and item:
            name, val = item[0], item[1] if len(item) > 1 else None
            tags.append((str(name), None if val is None else str(val)))
        elif isinstance(item, str):  # a tag string "name:value" (older exports)
            name, colon, val = item.partition(":")
            tags.append((name, val if colon else None))
    return tags


def _int_or_none(value: Any) -> int | None:
    return int(value) if value is not None and str(value).isdigit() else None


class AlaveteliClient:
    """Reads requests, request pages, search feeds, lists and bodies from one Alaveteli site."""

    def __init__(self, config: ClientConfig, limiter: RateLimiter | None = None) -> None:
        self.config = config
        self.limiter = limiter or RateLimiter(config.rate)
        self.base = urlsplit(config.base_url)
        self.hosts = site_hosts(config.base_url)
        self.storage: hishel.SqliteStorage | None = None
        self.pages = httpx.Client(transport=self._page_transport(), **self._client_options())
        self.files = httpx.Client(
            transport=wire_transport(config, self.limiter), **self._client_options()
        )
        self.enumeration: Enumeration | None = None  # how the last search was read
        self._robots: Protego | None = None
        self._robots_read = False
        self._robots_lock = threading.Lock()

    def _client_options(self) -> dict[str, Any]:
        return {
            "base_url": self.config.base_url,
            "headers": {"User-Agent": self.config.user_agent},
            "timeout": self.config.timeout,
            "follow_redirects": True,
            "max_redirects": 8,
            "event_hooks": {"request": [self._same_site, self._robots_allow]},
        }

    def _same_site(self, request: httpx.Request) -> None:
        """Called before every request, redirects included: only the site's own hosts."""
        port = f":{request.url.port}" if request.url.port else ""
        if f"{request.url.host.lower()}{port}" not in self.hosts:
            raise OffSite(f"{request.url}: a redirect to another host (not followed)")

    def _robots_allow(self, request: httpx.Request) -> None:
        """Called before every request, redirects included: what robots.txt disallows is
        not fetched. Offline nothing reaches the site, so nothing is checked."""
        if self.config.offline or request.url.path == "/robots.txt":
            return
        if not self.allows(str(request.url)):
            raise Disallowed(f"{request.url}: disallowed by the site's robots.txt (not fetched)")

    def allows(self, url: str) -> bool:
        rules = self.robots()
        return rules is None or bool(rules.can_fetch(url, ROBOTS_AGENT))

    def robots(self) -> Protego | None:
        """The site's robots.txt rules, read once (None: the site has none)."""
        with self._robots_lock:
            if not self._robots_read:
                self._robots = self._read_robots()
                self._robots_read = True
        return self._robots

    def _read_robots(self) -> Protego | None:
        # RFC 9309 2.3.1: a 4xx means no rules; a 5xx means assume everything disallowed
        try:
            response = self.get_page("/robots.txt")
        except HttpError as exc:
            if exc.status < 500:
                return None
            raise Disallowed(
                f"{exc.url}: HTTP {exc.status}; with no readable robots.txt nothing may be "
                "fetched (RFC 9309); try again later"
            ) from None
        return Protego.parse(response.text)

    def _page_transport(self) -> httpx.BaseTransport:
        wire = wire_transport(self.config, self.limiter)
        if self.config.cache_path is None:
            return wire
        self.config.cache_path.parent.mkdir(parents=True, exist_ok=True)
        self.storage = hishel.SqliteStorage(
            database_path=self.config.cache_path, default_ttl=self.config.cache_ttl
        )
        return CacheTransport(next_transport=wire, storage=self.storage)

    def forget(self, response: httpx.Response) -> None:
        """Drop a cached answer that turned out to be wrong (a challenge page, say)."""
        if self.storage is None:
            return
        # hishel's key without RFC 9111 mode: sha256 of "<method> <url>"
        key = hashlib.sha256(f"GET {response.request.url}".encode()).hexdigest()
        for entry in self.storage.get_entries(key):
            self.storage.remove_entry(entry.id)

    def close(self) -> None:
        self.pages.close()
        self.files.close()

    def __enter__(self) -> AlaveteliClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # low level
    def absolute(self, path: str) -> str:
        return urljoin(self.config.base_url + "/", path.lstrip("/"))

    def get_page(self, path: str, retry_500: int | None = None) -> httpx.Response:
        """A page or JSON document, read whole: at most ``config.max_page_bytes``, and
        complete within ``config.deadline`` seconds (the total deadline: connection,
        headers, body and retries' waits) however slowly the bytes come."""
        url = self.absolute(path)
        extensions = {RETRY_500: retry_500} if retry_500 is not None else {}
        request = self.pages.build_request("GET", url, extensions=extensions)
        deadline = Deadline(self.config.deadline)
        try:
            with deadline.applied():
                response = self.pages.send(request, stream=True)
                try:
                    if response.status_code == 404:
                        raise NotFound(url, 404)
                    if response.status_code >= 400:
                        raise HttpError(url, response.status_code)
                    body = self._read_capped(response, url, deadline)
                finally:
                    response.close()
        except httpx.HTTPError as exc:
            raise deadline.error_for(url, exc) from None
        return _read_response(response, body)

    def _read_capped(self, response: httpx.Response, url: str, deadline: Deadline) -> bytes:
        # stopping early also keeps the page out of the cache (hishel drops a partial save)
        cap = self.config.max_page_bytes
        too_large = TooLarge(f"{url}: a page over {cap} bytes (not read)")
        announced = response.headers.get("content-length", "")
        if announced.isdigit() and int(announced) > cap:
            raise too_large
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():  # decoded: the cap holds for gzip too
            size += len(chunk)
            if size > cap:
                raise too_large
            if deadline.passed():
                raise deadline.error(url, f"{size} bytes arrived; the server is too slow")
            chunks.append(chunk)
        return b"".join(chunks)

    def get_json(self, path: str, retry_500: int | None = None) -> Any:
        response = self.get_page(path, retry_500)
        try:
            return response.json()
        except ValueError:
            self.forget(response)
            raise ContentError(f"{response.url}: not JSON (a challenge or error page?)") from None

    # references
    def resolve(self, ref: str) -> str:
        """A url_title from a url_title, a request URL on this site, or a numeric id."""
        ref = ref.strip()
        if ref.isdigit():
            final_url = self.get_page(f"/request/{ref}").url  # redirects to the url_title
            return self._url_title_from_path(final_url.path, ref)
        if "/" in ref:
            if "://" not in ref and not ref.startswith("/") and "." in ref.split("/", 1)[0]:
                ref = "https://" + ref  # whatdotheyknow.com/request/x, pasted without a scheme
            parts = urlsplit(ref)
            if parts.netloc and parts.netloc.lower() not in self.hosts:
                raise BadReference(f"{ref}: not on {self.config.base_url} (set `base_url`)")
            return self._url_title_from_path(parts.path, ref)
        if not URL_TITLE.fullmatch(ref):
            raise BadReference(f"{ref!r}: not a url_title, request URL or request id")
        return ref

    def _url_title_from_path(self, path: str, ref: str) -> str:
        segments = [unquote(s) for s in path.split("/") if s]
        if segments and segments[0] != "request" and LOCALE.fullmatch(segments[0]):
            segments = segments[1:]  # /cy/request/<url_title>
        if len(segments) < 2 or segments[0] != "request":
            raise BadReference(f"{ref}: not a request URL (/request/<url_title>)")
        title = segments[1].removesuffix(".json")
        if title.isdigit() and path != ref:
            return self.resolve(title)
        if not URL_TITLE.fullmatch(title) or title.isdigit():
            raise BadReference(f"{ref}: no url_title in {path}")
        return title

    # requests
    def request(self, url_title: str) -> RequestInfo:
        data = self.get_json(f"/request/{quote(url_title)}.json")
        try:
            return request_info(data, self.config.base_url)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ContentError(f"/request/{url_title}.json: unexpected shape ({exc})") from None

    def page(self, url_title: str, request_id: int | None = None) -> RequestPage:
        """What the request page lists: attachments, withheld ones, message texts."""
        response = self.get_page(f"/request/{quote(url_title)}")
        if "html" not in response.headers.get("content-type", "text/html"):
            self.forget(response)
            raise ContentError(f"{response.url}: not an HTML page")
        return parse_request_page(response.text, url_title, self.config.base_url, request_id)

    def attachments(self, url_title: str, request_id: int | None = None) -> list[AttachmentLink]:
        """The attachments listed on the request page, in page order."""
        return self.page(url_title, request_id).attachments

    # search
    def search(self, filters: SearchFilters, limit: int | None = None) -> Iterator[SearchHit]:
        """Every request matching the query, each once, read from the search feed to its end.

        The feed is in last-*described* order (the latest status change first), not the
        order requests were made: with ``limit`` these are the first ``limit`` in that
        order. Raises :class:`SearchCutOff` (after yielding what it read) when the feed
        cannot be read to its end."""
        query = quote(filters.to_query(), safe="/")
        self.enumeration = Enumeration("feed")
        seen: set[str] = set()
        for hit in self._feed(query, seen):
            if not filters.made_in_window(hit.date):
                continue
            self.enumeration.requests += 1
            yield hit
            if limit is not None and self.enumeration.requests >= limit:
                return

    def check_feed_allowed(self, filters: SearchFilters) -> None:
        """Refuse, before any search, a feed the site's robots.txt disallows (WhatDoTheyKnow's
        does: ``Disallow: */feed/*``)."""
        if self.config.offline:
            return
        url = self.absolute(f"/feed/search/{quote(filters.to_query(), safe='/')}.json")
        if not self.allows(url):
            raise Disallowed(
                f"{url}: the site's robots.txt disallows its search feed (not fetched); "
                "`via` list reads every request made in a period from /list, which it allows"
            )

    def _feed(self, query: str, seen: set[str]) -> Iterator[SearchHit]:
        assert self.enumeration is not None
        event_ids: set[Any] = set()
        for page in range(1, MAX_FEED_PAGES + 1):
            path = f"/feed/search/{query}.json?page={page}"
            events = self.get_json(path, retry_500=1)
            self.enumeration.pages = page
            if not isinstance(events, list):
                raise ContentError(f"{path}: expected a list of events")
            fresh = [e for e in events if isinstance(e, dict) and e.get("id") not in event_ids]
            if events and not fresh:
                self._cut_off(
                    f"page {page} of the search feed repeats page {page - 1} (this site ignores "
                    "?page=, as Alaveteli did before 0.39); `via` list reads every request"
                )
            event_ids.update(e.get("id") for e in fresh)
            for event in fresh:
                hit = search_hit(event, self.config.base_url)
                if hit and hit.url_title not in seen:
                    seen.add(hit.url_title)
                    yield hit
            if len(events) < SEARCH_PAGE_SIZE:
                return
        self._cut_off(f"stopped after {MAX_FEED_PAGES} feed pages")

    def _cut_off(self, note: str) -> None:
        assert self.enumeration is not None
        self.enumeration.complete, self.enumeration.note = False, note
        raise SearchCutOff(f"search cut off: {note}")

    def enumerate(self, filters: SearchFilters, today: date | None = None) -> Iterator[SearchHit]:
        """Every request *made* in ``filters.since..filters.until`` (default: since 2008)
        matching the query, from ``/list`` in closed date windows, halved until each holds
        fewer than the list's 500-result cap. The query is matched against each request's
        ``sent`` event (its title and text): ``filetype`` needs the feed."""
        if filters.filetype:
            raise BadQuery(
                "matches responses, not requests: use `via` feed, not list", setting="filetype"
            )
        terms = filters.terms()
        if not (terms or filters.since or filters.until):
            raise BadQuery("give a search query, at least one filter, or a date window")
        query = " ".join([*terms, "variety:sent"])
        start = filters.since or EARLIEST_REQUEST
        end = filters.until or today or date.today()
        self.enumeration = Enumeration("list")
        seen: set[str] = set()
        pending = [(start, end)]
        while pending:
            first, last = pending.pop(0)
            found = 0
            # each page's requests as it arrives, so a page that fails keeps what came
            # before it; one already yielded is not yielded again from a halved window
            for listed in self._window_pages(query, first, last):
                if listed is None:  # over the cap: halve the window
                    middle = first + (last - first) // 2
                    pending[:0] = [(first, middle), (middle + timedelta(days=1), last)]
                    break
                found += len(listed)
                for hit in listed:
                    if hit.url_title not in seen:
                        seen.add(hit.url_title)
                        self.enumeration.requests += 1
                        yield hit
            else:
                self.enumeration.windows.append((first, last, found))

    def _window_pages(
        self, query: str, first: date, last: date
    ) -> Iterator[list[SearchHit] | None]:
        """The requests of one window, a page at a time; None (then nothing more) when
        the window holds more than the list shows."""
        assert self.enumeration is not None
        for page in range(1, LIST_MAX_PAGES + 1):
            params = {
                "query": query,
                "request_date_after": _uk_date(first),
                "request_date_before": _uk_date(last),
                "page": str(page),
            }
            response = self.get_page(f"/list?{urlencode(params)}", retry_500=1)
            self.enumeration.pages += 1
            listed, estimated = parse_listing_page(response.text, self.config.base_url)
            if page == 1 and estimated is not None and estimated > LIST_MAX_RESULTS:
                if first < last:
                    yield None
                    return
                self._cut_off(f"{estimated} requests on {first}, over the list's cap of 500")
            yield listed
            if len(listed) < SEARCH_PAGE_SIZE:
                return
        if first < last:
            yield None  # 500 shown: there may be more
            return
        self._cut_off(f"500 or more requests on {first}, the list's cap")

    # bodies
    def body(self, url_name: str) -> dict[str, Any]:
        if not URL_TITLE.fullmatch(url_name):
            raise BadReference(f"{url_name!r}: not a body url_name")
        found = self.get_json(f"/body/{quote(url_name)}.json")
        if not isinstance(found, dict):
            raise ContentError(f"/body/{url_name}.json: not an object")
        return found

    def authorities(self) -> list[Authority]:
        """``/body/all-authorities.csv``: every authority, with its tags as pairs."""
        response = self.get_page("/body/all-authorities.csv")
        return parse_authorities(response.text, str(response.url))

    def check_names(self, body: str | None, body_tag: str | None) -> None:
        """Refuse a ``body`` or ``body_tag`` no authority has, before searching."""
        if not body and not body_tag:
            return
        known = self.authorities()
        if body and body not in {a.url_name for a in known}:
            close = difflib.get_close_matches(body, [a.url_name for a in known], n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise BadQuery(f"{body}: no authority has this url_name{hint}", setting="body")
        tags = {name for a in known for name, _ in a.tags} | {
            f"{name}:{value}" for a in known for name, value in a.tags if value is not None
        }
        if body_tag and body_tag not in tags:
            close = difflib.get_close_matches(body_tag, sorted(tags), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise BadQuery(f"{body_tag}: no authority has this tag{hint}", setting="body_tag")


@dataclass
class Authority:
    """One row of ``/body/all-authorities.csv``."""

    id: int | None
    name: str
    url_name: str
    tags: list[Tag]
    home_page: str | None = None


AUTHORITIES_FIRST_COLUMN = "Internal ID"  # lib/public_body_csv.rb#default_headers


def parse_authorities(text: str, source: str) -> list[Authority]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or reader.fieldnames[0] != AUTHORITIES_FIRST_COLUMN:
        raise ContentError(f"{source}: not the authorities CSV (no {AUTHORITIES_FIRST_COLUMN!r})")
    found = []
    for row in reader:
        tags = as_tags(row.get("Tags", "").split())
        found.append(
            Authority(
                _int_or_none(row.get("Internal ID")),
                row.get("Name") or "",
                row.get("URL name") or "",
                tags,
                row.get("Home page") or None,
            )
        )
    return found


def request_info(data: Any, base_url: str) -> RequestInfo:
    """A request from ``InfoRequest#json_for_api(true)``; ValueError on another shape."""
    if not isinstance(data, dict):
        raise ValueError(f"a {type(data).__name__}, not an object")
    body = data.get("public_body") or {}
    user = data.get("user") or {}
    if not isinstance(body, dict) or not isinstance(user, dict):
        raise ValueError("public_body or user is not an object")
    raw_events = data.get("info_request_events") or []
    if not isinstance(raw_events, list) or not all(isinstance(e, dict) for e in raw_events):
        raise ValueError("info_request_events is not a list of objects")
    events = [
        RequestEvent(
            id=int(e["id"]),
            event_type=str(e.get("event_type") or ""),
            created_at=e.get("created_at"),
            described_state=e.get("described_state"),
            calculated_state=e.get("calculated_state"),
            last_described_at=e.get("last_described_at"),
            incoming_message_id=_int_or_none(e.get("incoming_message_id")),
            outgoing_message_id=_int_or_none(e.get("outgoing_message_id")),
            comment_id=_int_or_none(e.get("comment_id")),
            display_status=e.get("display_status"),
        )
        for e in raw_events
    ]
    messages = [
        Message(e.incoming_message_id, e.id, e.created_at)
        for e in events
        if e.event_type == "response" and e.incoming_message_id
    ]
    url_title = str(data["url_title"])
    if not URL_TITLE.fullmatch(url_title):
        raise ValueError(f"url_title {url_title!r}")
    return RequestInfo(
        url_title=url_title,
        id=int(data["id"]),
        title=str(data.get("title") or ""),
        authority=str(body.get("url_name") or ""),
        authority_name=str(body.get("name") or ""),
        status=data.get("described_state"),
        created_at=data.get("created_at"),
        updated_at=data.get("updated_at"),
        url=urljoin(base_url + "/", f"request/{quote(url_title)}"),
        tags=as_tags(data.get("tags")),
        messages=messages,
        events=events,
        law_used=data.get("law_used"),
        display_status=data.get("display_status"),
        requester=user.get("url_name") or data.get("user_name"),
        prominence=data.get("prominence"),
        body_tags=as_tags(body.get("tags")),
    )


def _read_response(streamed: httpx.Response, body: bytes) -> httpx.Response:
    """A streamed response as if read whole, its body already decoded."""
    headers = [
        (k, v)
        for k, v in streamed.headers.multi_items()
        if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")
    ]
    return httpx.Response(
        streamed.status_code, headers=headers, content=body, request=streamed.request
    )


def search_hit(event: dict[str, Any], base_url: str) -> SearchHit | None:
    """The request behind one search-feed event."""
    request = event.get("info_request") or {}
    body = event.get("public_body") or {}
    if not isinstance(request, dict) or not isinstance(body, dict):
        return None
    url_title = request.get("url_title")
    if not url_title or not URL_TITLE.fullmatch(str(url_title)):
        return None
    return SearchHit(
        url_title=url_title,
        title=request.get("title") or "",
        authority=body.get("url_name") or "",
        authority_name=body.get("name") or "",
        status=request.get("described_state"),
        date=request.get("created_at"),
        url=urljoin(base_url + "/", f"request/{quote(url_title)}"),
        display_status=request.get("display_status"),
    )


ESTIMATE = re.compile(r"([\d,]+)")


def parse_listing_page(page: str, base_url: str) -> tuple[list[SearchHit], int | None]:
    """Requests in a ``/list`` or ``/search`` page and the site's estimate of the total
    (``h2.foi_results``: "About 1,234 FOI requests found")."""
    tree = HTMLParser(page)
    heading = _text(tree.css_first("h2.foi_results"))
    numbers = [int(n.replace(",", "")) for n in ESTIMATE.findall(heading) if n.strip(",")]
    estimate = max(numbers) if numbers else (1 if heading else None)
    return parse_search_listing(page, base_url), estimate


def parse_search_listing(page: str, base_url: str) -> list[SearchHit]:
    """Requests in a result page (``div.request_listing``, one per result)."""
    hits: list[SearchHit] = []
    for listing in HTMLParser(page).css("div.request_listing"):
        hit = _listing_hit(listing, base_url)
        if hit and hit.url_title not in {h.url_title for h in hits}:
            hits.append(hit)
    return hits


def _listing_hit(listing: Node, base_url: str) -> SearchHit | None:
    """``_request_listing_via_event.html.erb``: the state in ``i.icon_<state>``, the
    display status in ``<strong>``, the event's date in ``<time datetime>``."""
    request_link = body_link = None
    for anchor in listing.css("a[href]"):
        path = urlsplit(urljoin(base_url + "/", anchor.attributes.get("href") or "")).path
        segments = [unquote(s) for s in path.split("/") if s]
        if len(segments) >= 2 and segments[0] == "request" and request_link is None:
            request_link = (segments[1], _text(anchor))
        elif len(segments) == 2 and segments[0] == "body" and body_link is None:
            body_link = (segments[1], _text(anchor))
    if request_link is None or not URL_TITLE.fullmatch(request_link[0]):
        return None
    url_title, title = request_link
    authority, authority_name = body_link or ("", "")
    state = None
    for icon in listing.css("i"):
        for name in (icon.attributes.get("class") or "").split():
            if name.startswith("icon_"):
                state = name.removeprefix("icon_")
    when = listing.css_first("time[datetime]")
    return SearchHit(
        url_title=url_title,
        title=title,
        authority=authority,
        authority_name=authority_name,
        status=state,
        date=(when.attributes.get("datetime") if when else None),
        url=urljoin(base_url + "/", f"request/{quote(url_title)}"),
        display_status=_text(listing.css_first("strong")) or None,
    )


def parse_request_page(
    page: str, url_title: str, base_url: str, request_id: int | None = None
) -> RequestPage:
    """Attachments (both link forms), withheld attachments and message texts of a page."""
    tree = HTMLParser(page)
    result = RequestPage()
    found: dict[tuple[int, int], AttachmentLink] = {}
    for item in tree.css("div.incoming li.attachment"):
        link = _attachment_link(item, url_title, base_url, request_id)
        if link:
            found.setdefault((link.incoming_message_id, link.part), link)
            continue
        withheld = _withheld(item)
        if withheld:
            result.withheld.append(withheld)
        else:
            result.unreadable += 1
    result.attachments = list(found.values())
    result.correspondence = _correspondence(tree)
    return result


def parse_attachments(
    page: str, url_title: str, base_url: str, request_id: int | None = None
) -> list[AttachmentLink]:
    """Attachments of ``url_title`` listed in a request page; links elsewhere are ignored."""
    return parse_request_page(page, url_title, base_url, request_id).attachments


def _message_id_of(item: Node) -> int | None:
    node = item.parent
    while node is not None:
        ident = node.attributes.get("id") or ""
        if ident.startswith("incoming-") and ident[len("incoming-") :].isdigit():
            return int(ident[len("incoming-") :])
        node = node.parent
    return None


def _withheld(item: Node) -> Withheld | None:
    message = _message_id_of(item)
    ident = item.attributes.get("id") or ""
    number = _int_or_none(ident.rsplit("-", 1)[-1]) if "-" in ident else None
    if message is None:
        return None
    hidden = item.css_first(".hidden_attachment")
    if hidden is not None:
        return Withheld(message, number, "hidden", None, _text(hidden) or None)
    meta = _text(item.css_first("p.attachment__meta"))
    if "erased" in meta.lower():
        return Withheld(
            message, number, "erased", _text(item.css_first("p.attachment__name")), meta
        )
    return None


def _attachment_link(
    item: Node, url_title: str, base_url: str, request_id: int | None
) -> AttachmentLink | None:
    hosts = site_hosts(base_url)
    base = urlsplit(base_url)
    for anchor in item.css("a[href]"):
        url = urljoin(base_url + "/", anchor.attributes.get("href") or "")
        parts = urlsplit(url)
        match = ATTACHMENT_PATH.match(parts.path)
        if parts.netloc.lower() not in hosts or not match:
            continue
        owner = unquote(match.group(1))
        if owner != url_title and not (request_id is not None and owner == str(request_id)):
            continue
        name = _text(item.css_first("p.attachment__name")) or unquote(match.group(4))
        meta = _text(item.css_first("p.attachment__meta"))
        canonical = (
            f"/request/{quote(url_title)}/response/{match.group(2)}"
            f"/attach/{match.group(3)}/{match.group(4)}"
        )
        return AttachmentLink(
            url=f"{base.scheme}://{base.netloc}{canonical}",
            download_url=url,
            incoming_message_id=int(match.group(2)),
            part=int(match.group(3)),
            filename=name,
            display_size=meta.split(" ")[0] if meta else None,
        )
    return None


def _created(node: Node) -> str | None:
    when = node.css_first("time[datetime]")
    return when.attributes.get("datetime") if when else None


def _correspondence(tree: HTMLParser) -> list[Correspondence]:
    texts: list[Correspondence] = []
    for node in tree.css("div.incoming[id^='incoming-']"):
        number = _int_or_none((node.attributes.get("id") or "").removeprefix("incoming-"))
        body = node.css_first(".correspondence_text > div[id^='attachment-']")
        if body is None:  # older markup: the text after the attachment list
            body = node.css_first(".correspondence_text")
            for listing in body.css("div.attachments") if body else []:
                listing.decompose()
        if number is not None:
            texts.append(Correspondence("incoming", number, _block_text(body), _created(node)))
    for node in tree.css("div.outgoing[id^='outgoing-']"):
        number = _int_or_none((node.attributes.get("id") or "").removeprefix("outgoing-"))
        if number is not None:
            body = node.css_first(".correspondence_text")
            texts.append(Correspondence("outgoing", number, _block_text(body), _created(node)))
    for node in tree.css("[id^='comment-']"):
        number = _int_or_none((node.attributes.get("id") or "").removeprefix("comment-"))
        if number is not None:
            body = node.css_first(".comment_in_request_text") or node
            texts.append(Correspondence("comment", number, _block_text(body), _created(node)))
    return texts
