"""Search, then fetch every match: resumable, polite, and safe with untrusted names.

Layout under ``out``: ``<authority url_name>/<url_title>/<incoming_message_id>-<part>-<name>``,
every component made safe by :func:`extractor.wdtk.names.safe_name`. The message id
and part make each name unique within a request, so two attachments sharing a
display name both survive.

Network work runs in ``config.concurrency`` threads that share one rate limiter;
all store writes happen on the calling thread (an SQLite connection is per thread).
A file under its final name is always complete (downloads are renamed into place),
so a re-run after any interruption, ``kill -9`` included, only fetches what is missing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..errors import WdtkError
from ..files import media_type_of, sha256_file
from ..store import (
    AttachmentRow,
    CorrespondenceRow,
    HarvestedRequest,
    MessageRow,
    RequestRow,
    Store,
    utc_now,
)
from .client import (
    AlaveteliClient,
    AttachmentLink,
    Enumeration,
    RequestInfo,
    RequestPage,
    SearchFilters,
    SearchHit,
    Withheld,
)
from .config import DEFAULT_OUT, ClientConfig
from .download import download
from .errors import (
    Blocked,
    ContentError,
    HttpError,
    OfflineMiss,
    SearchCutOff,
    TransferError,
)
from .names import inside

UNKNOWN_AUTHORITY = "unknown-authority"
AttachmentKey = tuple[int, int]  # (incoming_message_id, part) within one request
KnownRows = dict[AttachmentKey, AttachmentRow]  # store rows of one request's attachments


class HarvestProgress:
    """Progress callbacks; the default does nothing. Called from worker threads."""

    def requests_found(self, count: int) -> None:
        """How many requests will be fetched."""

    def request_done(self) -> None:
        """One request (metadata, page and attachments) is finished."""

    def bytes_received(self, count: int) -> None:
        """Attachment bytes arrived."""


AttachmentStatus = Literal["downloaded", "present", "planned", "failed", "hidden", "erased"]


@dataclass
class AttachmentResult:
    url: str
    path: str
    status: AttachmentStatus
    incoming_message_id: int | None = None
    part: int | None = None
    filename: str | None = None  # as the site names it (untrusted; never used as a path)
    display_size: str | None = None  # as the page shows it, e.g. "123K"
    size: int | None = None
    sha256: str | None = None
    media_type: str | None = None
    error: str | None = None


@dataclass
class RequestResult:
    url_title: str
    request: RequestInfo | None = None
    attachments: list[AttachmentResult] = field(default_factory=list)
    page: RequestPage | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class Failure:
    item: str
    reason: str


@dataclass
class HarvestSummary:
    requests_seen: int = 0
    downloaded: int = 0
    present: int = 0
    failed: int = 0
    bytes: int = 0
    withheld: int = 0  # hidden or erased by the site: recorded, not failures
    failures: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    planned: list[AttachmentResult] = field(default_factory=list)
    enumeration: Enumeration | None = None
    blocked: str | None = None  # the bot wall that stopped the run

    @property
    def ok(self) -> bool:
        return self.failed == 0 and self.blocked is None

    def line(self) -> str:
        withheld = f", {self.withheld} hidden or erased by the site" if self.withheld else ""
        return (
            f"{self.requests_seen} requests seen, {self.downloaded} attachments downloaded, "
            f"{self.present} already present, {self.failed} failed{withheld}, {self.bytes} bytes"
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def add(self, result: RequestResult) -> None:
        self.requests_seen += 1
        self.warnings.extend(result.warnings)
        if result.error:
            self.failed += 1
            self.failures.append(Failure(result.url_title, result.error))
        for item in result.attachments:
            if item.status == "downloaded":
                self.downloaded += 1
                self.bytes += item.size or 0
            elif item.status == "present":
                self.present += 1
            elif item.status == "planned":
                self.planned.append(item)
            elif item.status in ("hidden", "erased"):
                self.withheld += 1
            else:
                self.failed += 1
                self.failures.append(Failure(item.url, item.error or "failed"))


def attachment_target(out: Path, request: RequestInfo, link: AttachmentLink) -> Path:
    name = f"{link.incoming_message_id}-{link.part}-{link.filename}"
    return inside(out, request.authority or UNKNOWN_AUTHORITY, request.url_title, name)


def _intact(target: Path, row: AttachmentRow) -> bool:
    """The file the store recorded as complete is there, with its size and sha256."""
    return bool(
        row.status == "complete"
        and row.sha256
        and target.is_file()
        and target.stat().st_size == row.size
        and sha256_file(target) == row.sha256
    )


def _describe_present_file(item: AttachmentResult, target: Path, row: AttachmentRow | None) -> bool:
    """Fill ``item`` from a file already at ``target`` that needs no download."""
    if row and _intact(target, row):
        item.size, item.sha256, item.media_type = row.size, row.sha256, row.media_type
        return True
    if target.is_file() and not (row and row.status == "complete"):
        # only complete downloads get a final name: this one finished before an interruption
        item.size, item.sha256 = target.stat().st_size, sha256_file(target)
        item.media_type = media_type_of(target)
        return True
    return False  # missing, or damaged since the store recorded it


class Harvester:
    """Fetches requests into ``out`` and records them in ``store``."""

    def __init__(
        self,
        *,
        out: Path,
        store: Store | None,
        client: AlaveteliClient,
        dry_run: bool = False,
        progress: HarvestProgress | None = None,
    ) -> None:
        self.out = Path(out)
        self.store = store
        self.client = client
        self.config = client.config
        self.dry_run = dry_run
        self.progress = progress or HarvestProgress()

    def run(self, url_titles: Iterable[str]) -> HarvestSummary:
        """Fetch each url_title once. ``url_titles`` may be a lazy search: fetching starts
        while later result pages are still being read."""
        summary = HarvestSummary()
        pending: set[Future[RequestResult]] = set()
        pool = ThreadPoolExecutor(max_workers=max(1, self.config.concurrency))
        try:
            submitted = self._submit_all(pool, url_titles, pending, summary)
            self.progress.requests_found(submitted)
            self._collect(pending, summary, wait=True)
        except Blocked as exc:
            summary.blocked = str(exc)
        finally:
            # on Ctrl-C, requests not yet started are dropped; a re-run picks them up
            pool.shutdown(wait=True, cancel_futures=True)
        return summary

    def _submit_all(
        self,
        pool: ThreadPoolExecutor,
        url_titles: Iterable[str],
        pending: set[Future[RequestResult]],
        summary: HarvestSummary,
    ) -> int:
        seen: set[str] = set()
        try:
            for title in url_titles:
                if title not in seen:
                    seen.add(title)
                    pending.add(pool.submit(self.fetch_one, title, self._known(title)))
                    self._collect(pending, summary, wait=False)
        except Blocked:
            raise
        except WdtkError as exc:  # a later search page failed: keep what was found
            summary.failed += 1
            summary.failures.append(Failure("search", str(exc)))
        return len(seen)

    def _collect(
        self, pending: set[Future[RequestResult]], summary: HarvestSummary, wait: bool
    ) -> None:
        """Record finished requests (on this thread: the store is not shared)."""
        finished = as_completed(pending) if wait else [f for f in list(pending) if f.done()]
        for future in finished:
            pending.discard(future)
            result = future.result()
            if not self.dry_run:
                self._record(result)
            summary.add(result)
            self.progress.request_done()

    def _known(self, url_title: str) -> KnownRows:
        if self.store is None:
            return {}
        return {
            (row.incoming_message_id, row.part): row
            for row in self.store.attachment_rows(url_title)
            if row.incoming_message_id is not None and row.part is not None
        }

    def fetch_one(self, url_title: str, known: KnownRows) -> RequestResult:
        result = RequestResult(url_title)
        try:
            result.request = self.client.request(url_title)
            result.page = self.client.page(url_title, result.request.id)
        except Blocked:
            raise
        except WdtkError as exc:
            result.error = str(exc)
            return result
        page = result.page
        if page.unreadable and not page.attachments:
            result.warnings.append(
                f"{result.request.url}: the page lists {page.unreadable} attachments but none "
                "could be read (changed markup?)"
            )
        for link in page.attachments:
            row = known.get((link.incoming_message_id, link.part))
            result.attachments.append(self._attachment(result.request, link, row))
        result.attachments.extend(withheld_result(result.request, w) for w in page.withheld)
        return result

    def _attachment(
        self, request: RequestInfo, link: AttachmentLink, row: AttachmentRow | None
    ) -> AttachmentResult:
        item = AttachmentResult(
            url=link.url,
            path="",
            status="present",
            incoming_message_id=link.incoming_message_id,
            part=link.part,
            filename=link.filename,
            display_size=link.display_size,
        )
        try:
            target = attachment_target(self.out, request, link)
        except ValueError as exc:
            item.status, item.error = "failed", str(exc)
            return item
        item.path = str(target)
        if _describe_present_file(item, target, row):
            return item
        if self.dry_run:
            item.status = "planned"
            return item
        return self._download(link, target, item)

    def _download(
        self, link: AttachmentLink, target: Path, item: AttachmentResult
    ) -> AttachmentResult:
        if self.config.offline:
            item.status, item.error = "failed", f"{link.url}: not downloaded (working `offline`)"
            return item
        try:
            target.unlink(missing_ok=True)  # a damaged copy of a known file
            got = download(
                self.client.files,
                link.download_url,
                target,
                self.config,
                self.progress.bytes_received,
            )
        except Blocked:
            raise
        except (WdtkError, OSError) as exc:
            item.status, item.error = "failed", str(exc)
            return item
        item.status, item.size, item.sha256, item.media_type = (
            "downloaded",
            got.size,
            got.sha256,
            got.media_type,
        )
        return item

    def _record(self, result: RequestResult) -> None:
        if self.store is None or result.request is None:
            return
        self.store.record_harvest(harvested(result.request, result.page, result.attachments))


def withheld_result(request: RequestInfo, item: Withheld) -> AttachmentResult:
    """A hidden or erased attachment: a row with its status, never silently absent."""
    number = item.attachment_id if item.attachment_id is not None else 0
    return AttachmentResult(
        url=f"{request.url}/response/{item.incoming_message_id}/attachment-{number}",
        path="",
        status="hidden" if item.status == "hidden" else "erased",
        incoming_message_id=item.incoming_message_id,
        filename=item.filename,
        error=item.note,
    )


def harvested(
    request: RequestInfo,
    page: RequestPage | None,
    attachments: list[AttachmentResult],
    source: str = "harvest",
) -> HarvestedRequest:
    """What the store keeps of one request: the same for a harvest and an import."""
    now = utc_now()
    row = RequestRow(
        url_title=request.url_title,
        id=request.id,
        title=request.title,
        authority=request.authority,
        authority_name=request.authority_name,
        status=request.status,
        created_at=request.created_at,
        updated_at=request.updated_at,
        url=request.url,
        tags=list(request.tags),
        fetched_at=now,
        law_used=request.law_used,
        display_status=request.display_status,
        requester=request.requester,
        prominence=request.prominence,
        source=source,
    )
    messages = [
        MessageRow(
            m.id, request.url_title, m.event_id, m.created_at, f"{request.url}#incoming-{m.id}"
        )
        for m in request.messages
    ]
    texts = [
        CorrespondenceRow(
            url_title=request.url_title,
            kind=c.kind,
            message_id=c.id,
            created_at=c.created_at,
            url=f"{request.url}#{c.kind}-{c.id}",
            text=c.text,
            sha256=hashlib.sha256(c.text.encode("utf-8")).hexdigest(),
        )
        for c in (page.correspondence if page else [])
    ]
    rows = [
        _attachment_row(item, request.url_title, now)
        for item in attachments
        if item.status != "planned"
    ]
    return HarvestedRequest(
        row, list(request.events), messages, texts, list(request.body_tags), rows
    )


def _attachment_row(item: AttachmentResult, url_title: str, now: str) -> AttachmentRow:
    status = "complete" if item.status in ("downloaded", "present") else item.status
    return AttachmentRow(
        url=item.url,
        url_title=url_title,
        incoming_message_id=item.incoming_message_id,
        part=item.part,
        filename=item.filename,
        path=item.path or None,
        size=item.size,
        sha256=item.sha256,
        media_type=item.media_type,
        fetched_at=now,
        status=status,
        error=item.error,
    )


@dataclass
class SearchResult:
    """The requests a search found, and how they were read (complete or not)."""

    hits: list[SearchHit]
    enumeration: Enumeration
    error: str | None = None  # why the search is not complete

    @property
    def complete(self) -> bool:
        return self.error is None


Via = Literal["feed", "list"]


def _hits(
    client: AlaveteliClient, filters: SearchFilters, limit: int | None, via: Via
) -> Iterator[SearchHit]:
    filters.terms()  # a bad query is refused before any request
    check_authority_names(client, filters)
    if via == "list":
        found = client.enumerate(filters)
        return found if limit is None else _first(found, limit)
    client.check_feed_allowed(filters)
    return client.search(filters, limit)


def check_authority_names(client: AlaveteliClient, filters: SearchFilters) -> None:
    """Refuse a ``body`` or ``body_tag`` that no authority in ``/body/all-authorities.csv``
    has (cached for a day like any page). When the list cannot be had (offline and not
    cached, or the site has none), the search goes ahead unchecked."""
    if not (filters.body or filters.body_tag):
        return
    try:
        client.check_names(filters.body, filters.body_tag)
    except (OfflineMiss, HttpError, TransferError, ContentError):
        return


def _first(hits: Iterator[SearchHit], limit: int) -> Iterator[SearchHit]:
    for number, hit in enumerate(hits, start=1):
        yield hit
        if number >= limit:
            return


def search(
    filters: SearchFilters,
    *,
    config: ClientConfig | None = None,
    limit: int | None = None,
    client: AlaveteliClient | None = None,
    via: Via = "list",
) -> SearchResult:
    """The requests matching ``filters``, one per request.

    ``via="feed"`` reads the search feed to its end (last-described order); ``via="list"``
    enumerates requests made in date windows from ``/list``. A search that could not be
    read to its end keeps what it read and says why in ``error``."""
    own = client is None
    client = client or AlaveteliClient(config or ClientConfig())
    hits: list[SearchHit] = []
    try:
        try:
            hits.extend(_hits(client, filters, limit, via))
        except SearchCutOff as exc:
            assert client.enumeration is not None
            return SearchResult(hits, client.enumeration, str(exc))
        assert client.enumeration is not None
        return SearchResult(hits, client.enumeration)
    finally:
        if own:
            client.close()


def harvest(
    query: str | None = None,
    *,
    filters: SearchFilters | None = None,
    out: Path = DEFAULT_OUT,
    store: Store | None,
    config: ClientConfig | None = None,
    limit: int | None = None,
    dry_run: bool = False,
    progress: HarvestProgress | None = None,
    via: Via = "list",
) -> HarvestSummary:
    """Search for ``query`` (plus ``filters``), then fetch every matching request."""
    filters = filters or SearchFilters()
    if query:
        filters.text = query
    with AlaveteliClient(config or ClientConfig()) as client:
        harvester = Harvester(
            out=out, store=store, client=client, dry_run=dry_run, progress=progress
        )
        try:
            hits = _hits(client, filters, limit, via)
        except Blocked as exc:  # met at the authorities check, before any search
            return HarvestSummary(blocked=str(exc))
        summary = harvester.run(hit.url_title for hit in hits)
        summary.enumeration = client.enumeration
        if summary.blocked and summary.enumeration is not None:
            summary.enumeration.complete = False
            summary.enumeration.note = "the site blocked the run"
        return summary


def resolve_reference(client: AlaveteliClient, store: Store | None, ref: str) -> str:
    """A url_title for ``ref``. Offline, a numeric id is looked up among the
    requests in the store: the site's redirect from ``/request/<id>`` is not cached."""
    ref = ref.strip()
    if not (client.config.offline and ref.isdigit()):
        return client.resolve(ref)
    title = store.url_title_of_request(int(ref)) if store else None
    if title:
        return title
    raise OfflineMiss(
        f"{ref}: request id not in the store (working `offline`); fetch it online "
        "once, or give its url_title"
    )


def fetch_requests(
    refs: list[str],
    *,
    out: Path = DEFAULT_OUT,
    store: Store | None,
    config: ClientConfig | None = None,
    dry_run: bool = False,
    progress: HarvestProgress | None = None,
) -> HarvestSummary:
    """Fetch requests named by url_title, request URL or numeric id."""
    with AlaveteliClient(config or ClientConfig()) as client:
        titles: list[str] = []
        failures: list[Failure] = []
        for ref in refs:
            try:
                titles.append(resolve_reference(client, store, ref))
            except Blocked as exc:
                summary = HarvestSummary(blocked=str(exc))
                summary.failures[:0] = failures
                summary.failed += len(failures)
                return summary
            except WdtkError as exc:
                failures.append(Failure(ref, str(exc)))
        harvester = Harvester(
            out=out, store=store, client=client, dry_run=dry_run, progress=progress
        )
        summary = harvester.run(titles)
    summary.failures[:0] = failures
    summary.failed += len(failures)
    return summary
