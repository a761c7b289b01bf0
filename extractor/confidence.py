"""Tables whose structure the readers are unsure of, for ``foi extract`` to list at the end.

Every reader sets ``Cell.confidence`` (0 to 1, one value per table; see
``docs/accuracy.md``). :class:`ConfidenceWatch` sits between the batch runner and the
output, passes every record on unchanged, and remembers the tables under
:data:`LOW_CONFIDENCE` of the documents that were read whole, so a user knows which
labels to check by eye (for a PDF, with the ``debug_images`` setting).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from .records import Cell

LOW_CONFIDENCE = 0.8  # below this, a table's labels deserve a look


class _Sink(Protocol):
    def begin(self, path: Path) -> None: ...
    def write(self, cells: list[Cell]) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


@dataclass(frozen=True)
class TableConfidence:
    """One table and how sure its reader is of its structure."""

    file: str
    page: int | None
    sheet: str | None
    table: int
    confidence: float

    @property
    def where(self) -> str:
        place = (
            f"p{self.page}" if self.page is not None else (f"[{self.sheet}]" if self.sheet else "")
        )
        return " ".join(part for part in (self.file, place, f"table {self.table}") if part)

    @property
    def hint(self) -> str:
        """What to do about it: for a PDF page, draw what was read (``foi extract`` shows
        the command)."""
        if self.page is not None:
            return f"check with: extract page {self.page} again with `debug_images` set"
        return "check its row and column labels against the sheet"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def low_confidence_tables(
    cells: Iterable[Cell], threshold: float = LOW_CONFIDENCE
) -> list[TableConfidence]:
    """The tables among ``cells`` whose confidence is under ``threshold``, in order met."""
    found: dict[tuple[str, int | None, str | None, int], TableConfidence] = {}
    for cell in cells:
        if cell.confidence is None or cell.confidence >= threshold:
            continue
        key = (cell.file, cell.page, cell.sheet, cell.table)
        if key not in found:
            found[key] = TableConfidence(*key, confidence=cell.confidence)
    return list(found.values())


class ConfidenceWatch:
    """A sink wrapper: records pass through; low-confidence tables of the documents that
    were committed are kept in :attr:`low` (a document that failed adds none)."""

    def __init__(self, sink: _Sink, threshold: float = LOW_CONFIDENCE) -> None:
        self.sink = sink
        self.threshold = threshold
        self.low: list[TableConfidence] = []
        self._pending: list[TableConfidence] = []
        self._seen: set[TableConfidence] = set()

    def begin(self, path: Path) -> None:
        self._pending = []
        self.sink.begin(path)

    def write(self, cells: list[Cell]) -> None:
        for table in low_confidence_tables(cells, self.threshold):
            if table not in self._seen:
                self._seen.add(table)
                self._pending.append(table)
        self.sink.write(cells)

    def commit(self) -> None:
        self.low += self._pending
        self._pending = []
        self.sink.commit()

    def rollback(self) -> None:
        self._seen.difference_update(self._pending)
        self._pending = []
        self.sink.rollback()
