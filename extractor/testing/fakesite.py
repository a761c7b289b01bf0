"""A fake Alaveteli site, rebuilt from Alaveteli's own views and controllers.

Test tooling only: the client (``extractor.wdtk``) never imports it. Each behaviour
names the file of ``mysociety/alaveteli`` (commit 351eb61, April 2026) or of
``mysociety/whatdotheyknow-theme`` it copies, so a test fails when the client is
wrong about the real site rather than about this fake.

It serves a fixture directory::

    <root>/bodies/<url_name>.json                 /body/<url_name>.json
    <root>/requests/<url_title>/request.json      /request/<url_title>.json
    <root>/requests/<url_title>/page.json         what only the HTML page shows (message
                                                  texts, annotations, attachment prominence,
                                                  old-style links, a hidden request)
    <root>/requests/<url_title>/attachments/<incoming_message_id>/<part>/<display_filename>

Routes (``config/routes.rb``):

- ``/feed/search/<query>.json?page=N``: ``track_controller.rb#track_search_query`` ->
  ``#atom_feed_internal``: ``perform_search([InfoRequestEvent], query, 'described', nil, 25)``
  with the page taken from ``?page=`` (``application_controller.rb#perform_search``, since
  commit ab45586 "Remove hard coded feed page", Alaveteli 0.39). Events are sorted by
  ``described_at`` (``last_described_at || created_at``, ``info_request_event.rb``), newest
  first (``track_thing.rb``: ``feed_sortby: 'described'`` for search queries), each as
  ``InfoRequestEvent#json_for_api(true)``. No cap on pages.
- ``/search/<combined>``: ``general_controller.rb#search``: the last segments are popped
  as a sort (``newest``/``described``/``relevant``) and then a variety (``requests``...), so
  ``/search/<q>/newest/requests`` searches for ``<q>/newest``. Pages after 500 results are
  a 404 (``MAX_RESULTS / requests_per_page``).
- ``/list?query=&request_date_after=&request_date_before=&page=N``: ``request_controller.rb
  #list`` and ``InfoRequest.request_list``: the query of ``lib/xapian_queries.rb
  #make_query_from_params`` (the date range ``DD/MM/YYYY..DD/MM/YYYY`` filters *event*
  dates), collapsed by request, 25 a page, no page after 500 results (404);
  ``/list/all`` redirects to ``/list`` and drops the query string.
- listings: ``app/views/request/_request_listing_via_event.html.erb`` (``i.icon_<state>``,
  ``<strong>`` display status, ``<time datetime>`` from ``simple_date_html``) inside
  ``div.results_block`` with ``h2.foi_results`` (``_list_results.html.erb``,
  ``general/search.html.erb``). Highlighted stems are ``<span class="highlight">`` inside
  words.
- ``/request/<url_title>``: ``_incoming_correspondence.html.erb`` (``div.incoming
  #incoming-<id>``: ``link_to_helper.rb#dom_id``), ``_attachments.html.erb`` (``li.attachment
  #attachment-<id>``, ``p.attachment__name``, ``p.attachment__meta``; hidden ones show only
  ``span.hidden_attachment``, erased ones "This file has been erased."), the message text
  in ``div#attachment-<main body part>``, ``_outgoing_correspondence.html.erb``
  (``div.outgoing#outgoing-<id>`` ``.correspondence_text``) and annotations
  (``#comment-<id>``). Attachment links are ``/request/<url_title>/response/<m>/attach/
  <part>/<name>?cookie_passthrough=1`` (``info_request_helper.rb#attachment_params``); pages
  of a request marked old-style use the numeric id (routes before commit e0cd4af,
  Alaveteli 0.45), and the server accepts those links for it.
- attachments: ``attachments_controller.rb``: Content-Type from the file name in the URL
  (``#content_type``: ``AlaveteliFileTypes.filename_to_mimetype``), never from the bytes;
  ``#ensure_masked`` redirects an unmasked attachment to ``/attachments/<token>/wait
  ?referer=<path>`` (``attachment_masks_controller.rb``): ``wait.html.erb`` has a meta
  refresh of 2 s; once masked, ``wait`` redirects to ``done`` (``done.html.erb``: a link
  back to the referer). Hidden and erased attachments answer 403 (``render_hidden``).
- a hidden request: 403 (``application_controller.rb#render_hidden``), an HTML page for
  the page and an empty body for ``.json``.
- ``/body/all-authorities.csv``: ``lib/public_body_csv.rb`` (header ``Internal ID,Name,...``).
- bad query syntax: Xapian raises and Rails answers 500 (``/feed``, ``/list``, ``/search``).
- ``/robots.txt``: ``public/robots.txt`` as it is (:data:`ALAVETELI_ROBOTS_TXT`; the
  WhatDoTheyKnow theme has none of its own): it disallows ``*/feed/*`` and ``*/search/*``,
  allows ``/list``, request pages and JSON, and attachments (``Allow:
  */request/*/response/*/attach/*``). ``FakeAlaveteli(robots_txt=...)`` serves other rules,
  as another Alaveteli site might (:data:`FEED_ALLOWED_ROBOTS_TXT`: the same without the
  feed and search rules).

Tags are ``[name, value]`` pairs (``lib/has_tag_string/has_tag_string.rb#tag_array``);
``tag:`` and ``request_public_body_tag:`` match a name or ``name:value``
(``#tag_array_for_search``).

:class:`Faults` adds what is not Alaveteli: 429/503 with Retry-After, dropped
connections, a Cloudflare challenge (``403`` with ``cf-mitigated: challenge``, as reported
for WhatDoTheyKnow in 2026), redirects to another host, trickling answers. Every request
is logged so tests can count them.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import hashlib
import html
import io
import json
import mimetypes
import re
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import parse_qs, quote, unquote, urlsplit

PAGE_SIZE = 25
MAX_RESULTS = 500  # request_controller.rb / general_controller.rb
CHUNK = 64 * 1024
DISPLAY_NAME_FILE = ".display_filename"
CHALLENGE_PAGE = (
    b"<!DOCTYPE html><html><head><title>Just a moment...</title></head>"
    b'<body><div id="challenge-body-text">Verifying you are human. This may take a few '
    b"seconds.</div><noscript>Enable JavaScript and cookies to continue</noscript>"
    b"</body></html>"
)
WAIT_PAGE = (  # app/views/attachment_masks/wait.html.erb in the site layout
    '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
    '<meta http-equiv="refresh" content="2"><title>Attachment processing...</title></head>'
    "<body><h1>Attachment processing...</h1><p>We're still preparing this attachment. "
    "The page will reload automatically once it's ready.</p></body></html>"
)
HIDDEN_PAGE = (
    '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Request hidden'
    "</title></head><body><h1>Request hidden</h1><p>This request has prominence "
    "'hidden'.</p></body></html>"
)
# lib/public_body_csv.rb#default_headers
AUTHORITIES_HEADER = [
    "Internal ID",
    "Name",
    "Short name",
    "URL name",
    "Tags",
    "Home page",
    "Publication scheme",
    "Disclosure log",
    "Notes",
    "Created at",
    "Updated at",
    "Version",
]
# lib/alaveteli_file_types.rb: the few the fake needs beyond Python's table
FILE_TYPES = {
    ".xls": "application/vnd.ms-excel",
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".html": "text/html",
    ".htm": "text/html",
}


def filename_to_mimetype(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return FILE_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


# ---------------------------------------------------------------------------
# fixture data
# ---------------------------------------------------------------------------


@dataclass
class FakeAttachment:
    incoming_message_id: int
    part: int
    display_filename: str
    path: Path
    prominence: str = "normal"  # or "hidden", "erased"

    @property
    def extension(self) -> str:
        return Path(self.display_filename).suffix.lower().lstrip(".")

    @property
    def id(self) -> int:
        """A FoiAttachment id (its ``dom_id`` is ``attachment-<id>``)."""
        return self.incoming_message_id * 100 + self.part


@dataclass
class FakeRequest:
    data: dict[str, Any]
    attachments: list[FakeAttachment]
    page: dict[str, Any] = field(default_factory=dict)  # page.json

    @property
    def url_title(self) -> str:
        return str(self.data["url_title"])

    @property
    def old_style(self) -> bool:
        return bool(self.page.get("old_style_links"))

    @property
    def hidden(self) -> bool:
        return self.data.get("prominence") in ("hidden", "requester_only")

    def attachments_of(self, message_id: int | None) -> list[FakeAttachment]:
        return [a for a in self.attachments if a.incoming_message_id == message_id]

    def text_of(self, kind: str, number: Any) -> str:
        return str((self.page.get("texts") or {}).get(f"{kind}-{number}") or "")


def _load_attachments(folder: Path, prominence: dict[str, str]) -> list[FakeAttachment]:
    found = []
    for message in sorted(folder.iterdir()) if folder.is_dir() else []:
        for part in sorted(message.iterdir(), key=lambda p: int(p.name)):
            files = [f for f in part.iterdir() if f.is_file() and not f.name.startswith(".")]
            if not files:
                continue
            override = part / DISPLAY_NAME_FILE
            name = override.read_text("utf-8").strip() if override.exists() else files[0].name
            key = f"{message.name}/{part.name}"
            found.append(
                FakeAttachment(
                    int(message.name), int(part.name), name, files[0], prominence.get(key, "normal")
                )
            )
    return found


def described_at(event: dict[str, Any]) -> str:
    """``InfoRequestEvent#described_at``: ``last_described_at || created_at``."""
    return str(event.get("last_described_at") or event["created_at"])


class SiteData:
    """Everything the fake serves, read once from the fixture directory."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.bodies: dict[str, dict[str, Any]] = {
            path.stem: json.loads(path.read_text("utf-8"))
            for path in sorted((self.root / "bodies").glob("*.json"))
        }
        self.requests: dict[str, FakeRequest] = {}
        for path in sorted((self.root / "requests").glob("*/request.json")):
            data = json.loads(path.read_text("utf-8"))
            page_file = path.parent / "page.json"
            page = json.loads(page_file.read_text("utf-8")) if page_file.exists() else {}
            attachments = _load_attachments(
                path.parent / "attachments", page.get("attachment_prominence") or {}
            )
            self.requests[data["url_title"]] = FakeRequest(data, attachments, page)
        self.by_id = {int(r.data["id"]): r for r in self.requests.values()}
        every = [e for e in self._events() if not e[1].hidden]
        # track feeds: 'described' order; lists and searches: 'newest' (created_at)
        self.events_described = sorted(every, key=lambda e: described_at(e[0]), reverse=True)
        self.events_newest = sorted(every, key=lambda e: str(e[0]["created_at"]), reverse=True)
        self.events = self.events_described

    def body_of(self, request: FakeRequest) -> dict[str, Any]:
        body = request.data.get("public_body") or {}
        return self.bodies.get(body.get("url_name", ""), body)

    def _events(self) -> Iterator[tuple[dict[str, Any], FakeRequest]]:
        for request in self.requests.values():
            for event in request.data.get("info_request_events") or []:
                yield event, request

    def feed_event(self, event: dict[str, Any], request: FakeRequest) -> dict[str, Any]:
        """``InfoRequestEvent#json_for_api(true)``: the event with a shallow request."""
        shallow = {
            k: v
            for k, v in request.data.items()
            if k not in ("user", "user_name", "public_body", "info_request_events")
        }
        deep = dict(event, info_request=shallow, public_body=self.body_of(request))
        deep["user"] = request.data.get("user")
        return deep


# ---------------------------------------------------------------------------
# writing fixture directories (for tests, benchmarks and bundled demos)
# ---------------------------------------------------------------------------

Content = bytes | Callable[[BinaryIO], None]


@dataclass
class FixtureResponse:
    """An incoming message with its attachments: (display filename, bytes or a writer), or
    (name, content, prominence) where prominence is "normal", "hidden" or "erased"."""

    incoming_message_id: int
    created_at: str
    attachments: list[tuple[Any, ...]] = field(default_factory=list)
    text: str = "Dear requester, please find attached our response (synthetic)."


@dataclass
class FixtureComment:
    """An annotation on a request."""

    id: int
    created_at: str
    text: str


Tag = tuple[str, str | None]


def tag_pairs(tags: list[Any] | None) -> list[list[str | None]]:
    """``tag_array``: ``[name, value]`` pairs; ``"name:value"`` strings are split as
    ``has_tag_string.rb`` splits a tag string."""
    pairs: list[list[str | None]] = []
    for tag in tags or []:
        if isinstance(tag, str):
            name, colon, value = tag.partition(":")
            pairs.append([name, value if colon else None])
        else:
            pairs.append([str(tag[0]), None if tag[1] is None else str(tag[1])])
    return pairs


def tags_for_search(tags: list[Any] | None) -> set[str]:
    """``tag_array_for_search``: each name, and ``name:value``."""
    found: set[str] = set()
    for name, value in tag_pairs(tags):
        found.add(str(name))
        if value is not None:
            found.add(f"{name}:{value}")
    return found


def write_body(
    root: Path, url_name: str, name: str, tags: list[Any] | None = None
) -> dict[str, Any]:
    """Write ``bodies/<url_name>.json`` shaped like ``PublicBody#json_for_api``."""
    body = {
        "id": zlib.crc32(url_name.encode()) % 100000,
        "url_name": url_name,
        "name": name,
        "short_name": "",
        "created_at": "2008-01-01T00:00:00.000+00:00",
        "updated_at": "2024-01-01T00:00:00.000+00:00",
        "home_page": "https://example.org",
        "notes": "",
        "publication_scheme": "",
        "disclosure_log": "",
        "tags": tag_pairs(tags),
    }
    folder = Path(root) / "bodies"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{url_name}.json").write_text(json.dumps(body, indent=1), "utf-8")
    return body


def _needs_override(name: str) -> bool:
    return (
        "/" in name
        or "\x00" in name
        or name in ("", ".", "..")
        or name.startswith(".")
        or len(name.encode("utf-8")) > 200
    )


def _write_attachment(folder: Path, name: str, content: Content) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if _needs_override(name):
        (folder / DISPLAY_NAME_FILE).write_text(name, "utf-8")
        name = "attachment.bin"
    with open(folder / name, "wb") as handle:
        if isinstance(content, bytes):
            handle.write(content)
        else:
            content(handle)


def _event(
    event_id: int, event_type: str, created_at: str, state: str | None, **ids: int | None
) -> dict[str, Any]:
    """``InfoRequestEvent#json_for_api(false)``."""
    event: dict[str, Any] = {
        "id": event_id,
        "event_type": event_type,
        "created_at": created_at,
        "described_state": state,
        "calculated_state": state,
        "last_described_at": created_at if state else None,
        "incoming_message_id": ids.get("incoming_message_id"),
        "outgoing_message_id": ids.get("outgoing_message_id"),
        "comment_id": ids.get("comment_id"),
    }
    if event_type in ("sent", "followup_sent", "response"):
        event["display_status"] = {"sent": "Sent", "response": "Response"}.get(
            event_type, "Follow up"
        )
    return event


def write_request(
    root: Path,
    *,
    url_title: str,
    request_id: int,
    title: str,
    body: dict[str, Any],
    created_at: str,
    status: str = "successful",
    tags: list[Any] | None = None,
    responses: list[FixtureResponse] | None = None,
    comments: list[FixtureComment] | None = None,
    request_text: str | None = None,
    law_used: str = "foi",
    old_style_links: bool = False,
    prominence: str = "normal",
    requester: str = "synthetic_user",
) -> dict[str, Any]:
    """Write ``requests/<url_title>/`` with an Alaveteli-shaped ``request.json`` (and
    ``page.json`` for what only the HTML page shows)."""
    events = [_event(request_id * 10, "sent", created_at, None, outgoing_message_id=request_id)]
    folder = Path(root) / "requests" / url_title
    texts = {f"outgoing-{request_id}": request_text or f"Dear authority, {title} (synthetic)."}
    prominences: dict[str, str] = {}
    for number, response in enumerate(responses or [], start=1):
        message = response.incoming_message_id
        events.append(
            _event(
                request_id * 10 + number,
                "response",
                response.created_at,
                status,
                incoming_message_id=message,
            )
        )
        texts[f"incoming-{message}"] = response.text
        for part, attachment in enumerate(response.attachments, start=2):
            name, content = attachment[0], attachment[1]
            if len(attachment) > 2 and attachment[2] != "normal":
                prominences[f"{message}/{part}"] = attachment[2]
            _write_attachment(folder / "attachments" / str(message) / str(part), name, content)
    for comment in comments or []:
        events.append(
            _event(comment.id * 10 + 9, "comment", comment.created_at, None, comment_id=comment.id)
        )
        texts[f"comment-{comment.id}"] = comment.text
    data = {  # InfoRequest#json_for_api(true)
        "id": request_id,
        "url_title": url_title,
        "title": title,
        "created_at": created_at,
        "updated_at": max(str(e["created_at"]) for e in events),
        "described_state": status,
        "display_status": status.replace("_", " ").capitalize(),
        "awaiting_description": False,
        "prominence": prominence,
        "law_used": law_used,
        "tags": tag_pairs(tags),
        "user": {
            "id": 1,
            "url_name": requester,
            "name": requester.replace("_", " ").title(),
            "ban_text": "",
            "about_me": "",
        },
        "public_body": body,
        "info_request_events": events,
    }
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "request.json").write_text(json.dumps(data, indent=1), "utf-8")
    page: dict[str, Any] = {"texts": texts, "attachment_prominence": prominences}
    if old_style_links:
        page["old_style_links"] = True
    (folder / "page.json").write_text(json.dumps(page, indent=1), "utf-8")
    return data


# ---------------------------------------------------------------------------
# search: a small evaluator for the Xapian query language the site accepts
# ---------------------------------------------------------------------------

Matcher = Callable[[dict[str, Any], FakeRequest, SiteData], bool]
TOKENS = re.compile(r'"[^"]*"|\(|\)|[^\s()]+')
DATE_RANGE = re.compile(r"^(\d{2}/\d{2}/\d{4})?\.\.(\d{2}/\d{2}/\d{4})?$")
OPERATORS = ("AND", "OR", "NOT")


class QuerySyntaxError(ValueError):
    """What Xapian's QueryParser raises; Rails answers 500."""


def _uk_date(text: str | None) -> date | None:
    return datetime.strptime(text, "%d/%m/%Y").date() if text else None


def _event_date(event: dict[str, Any]) -> date:
    return date.fromisoformat(str(event["created_at"])[:10])


def _event_text(event: dict[str, Any], request: FakeRequest) -> str:
    """``InfoRequestEvent#search_text_main`` plus the request title."""
    kind = {"response": "incoming", "comment": "comment"}.get(event.get("event_type") or "")
    number = event.get("incoming_message_id") or event.get("comment_id")
    if kind is None:
        kind, number = "outgoing", event.get("outgoing_message_id")
    return f"{request.data.get('title') or ''} {request.text_of(kind, number)}".lower()


def _prefix_matcher(prefix: str, value: str) -> Matcher:
    value_lower = value.lower()

    def match(event: dict[str, Any], request: FakeRequest, site: SiteData) -> bool:
        data = request.data
        if prefix == "requested_from":
            return site.body_of(request).get("url_name") == value
        if prefix == "request_public_body_tag":
            return value in tags_for_search(site.body_of(request).get("tags"))
        if prefix == "latest_status":
            return data.get("described_state") == value
        if prefix == "status":
            return event.get("calculated_state") == value
        if prefix == "variety":
            return event.get("event_type") == value
        if prefix == "tag":
            return value in tags_for_search(data.get("tags"))
        if prefix == "filetype":
            message = event.get("incoming_message_id")
            return any(a.extension == value_lower for a in request.attachments_of(message))
        if prefix == "requested_by":
            return (data.get("user") or {}).get("url_name") == value
        if prefix == "request":
            return request.url_title == value
        return False

    return match


def _term(token: str) -> Matcher:
    if token.startswith('"'):
        phrase = token.strip('"').lower()
        return lambda e, r, s: phrase in _event_text(e, r)
    if '"' in token:
        raise QuerySyntaxError(f"unbalanced quotes in {token!r}")
    dates = DATE_RANGE.match(token)
    if dates:
        start, end = _uk_date(dates.group(1)), _uk_date(dates.group(2))
        return lambda e, r, s: (
            (start is None or _event_date(e) >= start) and (end is None or _event_date(e) <= end)
        )
    prefix, colon, value = token.partition(":")
    if colon and value:
        return _prefix_matcher(prefix, value)
    word = token.lower()
    return lambda e, r, s: word in _event_text(e, r)


class QueryParser:
    """query := or; or := and (OR and)*; and := unary ([AND] unary)*; unary := NOT unary | term

    Raises :class:`QuerySyntaxError` where Xapian would: an operator with nothing after it
    ("police AND"), unbalanced quotes or parentheses."""

    def __init__(self, query: str) -> None:
        if query.count('"') % 2:
            raise QuerySyntaxError("unbalanced quotes")
        self.tokens = TOKENS.findall(query)
        self.at = 0

    def parse(self) -> Matcher:
        if not self.tokens:
            return lambda e, r, s: True
        matcher = self._or()
        if self.at < len(self.tokens):
            raise QuerySyntaxError(f"unexpected {self.tokens[self.at]!r}")
        return matcher

    def _peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def _next(self) -> str:
        token = self._peek()
        if token is None:
            raise QuerySyntaxError("query ends too early")
        self.at += 1
        return token

    def _or(self) -> Matcher:
        left = self._and()
        while self._peek() == "OR":
            self._next()
            left = _either(left, self._and())
        return left

    def _and(self) -> Matcher:
        left = self._unary()
        while self._peek() not in (None, "OR", ")"):
            if self._peek() == "AND":
                self._next()
            left = _both(left, self._unary())
        return left

    def _unary(self) -> Matcher:
        token = self._next()
        if token == "NOT":
            inner = self._unary()
            return lambda e, r, s: not inner(e, r, s)
        if token == "(":
            inner = self._or()
            if self._next() != ")":
                raise QuerySyntaxError("missing )")
            return inner
        if token in (")", "AND", "OR"):
            raise QuerySyntaxError(f"unexpected {token!r}")
        return _term(token)


def _either(a: Matcher, b: Matcher) -> Matcher:
    return lambda e, r, s: a(e, r, s) or b(e, r, s)


def _both(a: Matcher, b: Matcher) -> Matcher:
    return lambda e, r, s: a(e, r, s) and b(e, r, s)


def make_query_from_params(params: dict[str, str]) -> str:
    """``lib/xapian_queries.rb#make_query_from_params`` for ``query`` and the dates."""
    query = params.get("query") or ""
    after, before = params.get("request_date_after"), params.get("request_date_before")
    if after is not None and before is None:
        before = datetime.now(UTC).strftime("%d/%m/%Y")
    elif after is None and before is not None:
        after = "01/01/2001"
    if after is not None:
        query += f" {after}..{before}"
    return query


# ---------------------------------------------------------------------------
# HTML rendering
# ---------------------------------------------------------------------------


def display_size(size: int) -> str:
    if size < 1024:
        return f"{size}B"
    if size < 1024 * 1024:
        return f"{round(size / 1024)}K"
    return f"{size / 1024 / 1024:.1f}M"


def attachment_href(
    url_title: str, attachment: FakeAttachment, request_id: int | None = None
) -> str:
    """``attachment_path``; with ``request_id``, the form used before Alaveteli 0.45."""
    request_part = str(request_id) if request_id is not None else quote(url_title)
    return (
        f"/request/{request_part}/response/{attachment.incoming_message_id}"
        f"/attach/{attachment.part}/{quote(attachment.display_filename, safe='')}"
        "?cookie_passthrough=1"
    )


def _attachment_item(request: FakeRequest, attachment: FakeAttachment) -> str:
    """One ``li.attachment`` of ``_attachments.html.erb``."""
    opening = f'<li class="attachment" id="attachment-{attachment.id}">'
    name = html.escape(attachment.display_filename)
    if attachment.prominence == "hidden":
        return (
            f'{opening}<img class="attachment__image" src="/assets/content_type/icon_unknown.png">'
            '<span class="hidden_attachment">This attachment has been hidden. There are '
            "various reasons why we might have done this, sorry.</span></li>"
        )
    if attachment.prominence == "erased":
        return (
            f'{opening}<p class="attachment__name">{name}</p><p class="attachment__meta">'
            "<em>This file has been erased.</em></p></li>"
        )
    old = request.data["id"] if request.old_style else None
    href = html.escape(attachment_href(request.url_title, attachment, old))
    size = display_size(attachment.path.stat().st_size)
    return (
        f'{opening}<a href="{href}"><img class="attachment__image" alt="Attachment" '
        f'src="/assets/content_type/icon_unknown.png"></a>'
        f'<p class="attachment__name">\n      {name}\n    </p>'
        f'<p class="attachment__meta">\n      {size}\n      <a href="{href}">Download</a></p></li>'
    )


def _simple_date(value: str) -> str:
    """``simple_date_html``: a ``<time>`` with the full timestamp and a long date."""
    day = date.fromisoformat(value[:10])
    return f'<time datetime="{html.escape(value)}" title="{html.escape(value)}">' + (
        f"{day.day} {day.strftime('%B %Y')}</time>"
    )


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n") if p.strip())


def _incoming(request: FakeRequest, event: dict[str, Any], body_name: str) -> str:
    message_id = event["incoming_message_id"]
    attachments = request.attachments_of(message_id)
    items = "".join(_attachment_item(request, a) for a in attachments)
    listing = (
        (
            '<div class="attachments"><div class="attachments__header">'
            f"<h3>{len(attachments)} Attachments</h3></div>"
            f'<ul class="list-of-attachments">{items}</ul></div>'
        )
        if attachments
        else ""
    )
    text = _paragraphs(request.text_of("incoming", message_id))
    return (
        f'<div class="incoming correspondence normal js-collapsible" id="incoming-{message_id}">'
        '<div class="correspondence__header"><span class="correspondence__header__author '
        f'js-collapsible-trigger">{html.escape(body_name)}</span>'
        f'<a class="correspondence__header__date" href="#incoming-{message_id}">'
        f"{_simple_date(str(event['created_at']))}</a></div>"
        f'<div class="correspondence_text">{listing}'
        f'<div id="attachment-{message_id * 100 + 1}">{text}</div></div></div>'
    )


def _outgoing(request: FakeRequest, event: dict[str, Any]) -> str:
    number = event.get("outgoing_message_id")
    return (
        f'<div class="outgoing correspondence js-collapsible" id="outgoing-{number}">'
        '<div class="correspondence__header"><span class="correspondence__header__author">'
        f"{html.escape(str((request.data.get('user') or {}).get('name') or ''))}</span>"
        f'<a class="correspondence__header__date" href="#outgoing-{number}">'
        f"{_simple_date(str(event['created_at']))}</a></div>"
        f'<div class="correspondence_text"><div>{_paragraphs(request.text_of("outgoing", number))}'
        "</div></div></div>"
    )


def _comment(request: FakeRequest, event: dict[str, Any]) -> str:
    """``app/views/comments/_single_comment.html.erb``."""
    number = event.get("comment_id")
    return (
        f'<div class="comment_in_request box" id="comment-{number}"><div class="comment_content">'
        f"<h2>Synthetic User left an annotation ({_simple_date(str(event['created_at']))})</h2>"
        f'<div class="comment_in_request_text">{_paragraphs(request.text_of("comment", number))}'
        '</div><p class="event_actions"></p></div></div>'
    )


def render_request_page(request: FakeRequest, site: SiteData, origin: str = "") -> str:
    """The request page; ``origin`` (scheme and host) goes in ``og:url`` as the layout's
    ``general/_opengraph_tags.html.erb`` puts ``request.original_url`` there."""
    title = html.escape(request.data.get("title") or "")
    og_url = html.escape(f"{origin}/request/{quote(request.url_title)}")
    body_name = site.body_of(request).get("name") or ""
    parts = []
    for event in request.data.get("info_request_events") or []:
        kind = event.get("event_type")
        if kind == "response" and event.get("incoming_message_id"):
            parts.append(_incoming(request, event, body_name))
        elif kind in ("sent", "followup_sent"):
            parts.append(_outgoing(request, event))
        elif kind == "comment" and event.get("comment_id"):
            parts.append(_comment(request, event))
    return (
        f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{title} - a '
        f"Freedom of Information request to {html.escape(body_name)}</title>"
        f'<meta property="og:url" content="{og_url}" /></head>'
        f'<body class="request-show"><div id="content"><h1>{title}</h1>'
        f'<div id="left_column">{"".join(parts)}</div></div></body></html>'
    )


def _highlight(text: str, words: list[str]) -> str:
    """``highlight_words``: stems marked inside words, e.g. ``<span>Polic</span>e``."""
    escaped = html.escape(text)
    for word in words:
        stem = word[:-1] if len(word) > 3 else word
        escaped = re.sub(
            f"({re.escape(html.escape(stem))})",
            r'<span class="highlight">\1</span>',
            escaped,
            flags=re.IGNORECASE,
        )
    return escaped


def _listing(event: dict[str, Any], request: FakeRequest, site: SiteData, words: list[str]) -> str:
    """``_request_listing_via_event.html.erb``."""
    body = site.body_of(request)
    anchor = f"#incoming-{event['incoming_message_id']}" if event.get("incoming_message_id") else ""
    state = html.escape(str(request.data.get("described_state")))
    status = html.escape(str(request.data.get("display_status") or ""))
    user = request.data.get("user") or {}
    kind = {"sent": "Request sent to", "response": "Response by"}.get(
        str(event.get("event_type")), "Follow up sent to"
    )
    return (
        '<div class="request_listing"><div class="request_left"><span class="head">'
        f'<a href="/request/{quote(request.url_title)}{anchor}">'
        f"{_highlight(request.data.get('title') or '', words)}</a></span>"
        f'<div class="requester">{kind} <a href="/body/{quote(body.get("url_name") or "")}">'
        f"{html.escape(body.get('name') or '')}</a> by "
        f'<a href="/user/{quote(str(user.get("url_name") or ""))}">'
        f"{html.escape(str(user.get('name') or ''))}</a> on "
        f"{_simple_date(str(event['created_at']))}.</div>"
        f'<p>\n<i class="icon-standalone icon_{state}"></i>\n<strong>\n{status}\n</strong>\n</p>'
        '</span></div><div class="request_right"><span class="desc">(synthetic)</span></div>'
        "</div>"
    )


def _collapse(
    matches: list[tuple[dict[str, Any], FakeRequest]],
) -> list[tuple[dict[str, Any], FakeRequest]]:
    """``collapse_by_prefix: 'request_collapse'``: the first event of each request."""
    first: dict[str, tuple[dict[str, Any], FakeRequest]] = {}
    for event, request in matches:
        first.setdefault(request.url_title, (event, request))
    return list(first.values())


def render_listing_page(
    collapsed: list[tuple[dict[str, Any], FakeRequest]], site: SiteData, page: int, words: list[str]
) -> str:
    """One page of results (``_list_results.html.erb``): 25 a page."""
    start = (page - 1) * PAGE_SIZE
    listings = "".join(_listing(e, r, site, words) for e, r in collapsed[start : start + PAGE_SIZE])
    heading = f'<h2 class="foi_results">About {len(collapsed)} FOI requests found</h2>'
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Search</title>'
        f'</head><body>{heading}<div class="results_block">{listings}</div></body></html>'
    )


def authorities_csv(site: SiteData) -> str:
    """``PublicBodyCSV.export``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(AUTHORITIES_HEADER)
    for body in site.bodies.values():
        tags = " ".join(str(n) if v is None else f"{n}:{v}" for n, v in tag_pairs(body.get("tags")))
        writer.writerow(
            [
                body.get("id"),
                body.get("name"),
                body.get("short_name"),
                body.get("url_name"),
                tags,
                body.get("home_page"),
                body.get("publication_scheme"),
                body.get("disclosure_log"),
                body.get("notes"),
                body.get("created_at"),
                body.get("updated_at"),
                1,
            ]
        )
    return out.getvalue()


# ---------------------------------------------------------------------------
# faults and the request log
# ---------------------------------------------------------------------------


@dataclass
class Faults:
    """Misbehaviour to inject. Keys are substrings of the request path (for ``statuses``,
    of the path and query); each queued fault is used once."""

    statuses: dict[str, list[tuple[int, str | None]]] = field(default_factory=dict)
    drop_after: dict[str, int] = field(default_factory=dict)
    # attachments not yet masked: how many visits to their wait page before they are
    masking: dict[str, int] = field(default_factory=dict)
    challenge: dict[str, int] = field(default_factory=dict)  # times to send a CF challenge
    block_everything: bool = False  # every answer a Cloudflare challenge
    offsite: dict[str, str] = field(default_factory=dict)  # path key -> URL to redirect to
    replace_json: dict[str, Any] = field(default_factory=dict)  # path -> JSON to answer
    chunk_delay: float = 0.0  # seconds to wait between 64 KiB chunks of a file
    trickle: dict[str, float] = field(default_factory=dict)  # key -> seconds between bytes
    stall: dict[str, float] = field(default_factory=dict)  # seconds to wait before answering
    no_range: bool = False
    chunked_pages: bool = False  # pages sent chunked, with no Content-Length to check first
    gzip_pages: bool = False  # pages gzipped when the client accepts it
    # an Alaveteli before 0.39 (track#atom_feed_internal asked for page 1 whatever ?page=)
    feed_ignores_page: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def take_status(self, path: str) -> tuple[int, str | None] | None:
        with self.lock:
            for key, queue in self.statuses.items():
                if key in path and queue:
                    return queue.pop(0)
        return None

    def take(self, counts: dict[str, int], path: str) -> bool:
        with self.lock:
            for key, left in counts.items():
                if key in path and left > 0:
                    counts[key] = left - 1
                    return True
        return False

    def pending(self, counts: dict[str, int], path: str) -> bool:
        with self.lock:
            return any(key in path and left > 0 for key, left in counts.items())

    def take_drop(self, path: str) -> int | None:
        found = self._pop(self.drop_after, path)
        return None if found is None else int(found)

    def take_stall(self, path: str) -> float | None:
        found = self._pop(self.stall, path)
        return None if found is None else float(found)

    def _pop(self, faults: dict[str, Any], path: str) -> Any:
        with self.lock:
            for key in list(faults):
                if key in path:
                    return faults.pop(key)
        return None

    def find(self, faults: dict[str, Any], path: str) -> Any:
        with self.lock:
            return next((value for key, value in faults.items() if key in path), None)


@dataclass
class Hit:
    time: float  # time.monotonic() when the request line arrived
    method: str
    path: str
    range: str | None
    user_agent: str | None
    status: int = 0
    host: str | None = None


# ---------------------------------------------------------------------------
# the server
# ---------------------------------------------------------------------------

ATTACH = re.compile(r"^/request/([^/]+)/response/(\d+)/attach/(\d+)/([^/]+)$")
MASK = re.compile(r"^/attachments/([^/]+)/(wait|done)$")


def mask_token(url_title: str, attachment: FakeAttachment) -> str:
    """A stand-in for ``to_signed_global_id``."""
    key = f"{url_title}/{attachment.incoming_message_id}/{attachment.part}"
    return hashlib.sha256(key.encode()).hexdigest()[:24]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: FakeServer
    sent_status = 0

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the fake keeps its own log in ``FakeAlaveteli.hits``."""

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        site = self.server.fake
        self.sent_status = 0
        hit = Hit(
            time.monotonic(),
            self.command,
            self.path,
            self.headers.get("Range"),
            self.headers.get("User-Agent"),
            host=self.headers.get("Host"),
        )
        site.record(hit)
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        faults = site.faults
        stall = faults.take_stall(path)
        if stall:
            time.sleep(stall)
        fault = faults.take_status(unquote(self.path))  # keys may match the query
        offsite = faults.find(faults.offsite, path)
        if faults.block_everything or faults.take(faults.challenge, path):
            self.challenge()
        elif fault:
            status, retry_after = fault
            headers = {"Retry-After": retry_after} if retry_after else {}
            self.send_body(status, b"<html><body>Too busy</body></html>", "text/html", headers)
        elif offsite:
            self.send_body(302, b"", "text/html", {"Location": offsite})
        elif path in faults.replace_json:
            self.send_json(faults.replace_json[path])
        else:
            self.route(parts.path, path, parse_qs(parts.query))
        hit.status = self.sent_status

    def challenge(self) -> None:
        """What Cloudflare's managed challenge answers a client without JavaScript."""
        headers = {"cf-mitigated": "challenge", "Server": "cloudflare", "cf-ray": "8f-LHR"}
        self.send_body(403, CHALLENGE_PAGE, "text/html; charset=UTF-8", headers)

    def route(self, raw_path: str, path: str, query: dict[str, list[str]]) -> None:
        site = self.server.fake.data
        attach = ATTACH.match(raw_path)
        if attach:
            return self.attachment(attach)
        mask = MASK.match(raw_path)
        if mask:
            return self.mask_page(mask.group(1), mask.group(2), query)
        try:
            page = int((query.get("page") or ["1"])[0] or 1)
        except ValueError:
            page = 1
        page = max(page, 1)
        if path.startswith("/feed/search/") and path.endswith(".json"):
            if self.server.fake.faults.feed_ignores_page:
                page = 1
            return self.feed(path[len("/feed/search/") : -len(".json")], page)
        if path in ("/list/all", "/list/recent"):
            return self.send_body(302, b"", "text/html", {"Location": "/list"})
        if path == "/list":
            params = {k: v[0] for k, v in query.items() if v}
            return self.listing(make_query_from_params(params), page, site.events_newest)
        if path.startswith("/search/"):
            return self.general_search(path[len("/search/") :], page)
        if path == "/robots.txt":
            robots = self.server.fake.robots_txt
            if robots is None:
                return self.not_found()
            return self.send_body(200, robots.encode(), "text/plain; charset=utf-8")
        if path == "/body/all-authorities.csv":
            return self.send_body(
                200, authorities_csv(site).encode(), "text/csv; charset=utf-8; header=present"
            )
        if path.startswith("/body/") and path.endswith(".json"):
            body = site.bodies.get(path[len("/body/") : -len(".json")])
            return self.send_json(body) if body else self.not_found()
        segments = [s for s in path.split("/") if s]
        if len(segments) == 2 and segments[0] == "request":
            return self.request_view(segments[1])
        return self.not_found()

    def request_view(self, name: str) -> None:
        site = self.server.fake.data
        if name.isdigit():
            request = site.by_id.get(int(name))
            if not request:
                return self.not_found()
            return self.send_body(
                302, b"", "text/html", {"Location": f"/request/{quote(request.url_title)}"}
            )
        as_json = name.endswith(".json")
        request = site.requests.get(name.removesuffix(".json"))
        if not request:
            return self.not_found()
        if request.hidden:  # render_hidden: 403, a page for HTML, no body otherwise
            if as_json:
                return self.send_body(403, b"", "application/json")
            return self.send_body(403, HIDDEN_PAGE.encode(), "text/html; charset=utf-8")
        if as_json:
            return self.send_json(request.data)
        origin = f"http://{self.headers.get('Host') or 'localhost'}"
        page = render_request_page(request, site, origin).encode()
        return self.send_body(200, page, "text/html; charset=utf-8")

    def _matches(
        self, query: str, events: list[tuple[dict[str, Any], FakeRequest]]
    ) -> list[tuple[dict[str, Any], FakeRequest]] | None:
        site = self.server.fake.data
        try:
            matcher = QueryParser(query).parse()
        except QuerySyntaxError:
            self.send_body(
                500,
                b"<html><body>We're sorry, but something went wrong.</body></html>",
                "text/html",
            )
            return None
        return [(e, r) for e, r in events if matcher(e, r, site)]

    def feed(self, query: str, page: int) -> None:
        site = self.server.fake.data
        matches = self._matches(query, site.events_described)
        if matches is None:
            return None
        start = (page - 1) * PAGE_SIZE
        return self.send_json(
            [site.feed_event(e, r) for e, r in matches[start : start + PAGE_SIZE]]
        )

    def general_search(self, combined: str, page: int) -> None:
        """``general_controller.rb#search``: pop a sort, then a variety, off the path."""
        site = self.server.fake.data
        segments = combined.split("/")
        sort = "newest"
        if segments and segments[-1] in ("newest", "described", "relevant"):
            sort = segments.pop()
        if segments and segments[-1] in ("bodies", "requests", "users", "all"):
            segments.pop()
        query = "/".join(segments)
        events = site.events_described if sort == "described" else site.events_newest
        return self.listing(query, page, events)

    def listing(
        self, query: str, page: int, events: list[tuple[dict[str, Any], FakeRequest]]
    ) -> None:
        if page > MAX_RESULTS // PAGE_SIZE:  # "Sorry. No pages after 20."
            return self.not_found()
        matches = self._matches(query, events)
        if matches is None:
            return None
        collapsed = _collapse(matches)
        words = [t for t in TOKENS.findall(query) if ":" not in t and t.isalpha()]
        body = render_listing_page(collapsed, self.server.fake.data, page, words)
        return self.send_body(200, body.encode(), "text/html; charset=utf-8")

    def find_attachment(self, match: re.Match[str]) -> tuple[FakeRequest, FakeAttachment] | None:
        data = self.server.fake.data
        name = unquote(match.group(1))
        request = data.requests.get(name)
        if request is None and name.isdigit():  # the route before Alaveteli 0.45
            old = data.by_id.get(int(name))
            request = old if old and old.old_style else None
        found = [
            a
            for a in (request.attachments if request else [])
            if a.incoming_message_id == int(match.group(2)) and a.part == int(match.group(3))
        ]
        return (request, found[0]) if request and found else None

    def attachment(self, match: re.Match[str]) -> None:
        fake = self.server.fake
        found = self.find_attachment(match)
        if found is None:
            return self.not_found()
        request, attachment = found
        if request.hidden or attachment.prominence != "normal":
            return self.send_body(403, HIDDEN_PAGE.encode(), "text/html; charset=utf-8")
        raw_path = urlsplit(self.path).path
        key = unquote(raw_path)
        if fake.faults.pending(fake.faults.masking, key):  # ensure_masked
            fake.waiting[mask_token(request.url_title, attachment)] = key
            location = (
                f"/attachments/{mask_token(request.url_title, attachment)}/wait"
                f"?referer={quote(self.path, safe='')}"
            )
            return self.send_body(302, b"", "text/html", {"Location": location})
        media = filename_to_mimetype(unquote(match.group(4)))  # from the name in the URL
        return self.send_file(attachment.path, media, key)

    def mask_page(self, token: str, action: str, query: dict[str, list[str]]) -> None:
        """``attachment_masks_controller.rb``: wait until masked, then done."""
        fake = self.server.fake
        referer = (query.get("referer") or [""])[0]
        key = fake.waiting.get(token)
        if not referer or key is None:
            return self.not_found()
        masked = not fake.faults.pending(fake.faults.masking, key)
        if action == "wait":
            if masked:
                location = f"/attachments/{token}/done?referer={quote(referer, safe='')}"
                return self.send_body(302, b"", "text/html", {"Location": location})
            fake.faults.take(fake.faults.masking, key)  # one visit closer to masked
            return self.send_body(
                200, WAIT_PAGE.encode(), "text/html; charset=utf-8", {"X-Robots-Tag": "noindex"}
            )
        if not masked:
            location = f"/attachments/{token}/wait?referer={quote(referer, safe='')}"
            return self.send_body(302, b"", "text/html", {"Location": location})
        done = (
            "<!DOCTYPE html><html><head><title>Attachment available for download.</title>"
            "</head><body><h1>Attachment available for download.</h1><p>The attachment has "
            "now been processed and is available for download.</p>"
            f'<p><a class="button" href="{html.escape(referer)}">Download attachment</a></p>'
            "</body></html>"
        )
        return self.send_body(200, done.encode(), "text/html; charset=utf-8")

    # responses
    def send_file(self, file: Path, media: str, path: str) -> None:
        faults = self.server.fake.faults
        stat = file.stat()
        size = stat.st_size
        etag = f'"{size:x}-{stat.st_mtime_ns:x}"'
        start = self.range_start(size, etag) if not faults.no_range else None
        if start is not None and start >= size:
            return self.send_body(416, b"", "text/plain", {"Content-Range": f"bytes */{size}"})
        headers = {
            "Accept-Ranges": "bytes",
            "Content-Length": str(size - (start or 0)),
            "ETag": etag,
            "Content-Disposition": f'attachment; filename="{quote(file.name)}"',
        }
        if start is not None:
            headers["Content-Range"] = f"bytes {start}-{size - 1}/{size}"
        self.sent_status = 206 if start is not None else 200
        self.send_response(self.sent_status)
        self.send_header("Content-Type", media)
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command == "HEAD":
            return None
        drop = faults.take_drop(path)
        trickle = faults.find(faults.trickle, path)
        if trickle:
            return self.trickle_out(file.read_bytes()[start or 0 :], trickle)
        self.stream(file, start or 0, drop, faults.chunk_delay)
        return None

    def trickle_out(self, body: bytes, delay: float) -> None:
        """A byte at a time, each well within any read timeout: only a total deadline ends it."""
        try:
            for index in range(len(body)):
                self.wfile.write(body[index : index + 1])
                self.wfile.flush()
                time.sleep(delay)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def stream(self, file: Path, start: int, drop: int | None, delay: float) -> None:
        sent = 0
        with open(file, "rb") as handle:
            handle.seek(start)
            while chunk := handle.read(CHUNK):
                if drop is not None and sent + len(chunk) > drop:
                    self.wfile.write(chunk[: max(0, drop - sent)])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                try:
                    self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True
                    return
                sent += len(chunk)
                if delay:
                    time.sleep(delay)

    def range_start(self, size: int, etag: str) -> int | None:
        value = self.headers.get("Range", "")
        match = re.fullmatch(r"bytes=(\d+)-", value.strip())
        if_range = self.headers.get("If-Range")
        if if_range and if_range != etag:
            return None  # the file changed since the client's partial copy: send it all
        return int(match.group(1)) if match else None

    def not_found(self) -> None:
        self.send_body(404, b"<html><body>Not found</body></html>", "text/html")

    def send_json(self, data: Any) -> None:
        body = json.dumps(data, ensure_ascii=False).encode()
        self.send_body(200, body, "application/json; charset=utf-8")

    def send_body(
        self, status: int, body: bytes, media: str, headers: dict[str, str] | None = None
    ) -> None:
        self.sent_status = status
        faults = self.server.fake.faults
        chunked = faults.chunked_pages
        trickle = faults.find(faults.trickle, unquote(urlsplit(self.path).path))
        self.send_response(status)
        self.send_header("Content-Type", media)
        if faults.gzip_pages and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body)
            self.send_header("Content-Encoding", "gzip")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command == "HEAD":
            return
        if trickle and not chunked:
            self.trickle_out(body, trickle)
        else:
            self.wfile.write(in_chunks(body) if chunked else body)


def in_chunks(body: bytes, size: int = 64 * 1024) -> bytes:
    """``body`` in HTTP/1.1 chunked transfer coding."""
    pieces = [body[start : start + size] for start in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces) + b"0\r\n\r\n"


class FakeServer(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeAlaveteli

    def handle_error(self, request: Any, client_address: Any) -> None:
        # a client that hung up (a timeout, a kill -9) is part of the tests, not an error
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


# mysociety/alaveteli public/robots.txt at 351eb61 (last changed by e53dc8b, October 2025),
# the rules only (its first line is a comment pointing to robotstxt.org)
ALAVETELI_ROBOTS_TXT = """User-agent: *
Disallow: */annotate/*
Disallow: */new/*
Disallow: */search/*
Disallow: */similar/*
Disallow: */track/*
Disallow: */upload/*
Disallow: */user/contact/*
Disallow: */feed/*
Disallow: */profile/*
Disallow: */signin*
Disallow: */tor*
Allow: */request/*/response/*/attach/*
Disallow: */request/*/response/*
Disallow: */request/*/download*
Disallow: */change_request/*
Disallow: */outgoing_messages/*/mail_server_logs*
Disallow: */outgoing_messages/*/delivery_status*
Disallow: *?*update_status=1*
Disallow: */request/*/annotate
Disallow: */request/*/feed
Disallow: */request/*/followups/new
Disallow: */request/*/similar
Disallow: */request/*/track
Disallow: */request/*/upload
"""
# another Alaveteli site that lets programs read its search feed (tests of the feed):
# /feed/search/... is disallowed twice over in Alaveteli's, by */feed/* and */search/*
FEED_ALLOWED_ROBOTS_TXT = ALAVETELI_ROBOTS_TXT.replace("Disallow: */feed/*\n", "").replace(
    "Disallow: */search/*\n", ""
)


class FakeAlaveteli:
    """A running fake site: ``url`` to talk to, ``hits`` to inspect, ``faults`` to inject,
    ``robots_txt`` to serve (None: no robots.txt, a 404)."""

    def __init__(
        self,
        root: Path,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: Faults | None = None,
        robots_txt: str | None = ALAVETELI_ROBOTS_TXT,
    ) -> None:
        self.data = SiteData(root)
        self.faults = faults or Faults()
        self.robots_txt = robots_txt
        self.hits: list[Hit] = []
        self.waiting: dict[str, str] = {}  # mask token -> attachment path
        self._lock = threading.Lock()
        self.server = FakeServer((host, port), Handler)
        self.server.fake = self
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def content_hits(self) -> list[Hit]:
        """Every request but those for /robots.txt (which a client reads once, first)."""
        return [hit for hit in self.hits if hit.path != "/robots.txt"]

    def record(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)

    def start(self) -> FakeAlaveteli:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> FakeAlaveteli:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def serve(root: Path, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve ``root`` on an ephemeral port in a background thread; yields the base URL."""
    with FakeAlaveteli(root, host, port) as site:
        yield site.url
