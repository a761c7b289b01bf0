"""Browse the store: its tables, and its cells each with the selector that picks it.

``foi tables`` and ``foi cells`` render what these functions return. Every listed cell
comes with the shortest selector that resolves to exactly that cell among all cells of
its file (:class:`extractor.claims.selectors.SelectorBook`), ready to paste into a
claims file. Cells come from the SQLite store or from a JSON Lines file of records.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .claims.selectors import Selector, SelectorBook, normalise_label
from .errors import UsageError
from .records import Cell
from .store import LABEL_SEPARATOR, Store, TableSummary
from .values import parse_number


@dataclass
class CellFilter:
    """What ``foi cells`` lists: any of these left None means "any"."""

    document: str | None = None
    request: str | None = None
    table: int | None = None
    label: str | None = None
    value: str | None = None

    def number(self) -> float | None:
        if self.value is None:
            return None
        parsed = parse_number(self.value)
        if parsed is None:
            raise UsageError(f"{self.value!r} is not a number", setting="value")
        return float(parsed[0])

    def keeps(self, cell: Cell, number: float | None) -> bool:
        if self.table is not None and cell.table != self.table:
            return False
        if number is not None:
            if isinstance(cell.value, bool) or not isinstance(cell.value, int | float):
                return False
            if float(cell.value) != number:
                return False
        if self.label:
            wanted = normalise_label(self.label)
            text = normalise_label(
                " ".join([*cell.row, *cell.column, LABEL_SEPARATOR, cell.title or ""])
            )
            if wanted not in text:
                return False
        return True


@dataclass
class ListedCell:
    """A cell and the selector that picks exactly it."""

    cell: Cell
    selector: Selector

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.cell.to_dict(),
            "selector": self.selector.to_dict(),
            "selector_toml": self.selector.to_toml(),
        }


def list_tables(
    store: Store, document: str | None = None, request: str | None = None
) -> list[TableSummary]:
    return store.table_summaries(document, request)


def tables_of_cells(cells: Iterable[Cell]) -> list[TableSummary]:
    """Table summaries computed from records (``--records``)."""
    groups: dict[tuple[str, str, int], list[Cell]] = {}
    for cell in cells:
        groups.setdefault((cell.file, cell.sha256, cell.table), []).append(cell)
    summaries = []
    for (file, sha, table), members in sorted(groups.items(), key=lambda i: (i[0][0], i[0][2])):
        pages = [c.page for c in members if c.page is not None]
        summaries.append(
            TableSummary(
                file=file,
                sha256=sha,
                table=table,
                first_page=min(pages) if pages else None,
                last_page=max(pages) if pages else None,
                sheet=members[0].sheet,
                title=members[0].title,
                rows=len({tuple(c.row) for c in members}),
                columns=len({tuple(c.column) for c in members}),
                cells=len(members),
                confidence=members[0].confidence,
            )
        )
    return summaries


def list_cells(source: Store | Sequence[Cell], wanted: CellFilter) -> list[ListedCell]:
    """Cells that pass the filter, in extraction order, each with its selector."""
    number = wanted.number()
    listed: list[ListedCell] = []
    for file_cells in _files(source, wanted):
        book = SelectorBook(file_cells)
        for position, cell in enumerate(file_cells):
            if wanted.keeps(cell, number):
                listed.append(ListedCell(cell, book.selector(position)))
    return listed


def _files(source: Store | Sequence[Cell], wanted: CellFilter) -> list[list[Cell]]:
    """All cells of every file that holds a wanted cell (selectors must be unique in the
    whole file, so the whole file is needed)."""
    if isinstance(source, Store):
        value = wanted.number()
        hits = source.find_cells(wanted.document, wanted.request, wanted.table, wanted.label, value)
        names = sorted({c.file for c in hits}, key=str.casefold)
        # one file name may stand for several documents: selectors see them all
        return [source.cells_named([name]) for name in _unique_casefold(names)]
    groups: dict[str, list[Cell]] = {}
    document = wanted.document.casefold() if wanted.document else None
    for cell in source:
        if document is None or document in (cell.file.casefold(), cell.sha256):
            groups.setdefault(cell.file.casefold(), []).append(cell)
    return list(groups.values())


def _unique_casefold(names: list[str]) -> list[str]:
    seen: set[str] = set()
    unique = []
    for name in names:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            unique.append(name)
    return unique
