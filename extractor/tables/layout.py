"""From the rows of a sheet, CSV file or Word table to the separate tables on it.

Spreadsheet-like readers feed rows in order (``list[GridCell | None]``, indexed by
absolute column, ``None`` for a blank cell) into :class:`SheetLayout`, which yields
``(table number, Grid)`` pairs for :func:`~extractor.tables.grid.grid_to_cells`.
The steps, each named input → output:

1. bands: consecutive non-blank rows; a blank row ends a band.
2. ``column_blocks``: a band → the column ranges of side-by-side tables. A blank
   column splits only when the part on its left is a table (labels with values to
   their right) and the part on its right starts with row labels, so a gap between
   a form's labels and its values does not split.
3. :class:`Segmenter`: the rows of one column block → tables. Rows are ``text``
   lines (one label in the first column: a title, section or note), ``header``
   rows (labels only) or ``data`` rows. A header row after data starts a new
   table, and the caption among the text lines above it is its title; text lines
   under the last data row are notes, not data, as are numbered rows under a
   "Notes:" line; more data after a blank gap continues the table.
4. :class:`_Table`: a table's rows → Grid chunks of at most ``CHUNK_ROWS`` rows,
   with the header rows repeated and the header and stub counts fixed after the
   first chunk, so memory stays flat on a million-cell sheet.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

from ..errors import LimitExceeded
from ..records import Cell
from ..values import Parsed, is_blank, normalise_space, parse_cell_text
from . import ExtractOptions, Source
from .grid import (
    PERIOD_HEADING,
    Grid,
    GridCell,
    _is_data_like,
    find_header_rows,
    find_stub_columns,
    grid_to_cells,
)

Row = list[GridCell | None]
CHUNK_ROWS = 2000  # rows per Grid handed to grid_to_cells
BAND_LIMIT = 2000  # rows of a band buffered before its column blocks are fixed
EMPTY = GridCell()

TEXT, HEADER, DATA = "text", "header", "data"


@functools.lru_cache(maxsize=65536)
def cached_parse(text: str) -> Parsed:
    """parse_cell_text with a cache: real sheets repeat the same strings many times."""
    return parse_cell_text(text)


def text_cell(text: str, ref: str | None = None, hidden: bool = False) -> GridCell | None:
    """A GridCell for text typed in a cell, or None when it is blank."""
    if not text or text.isspace():
        return None
    return GridCell(text, cached_parse(text), None, ref, hidden)  # positional: faster


def column_letters(index: int) -> str:
    """0-based column index → spreadsheet letters (0 → A, 27 → AB)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


GC_THRESHOLD = 100_000  # allocations between young-generation collections while reading


@contextlib.contextmanager
def relaxed_gc() -> Iterator[None]:
    """Collect garbage less often while a big sheet streams by.

    A million cells make millions of short-lived objects; at the default threshold the
    collector runs every 700 allocations and re-scans the survivors, costing a third
    of the reading time. The thresholds are restored afterwards.
    """
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], GC_THRESHOLD), max(old[1], 50), max(old[2], 100))
    try:
        yield
    finally:
        gc.set_threshold(*old)


def check_file_size(path: Path, name: str, options: ExtractOptions) -> None:
    """LimitExceeded when a file is over ``options.max_file_bytes``."""
    size = path.stat().st_size
    if size > options.max_file_bytes:
        raise LimitExceeded(
            f"is {size:,} bytes, over the {options.max_file_bytes:,}-byte limit", name
        )


class Deadline:
    """Raises LimitExceeded when a file takes longer than its time budget."""

    def __init__(self, seconds: float, name: str) -> None:
        self.end = time.monotonic() + seconds
        self.seconds = seconds
        self.name = name

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise LimitExceeded(f"took longer than {self.seconds:g} s to read", self.name)


def row_kind(row: Sequence[GridCell | None], first_column: int, label_limit: int = -1) -> str:
    """data, header, or text: one label in the first column (or left of a table's values)."""
    anchors = 0
    first = -1
    for j in range(len(row) - 1, -1, -1):  # from the right, where the values usually are
        cell = row[j]
        if cell is None:
            continue
        parsed = cell.parsed
        if parsed is not None and isinstance(parsed.value, str) and not parsed.flag:
            pass  # text: the common case, decided without _is_data_like's year check
        elif _is_data_like(cell):
            return DATA
        if not cell.merged:
            anchors += 1
            first = j
    if anchors == 1 and (first == first_column or first < label_limit):
        return TEXT
    return HEADER


def _has_number(row: Sequence[GridCell | None]) -> bool:
    return any(
        c is not None and c.parsed is not None and isinstance(c.parsed.value, int | float)
        for c in row
    )


def occupied(row: Sequence[GridCell | None]) -> tuple[int, int]:
    """First and last non-blank column of a non-blank row."""
    first = next(j for j, c in enumerate(row) if c is not None)
    last = len(row) - 1
    while row[last] is None:
        last -= 1
    return first, last


def line_text(row: Sequence[GridCell | None]) -> str:
    return " ".join(normalise_space(c.text) for c in row if c is not None and not c.merged)


_NOTES = re.compile(r"^(?:notes?|footnotes?|sources?|key|metadata|legend)\b\s*:?\s*$", re.I)
_CAPTION = re.compile(r"^(?:table|figure|chart|annex|appendix)\s*[\w.]*\s*[:.\-–]", re.I)


def caption(lines: Sequence[Row]) -> str | None:
    """The title among the text lines above a table: a "Table 3:" line, else the first."""
    texts = [line_text(line) for line in lines]
    return next((t for t in reversed(texts) if _CAPTION.match(t)), texts[0] if texts else None)


_UNIT_CAPTION = re.compile(
    r"\((?:£\s*)?(?:thousands?|millions?|billions?|'?000s?|£?m|£?bn|per\s*cent|percentages?|"
    r"numbers?|rates?)\)|seasonally\s+adjusted|\b(?:thousands|millions|billions)\b",
    re.I,
)


def lift_unit_caption(rows: list[list[GridCell]]) -> list[str]:
    """Take out a units caption set top right over the header, and return it as a note.

    Statistical sheets print "United Kingdom (thousands) not seasonally adjusted" in the
    last column, one row above that column's own heading: it says what the figures are,
    it does not head the column. A lone top-right label that does not read as units or
    coverage ("Change" over "%") stays a header.
    """
    if len(rows) < 2:
        return []
    top, below = rows[0], rows[1]
    filled = [j for j, cell in enumerate(top) if not is_blank(cell.text)]
    if len(filled) != 1 or top[filled[0]].merged:
        return []
    j = filled[0]
    width = max(len(row) for row in rows)
    labels_below = sum(1 for cell in below if not is_blank(cell.text))
    if j == 0 or j != width - 1 or labels_below < 2 or j >= len(below) or is_blank(below[j].text):
        return []
    text = normalise_space(top[j].text)
    if not _UNIT_CAPTION.search(text):
        return []
    del rows[0]
    return [text]


def heading_row(header: Row, heading: str) -> Row:
    """A header row holding ``heading`` over every column of ``header``'s extent."""
    first, last = occupied(header)
    parsed = cached_parse(heading)
    row: Row = [None] * first
    row += [GridCell(heading, parsed, merged=j > first) for j in range(first, last + 1)]
    return row


def column_blocks(rows: Sequence[Row]) -> list[tuple[int, int]]:
    """Column ranges of the side-by-side tables in a band of rows."""
    used = sorted({j for row in rows for j, c in enumerate(row) if c is not None})
    if not used:
        return []
    runs: list[tuple[int, int]] = []
    for j in used:
        if runs and j == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], j)
        else:
            runs.append((j, j))
    blocks = [runs[0]]
    for run in runs[1:]:
        if _is_table(rows, blocks[-1]) and _starts_with_labels(rows, run[0]):
            blocks.append(run)
        else:
            blocks[-1] = (blocks[-1][0], run[1])
    return blocks


def _is_table(rows: Sequence[Row], block: tuple[int, int]) -> bool:
    """Some row of the block has a label with a value to its right, as a table's rows do.

    Line numbers left of the labels (a form's "26 Reference Books ...") do not count, so
    a form's label columns stay with the values further right.
    """
    for row in rows:
        seen_label = False
        for cell in row[block[0] : block[1] + 1]:
            if cell is None:
                continue
            if _is_data_like(cell):
                if seen_label:
                    return True
            else:
                seen_label = True
    return False


def _starts_with_labels(rows: Sequence[Row], column: int) -> bool:
    cells = [row[column] for row in rows if column < len(row) and row[column] is not None]
    labels = sum(1 for c in cells if c is not None and not _is_data_like(c))
    return labels * 2 > len(cells)


def clip(row: Row, block: tuple[int, int]) -> Row:
    """The part of a row inside a column block, other columns blank."""
    return [None] * block[0] + row[block[0] : block[1] + 1]


@dataclass
class _Table:
    """One table's rows, handed out as Grid chunks."""

    title: str | None
    numbers: Iterator[int]
    rows: list[Row] = field(default_factory=list)
    has_data: bool = False
    first_col: int = 1 << 30
    last_col: int = -1
    number: int | None = None
    header: list[list[GridCell]] | None = None  # set once a first chunk was handed out
    stub: int = 0
    first_value_col: int = -1
    notes: list[str] = field(default_factory=list)
    after_notes: bool = False  # begun under a "Notes:"/"Metadata:" line: text-only is notes

    def add(self, row: Row, is_data: bool) -> None:
        first, last = occupied(row)
        if is_data and self.first_value_col < 0:
            self.first_value_col = next(
                j for j, c in enumerate(row) if c is not None and _is_data_like(c)
            )
        self.first_col = min(self.first_col, first)
        self.last_col = max(self.last_col, last)
        self.rows.append(row)
        self.has_data = self.has_data or is_data

    def covers(self, row: Row) -> bool:
        first, last = occupied(row)
        return first >= self.first_col and last <= self.last_col + 1

    def _grid_rows(self) -> list[list[GridCell]]:
        lo, hi = self.first_col, self.last_col + 1
        return [[c if c is not None else EMPTY for c in row[lo:hi]] for row in self.rows]

    def flush(self, final: bool, notes: list[str] | None = None) -> Iterator[tuple[int, Grid]]:
        if not self.rows or (
            self.header is None and not self.has_data and (len(self.rows) < 2 or self.after_notes)
        ):
            self.rows = []
            return  # a lone label line is no table, nor a text-only block of notes
        rows = self._grid_rows()
        self.rows = []
        if self.number is None:
            self.number = next(self.numbers)
        if self.header is None:
            self.notes += lift_unit_caption(rows)
            grid = Grid(rows=rows, title=self.title, notes=[*self.notes, *(notes or [])])
            if not final:
                self._fix_layout(grid)
            yield self.number, grid
            return
        grid = Grid(
            rows=[*self.header, *rows],
            title=self.title,
            header_rows=len(self.header),
            stub_columns=self.stub,
            notes=[*self.notes, *(notes or [])],
        )
        yield self.number, grid

    def _fix_layout(self, grid: Grid) -> None:
        # Same steps as grid_to_cells, so later chunks read with the first chunk's header.
        stub_guess = find_stub_columns(grid, 0)
        header_rows = find_header_rows(grid, stub_guess)
        stub = find_stub_columns(grid, header_rows)
        if stub != stub_guess:
            header_rows = find_header_rows(grid, stub)
        grid.header_rows, grid.stub_columns = header_rows, stub
        self.header, self.stub = grid.rows[:header_rows], stub


class Segmenter:
    """Rows of one column block, in order → tables (see the module docstring)."""

    def __init__(self, numbers: Iterator[int]) -> None:
        self.numbers = numbers
        self.table: _Table | None = None
        self.pending: list[Row] = []  # text lines not yet known to be title, section or note
        self.gap = False
        self.in_notes = False  # under a "Notes:" line, numbered note rows are not data
        self.pending_gap = False  # a blank row came after the last pending text line

    def feed(self, row: Row, first_column: int) -> Iterator[tuple[int, Grid]]:
        limit = self.table.first_value_col if self.table is not None else -1
        kind = row_kind(row, first_column, limit)
        if kind == HEADER and self.table is not None and self.table.has_data and not self.gap:
            kind = DATA if _has_number(row) else kind  # values that look like years (2001)
        if self.in_notes and kind != HEADER:
            self.pending.append(row)  # "1 | Figures are provisional" under a "Notes:" line
            return
        if kind == TEXT:
            if self.table is not None and self.table.has_data and _NOTES.match(line_text(row)):
                self.in_notes = True
            self.pending.append(row)
            self.pending_gap = False
            return
        was_in_notes, self.in_notes = self.in_notes, False
        table = self.table
        new_table = table is not None and (
            (table.has_data and (kind == HEADER or (self.gap and not table.covers(row))))
            # header lines, a blank row, then another header: the first lines were a preamble
            or (not table.has_data and kind == HEADER and self.gap)
        )
        if new_table:
            title_row = self.pending.pop() if self.pending else None
            yield from self.finish()
            self.pending = [title_row] if title_row is not None else []
            table = None
        if table is None:
            title = caption(self.pending)
            table = self.table = _Table(title, self.numbers)
            table.after_notes = was_in_notes or any(
                _NOTES.match(line_text(line)) for line in self.pending
            )
            heading = self._block_heading(kind)
            if heading is not None:
                table.add(heading_row(row, heading), is_data=False)
        elif kind == HEADER and not table.has_data:
            # text lines between header rows are captions, not header labels
            if self.pending and table.title is None:
                table.title = caption(self.pending)
        else:
            for line in self.pending:
                table.add(line, is_data=False)
        self.pending = []
        table.add(row, is_data=kind == DATA)
        self.gap = False
        if len(table.rows) >= CHUNK_ROWS:  # text-only tables too: memory stays flat
            yield from table.flush(final=False)

    def _block_heading(self, kind: str) -> str | None:
        """A period printed on its own line right above a block's header row ("2019" over
        "Area | Q1 | Q2", the blocks repeating for each year) heads every column of it."""
        if kind != HEADER or not self.pending or self.pending_gap:
            return None
        text = line_text(self.pending[-1])
        return text if PERIOD_HEADING.match(text) else None

    def mark_gap(self) -> None:
        self.gap = True
        self.pending_gap = True
        if self.in_notes and self.table is not None:
            self.table.notes += [line_text(line) for line in self.pending]
            self.pending = []
            self.in_notes = False

    def finish(self) -> Iterator[tuple[int, Grid]]:
        notes = [line_text(line) for line in self.pending]
        self.pending = []
        if self.table is not None:
            yield from self.table.flush(final=True, notes=notes)
        self.table = None
        self.gap = False


class SheetLayout:
    """Feed the rows of one sheet in order; get ``(table number, Grid)`` pairs back."""

    def __init__(self, numbers: Iterator[int] | None = None) -> None:
        self.numbers = numbers if numbers is not None else count()
        self.main = Segmenter(self.numbers)
        self.band: list[Row] = []
        self.blocks: list[tuple[int, int]] | None = None
        self.side: list[Segmenter] = []

    def feed(self, row: Row) -> Iterator[tuple[int, Grid]]:
        if not any(c is not None for c in row):
            yield from self._end_band()
            self.main.mark_gap()
            return
        if self.blocks is not None:
            yield from self._route(row)
            return
        self.band.append(row)
        if len(self.band) >= BAND_LIMIT:
            yield from self._fix_blocks()

    def close(self) -> Iterator[tuple[int, Grid]]:
        yield from self._end_band()
        yield from self.main.finish()

    def _fix_blocks(self) -> Iterator[tuple[int, Grid]]:
        band, self.band = self.band, []
        self.blocks = column_blocks(band)
        if len(self.blocks) > 1:
            yield from self.main.finish()
            self.side = [Segmenter(self.numbers) for _ in self.blocks]
        for row in band:
            yield from self._route(row)

    def _route(self, row: Row) -> Iterator[tuple[int, Grid]]:
        assert self.blocks is not None
        if not self.side:
            yield from self.main.feed(row, self.blocks[0][0])
            return
        for segmenter, block in zip(self.side, self.blocks, strict=True):
            part = clip(row, block)
            if any(c is not None for c in part):
                yield from segmenter.feed(part, block[0])

    def _end_band(self) -> Iterator[tuple[int, Grid]]:
        if self.blocks is None and self.band:
            yield from self._fix_blocks()
        for segmenter in self.side:
            yield from segmenter.finish()
        self.side, self.blocks, self.band = [], None, []


def layout_grids(
    rows: Iterator[Row], numbers: Iterator[int] | None = None, deadline: Deadline | None = None
) -> Iterator[tuple[int, Grid]]:
    """All the tables in a sequence of rows, as ``(table number, Grid)``."""
    layout = SheetLayout(numbers)
    with relaxed_gc():
        for index, row in enumerate(rows):
            if deadline is not None and index % 1000 == 0:
                deadline.check()
            yield from layout.feed(row)
        yield from layout.close()


def structure_confidence(cells: Sequence[Cell]) -> float:
    """How sure the reader is of a table's labels, 0 to 1: the share of its cells that have
    both a row and a column label, capped by the share whose pair of label paths is
    unique. A cell without a label, or two cells under the same labels (a selector would
    match both), is where a claim check could take the wrong figure."""
    if not cells:
        return 1.0
    labelled = sum(1 for c in cells if c.row and c.column)
    distinct = len({(tuple(c.row), tuple(c.column)) for c in cells})
    return round(min(labelled, distinct) / len(cells), 2)


def table_records(
    grids: Iterator[tuple[int, Grid]],
    source: Source,
    page: int | None = None,
    sheet: str | None = None,
) -> Iterator[Cell]:
    """The records of each ``(table number, Grid)``, with the table's structure confidence.

    A long table comes in chunks; its confidence is measured on the first chunk and kept
    for the rest, so every cell of a table carries the same value."""
    confidence: dict[int, float] = {}
    for number, grid in grids:
        if number in confidence:  # a later chunk: the records are made with it
            grid.confidence = confidence[number]
            yield from grid_to_cells(grid, source, number, page=page, sheet=sheet)
            continue
        cells = grid_to_cells(grid, source, number, page=page, sheet=sheet)
        confidence[number] = value = structure_confidence(cells)
        for cell in cells:
            cell.confidence = value
        yield from cells
