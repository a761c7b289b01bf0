"""Cell records in bounded batches: from a reader to the store and an output, one document
at a time, all or nothing per document.

``foi extract`` hands :func:`extractor.extract.extract_files` a :class:`CellSink`; each
document's records then arrive in batches of :data:`BATCH_CELLS` (written to the store
inside the document's transaction as they come) instead of as one list, so memory does
not grow with the size of a document. :class:`RecordWriter` writes JSON Lines, CSV or a
table; it keeps each document's records aside (in memory up to a few MB, then in a
temporary file) until the document has been read whole, so a file that fails half-way
leaves nothing in the output, as it leaves nothing in the store.
"""

from __future__ import annotations

import csv
import json
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import IO, Any, Protocol

from .records import CELL_FIELDS, Cell, _csv_value

BATCH_CELLS = 5_000  # records held at once per document
SPOOL_IN_MEMORY = 8 * 1024 * 1024  # bytes of one document's output kept in memory


class CellSink(Protocol):
    """Where a document's records go, batch by batch."""

    def begin(self, path: Path) -> None:
        """A document starts (its records follow)."""

    def write(self, cells: list[Cell]) -> None:
        """One batch of the current document's records."""

    def commit(self) -> None:
        """The document was read whole: its records are final."""

    def rollback(self) -> None:
        """The document failed: forget its records."""


def batched(cells: Iterable[Cell], size: int = BATCH_CELLS) -> Iterator[list[Cell]]:
    iterator = iter(cells)
    while batch := list(islice(iterator, size)):
        yield batch


class CountingSink:
    """Records go nowhere (no output asked for); only counted."""

    def __init__(self) -> None:
        self.count = 0

    def begin(self, path: Path) -> None:
        pass

    def write(self, cells: list[Cell]) -> None:
        self.count += len(cells)

    def commit(self) -> None:
        pass

    def rollback(self) -> None:
        pass


class CollectingSink:
    """Records kept in a list (a document that fails is taken out again)."""

    def __init__(self) -> None:
        self.cells: list[Cell] = []
        self._committed = 0

    def begin(self, path: Path) -> None:
        del self.cells[self._committed :]

    def write(self, cells: list[Cell]) -> None:
        self.cells.extend(cells)

    def commit(self) -> None:
        self._committed = len(self.cells)

    def rollback(self) -> None:
        del self.cells[self._committed :]


class RecordWriter:
    """Records as JSON Lines or CSV on ``out``, a document at a time (the same text as
    :func:`extractor.records.write_jsonl` and :func:`~extractor.records.write_csv`)."""

    def __init__(self, fmt: str, out: IO[str]) -> None:
        if fmt not in ("jsonl", "csv"):
            raise ValueError(f"unknown record format {fmt!r}")
        self.fmt, self.out = fmt, out
        self._pending: Any = None
        self._encode = json.JSONEncoder(ensure_ascii=False).encode
        if fmt == "csv":
            csv.writer(out).writerow(CELL_FIELDS)

    def begin(self, path: Path) -> None:
        self.rollback()
        self._pending = tempfile.SpooledTemporaryFile(  # noqa: SIM115 (closed by commit)
            SPOOL_IN_MEMORY, mode="w+", encoding="utf-8", newline=""
        )

    def write(self, cells: list[Cell]) -> None:
        if self._pending is None:
            self.begin(Path())
        if self.fmt == "jsonl":
            encode = self._encode
            self._pending.write("".join([encode(cell.to_dict()) + "\n" for cell in cells]))
        else:
            writer = csv.writer(self._pending)
            for cell in cells:
                data = cell.to_dict()
                writer.writerow([_csv_value(data[name]) for name in CELL_FIELDS])

    def commit(self) -> None:
        if self._pending is not None:
            self._pending.seek(0)
            shutil.copyfileobj(self._pending, self.out)
            self._pending.close()
            self._pending = None

    def rollback(self) -> None:
        if self._pending is not None:
            self._pending.close()
            self._pending = None
