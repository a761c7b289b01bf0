"""A typed client for one Alaveteli site (WhatDoTheyKnow by default).

What it reads, and where Alaveteli defines it (``mysociety/alaveteli``):

- ``/request/<url_title>.json``: ``InfoRequest#json_for_api(true)`` in
  ``app/models/info_request.rb`` (events from ``InfoRequestEvent#json_for_api``).
- ``/request/<url_title>``: the HTML page. Attachments are in no JSON; they are
  read from ``app/views/request/_incoming_correspondence.html.erb``
  (``div.incoming#incoming-<id>``) and ``app/views/request/_attachments.html.erb``
  (``li.attachment``, ``p.attachment__name``, ``p.attachment__meta`` and links to
  ``/request/<url_title>/response/<incoming_message_id>/attach/<part>/<name>``).
- ``/feed/search/<query>.json?page=N``: search results as events, 25 a page.
- ``/body/<url_name>.json``: ``PublicBody#json_for_api``.

Pages and JSON go through an on-disk HTTP cache (hishel); attachments do not
(see :mod:`extractor.wdtk.download`).
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit

import hishel
import httpx
from hishel.httpx import CacheTransport
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from .config import MAX_LISTING_PAGES, MAX_SEARCH_PAGES, SEARCH_PAGE_SIZE, ClientConfig
from .errors import (
    BadQuery,
    BadReference,
    ContentError,
    HttpError,
    NotFound,
    TooLarge,
    TransferError,
)
from .transport import RateLimiter, wire_transport

URL_TITLE = re.compile(r"[A-Za-z0-9_\-]{1,255}")
ATTACHMENT_PATH = re.compile(r"^/request/([^/]+)/response/(\d+)/attach/(\d+)/([^/]+)$")
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
        "awaiting_description",
    }
)


@dataclass
class Message:
    """An incoming message (a response) of a request."""

    id: int
    event_id: int
    created_at: str | None


@dataclass
class RequestInfo:
    url_title: str
    id: int
    title: str
    authority: str
    authority_name: str
    status: str | None
    created_at: str | None
    updated_at: str | None
    url: str
    tags: list[str] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)


@dataclass
class AttachmentLink:
    """One attachment as listed on the request page. ``filename`` is untrusted."""

    url: str  # absolute, without the query string (its path is the identity)
    download_url: str
    incoming_message_id: int
    part: int
    filename: str
    display_size: str | None = None


@dataclass
class SearchHit:
    url_title: str
    title: str
    authority: str
    authority_name: str
    status: str | None
    date: str | None
    url: str


@dataclass
class SearchFilters:
    """The user's query plus the filters Alaveteli's Xapian query language supports."""

    text: str | None = None
    body: str | None = None
    body_tag: str | None = None
    status: str | None = None
    since: date | None = None
    until: date | None = None
    filetype: str | None = None

    def to_query(self) -> str:
        terms = [self.text.strip()] if self.text and self.text.strip() else []
        for prefix, value in (
            ("requested_from", self.body),
            ("request_public_body_tag", self.body_tag),
            ("latest_status", self.status),
            ("filetype", self.filetype),
        ):
            if value:
                terms.append(f"{prefix}:{_query_word(prefix, value)}")
        if self.since or self.until:
            terms.append(f"{_uk_date(self.since)}..{_uk_date(self.until)}")
        if not terms:
            raise BadQuery("give a search query or at least one filter")
        if self.status and self.status not in STATUSES:
            raise BadQuery(f"unknown status {self.status!r}; one of {', '.join(sorted(STATUSES))}")
        return " ".join(terms)


def _query_word(prefix: str, value: str) -> str:
    value = value.strip().lstrip(".") if prefix == "filetype" else value.strip()
    if not URL_TITLE.fullmatch(value):
        raise BadQuery(f"{prefix}: {value!r} is not a single word")
    return value.lower() if prefix == "filetype" else value


def _uk_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _text(node: Node | None) -> str:
    return " ".join((node.text(separator=" ") if node else "").split())


class AlaveteliClient:
    """Reads requests, request pages, search feeds and bodies from one Alaveteli site."""

    def __init__(self, config: ClientConfig, limiter: RateLimiter | None = None) -> None:
        self.config = config
        self.limiter = limiter or RateLimiter(config.rate)
        self.base = urlsplit(config.base_url)
        self.storage: hishel.SqliteStorage | None = None
        self.pages = httpx.Client(transport=self._page_transport(), **self._client_options())
        self.files = httpx.Client(
            transport=wire_transport(config, self.limiter), **self._client_options()
        )

    def _client_options(self) -> dict[str, Any]:
        return {
            "base_url": self.config.base_url,
            "headers": {"User-Agent": self.config.user_agent},
            "timeout": self.config.timeout,
            "follow_redirects": True,
            "max_redirects": 5,
        }

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

    def get_page(self, path: str) -> httpx.Response:
        """A page or JSON document, read whole: at most ``config.max_page_bytes``."""
        url = self.absolute(path)
        try:
            with self.pages.stream("GET", url) as response:
                if response.status_code == 404:
                    raise NotFound(url, 404)
                if response.status_code >= 400:
                    raise HttpError(url, response.status_code)
                body = self._read_capped(response, url)
        except httpx.HTTPError as exc:
            raise TransferError(f"{url}: {exc.__class__.__name__}: {exc}") from None
        return _read_response(response, body)

    def _read_capped(self, response: httpx.Response, url: str) -> bytes:
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
            chunks.append(chunk)
        return b"".join(chunks)

    def get_json(self, path: str) -> Any:
        response = self.get_page(path)
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
            parts = urlsplit(ref)
            if parts.netloc and parts.netloc != self.base.netloc:
                raise BadReference(f"{ref}: not on {self.config.base_url} (use --base-url)")
            return self._url_title_from_path(parts.path, ref)
        if not URL_TITLE.fullmatch(ref):
            raise BadReference(f"{ref!r}: not a url_title, request URL or request id")
        return ref

    def _url_title_from_path(self, path: str, ref: str) -> str:
        segments = [unquote(s) for s in path.split("/") if s]
        if len(segments) < 2 or segments[0] != "request":
            raise BadReference(f"{ref}: not a request URL (/request/<url_title>)")
        title = segments[1].removesuffix(".json")
        if not URL_TITLE.fullmatch(title) or title.isdigit():
            raise BadReference(f"{ref}: no url_title in {path}")
        return title

    # requests
    def request(self, url_title: str) -> RequestInfo:
        data = self.get_json(f"/request/{quote(url_title)}.json")
        try:
            return self._request_info(data)
        except (KeyError, TypeError, ValueError) as exc:
            raise ContentError(f"/request/{url_title}.json: unexpected shape ({exc})") from None

    def _request_info(self, data: dict[str, Any]) -> RequestInfo:
        body = data.get("public_body") or {}
        messages = [
            Message(int(e["incoming_message_id"]), int(e["id"]), e.get("created_at"))
            for e in data.get("info_request_events") or []
            if e.get("event_type") == "response" and e.get("incoming_message_id")
        ]
        return RequestInfo(
            url_title=data["url_title"],
            id=int(data["id"]),
            title=data.get("title") or "",
            authority=body.get("url_name") or "",
            authority_name=body.get("name") or "",
            status=data.get("described_state"),
            created_at=data.get("created_at"),
            updated_at=data.get("updated_at"),
            url=self.absolute(f"/request/{quote(data['url_title'])}"),
            tags=[str(tag) for tag in data.get("tags") or []],
            messages=messages,
        )

    def attachments(self, url_title: str) -> list[AttachmentLink]:
        """The attachments listed on the request page, in page order."""
        response = self.get_page(f"/request/{quote(url_title)}")
        if "html" not in response.headers.get("content-type", "text/html"):
            self.forget(response)
            raise ContentError(f"{response.url}: not an HTML page")
        return parse_attachments(response.text, url_title, self.config.base_url)

    # search and bodies
    def search(self, filters: SearchFilters, limit: int | None = None) -> Iterator[SearchHit]:
        """Requests matching the query, newest first, each request once.

        Reads the JSON feed page by page. Alaveteli's feed may ignore ``page`` (its
        ``atom_feed_internal`` asks for page 1); when a page brings no new event, the
        rest is read from the HTML search listing, which Alaveteli stops at 500 results.
        """
        query = quote(filters.to_query(), safe="/")
        seen: set[str] = set()
        feed = _FeedPages(self, query, seen)
        for hit in itertools.chain(feed, self._listing_hits(query, seen, feed)):
            yield hit
            if limit is not None and len(seen) >= limit:
                return

    def _listing_hits(self, query: str, seen: set[str], feed: _FeedPages) -> Iterator[SearchHit]:
        if not feed.ignores_paging:
            return
        previous: list[str] = []
        for page in range(1, MAX_LISTING_PAGES + 1):
            response = self.get_page(f"/search/{query}/newest/requests?page={page}")
            listed = parse_search_listing(response.text, self.config.base_url)
            titles = [hit.url_title for hit in listed]
            if titles == previous:
                return
            for hit in listed:
                if hit.url_title not in seen:
                    seen.add(hit.url_title)
                    yield hit
            if len(listed) < SEARCH_PAGE_SIZE:
                return
            previous = titles

    def body(self, url_name: str) -> dict[str, Any]:
        if not URL_TITLE.fullmatch(url_name):
            raise BadReference(f"{url_name!r}: not a body url_name")
        return self.get_json(f"/body/{quote(url_name)}.json")


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
    )


class _FeedPages:
    """Hits from ``/feed/search/<query>.json?page=N``; notes when paging is ignored."""

    def __init__(self, client: AlaveteliClient, query: str, seen: set[str]) -> None:
        self.client, self.query, self.seen = client, query, seen
        self.ignores_paging = False

    def __iter__(self) -> Iterator[SearchHit]:
        event_ids: set[Any] = set()
        for page in range(1, MAX_SEARCH_PAGES + 1):
            path = f"/feed/search/{self.query}.json?page={page}"
            events = self.client.get_json(path)
            if not isinstance(events, list):
                raise ContentError(f"{path}: expected a list of events")
            fresh = [e for e in events if isinstance(e, dict) and e.get("id") not in event_ids]
            if events and not fresh:
                self.ignores_paging = True  # the same events again: paging is not supported
                return
            event_ids.update(e.get("id") for e in fresh)
            for event in fresh:
                hit = search_hit(event, self.client.config.base_url)
                if hit and hit.url_title not in self.seen:
                    self.seen.add(hit.url_title)
                    yield hit
            if len(events) < SEARCH_PAGE_SIZE:
                return


def parse_search_listing(page: str, base_url: str) -> list[SearchHit]:
    """Requests in an HTML search result page (``div.request_listing``, one per result)."""
    hits: list[SearchHit] = []
    for listing in HTMLParser(page).css("div.request_listing"):
        hit = _listing_hit(listing, base_url)
        if hit and hit.url_title not in {h.url_title for h in hits}:
            hits.append(hit)
    return hits


def _listing_hit(listing: Node, base_url: str) -> SearchHit | None:
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
    return SearchHit(
        url_title=url_title,
        title=title,
        authority=authority,
        authority_name=authority_name,
        status=_text(listing.css_first(".bottomline strong")) or None,
        date=None,
        url=urljoin(base_url + "/", f"request/{quote(url_title)}"),
    )


def parse_attachments(page: str, url_title: str, base_url: str) -> list[AttachmentLink]:
    """Attachments of ``url_title`` listed in a request page; links elsewhere are ignored."""
    found: dict[tuple[int, int], AttachmentLink] = {}
    for item in HTMLParser(page).css("div.incoming li.attachment"):
        link = _attachment_link(item, url_title, base_url)
        if link:
            found.setdefault((link.incoming_message_id, link.part), link)
    return list(found.values())


def _attachment_link(item: Node, url_title: str, base_url: str) -> AttachmentLink | None:
    host = urlsplit(base_url).netloc
    for anchor in item.css("a[href]"):
        url = urljoin(base_url + "/", anchor.attributes.get("href") or "")
        parts = urlsplit(url)
        match = ATTACHMENT_PATH.match(parts.path)
        if parts.netloc != host or not match or unquote(match.group(1)) != url_title:
            continue
        name = _text(item.css_first("p.attachment__name")) or unquote(match.group(4))
        meta = _text(item.css_first("p.attachment__meta"))
        return AttachmentLink(
            url=f"{parts.scheme}://{parts.netloc}{parts.path}",
            download_url=url,
            incoming_message_id=int(match.group(2)),
            part=int(match.group(3)),
            filename=name,
            display_size=meta.split(" ")[0] if meta else None,
        )
    return None
