"""Cell selectors: which cell of which table a figure of a claim comes from.

A selector is an inline table in a claims file::

    {file = "x.pdf", page = 2, table = 0, row = ["Rape"], column = ["2022"]}

``file`` is the stored name, the path ``foi harvest`` or ``foi extract`` printed, or the
attachment's name on WhatDoTheyKnow; ``request`` (a request's ``url_title``) keeps only
documents harvested from that request. ``page``, ``sheet`` and ``table`` narrow the place.
Labels match case-insensitively, ignoring footnote markers and extra OUTER labels:
``["Rape"]`` matches a row labelled ``["Sexual offences", "Rape"]``; ``[]`` matches a
cell with no label (an empty column header). Where labels cannot single a cell out:
``cell = "Sheet!C7"`` (spreadsheets) or ``index = N``, the N-th (from 0, in reading order)
of the cells the rest of the selector matches. ``foi cells`` prints, for every cell, a
selector that picks exactly it (:func:`selector_for`).

A selector resolves against a :class:`StoreCells` (the SQLite store) or
:class:`RecordCells` (a JSONL file); no match or several raise :class:`SelectorError`
listing the nearest candidates.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any, Protocol

from ..errors import FoiError, SelectorError
from ..records import Cell, read_jsonl
from ..store import LABEL_SEPARATOR, Store
from ..values import normalise_space, strip_footnotes
from . import policy

SELECTOR_KEYS = ("request", "file", "page", "sheet", "table", "row", "column", "cell", "index")
MAX_CANDIDATES = 3
_LESS_THAN = re.compile(r"(?:<|\bless than|\bfewer than)\s*(\d+)", re.I)


def normalise_label(label: str) -> str:
    return strip_footnotes(normalise_space(str(label))).casefold()


def _labels(value: Any, name: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise ValueError(f'{name}: expected a list of labels like ["Rape"] ([] for no label)')
    return tuple(str(v) for v in value)


def _file_name(file: str) -> str:
    """The name part of a path a user may paste (``raw/body/request/x.pdf`` -> ``x.pdf``)."""
    return Path(file.replace("\\", "/")).name if ("/" in file or "\\" in file) else file


@dataclass(frozen=True)
class Selector:
    """Where a figure comes from: a file, optionally request/page/sheet/table, and labels
    (``None``: any), a spreadsheet ``cell`` address or an ``index`` among the matches."""

    file: str
    row: tuple[str, ...] | None = None
    column: tuple[str, ...] | None = None
    page: int | None = None
    sheet: str | None = None
    table: int | None = None
    request: str | None = None
    cell: str | None = None
    index: int | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any], name: str = "selector") -> Selector:
        unknown = sorted(set(data) - set(SELECTOR_KEYS))
        if unknown:
            raise ValueError(f"{name}: unknown selector key {unknown[0]!r}")
        if "file" not in data:
            raise ValueError(f"{name}: a cell selector needs 'file'")
        if not ({"row", "column"} <= set(data) or "cell" in data or "index" in data):
            missing = "row" if "row" not in data else "column"
            raise ValueError(f"{name}: a cell selector needs {missing!r} (or 'cell' or 'index')")
        for key in ("page", "table", "index"):
            if key in data and (isinstance(data[key], bool) or not isinstance(data[key], int)):
                raise ValueError(f"{name}: {key!r} must be a whole number")
        if data.get("index", 0) < 0:
            raise ValueError(f"{name}: 'index' counts from 0")
        for key in ("file", "sheet", "request", "cell"):
            if key in data and not isinstance(data[key], str):
                raise ValueError(f"{name}: {key!r} must be a string")
        return cls(
            file=data["file"],
            row=_labels(data["row"], f"{name}.row") if "row" in data else None,
            column=_labels(data["column"], f"{name}.column") if "column" in data else None,
            page=data.get("page"),
            sheet=data.get("sheet"),
            table=data.get("table"),
            request=data.get("request"),
            cell=data.get("cell"),
            index=data.get("index"),
        )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for key in SELECTOR_KEYS:
            value = getattr(self, key)
            if value is not None:
                data[key] = list(value) if isinstance(value, tuple) else value
        return data

    def to_toml(self) -> str:
        """The selector as an inline TOML table, ready to paste into a claims file."""
        parts = [
            f"{key} = {json.dumps(value, ensure_ascii=False)}"
            for key, value in self.to_dict().items()
        ]
        return "{ " + ", ".join(parts) + " }"

    def describe(self) -> str:
        where = [self.file]
        if self.page is not None:
            where.append(f"p{self.page}")
        if self.sheet:
            where.append(f"[{self.sheet}]")
        if self.table is not None:
            where.append(f"table {self.table}")
        if self.cell:
            where.append(self.cell)
        text = " ".join(where)
        if self.row is not None or self.column is not None:
            row = LABEL_SEPARATOR.join(self.row or ()) if self.row is not None else "*"
            column = LABEL_SEPARATOR.join(self.column or ()) if self.column is not None else "*"
            text += f": {row} / {column}"
        if self.index is not None:
            text += f" #{self.index}"
        return text

    def matches_file(self, cell: Cell) -> bool:
        wanted = self.file.casefold()
        return cell.file.casefold() in (wanted, _file_name(self.file).casefold())

    def matches_place(self, cell: Cell) -> bool:
        return (
            (self.page is None or cell.page == self.page)
            and (self.sheet is None or (cell.sheet or "").casefold() == self.sheet.casefold())
            and (self.table is None or cell.table == self.table)
            and (self.cell is None or _same_address(self.cell, cell))
        )

    def matches_labels(self, cell: Cell) -> bool:
        return (self.row is None or _suffix_match(self.row, cell.row)) and (
            self.column is None or _suffix_match(self.column, cell.column)
        )


def _same_address(wanted: str, cell: Cell) -> bool:
    """``Sheet!C7`` against the cell's address; a bare ``C7`` ignores the sheet."""
    if not cell.cell:
        return False
    have = cell.cell.casefold().replace("$", "")
    want = wanted.casefold().replace("$", "").replace("'", "")
    if "!" in want:
        return have.replace("'", "") == want
    return have.rsplit("!", 1)[-1] == want


def _suffix_match(wanted: Sequence[str], labels: Sequence[str]) -> bool:
    """``wanted`` equals the innermost labels, so extra outer labels are ignored; blank
    labels are ignored on both sides, so ``[]`` picks a cell with no label."""
    want = [w for w in (normalise_label(x) for x in wanted) if w]
    have = [h for h in (normalise_label(x) for x in labels) if h]
    if not want:
        return not have
    if len(want) > len(have):
        return False
    return have[len(have) - len(want) :] == want


def select(selector: Selector, cells: Iterable[Cell]) -> list[Cell]:
    """The cells (of the selector's file) that a selector picks: all that match, or with
    ``index`` the one at that position among them."""
    matches = [c for c in cells if selector.matches_place(c) and selector.matches_labels(c)]
    if selector.index is None:
        return matches
    return matches[selector.index : selector.index + 1]


class CellSource(Protocol):
    """Where selectors find cells: the store or a JSONL file of records."""

    def cells_in(self, selector: Selector) -> list[Cell]: ...

    def files(self) -> list[str]: ...


class StoreCells:
    """Cells from the SQLite store: names are resolved through the indexed documents and
    attachments tables, then the cells read through an index on ``file``."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def cells_in(self, selector: Selector) -> list[Cell]:
        names = self.store.file_names(selector.file, selector.request)
        cells = self.store.cells_named(names, selector.request, selector.table)
        return [c for c in cells if selector.matches_place(c)]

    def files(self) -> list[str]:
        return self.store.stored_files()


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

    @classmethod
    def of(cls, cells: Iterable[Cell]) -> RecordCells:
        source = cls.__new__(cls)
        source.cells = list(cells)
        return source

    def cells_in(self, selector: Selector) -> list[Cell]:
        if selector.request:
            raise SelectorError(
                f"{selector.describe()}: 'request' needs the store, not a records file"
            )
        return [c for c in self.cells if selector.matches_file(c) and selector.matches_place(c)]

    def files(self) -> list[str]:
        return sorted({c.file for c in self.cells})


def _cell_text(cell: Cell) -> str:
    row, column = LABEL_SEPARATOR.join(cell.row), LABEL_SEPARATOR.join(cell.column)
    return f"{cell.where} table {cell.table}: {row} / {column} = {cell.raw}"


def nearest(selector: Selector, cells: Iterable[Cell]) -> list[Cell]:
    """The cells whose labels are most like the selector's."""
    row, column = selector.row or (), selector.column or ()
    wanted = normalise_label(" ".join(row + column))

    def likeness(cell: Cell) -> float:
        labels = normalise_label(
            " ".join(
                cell.row[len(cell.row) - len(row) :] + cell.column[len(cell.column) - len(column) :]
            )
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
    matches = select(selector, in_place)
    if len(matches) == 1:
        return matches[0]
    if not matches:
        if selector.index is not None:
            count = len(select(replace(selector, index=None), in_place))
            raise SelectorError(
                f"{selector.describe()}: index {selector.index} is past the {count} matching cells"
            )
        listed = "; ".join(_cell_text(c) for c in nearest(selector, in_place))
        raise SelectorError(f"{selector.describe()}: no cell matches; nearest: {listed}")
    listed = "; ".join(_cell_text(c) for c in matches[:MAX_CANDIDATES])
    raise SelectorError(
        f"{selector.describe()}: {len(matches)} cells match (add page, sheet, table, more "
        f"labels, cell or index): {listed}"
    )


# --- a selector for every cell (foi cells, claims linking) ---------------------------------
def _path(labels: Sequence[str]) -> tuple[str, ...]:
    return tuple(w for w in (normalise_label(x) for x in labels) if w)


def _suffixes(path: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The label paths a selector may give that match ``path`` (see :func:`_suffix_match`)."""
    return [path[i:] for i in range(len(path))] if path else [()]


def _address(text: str) -> str:
    return text.casefold().replace("$", "").replace("'", "")


class SelectorBook:
    """Prints, for each cell of one stored file, the shortest selector that picks exactly
    it: innermost labels, then the table, then whole label paths, then the spreadsheet
    address, at last the index among the cells with the same labels. Counts are built
    once, so a document of n cells costs O(n), not O(n^2)."""

    def __init__(self, cells: Iterable[Cell]) -> None:
        self.cells = list(cells)
        self.inner: dict[tuple[Any, ...], int] = {}
        self.full: dict[tuple[Any, ...], list[int]] = {}
        self.addresses: dict[str, int] = {}
        for position, cell in enumerate(self.cells):
            row, column = _path(cell.row), _path(cell.column)
            for key in ((row[-1:], column[-1:]), (cell.table, row[-1:], column[-1:])):
                self.inner[key] = self.inner.get(key, 0) + 1
            for row_suffix in _suffixes(row):
                for column_suffix in _suffixes(column):
                    self.full.setdefault((cell.table, row_suffix, column_suffix), []).append(
                        position
                    )
            if cell.cell:
                address = _address(cell.cell)
                self.addresses[address] = self.addresses.get(address, 0) + 1

    def selector(self, position: int) -> Selector:
        cell = self.cells[position]
        row, column = _path(cell.row), _path(cell.column)
        inner_row, inner_column = _innermost(cell.row), _innermost(cell.column)
        base = Selector(file=cell.file)
        if self.inner[(row[-1:], column[-1:])] == 1:
            return replace(base, row=inner_row, column=inner_column)
        if self.inner[(cell.table, row[-1:], column[-1:])] == 1:
            return replace(base, table=cell.table, row=inner_row, column=inner_column)
        labelled = replace(base, table=cell.table, row=tuple(cell.row), column=tuple(cell.column))
        same = self.full[(cell.table, row, column)]
        if len(same) == 1:
            return labelled
        if cell.cell and self.addresses[_address(cell.cell)] == 1:
            return replace(base, cell=cell.cell)
        return replace(labelled, index=same.index(position))

    def selectors(self) -> list[Selector]:
        return [self.selector(i) for i in range(len(self.cells))]


def selector_for(cell: Cell, document_cells: Sequence[Cell]) -> Selector:
    """The shortest selector that picks exactly ``cell`` among its file's cells."""
    cells = list(document_cells)
    position = next(i for i, other in enumerate(cells) if other is cell)
    return SelectorBook(cells).selector(position)


def _innermost(labels: Sequence[str]) -> tuple[str, ...]:
    for label in reversed(labels):
        if normalise_label(label):
            return (label,)
    return ()


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
