"""The SQLite store: documents, their cells, and where they were harvested from.

Plain tables a user can open in Datasette or ``sqlite3``:

- ``documents``: one row per file (by sha256), with name, media type, size, source URL.
- ``cells``: one row per cell record; label paths as JSON arrays plus ``row_key`` and
  ``column_key`` (labels joined with `` > ``) for lookup.
- ``requests``, ``messages``, ``attachments``: WhatDoTheyKnow provenance from harvests
  (and ``foi import``); hidden and erased attachments are rows with that ``status``.
- ``events``: every event of a request (its status history), ``request_tags`` and
  ``body_tags``: tags as ``(name, value)`` pairs, ``correspondence``: the text of each
  incoming and outgoing message and annotation, searchable (full-text index).

Every document import is one transaction: an interrupted run never leaves a
half-imported document behind.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import sqlite_utils

from .errors import StoreError
from .records import Cell, RequestEvent, Value

DEFAULT_DB = Path("data") / "foi.db"
LABEL_SEPARATOR = " > "


def utc_now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass
class AttachmentRow:
    """One attachment of a request: downloaded, failed, hidden or erased."""

    url: str
    url_title: str
    incoming_message_id: int | None
    part: int | None
    filename: str | None
    path: str | None
    size: int | None
    sha256: str | None
    media_type: str | None
    fetched_at: str | None
    status: str  # "complete", "failed", "hidden", "erased"
    error: str | None = None


@dataclass
class RequestRow:
    url_title: str
    id: int | None
    title: str
    authority: str
    authority_name: str
    status: str | None
    created_at: str | None
    updated_at: str | None
    url: str
    tags: list[tuple[str, str | None]]
    fetched_at: str
    law_used: str | None = None
    display_status: str | None = None
    requester: str | None = None
    prominence: str | None = None
    source: str = "harvest"


@dataclass
class MessageRow:
    id: int
    url_title: str
    event_id: int | None
    created_at: str | None
    url: str


@dataclass
class CorrespondenceRow:
    url_title: str
    kind: str  # "incoming", "outgoing", "comment"
    message_id: int
    created_at: str | None
    url: str
    text: str
    sha256: str | None = None

    @property
    def anchor(self) -> str:
        return f"{self.url_title}#{self.kind}-{self.message_id}"


@dataclass
class HarvestedRequest:
    """All a harvest (or an import) records about one request, written in one transaction."""

    request: RequestRow
    events: list[RequestEvent]  # of ``request``: stored with its url_title
    messages: list[MessageRow]
    correspondence: list[CorrespondenceRow]
    body_tags: list[tuple[str, str | None]]
    attachments: list[AttachmentRow]


@dataclass
class Document:
    sha256: str
    name: str
    media_type: str | None = None
    size: int | None = None
    source_url: str | None = None
    path: str | None = None
    pages: int | None = None
    error: str | None = None
    extracted_at: str | None = None


SCHEMA: dict[str, dict[str, Any]] = {
    "documents": {
        "columns": {
            "sha256": str,
            "name": str,
            "media_type": str,
            "size": int,
            "source_url": str,
            "path": str,
            "pages": int,
            "error": str,
            "extracted_at": str,
        },
        "pk": "sha256",
    },
    "requests": {
        "columns": {
            "url_title": str,
            "id": int,
            "title": str,
            "authority": str,
            "authority_name": str,
            "status": str,
            "created_at": str,
            "updated_at": str,
            "url": str,
            "tags": str,  # JSON: [["name", "value" or null], ...]
            "fetched_at": str,
            "law_used": str,
            "display_status": str,
            "requester": str,
            "prominence": str,
            "source": str,  # "harvest" or "import"
        },
        "pk": "url_title",
    },
    "events": {
        "columns": {
            "id": int,
            "url_title": str,
            "event_type": str,
            "created_at": str,
            "described_state": str,
            "calculated_state": str,
            "last_described_at": str,
            "incoming_message_id": int,
            "outgoing_message_id": int,
            "comment_id": int,
            "display_status": str,
        },
        "pk": "id",
    },
    "request_tags": {
        "columns": {"url_title": str, "name": str, "value": str},
        "pk": ("url_title", "name", "value"),
    },
    "body_tags": {
        "columns": {"authority": str, "name": str, "value": str},
        "pk": ("authority", "name", "value"),
    },
    "correspondence": {
        "columns": {
            "anchor": str,  # "<url_title>#incoming-<id>", "#outgoing-<id>", "#comment-<id>"
            "url_title": str,
            "kind": str,
            "message_id": int,
            "created_at": str,
            "url": str,
            "text": str,
            "sha256": str,
        },
        "pk": "anchor",
    },
    "messages": {
        "columns": {
            "id": int,
            "url_title": str,
            "event_id": int,
            "created_at": str,
            "url": str,
        },
        "pk": "id",
    },
    "attachments": {
        "columns": {
            "url_path": str,
            "url": str,
            "url_title": str,
            "incoming_message_id": int,
            "part": int,
            "filename": str,
            "path": str,
            "size": int,
            "sha256": str,
            "media_type": str,
            "fetched_at": str,
            "status": str,
            "error": str,
        },
        # the URL's path, derived from `url` on upsert: the same attachment whichever
        # host or port served it; `url` keeps the full URL it was last fetched from
        "pk": "url_path",
    },
}
CELLS_DDL = """
create table if not exists cells (
    id integer primary key,
    sha256 text references documents(sha256),
    file text, page integer, sheet text, table_no integer, title text,
    row_labels text, column_labels text, row_key text, column_key text,
    value, raw text, flag text, unit text, bbox text, cell text,
    hidden integer, total integer, confidence real, extra text
)
"""
INDEXES: list[tuple[str, list[str]]] = [
    ("cells", ["sha256"]),
    ("cells", ["file", "page", "sheet", "table_no"]),
    ("cells", ["row_key"]),
    ("cells", ["column_key"]),
    ("attachments", ["url_title"]),
    ("attachments", ["sha256"]),
    ("messages", ["url_title"]),
    ("events", ["url_title"]),
    ("correspondence", ["url_title"]),
]
# Selector lookups match names case-insensitively: these NOCASE indexes serve them, so a
# selector's cost does not grow with the number of stored cells (issue 17.1).
NOCASE_INDEXES: dict[str, str] = {
    "idx_cells_file_nocase": "cells(file collate nocase, table_no)",
    "idx_documents_name_nocase": "documents(name collate nocase)",
    "idx_documents_path": "documents(path)",
    "idx_attachments_filename_nocase": "attachments(filename collate nocase)",
    "idx_attachments_path": "attachments(path)",
}
# an empty tag value is stored as "" so the pair can be a primary key; read back as None
NO_VALUE = ""


def url_path(url: str) -> str:
    """An attachment's identity: its URL without scheme, host, port or query."""
    return urlsplit(url).path


def label_key(labels: Iterable[str]) -> str:
    return LABEL_SEPARATOR.join(labels)


# what json.dumps(..., ensure_ascii=False) does, without building an encoder per call
_to_json = json.JSONEncoder(ensure_ascii=False).encode


def cell_to_row(cell: Cell) -> dict[str, Any]:
    return {
        "sha256": cell.sha256,
        "file": cell.file,
        "page": cell.page,
        "sheet": cell.sheet,
        "table_no": cell.table,
        "title": cell.title,
        "row_labels": _to_json(cell.row),
        "column_labels": _to_json(cell.column),
        "row_key": label_key(cell.row),
        "column_key": label_key(cell.column),
        "value": _sql_value(cell.value),
        "raw": cell.raw,
        "flag": cell.flag,
        "unit": cell.unit,
        "bbox": json.dumps(cell.bbox) if cell.bbox is not None else None,
        "cell": cell.cell,
        "hidden": int(cell.hidden),
        "total": int(cell.total),
        "confidence": cell.confidence,
        "extra": json.dumps(cell.extra, ensure_ascii=False) if cell.extra else None,
    }


_WIDE_INT = re.compile(r"-?[1-9]\d{18,}")
_INT64 = 2**63 - 1


def _sql_value(value: Value) -> Value:
    """SQLite's INTEGER is 64-bit: a wider whole number is kept exact as its digits."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _INT64:
        return str(value)
    return value


def _from_sql_value(value: Value) -> Value:
    if isinstance(value, str) and _WIDE_INT.fullmatch(value):
        return int(value)  # written by _sql_value (the cells of a text value keep their text)
    return value


_PROBE = Cell("", "", 0, [], [], None, "")  # gives cell_to_row's column names


def row_to_cell(row: dict[str, Any]) -> Cell:
    return Cell(
        file=row["file"],
        sha256=row["sha256"],
        table=row["table_no"],
        row=json.loads(row["row_labels"]),
        column=json.loads(row["column_labels"]),
        value=_from_sql_value(row["value"]),
        raw=row["raw"],
        page=row["page"],
        sheet=row["sheet"],
        title=row["title"],
        flag=row["flag"],
        unit=row["unit"],
        bbox=json.loads(row["bbox"]) if row["bbox"] else None,
        cell=row["cell"],
        hidden=bool(row["hidden"]),
        total=bool(row["total"]),
        confidence=row.get("confidence"),
        extra=json.loads(row["extra"]) if row["extra"] else {},
    )


class Store:
    """An SQLite file holding documents, cells and harvest provenance."""

    def __init__(self, path: str | Path = DEFAULT_DB) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite_utils.Database(self.path)
            self.db.execute("PRAGMA busy_timeout = 30000")
            self._refuse_foreign_database()
            self.db.enable_wal()
            self._create_schema()
        except (sqlite3.DatabaseError, OSError) as exc:
            raise StoreError(f"{self.path}: cannot open the store ({exc})") from None

    def _refuse_foreign_database(self) -> None:
        """Someone else's SQLite file with a ``cells`` table: change nothing in it."""
        if "cells" not in self.db.table_names():
            return
        if not {"sha256", "file", "row_key", "value"} <= set(self.db.table("cells").columns_dict):
            self.db.close()
            raise StoreError(f"{self.path}: not an FOI Extractor store (its cells table differs)")

    def _create_schema(self) -> None:
        # "value" has no type affinity so 48.0, 48 and "Rape" come back exactly as stored
        self.db.execute(CELLS_DDL)
        if "confidence" not in self.db.table("cells").columns_dict:  # a store from 0.1.0
            self.db.execute("alter table cells add column confidence real")
        self._migrate_attachments()
        for name, spec in SCHEMA.items():
            self.db.table(name).create(
                spec["columns"],
                pk=spec["pk"],
                foreign_keys=spec.get("foreign_keys"),
                if_not_exists=True,
            )
        self._add_missing_columns()
        for table, columns in INDEXES:
            self.db.table(table).create_index(columns, if_not_exists=True)
        for name, target in NOCASE_INDEXES.items():
            self.db.execute(f"create index if not exists {name} on {target}")
        if not self.db.table("correspondence").detect_fts():
            self.db.table("correspondence").enable_fts(["text"], create_triggers=True)

    def _add_missing_columns(self) -> None:
        """Columns added since a store was made (0.1.0 requests had no law_used...)."""
        for name, spec in SCHEMA.items():
            have = self.db.table(name).columns_dict
            for column, kind in spec["columns"].items():
                if column not in have:
                    self.db.table(name).add_column(column, kind)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # documents and cells
    def has_document(self, sha256: str) -> bool:
        """True when the document's tables are in the store (the harvester records
        downloads in ``documents`` before any extraction, with no ``extracted_at``)."""
        rows = self.db.execute(
            "select 1 from documents where sha256 = ? and error is null "
            "and extracted_at is not null",
            [sha256],
        ).fetchall()
        return bool(rows)

    def document(self, sha256: str) -> Document | None:
        rows = list(self.db.table("documents").rows_where("sha256 = ?", [sha256]))
        return Document(**rows[0]) if rows else None

    def documents(self) -> list[Document]:
        return [Document(**row) for row in self.db.table("documents").rows_where(order_by="name")]

    def add_document(self, document: Document, cells: Iterable[Cell]) -> int:
        """Replace a document and all its cells in one transaction; returns the cell count."""
        document.extracted_at = document.extracted_at or utc_now()
        rows = (cell_to_row(cell) for cell in cells)
        count = 0
        try:
            with self.db.atomic():
                self.db.execute("delete from cells where sha256 = ?", [document.sha256])
                self.db.table("documents").upsert(asdict(document), pk="sha256")
                first = next(rows, None)
                if first is not None:
                    count = self._insert_cells(chain([first], rows), list(first))
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot store {document.name} ({exc})") from None
        return count

    @contextmanager
    def document_writer(self, document: Document) -> Iterator[Callable[[list[Cell]], int]]:
        """Replace a document whose cells arrive in batches, in one transaction: inside the
        ``with``, call the given function with each batch; an exception rolls it all back.

        ``add_document`` for a reader that streams (a million cells never held at once)."""
        document.extracted_at = document.extracted_at or utc_now()
        columns = list(cell_to_row(_PROBE))

        def write(batch: list[Cell]) -> int:
            try:
                return self._insert_cells((cell_to_row(cell) for cell in batch), columns)
            except sqlite3.Error as exc:
                raise StoreError(f"{self.path}: cannot store {document.name} ({exc})") from None

        try:
            with self.db.atomic():
                self.db.execute("delete from cells where sha256 = ?", [document.sha256])
                self.db.table("documents").upsert(asdict(document), pk="sha256")
                yield write
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot store {document.name} ({exc})") from None

    def _insert_cells(self, rows: Iterator[dict[str, Any]], columns: list[str]) -> int:
        """Stream rows into ``cells`` with one executemany: a million cells are never held
        twice, and plain parameters skip sqlite-utils' per-value type checks."""
        count = 0

        def counted() -> Iterator[tuple[Any, ...]]:
            nonlocal count
            for row in rows:  # cell_to_row always gives the same keys in the same order
                count += 1
                yield tuple(row.values())

        names = ", ".join(columns)
        marks = ", ".join("?" * len(columns))
        self.db.conn.executemany(f"insert into cells ({names}) values ({marks})", counted())
        return count

    def record_failure(self, document: Document, error: str) -> None:
        """Note a document that could not be read, keeping any earlier good import."""
        if self.has_document(document.sha256):
            return
        document.error = error
        self.db.table("documents").upsert(asdict(document), pk="sha256")

    def cells(self, where: str | None = None, params: Iterable[Any] = ()) -> Iterator[Cell]:
        for row in self.db.table("cells").rows_where(where, list(params), order_by="id"):
            yield row_to_cell(row)

    def cells_of(self, file: str) -> Iterator[Cell]:
        return self.cells("file = ? or sha256 = ?", [file, file])

    def count(self, table: str) -> int:
        return self.db.table(table).count

    def harvested_paths(self) -> list[Path]:
        """The local file of every attachment whose download completed, in path order."""
        rows = self.db.execute(
            "select distinct path from attachments where status = 'complete' order by path"
        ).fetchall()
        return [Path(path) for (path,) in rows]

    # harvest provenance (requests, messages, attachments)
    def upsert(self, table: str, row: dict[str, Any]) -> None:
        if table == "attachments":
            row = {**row, "url_path": url_path(row["url"])}
        with self.db.atomic():
            self.db.table(table).upsert(row, pk=SCHEMA[table]["pk"], alter=True)

    def get(self, table: str, key: Any) -> dict[str, Any] | None:
        pk = SCHEMA[table]["pk"]
        rows = list(self.db.table(table).rows_where(f"[{pk}] = ?", [key]))
        return rows[0] if rows else None

    # harvest provenance, typed (the harvester and `foi import` write only through these)
    def attachment_rows(self, url_title: str) -> list[AttachmentRow]:
        rows = self.db.table("attachments").rows_where("url_title = ?", [url_title])
        return [_attachment_row(row) for row in rows]

    def attachment_at(self, url: str) -> AttachmentRow | None:
        row = self.get("attachments", url_path(url))
        return _attachment_row(row) if row else None

    def url_title_of_request(self, request_id: int) -> str | None:
        rows = list(self.db.table("requests").rows_where("id = ?", [request_id], limit=1))
        return rows[0]["url_title"] if rows else None

    def request_row(self, url_title: str) -> RequestRow | None:
        row = self.get("requests", url_title)
        if row is None:
            return None
        known = {f for f in RequestRow.__dataclass_fields__}
        values = {k: v for k, v in row.items() if k in known}
        values["tags"] = [tuple(pair) for pair in json.loads(row.get("tags") or "[]")]
        values["source"] = row.get("source") or "harvest"
        return RequestRow(**values)

    def request_tags(self, url_title: str) -> list[tuple[str, str | None]]:
        rows = self.db.table("request_tags").rows_where(
            "url_title = ?", [url_title], order_by="rowid"
        )
        return [(row["name"], row["value"] or None) for row in rows]

    def events_of(self, url_title: str) -> list[RequestEvent]:
        rows = self.db.table("events").rows_where(
            "url_title = ?", [url_title], order_by="created_at, id"
        )
        return [RequestEvent(**{k: v for k, v in row.items() if k != "url_title"}) for row in rows]

    def correspondence_of(self, url_title: str) -> list[CorrespondenceRow]:
        rows = self.db.table("correspondence").rows_where(
            "url_title = ?", [url_title], order_by="rowid"
        )
        return [_correspondence_row(row) for row in rows]

    def search_correspondence(self, query: str, limit: int = 50) -> list[CorrespondenceRow]:
        """Messages whose text matches an SQLite full-text query, e.g. ``"section 40"``."""
        try:
            rows = self.db.table("correspondence").search(query, limit=limit)
            return [_correspondence_row(row) for row in rows]
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{query!r}: not a full-text query ({exc})") from None

    def record_harvest(self, harvested: HarvestedRequest) -> None:
        """Write a request with its events, tags, messages, texts and attachments: one
        transaction. An attachment row already complete is not replaced by a failure, and
        a file found present keeps its first fetch time."""
        request = harvested.request
        try:
            with self.db.atomic():
                row = asdict(request)
                row["tags"] = json.dumps([list(pair) for pair in request.tags], ensure_ascii=False)
                self.db.table("requests").upsert(row, pk="url_title", alter=True)
                self.db.execute("delete from request_tags where url_title = ?", [request.url_title])
                for name, value in dict.fromkeys(request.tags):
                    self.db.table("request_tags").insert(
                        {"url_title": request.url_title, "name": name, "value": value or NO_VALUE},
                        pk=SCHEMA["request_tags"]["pk"],
                        replace=True,
                    )
                if request.authority:
                    self._record_body_tags(request.authority, harvested.body_tags)
                for event in harvested.events:
                    self.db.table("events").upsert(
                        {**asdict(event), "url_title": request.url_title}, pk="id"
                    )
                for message in harvested.messages:
                    self.db.table("messages").upsert(asdict(message), pk="id")
                for text in harvested.correspondence:
                    self.db.table("correspondence").upsert(
                        {**asdict(text), "anchor": text.anchor}, pk="anchor"
                    )
                for attachment in harvested.attachments:
                    self._record_attachment(attachment)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot record {request.url_title} ({exc})") from None

    def _record_body_tags(self, authority: str, tags: list[tuple[str, str | None]]) -> None:
        self.db.execute("delete from body_tags where authority = ?", [authority])
        for name, value in dict.fromkeys(tags):
            self.db.table("body_tags").insert(
                {"authority": authority, "name": name, "value": value or NO_VALUE},
                pk=SCHEMA["body_tags"]["pk"],
                replace=True,
            )

    def _record_attachment(self, item: AttachmentRow) -> None:
        old = self.get("attachments", url_path(item.url)) or {}
        if item.status == "failed" and old.get("status") == "complete":
            return
        row = {**asdict(item), "url_path": url_path(item.url)}
        if (
            item.status == "complete"
            and old.get("status") == "complete"
            and old.get("sha256") == item.sha256
            and old.get("fetched_at")
        ):
            row["fetched_at"] = old["fetched_at"]  # found present: keeps its first fetch time
        self.db.table("attachments").upsert(row, pk="url_path", alter=True)
        if item.sha256 and self.get("documents", item.sha256) is None:
            self.db.table("documents").upsert(
                {
                    "sha256": item.sha256,
                    "name": Path(item.path or item.url).name,
                    "media_type": item.media_type,
                    "size": item.size,
                    "source_url": item.url,
                    "path": item.path,
                },
                pk="sha256",
            )

    def _migrate_attachments(self) -> None:
        """Re-key an ``attachments`` table keyed by full URL (stores made before
        ``url_path``): one row per attachment, a complete one and the latest fetch
        winning over copies recorded under other hosts or ports. One transaction."""
        if not self.db.table("attachments").exists() or self.db.table("attachments").pks != ["url"]:
            return
        with self.db.atomic():
            self.db.execute("alter table attachments rename to attachments_by_url")
            # named indexes keep their names through a rename: free them for the new table
            for index in self.db.table("attachments_by_url").indexes:
                if not index.name.startswith("sqlite_autoindex"):
                    self.db.execute(f"drop index [{index.name}]")
            self.db.table("attachments").create(
                SCHEMA["attachments"]["columns"], pk=SCHEMA["attachments"]["pk"]
            )
            old = self.db.table("attachments_by_url").rows_where(
                order_by="status = 'complete', fetched_at"
            )
            self.db.table("attachments").upsert_all(
                ({**row, "url_path": url_path(row["url"])} for row in old), pk="url_path"
            )
            self.db.execute("drop table attachments_by_url")

    # selector, listing and report queries (claims/selectors.py, claims/link.py, foi cells)
    def file_names(self, name: str, request: str | None = None) -> list[str]:
        """The stored ``file`` names a user's name for a document may stand for: the stored
        name itself, the path ``foi harvest`` or ``foi extract`` printed, or the attachment's
        name on the site. Every lookup is served by an index."""
        names = {name}
        if "/" in name or "\\" in name:
            names.add(Path(name.replace("\\", "/")).name)
        for sql, params in self._name_queries(name, request):
            names.update(row[0] for row in self.db.execute(sql, params) if row[0])
        return sorted(names)

    def _name_queries(self, name: str, request: str | None) -> list[tuple[str, list[Any]]]:
        by_request = " and a.url_title = ?" if request is not None else ""
        extra = [request] if request is not None else []
        attachments = (
            "select d.name from attachments a join documents d on d.sha256 = a.sha256 where "
        )
        return [
            ("select name from documents where path = ?", [name]),
            (attachments + "a.path = ?" + by_request, [name, *extra]),
            (attachments + "a.filename = ? collate nocase" + by_request, [name, *extra]),
        ]

    def cells_named(
        self,
        files: Iterable[str],
        request: str | None = None,
        table: int | None = None,
    ) -> list[Cell]:
        """Cells of documents stored under any of ``files`` (case-insensitively), in
        extraction order; only those harvested from ``request`` when given."""
        files = list(files)
        if not files:
            return []
        return list(self.cells(*_named_cells_filter(files, table, request)))

    def selector_plan(self, files: list[str], table: int | None = None) -> list[str]:
        """EXPLAIN QUERY PLAN of :meth:`cells_named`'s query, for tests and benchmarks."""
        where, params = _named_cells_filter(files, table, None)
        sql = f"select * from cells where {where} order by id"
        return [row[-1] for row in self.db.execute(f"explain query plan {sql}", params)]

    def name_lookup_plans(self, name: str, request: str | None = None) -> list[str]:
        """EXPLAIN QUERY PLAN of every query :meth:`file_names` runs."""
        plans = []
        for sql, params in self._name_queries(name, request):
            plans += [row[-1] for row in self.db.execute(f"explain query plan {sql}", params)]
        return plans

    def stored_files(self) -> list[str]:
        """Names of the stored documents (for "nearest files" hints)."""
        return [row[0] for row in self.db.execute("select name from documents order by name")]

    def cell_files(self) -> list[str]:
        """Every ``file`` that has cells (zip members included), by name."""
        rows = self.db.execute("select distinct file from cells order by file collate nocase")
        return [row[0] for row in rows]

    def requests_of(self, sha256: str) -> list[str]:
        """The WhatDoTheyKnow requests (url_title) a document was harvested from."""
        rows = self.db.execute(
            "select distinct url_title from attachments where sha256 = ? and url_title is not null "
            "order by url_title",
            [sha256],
        )
        return [row[0] for row in rows]

    def attachment_of(self, sha256: str) -> AttachmentInfo | None:
        """The first harvest of a document: where it came from and its request."""
        rows = self.db.execute(
            "select url, url_title, path, fetched_at, filename from attachments "
            "where sha256 = ? order by fetched_at limit 1",
            [sha256],
        ).fetchall()
        return AttachmentInfo(*rows[0]) if rows else None

    def table_summaries(
        self, document: str | None = None, request: str | None = None
    ) -> list[TableSummary]:
        """One row per stored table: where it is, its caption, size and confidence."""
        where, params = self._cell_filter(document, request)
        sql = (
            "select file, sha256, table_no, min(page), max(page), sheet, title, "
            "count(distinct row_key), count(distinct column_key), count(*), max(confidence) "
            f"from cells {where} group by file, sha256, table_no order by file, table_no"
        )
        return [TableSummary(*row) for row in self.db.execute(sql, params)]

    def find_cells(
        self,
        document: str | None = None,
        request: str | None = None,
        table: int | None = None,
        label: str | None = None,
        value: Value = None,
    ) -> list[Cell]:
        """Cells filtered by document name, request, table, label text (a substring of the
        row or column labels or the title, any case) and value."""
        where, params = self._cell_filter(document, request)
        clauses = [where[len("where ") :]] if where else []
        if table is not None:
            clauses.append("table_no = ?")
            params.append(table)
        if label:
            pattern = f"%{label}%"
            clauses.append("(row_key like ? or column_key like ? or title like ?)")
            params += [pattern, pattern, pattern]
        if value is not None:
            clauses.append("value = ?")
            params.append(value)
        return list(self.cells(" and ".join(clauses) or None, params))

    def numeric_cells(self) -> Iterator[Cell]:
        """Every cell holding a number (what claims are linked to)."""
        return self.cells("typeof(value) in ('integer', 'real')")

    def _cell_filter(self, document: str | None, request: str | None) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if document is not None:
            names = self.file_names(document, request)
            clauses.append(f"file collate nocase in ({', '.join('?' * len(names))})")
            params += names
        if request is not None:
            clauses.append("sha256 in (select sha256 from attachments where url_title = ?)")
            params.append(request)
        return ("where " + " and ".join(clauses) if clauses else ""), params


@dataclass
class AttachmentInfo:
    """Where a harvested document came from."""

    url: str | None
    url_title: str | None
    path: str | None
    fetched_at: str | None
    filename: str | None


@dataclass
class TableSummary:
    """One stored table: its document, number, place, caption, size and confidence."""

    file: str
    sha256: str
    table: int
    first_page: int | None
    last_page: int | None
    sheet: str | None
    title: str | None
    rows: int
    columns: int
    cells: int
    confidence: float | None

    @property
    def where(self) -> str:
        if self.sheet:
            return f"sheet {self.sheet}"
        if self.first_page is None:
            return ""
        if self.last_page not in (None, self.first_page):
            return f"pages {self.first_page}-{self.last_page}"
        return f"page {self.first_page}"


def _attachment_row(row: dict[str, Any]) -> AttachmentRow:
    known = AttachmentRow.__dataclass_fields__
    return AttachmentRow(**{k: v for k, v in row.items() if k in known})


def _correspondence_row(row: dict[str, Any]) -> CorrespondenceRow:
    known = CorrespondenceRow.__dataclass_fields__
    return CorrespondenceRow(**{k: v for k, v in row.items() if k in known})


def _named_cells_filter(
    files: list[str], table: int | None, request: str | None
) -> tuple[str, list[Any]]:
    """The where clause and parameters of :meth:`Store.cells_named` (one place, so the
    plan tests check the query that runs)."""
    where = f"file collate nocase in ({', '.join('?' * len(files))})"
    params: list[Any] = list(files)
    if table is not None:
        where += " and table_no = ?"
        params.append(table)
    if request is not None:
        where += " and sha256 in (select sha256 from attachments where url_title = ?)"
        params.append(request)
    return where, params
