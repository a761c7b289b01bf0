"""A small fake Alaveteli site, for tests, benchmarks and the offline demo.

It serves a fixture directory the way WhatDoTheyKnow serves the real thing::

    <root>/bodies/<url_name>.json                          /body/<url_name>.json
    <root>/requests/<url_title>/request.json               /request/<url_title>.json
    <root>/requests/<url_title>/attachments/<incoming_message_id>/<part>/<display_filename>

and from those renders ``/request/<url_title>`` (HTML), ``/request/<id>`` (a redirect),
the attachment downloads (with ``Range``), ``/feed/search/<query>.json?page=N`` (events,
25 a page), the HTML search listing ``/search/<query>/newest/requests?page=N``
(``app/views/request/_request_listing_via_event.html.erb``) and
``/body/all-authorities.csv``. A part folder may hold a ``.display_filename`` file
giving a name no file system can hold (``../../x.pdf``).

The shapes follow ``mysociety/alaveteli``: ``app/models/info_request.rb`` and
``app/models/info_request_event.rb`` (``json_for_api``), ``app/models/public_body.rb``
(``json_for_api``), ``app/views/request/_incoming_correspondence.html.erb`` and
``app/views/request/_attachments.html.erb`` (page markup), and the search feed of
``app/controllers/track_controller.rb`` (``atom_feed`` as JSON: events with
``info_request``, ``public_body`` and ``user``). Search understands the subset of the
Xapian query language the client uses: words, ``"phrases"``, ``requested_from:``,
``request_public_body_tag:``, ``latest_status:``, ``filetype:``, ``variety:``, ``tag:``,
``DD/MM/YYYY..DD/MM/YYYY`` (either end open), ``AND``/``OR``/``NOT`` and parentheses.

:class:`Faults` injects what real sites do on a bad day (429/503 with Retry-After,
dropped connections, masking redirects, HTML challenge pages, slow bodies); every
request is logged with its time so tests can check the client's rate.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
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
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import parse_qs, quote, unquote, urlsplit

PAGE_SIZE = 25
LISTING_CAP = 500
CHUNK = 64 * 1024
DISPLAY_NAME_FILE = ".display_filename"
CHALLENGE_PAGE = (
    b"<!DOCTYPE html><html><head><title>Just a moment...</title></head>"
    b"<body><p>Checking your browser before accessing the site.</p></body></html>"
)
MASKING_PAGE = (
    '<!DOCTYPE html><html><head><meta http-equiv="refresh" content="2">'
    "<title>Please wait</title></head><body><p>We're preparing this attachment "
    "for you (it is being masked). Please wait.</p></body></html>"
)


# ---------------------------------------------------------------------------
# fixture data
# ---------------------------------------------------------------------------


@dataclass
class FakeAttachment:
    incoming_message_id: int
    part: int
    display_filename: str
    path: Path

    @property
    def extension(self) -> str:
        return Path(self.display_filename).suffix.lower().lstrip(".")


@dataclass
class FakeRequest:
    data: dict[str, Any]
    attachments: list[FakeAttachment]

    @property
    def url_title(self) -> str:
        return self.data["url_title"]

    def attachments_of(self, message_id: int | None) -> list[FakeAttachment]:
        return [a for a in self.attachments if a.incoming_message_id == message_id]


def _load_attachments(folder: Path) -> list[FakeAttachment]:
    found = []
    for message in sorted(folder.iterdir()) if folder.is_dir() else []:
        for part in sorted(message.iterdir(), key=lambda p: int(p.name)):
            files = [f for f in part.iterdir() if f.is_file() and not f.name.startswith(".")]
            if not files:
                continue
            override = part / DISPLAY_NAME_FILE
            name = override.read_text("utf-8").strip() if override.exists() else files[0].name
            found.append(FakeAttachment(int(message.name), int(part.name), name, files[0]))
    return found


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
            self.requests[data["url_title"]] = FakeRequest(
                data, _load_attachments(path.parent / "attachments")
            )
        self.by_id = {int(r.data["id"]): r for r in self.requests.values()}
        self.events = sorted(self._events(), key=lambda e: e[0]["created_at"], reverse=True)

    def body_of(self, request: FakeRequest) -> dict[str, Any]:
        body = request.data.get("public_body") or {}
        return self.bodies.get(body.get("url_name", ""), body)

    def _events(self) -> Iterator[tuple[dict[str, Any], FakeRequest]]:
        for request in self.requests.values():
            for event in request.data.get("info_request_events") or []:
                yield event, request

    def feed_event(self, event: dict[str, Any], request: FakeRequest) -> dict[str, Any]:
        shallow = {
            k: v
            for k, v in request.data.items()
            if k not in ("user", "public_body", "info_request_events")
        }
        deep = dict(event, info_request=shallow, public_body=self.body_of(request))
        if "user" in request.data:
            deep["user"] = request.data["user"]
        return deep


# ---------------------------------------------------------------------------
# writing fixture directories (for tests, benchmarks and bundled demos)
# ---------------------------------------------------------------------------

Content = bytes | Callable[[BinaryIO], None]


@dataclass
class FixtureResponse:
    """An incoming message with its attachments: (display filename, bytes or a writer)."""

    incoming_message_id: int
    created_at: str
    attachments: list[tuple[str, Content]] = field(default_factory=list)


def write_body(root: Path, url_name: str, name: str, tags: list[str] | None = None) -> dict:
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
        "tags": tags or [],
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


def write_request(
    root: Path,
    *,
    url_title: str,
    request_id: int,
    title: str,
    body: dict,
    created_at: str,
    status: str = "successful",
    tags: list[str] | None = None,
    responses: list[FixtureResponse] | None = None,
) -> dict:
    """Write ``requests/<url_title>/`` with an Alaveteli-shaped ``request.json``."""
    events = [
        {
            "id": request_id * 10,
            "event_type": "sent",
            "created_at": created_at,
            "described_state": None,
            "calculated_state": None,
            "last_described_at": None,
            "incoming_message_id": None,
            "outgoing_message_id": request_id,
            "comment_id": None,
            "display_status": "Sent",
        }
    ]
    folder = Path(root) / "requests" / url_title
    for number, response in enumerate(responses or [], start=1):
        events.append(
            {
                "id": request_id * 10 + number,
                "event_type": "response",
                "created_at": response.created_at,
                "described_state": status,
                "calculated_state": status,
                "last_described_at": response.created_at,
                "incoming_message_id": response.incoming_message_id,
                "outgoing_message_id": None,
                "comment_id": None,
                "display_status": "Response",
            }
        )
        for part, (name, content) in enumerate(response.attachments, start=2):
            target = folder / "attachments" / str(response.incoming_message_id) / str(part)
            _write_attachment(target, name, content)
    data = {
        "id": request_id,
        "url_title": url_title,
        "title": title,
        "created_at": created_at,
        "updated_at": events[-1]["created_at"],
        "described_state": status,
        "display_status": status.replace("_", " ").capitalize(),
        "awaiting_description": False,
        "prominence": "normal",
        "law_used": "foi",
        "tags": tags or [],
        "user": {
            "id": 1,
            "url_name": "synthetic_user",
            "name": "Synthetic User",
            "ban_text": "",
            "about_me": "",
        },
        "public_body": body,
        "info_request_events": events,
    }
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "request.json").write_text(json.dumps(data, indent=1), "utf-8")
    return data


# ---------------------------------------------------------------------------
# search: a small evaluator for the Xapian query subset
# ---------------------------------------------------------------------------

Matcher = Callable[[dict[str, Any], FakeRequest, SiteData], bool]
TOKENS = re.compile(r'"[^"]*"|\(|\)|[^\s()]+')
DATE_RANGE = re.compile(r"^(\d{2}/\d{2}/\d{4})?\.\.(\d{2}/\d{2}/\d{4})?$")


def _uk_date(text: str | None) -> date | None:
    return datetime.strptime(text, "%d/%m/%Y").date() if text else None


def _event_date(event: dict[str, Any]) -> date:
    return date.fromisoformat(str(event["created_at"])[:10])


def _prefix_matcher(prefix: str, value: str) -> Matcher:
    value_lower = value.lower()

    def match(event: dict[str, Any], request: FakeRequest, site: SiteData) -> bool:
        data = request.data
        if prefix == "requested_from":
            return site.body_of(request).get("url_name") == value
        if prefix == "request_public_body_tag":
            return value in (site.body_of(request).get("tags") or [])
        if prefix in ("latest_status", "status"):
            return data.get("described_state") == value
        if prefix == "variety":
            return event.get("event_type") == value or (
                value == "response" and event.get("event_type") == "response"
            )
        if prefix == "tag":
            return value in (data.get("tags") or [])
        if prefix == "filetype":
            message = event.get("incoming_message_id")
            return any(a.extension == value_lower for a in request.attachments_of(message))
        if prefix == "requested_by":
            return (data.get("user") or {}).get("url_name") == value
        return False

    return match


def _term(token: str) -> Matcher:
    if token.startswith('"'):
        phrase = token.strip('"').lower()
        return lambda e, r, s: phrase in (r.data.get("title") or "").lower()
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
    return lambda e, r, s: word in (r.data.get("title") or "").lower()


class QueryParser:
    """query := or; or := and (OR and)*; and := unary ([AND] unary)*; unary := NOT unary | term"""

    def __init__(self, query: str) -> None:
        self.tokens = TOKENS.findall(query)
        self.at = 0

    def parse(self) -> Matcher:
        if not self.tokens:
            return lambda e, r, s: True
        matcher = self._or()
        if self.at < len(self.tokens):
            raise ValueError(f"unexpected {self.tokens[self.at]!r}")
        return matcher

    def _peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def _next(self) -> str:
        token = self._peek()
        if token is None:
            raise ValueError("query ends too early")
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
                raise ValueError("missing )")
            return inner
        return _term(token)


def _either(a: Matcher, b: Matcher) -> Matcher:
    return lambda e, r, s: a(e, r, s) or b(e, r, s)


def _both(a: Matcher, b: Matcher) -> Matcher:
    return lambda e, r, s: a(e, r, s) and b(e, r, s)


# ---------------------------------------------------------------------------
# HTML rendering
# ---------------------------------------------------------------------------


def display_size(size: int) -> str:
    if size < 1024:
        return f"{size}B"
    if size < 1024 * 1024:
        return f"{round(size / 1024)}K"
    return f"{size / 1024 / 1024:.1f}M"


def attachment_href(url_title: str, attachment: FakeAttachment) -> str:
    return (
        f"/request/{quote(url_title)}/response/{attachment.incoming_message_id}"
        f"/attach/{attachment.part}/{quote(attachment.display_filename, safe='')}"
        "?cookie_passthrough=1"
    )


def _attachment_item(url_title: str, attachment: FakeAttachment, number: int) -> str:
    href = html.escape(attachment_href(url_title, attachment))
    name = html.escape(attachment.display_filename)
    size = display_size(attachment.path.stat().st_size)
    return (
        f'<li class="attachment" id="foi_attachment_{number}">'
        f'<a href="{href}"><img class="attachment__image" alt="Attachment" '
        f'src="/assets/content_type/icon_unknown.png"></a>'
        f'<p class="attachment__name">{name}</p>'
        f'<p class="attachment__meta">{size} <a href="{href}">Download</a></p></li>'
    )


def _incoming(request: FakeRequest, event: dict[str, Any], body_name: str) -> str:
    message_id = event["incoming_message_id"]
    attachments = request.attachments_of(message_id)
    items = "".join(
        _attachment_item(request.url_title, a, message_id * 100 + a.part) for a in attachments
    )
    listing = (
        (
            '<div class="attachments"><div class="attachments__header">'
            f"<h3>{len(attachments)} Attachments</h3></div>"
            f'<ul class="list-of-attachments">{items}</ul></div>'
        )
        if attachments
        else ""
    )
    return (
        f'<div class="incoming correspondence box" id="incoming-{message_id}">'
        f"<h2>{html.escape(body_name)}<br><br>{html.escape(str(event['created_at'])[:10])}</h2>"
        f'<div class="correspondence_text">{listing}'
        f'<div id="incoming_message_{message_id}"><p>Dear requester, please find '
        "attached our response (synthetic).</p></div></div></div>"
    )


def _outgoing(request: FakeRequest, event: dict[str, Any]) -> str:
    return (
        f'<div class="outgoing correspondence" id="outgoing-{event.get("outgoing_message_id")}">'
        f"<p>{html.escape(request.data.get('title') or '')}</p></div>"
    )


def render_request_page(request: FakeRequest, site: SiteData) -> str:
    title = html.escape(request.data.get("title") or "")
    body_name = site.body_of(request).get("name") or ""
    parts = []
    for event in request.data.get("info_request_events") or []:
        if event.get("event_type") == "response" and event.get("incoming_message_id"):
            parts.append(_incoming(request, event, body_name))
        elif event.get("event_type") in ("sent", "followup_sent"):
            parts.append(_outgoing(request, event))
    return (
        f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{title} - a '
        f"Freedom of Information request to {html.escape(body_name)}</title></head>"
        f'<body class="request-show"><div id="content"><h1>{title}</h1>'
        f'<div id="left_column">{"".join(parts)}</div></div></body></html>'
    )


def _listing(event: dict[str, Any], request: FakeRequest, site: SiteData) -> str:
    body = site.body_of(request)
    anchor = f"#incoming-{event['incoming_message_id']}" if event.get("incoming_message_id") else ""
    status = html.escape(str(request.data.get("display_status") or ""))
    return (
        '<div class="request_listing"><div class="request_left"><span class="head">'
        f'<a href="/request/{quote(request.url_title)}{anchor}">'
        f"{html.escape(request.data.get('title') or '')}</a></span>"
        f'<div class="requester">{html.escape(str(event.get("event_type")))} by '
        f'<a href="/body/{quote(body.get("url_name") or "")}">'
        f"{html.escape(body.get('name') or '')}</a> on {str(event['created_at'])[:10]}</div>"
        f'<span class="bottomline icon_{html.escape(str(request.data.get("described_state")))}">'
        f"<strong>{status}.</strong><br></span></div>"
        '<div class="request_right"><span class="desc">(synthetic)</span></div></div>'
    )


def render_search_listing(
    matches: list[tuple[dict[str, Any], FakeRequest]], site: SiteData, page: int
) -> str:
    """One page of ``/search/<query>/newest/requests``: one listing per request, 25 a page,
    500 results at most (as ``general#search`` does)."""
    newest: dict[str, tuple[dict[str, Any], FakeRequest]] = {}
    for event, request in matches:
        newest.setdefault(request.url_title, (event, request))
    shown = list(newest.values())[:LISTING_CAP]
    start = (max(page, 1) - 1) * PAGE_SIZE
    listings = "".join(_listing(e, r, site) for e, r in shown[start : start + PAGE_SIZE])
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Search</title>'
        f'</head><body><div class="results_block">{listings}</div></body></html>'
    )


def authorities_csv(site: SiteData) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
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
    )
    for body in site.bodies.values():
        writer.writerow(
            [
                body.get("name"),
                body.get("short_name"),
                body.get("url_name"),
                " ".join(body.get("tags") or []),
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
    masking: dict[str, int] = field(default_factory=dict)  # times to redirect to masking
    challenge: dict[str, int] = field(default_factory=dict)  # times to send a challenge page
    chunk_delay: float = 0.0  # seconds to wait between 64 KiB chunks of a file
    stall: dict[str, float] = field(default_factory=dict)  # seconds to wait before answering
    no_range: bool = False
    chunked_pages: bool = False  # pages sent chunked, with no Content-Length to check first
    gzip_pages: bool = False  # pages gzipped when the client accepts it
    # like the real feed (track#atom_feed_internal asks for page 1 whatever ?page= says)
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

    def take_drop(self, path: str) -> int | None:
        return self._pop(self.drop_after, path)

    def take_stall(self, path: str) -> float | None:
        return self._pop(self.stall, path)

    def _pop(self, faults: dict[str, Any], path: str) -> Any:
        with self.lock:
            for key in list(faults):
                if key in path:
                    return faults.pop(key)
        return None


@dataclass
class Hit:
    time: float  # time.monotonic() when the request line arrived
    method: str
    path: str
    range: str | None
    user_agent: str | None
    status: int = 0


# ---------------------------------------------------------------------------
# the server
# ---------------------------------------------------------------------------

ATTACH = re.compile(r"^/request/([^/]+)/response/(\d+)/attach/(\d+)/([^/]+)(/wait)?$")


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
        )
        site.record(hit)
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        stall = site.faults.take_stall(path)
        if stall:
            time.sleep(stall)
        fault = site.faults.take_status(unquote(self.path))  # keys may match the query
        if fault:
            status, retry_after = fault
            headers = {"Retry-After": retry_after} if retry_after else {}
            self.send_body(status, b"<html><body>Too busy</body></html>", "text/html", headers)
        elif not ATTACH.match(parts.path) and site.faults.take(site.faults.challenge, path):
            self.send_body(200, CHALLENGE_PAGE, "text/html; charset=utf-8")
        else:
            self.route(parts.path, path, parse_qs(parts.query))
        hit.status = self.sent_status

    def route(self, raw_path: str, path: str, query: dict[str, list[str]]) -> None:
        site = self.server.fake.data
        attach = ATTACH.match(raw_path)
        if attach:
            return self.attachment(attach)
        page = int((query.get("page") or ["1"])[0] or 1)
        if path.startswith("/feed/search/") and path.endswith(".json"):
            if self.server.fake.faults.feed_ignores_page:
                page = 1
            return self.search(path[len("/feed/search/") : -len(".json")], page)
        if path.startswith("/search/") and path.endswith("/newest/requests"):
            return self.search(path[len("/search/") : -len("/newest/requests")], page, True)
        if path == "/body/all-authorities.csv":
            return self.send_body(200, authorities_csv(site).encode(), "text/csv")
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
        if name.endswith(".json"):
            request = site.requests.get(name[: -len(".json")])
            return self.send_json(request.data) if request else self.not_found()
        request = site.requests.get(name)
        if not request:
            return self.not_found()
        page = render_request_page(request, site).encode()
        return self.send_body(200, page, "text/html; charset=utf-8")

    def search(self, query: str, page: int, listing: bool = False) -> None:
        site = self.server.fake.data
        try:
            matcher = QueryParser(query).parse()
        except ValueError as exc:
            return self.send_body(400, str(exc).encode(), "text/plain")
        matches = [(e, r) for e, r in site.events if matcher(e, r, site)]
        if listing:
            page_html = render_search_listing(matches, site, page).encode()
            return self.send_body(200, page_html, "text/html; charset=utf-8")
        start = (max(page, 1) - 1) * PAGE_SIZE
        return self.send_json(
            [site.feed_event(e, r) for e, r in matches[start : start + PAGE_SIZE]]
        )

    def attachment(self, match: re.Match[str]) -> None:
        fake = self.server.fake
        request = fake.data.requests.get(unquote(match.group(1)))
        found = [
            a
            for a in (request.attachments if request else [])
            if a.incoming_message_id == int(match.group(2)) and a.part == int(match.group(3))
        ]
        if not found:
            return self.not_found()
        path = unquote(urlsplit(self.path).path)
        if match.group(5):  # the masking page
            return self.send_body(200, MASKING_PAGE.encode(), "text/html; charset=utf-8")
        if fake.faults.take(fake.faults.masking, path):
            location = urlsplit(self.path).path + "/wait"
            return self.send_body(302, b"", "text/html", {"Location": location})
        # like Alaveteli, the Content-Type is guessed from the file name
        media = mimetypes.guess_type(found[0].display_filename)[0] or "application/octet-stream"
        if fake.faults.take(fake.faults.challenge, path):
            return self.send_body(200, CHALLENGE_PAGE, media)
        return self.send_file(found[0].path, media, path)

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
        self.stream(file, start or 0, drop, faults.chunk_delay)
        return None

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
        if self.command != "HEAD":
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


class FakeAlaveteli:
    """A running fake site: ``url`` to talk to, ``hits`` to inspect, ``faults`` to inject."""

    def __init__(
        self, root: Path, host: str = "127.0.0.1", port: int = 0, faults: Faults | None = None
    ) -> None:
        self.data = SiteData(root)
        self.faults = faults or Faults()
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self.server = FakeServer((host, port), Handler)
        self.server.fake = self
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

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
