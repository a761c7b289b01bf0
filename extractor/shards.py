"""Extraction past one machine: cell records as Parquet shards, and shards into the store.

The SQLite store has one writer; extraction is independent per document. For a few
hundred thousand attachments, run extraction on workers of an existing engine
(dask.distributed) and let each task write its own shards; then import the shards
into the store in one process (``foi load``), or query them directly (DuckDB reads
Parquet). Needs the optional extra: ``pip install 'foi-extractor[dask]'``.

Each task writes two files into the output folder:

- ``cells-NNNNN.parquet``: one row per cell record, the columns of the store's ``cells``
  table (:data:`CELL_COLUMNS`), except that the untyped ``value`` is split in two typed
  columns, ``value`` (a number) and ``value_text`` (text), as Parquet columns have one type;
- ``documents-NNNNN.parquet``: one row per file (the store's ``documents`` columns),
  with ``error`` set for a file that could not be read (its cells are not in the shard:
  a document's cells are written all or nothing).

See docs/performance.md for the recipe.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .errors import FoiError, UsageError
from .extract import _document, expand_paths, extract_files
from .records import Cell
from .store import Document, Store, cell_to_row, row_to_cell
from .tables import ExtractOptions

BATCH_ROWS = 5_000
CELL_COLUMNS: tuple[str, ...] = (
    "sha256",
    "file",
    "page",
    "sheet",
    "table_no",
    "title",
    "row_labels",
    "column_labels",
    "row_key",
    "column_key",
    "value",
    "value_text",
    "raw",
    "flag",
    "unit",
    "bbox",
    "cell",
    "hidden",
    "total",
    "confidence",
    "extra",
)
DOCUMENT_COLUMNS: tuple[str, ...] = tuple(Document.__dataclass_fields__)


def _arrow() -> Any:
    try:
        import pyarrow as pa  # type: ignore[import-untyped]
        import pyarrow.parquet as pq  # type: ignore[import-untyped]
    except ImportError:
        raise UsageError(
            "Parquet shards need the dask extra: pip install 'foi-extractor[dask]'"
        ) from None
    return pa, pq


def cell_schema() -> Any:
    pa, _ = _arrow()
    text, whole, real, flag = pa.string(), pa.int64(), pa.float64(), pa.bool_()
    types = {
        "page": whole,
        "table_no": whole,
        "value": real,
        "hidden": flag,
        "total": flag,
        "confidence": real,
    }
    return pa.schema([(name, types.get(name, text)) for name in CELL_COLUMNS])


def document_schema() -> Any:
    pa, _ = _arrow()
    return pa.schema(
        [
            (name, pa.int64() if name in ("size", "pages") else pa.string())
            for name in DOCUMENT_COLUMNS
        ]
    )


def cell_rows(cells: Iterable[Cell]) -> dict[str, list[Any]]:
    """Column lists for a batch of cells: the store's row, with ``value`` split by type."""
    columns: dict[str, list[Any]] = {name: [] for name in CELL_COLUMNS}
    for cell in cells:
        row = cell_to_row(cell)
        value = row.pop("value")
        number = isinstance(value, int | float) and not isinstance(value, bool)
        row["value"] = float(value) if number else None
        row["value_text"] = None if number or value is None else str(value)
        row["hidden"], row["total"] = bool(row["hidden"]), bool(row["total"])
        for name in CELL_COLUMNS:
            columns[name].append(row[name])
    return columns


def cell_from_row(row: dict[str, Any]) -> Cell:
    """A cell record from one shard row (whole numbers come back as int, as readers give them)."""
    row = dict(row)
    number = row.pop("value")
    text = row.pop("value_text")
    if number is not None:
        value: Any = int(number) if float(number).is_integer() and abs(number) < 2**53 else number
    else:
        value = text
    return row_to_cell({**row, "value": value})


class ParquetSink:
    """A CellSink writing one shard: each document's records go to a temporary file
    first and join the shard only when the document was read whole."""

    def __init__(self, path: Path) -> None:
        _, self._pq = _arrow()
        self.path = path
        self.partial = path.with_name(f".{path.name}.partial")
        self._writer = self._pq.ParquetWriter(str(self.partial), cell_schema())
        self._pending: Any = None
        self._pending_path: Path | None = None
        self.count = 0

    def begin(self, path: Path) -> None:
        self.rollback()
        handle, name = tempfile.mkstemp(suffix=".parquet", dir=self.path.parent)
        os.close(handle)
        self._pending_path = Path(name)
        self._pending = self._pq.ParquetWriter(name, cell_schema())

    def write(self, cells: list[Cell]) -> None:
        pa, _ = _arrow()
        if self._pending is None:
            self.begin(Path())
        self._pending.write_table(pa.table(cell_rows(cells), schema=cell_schema()))

    def commit(self) -> None:
        if self._pending is None or self._pending_path is None:
            return
        self._pending.close()
        done = self._pq.ParquetFile(str(self._pending_path))
        for group in range(done.num_row_groups):  # one row group in memory at a time
            table = done.read_row_group(group)
            self.count += table.num_rows
            self._writer.write_table(table)
        done.close()
        self._pending_path.unlink()
        self._pending, self._pending_path = None, None

    def rollback(self) -> None:
        if self._pending is not None:
            self._pending.close()
        if self._pending_path is not None:
            self._pending_path.unlink(missing_ok=True)
        self._pending, self._pending_path = None, None

    def close(self) -> None:
        self.rollback()
        self._writer.close()
        self.partial.replace(self.path)


@dataclass
class ShardResult:
    """What one task wrote."""

    cells_path: str
    documents_path: str
    files: int = 0
    cells: int = 0
    errors: list[str] = field(default_factory=list)


def write_shard(
    paths: Sequence[str | Path],
    folder: str | Path,
    index: int,
    options: ExtractOptions | None = None,
) -> ShardResult:
    """Extract ``paths`` in this process into ``cells-NNNNN.parquet`` and
    ``documents-NNNNN.parquet`` in ``folder`` (the function each worker runs)."""
    pa, pq = _arrow()
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    cells_path = out / f"cells-{index:05d}.parquet"
    documents_path = out / f"documents-{index:05d}.parquet"
    result = ShardResult(str(cells_path), str(documents_path))
    sink = ParquetSink(cells_path)
    documents: dict[str, list[Any]] = {name: [] for name in DOCUMENT_COLUMNS}
    try:
        for outcome in extract_files([Path(p) for p in paths], options, sink=sink):
            result.files += 1
            if outcome.error:
                result.errors.append(outcome.error)
            if not outcome.sha256:
                continue  # nothing to key on (missing file)
            document = _document(outcome)
            document.error = outcome.error
            row = asdict(document)
            for name in DOCUMENT_COLUMNS:
                documents[name].append(row[name])
    finally:
        sink.close()
    result.cells = sink.count
    partial = documents_path.with_name(f".{documents_path.name}.partial")
    pq.write_table(pa.table(documents, schema=document_schema()), str(partial))
    partial.replace(documents_path)
    return result


def extract_to_shards(
    paths: Iterable[str | Path],
    folder: str | Path,
    client: Any,
    options: ExtractOptions | None = None,
    files_per_task: int = 20,
) -> list[ShardResult]:
    """Map extraction over ``paths`` on a dask.distributed ``client``'s workers, each task
    writing its own shards into ``folder`` (a folder every worker can write to)."""
    files = [str(p) for p in expand_paths(paths)]
    groups = [files[i : i + files_per_task] for i in range(0, len(files), files_per_task)]
    futures = client.map(
        write_shard,
        groups,
        [str(folder)] * len(groups),
        list(range(len(groups))),
        [options] * len(groups),
        pure=False,
    )
    results: list[ShardResult] = client.gather(futures)
    return results


@dataclass
class LoadSummary:
    shards: int = 0
    documents: int = 0
    failed: int = 0
    cells: int = 0


def shard_files(paths: Iterable[str | Path]) -> list[Path]:
    """The ``documents-*.parquet`` files among ``paths`` (folders are searched)."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found.extend(sorted(path.glob("documents-*.parquet")))
        elif path.name.startswith("cells-") and path.suffix == ".parquet":
            found.append(path.with_name("documents-" + path.name.removeprefix("cells-")))
        elif path.name.startswith("documents-") and path.suffix == ".parquet":
            found.append(path)
        else:
            raise UsageError(f"{path}: not a shard folder or a cells-/documents-*.parquet file")
    for path in found:
        if not path.is_file():
            raise UsageError(f"{path}: no such shard file")
    return list(dict.fromkeys(found))


def load_shards(paths: Iterable[str | Path], store: Store) -> LoadSummary:
    """Import shards into the store: each document with its cells in one transaction."""
    _, pq = _arrow()
    summary = LoadSummary()
    for documents_path in shard_files(paths):
        summary.shards += 1
        cells_path = documents_path.with_name(
            "cells-" + documents_path.name.removeprefix("documents-")
        )
        try:
            documents = pq.read_table(str(documents_path)).to_pylist()
            by_sha = _cells_by_document(cells_path) if cells_path.is_file() else {}
        except (OSError, ValueError) as exc:
            raise FoiError(f"{documents_path}: not a readable shard ({exc})") from None
        for row in documents:
            document = Document(**row)
            if document.error:
                summary.failed += 1
                store.record_failure(document, document.error)
                continue
            summary.documents += 1
            with store.document_writer(document) as write:
                groups = by_sha.get(document.sha256, [])
                for batch in _batches(cells_path, groups, document.sha256):
                    summary.cells += write(batch)
    return summary


def _cells_by_document(path: Path) -> dict[str, list[int]]:
    """Which row groups of a cells shard hold each document's cells."""
    _, pq = _arrow()
    shard = pq.ParquetFile(str(path))
    groups: dict[str, list[int]] = {}
    for group in range(shard.num_row_groups):
        for sha256 in set(shard.read_row_group(group, columns=["sha256"]).column(0).to_pylist()):
            groups.setdefault(sha256, []).append(group)
    shard.close()
    return groups


def _batches(path: Path, groups: list[int], sha256: str) -> Iterator[list[Cell]]:
    if not groups:
        return
    _, pq = _arrow()
    shard = pq.ParquetFile(str(path))
    try:
        for group in groups:
            rows = shard.read_row_group(group).to_pylist()
            yield [cell_from_row(row) for row in rows if row["sha256"] == sha256]
    finally:
        shard.close()


def summary_json(results: Sequence[ShardResult]) -> str:
    return json.dumps([asdict(r) for r in results], indent=2)
