"""Cell selectors: which cell of which table a figure of a claim comes from.

A selector is an inline table in a claims file::

    {file = "x.pdf", page = 2, table = 0, row = ["Rape"], column = ["2022"]}

with optional ``page``, ``sheet``, ``table`` and ``request`` (a WhatDoTheyKnow
``url_title``: only documents harvested from that request). Labels match case-
insensitively, ignoring footnote markers and extra OUTER labels: ``["Rape"]``
matches a row labelled ``["Sexual offences", "Rape"]``. It resolves against a
:class:`StoreCells` (the SQLite store) or :class:`RecordCells` (a JSONL file);
no match or several raise :class:`SelectorError` listing the nearest candidates.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Protocol

from ..errors import FoiError, SelectorError
from ..records import Cell, read_jsonl
from ..store import LABEL_SEPARATOR, Store
from ..values import normalise_space, strip_footnotes
from . import policy

SELECTOR_KEYS = ("file", "page", "sheet", "table", "row", "column", "request")
MAX_CANDIDATES = 3
_LESS_THAN = re.compile(r"(?:<|\bless than|\bfewer than)\s*(\d+)", re.I)


def normalise_label(label: str) -> str:
    return strip_footnotes(normalise_space(str(label))).casefold()


def _labels(value: Any, name: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str | int) for v in value):
        raise ValueError(f'{name}: expected a list of labels like ["Rape"]')
    return tuple(str(v) for v in value)


@dataclass(frozen=True)
class Selector:
    """Where a figure comes from: a file, optionally page/sheet/table/request, and labels."""

    file: str
    row: tuple[str, ...]
    column: tuple[str, ...]
    page: int | None = None
    sheet: str | None = None
    table: int | None = None
    request: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any], name: str = "selector") -> Selector:
        unknown = sorted(set(data) - set(SELECTOR_KEYS))
        if unknown:
            raise ValueError(f"{name}: unknown selector key {unknown[0]!r}")
        for key in ("file", "row", "column"):
            if key not in data:
                raise ValueError(f"{name}: a cell selector needs {key!r}")
        for key in ("page", "table"):
            if key in data and (isinstance(data[key], bool) or not isinstance(data[key], int)):
                raise ValueError(f"{name}: {key!r} must be a whole number")
        for key in ("file", "sheet", "request"):
            if key in data and not isinstance(data[key], str):
                raise ValueError(f"{name}: {key!r} must be a string")
        return cls(
            file=data["file"],
            row=_labels(data["row"], f"{name}.row"),
            column=_labels(data["column"], f"{name}.column"),
            page=data.get("page"),
            sheet=data.get("sheet"),
            table=data.get("table"),
            request=data.get("request"),
        )

    def describe(self) -> str:
        where = [self.file]
        if self.page is not None:
            where.append(f"p{self.page}")
        if self.sheet:
            where.append(f"[{self.sheet}]")
        if self.table is not None:
            where.append(f"table {self.table}")
        labels = f"{LABEL_SEPARATOR.join(self.row)} / {LABEL_SEPARATOR.join(self.column)}"
        return f"{' '.join(where)}: {labels}"

    def matches_place(self, cell: Cell) -> bool:
        return (
            (self.page is None or cell.page == self.page)
            and (self.sheet is None or (cell.sheet or "").casefold() == self.sheet.casefold())
            and (self.table is None or cell.table == self.table)
        )

    def matches_labels(self, cell: Cell) -> bool:
        return _suffix_match(self.row, cell.row) and _suffix_match(self.column, cell.column)


def _suffix_match(wanted: Sequence[str], labels: Sequence[str]) -> bool:
    """``wanted`` equals the innermost labels, so extra outer labels are ignored."""
    if len(wanted) > len(labels):
        return False
    tail = labels[len(labels) - len(wanted) :]
    return all(normalise_label(a) == normalise_label(b) for a, b in zip(wanted, tail, strict=True))


class CellSource(Protocol):
    """Where selectors find cells: the store or a JSONL file of records."""

    def cells_in(self, selector: Selector) -> list[Cell]: ...

    def files(self) -> list[str]: ...


class StoreCells:
    """Cells from the SQLite store; ``request`` joins cells to harvested attachments."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def cells_in(self, selector: Selector) -> list[Cell]:
        where, params = "lower(file) = lower(?)", [selector.file]
        if selector.request:
            where += " and sha256 in (select sha256 from attachments where url_title = ?)"
            params.append(selector.request)
        return [c for c in self.store.cells(where, params) if selector.matches_place(c)]

    def files(self) -> list[str]:
        return [row[0] for row in self.store.db.execute("select distinct file from cells")]


class RecordCells:
    """Cells from a JSON Lines file of records (read once, kept in memory)."""

    def __init__(self, path: str | Path) -> None:
        try:
            self.cells = list(read_jsonl(path))
        except OSError as exc:
            raise FoiError(f"{path}: cannot read the records ({exc.strerror})") from None
        except UnicodeDecodeError:
            raise FoiError(f"{path}: cannot read the records (not UTF-8 text)") from None
        except ValueError as exc:
            raise FoiError(str(exc)) from None

    def cells_in(self, selector: Selector) -> list[Cell]:
        if selector.request:
            raise SelectorError(
                f"{selector.describe()}: 'request' needs the store, not a records file"
            )
        wanted = selector.file.casefold()
        return [c for c in self.cells if c.file.casefold() == wanted and selector.matches_place(c)]

    def files(self) -> list[str]:
        return sorted({c.file for c in self.cells})


def _cell_text(cell: Cell) -> str:
    row, column = LABEL_SEPARATOR.join(cell.row), LABEL_SEPARATOR.join(cell.column)
    return f"{cell.where} table {cell.table}: {row} / {column} = {cell.raw}"


def nearest(selector: Selector, cells: Iterable[Cell]) -> list[Cell]:
    """The cells whose labels are most like the selector's."""
    wanted = normalise_label(" ".join(selector.row + selector.column))

    def likeness(cell: Cell) -> float:
        labels = normalise_label(
            " ".join(cell.row[-len(selector.row) :] + cell.column[-len(selector.column) :])
        )
        return difflib.SequenceMatcher(None, wanted, labels).ratio()

    return sorted(cells, key=likeness, reverse=True)[:MAX_CANDIDATES]


def resolve(selector: Selector, source: CellSource) -> Cell:
    """The one cell a selector names; :class:`SelectorError` lists the nearest otherwise."""
    in_place = source.cells_in(selector)
    if not in_place:
        known = source.files()
        close = difflib.get_close_matches(selector.file, known, n=MAX_CANDIDATES, cutoff=0.3)
        hint = f"; nearest files: {', '.join(close)}" if close else ""
        raise SelectorError(f"{selector.describe()}: no cells for this file and place{hint}")
    matches = [c for c in in_place if selector.matches_labels(c)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        listed = "; ".join(_cell_text(c) for c in nearest(selector, in_place))
        raise SelectorError(f"{selector.describe()}: no cell matches; nearest: {listed}")
    listed = "; ".join(_cell_text(c) for c in matches[:MAX_CANDIDATES])
    raise SelectorError(
        f"{selector.describe()}: {len(matches)} cells match (add page, sheet, table or more "
        f"labels): {listed}"
    )


def cell_bounds(cell: Cell) -> tuple[Fraction, Fraction]:
    """A cell's value as an interval: exact numbers give [v, v]; suppressed cells
    give [0, n - 1] (``<n``) or [0, threshold - 1] (``*``, ``[c]``)."""
    if cell.flag == "suppressed":
        match = _LESS_THAN.search(cell.raw or "")
        threshold = int(match[1]) if match else policy.DEFAULT_SUPPRESSION_THRESHOLD
        return Fraction(0), Fraction(max(threshold - 1, 0))
    if isinstance(cell.value, bool) or not isinstance(cell.value, int | float):
        reason = f"flag {cell.flag}" if cell.flag else f"value {cell.value!r}"
        raise SelectorError(f"{_cell_text(cell)}: not a number ({reason})")
    value = Fraction(str(cell.value))
    return value, value
