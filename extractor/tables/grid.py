"""From a grid of printed cells to cell records with header label paths.

Every reader (PDF, spreadsheet, CSV, Word) turns a detected table into a
:class:`Grid` of :class:`GridCell` and calls :func:`grid_to_cells`, so header
detection, label paths, section rows, footnote stripping and totals work the
same way whatever the file format. The steps, each named input → output:

1. ``find_header_rows``: the label-like rows at the top become column label paths;
   spanning headers ("Calendar year" over 2020, 2021, 2022) are carried across.
2. ``find_stub_columns``: the text columns on the left become row label paths;
   blank-means-same-as-above is filled down in outer stub columns.
3. section rows (a label with no values, "Sexual offences" above "Rape") prefix
   the row label paths of the rows below them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise

from ..records import Cell
from ..values import (
    Parsed,
    is_blank,
    marker_flag,
    normalise_space,
    parse_cell_text,
    strip_footnotes,
)
from . import Source

_YEAR = re.compile(
    r"^(?:(?:19|20)\d{2}(?:\s*[/\-–]\s*(?:(?:19|20)?\d{2}))?|(?:FY|Q[1-4])\s*\d{2,4}.*)$", re.I
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
PERIOD_HEADING = re.compile(  # a period printed over a block of columns
    rf"^(?:(?:financial|calendar|academic|tax)\s+year\s+|year\s+end(?:ing|ed)\s+(?:{_MONTH}\s+)?)?"
    rf"(?:q[1-4]\s+|{_MONTH}(?:\s*[-–]\s*{_MONTH})?\s+)?(?:19|20)\d{{2}}"
    rf"(?:\s*(?:/|-|–|to)\s*(?:{_MONTH}\s+)?(?:19|20)?\d{{2}})?$",
    re.I,
)


_TOTAL = re.compile(r"^(?:grand\s+)?(?:total|totals|sum|all\b.*|overall)\b", re.I)


@dataclass(slots=True)
class GridCell:
    """One printed cell of a detected table."""

    text: str = ""
    parsed: Parsed | None = None  # set by readers that know the typed value (spreadsheets)
    bbox: list[float] | None = None
    ref: str | None = None  # spreadsheet reference, e.g. "Sheet1!C7"
    hidden: bool = False
    indent: float = 0.0  # left offset (PDF points) or indent level (spreadsheets)
    merged: bool = False  # covered by a merged range; text repeats the anchor's text
    page: int | None = None  # for tables stitched across pages
    bold: bool = False  # printed in bold: a label-only bold row over plain rows is a section
    # the value a spreadsheet stores, when it differs from the one it displays (1276.216
    # shown "1,276.2"); it goes to the record's ``extra["stored"]``
    stored: int | float | str | None = None


@dataclass
class Grid:
    rows: list[list[GridCell]]
    title: str | None = None
    infer_spans: bool = True  # carry blank upper-header cells from the left (no merge info)
    header_rows: int | None = None  # force the number of header rows
    stub_columns: int | None = None  # force the number of row-label columns
    notes: list[str] = field(default_factory=list)
    confidence: float | None = None  # how sure the reader is of the structure (Cell.confidence)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def text(self, i: int, j: int) -> str:
        row = self.rows[i]
        return row[j].text if j < len(row) else ""


def _parsed(cell: GridCell) -> Parsed:
    return cell.parsed if cell.parsed is not None else parse_cell_text(cell.text)


def is_label_like(text: str) -> bool:
    """True for text that reads as a label: words, or year-like numbers (2022, 2019/20)."""
    t = normalise_space(text)
    if is_blank(t):
        return False
    if _YEAR.match(strip_footnotes(t)):
        return True
    parsed = parse_cell_text(t)
    return isinstance(parsed.value, str) and parsed.flag is None


def _is_data_like(cell: GridCell) -> bool:
    if is_blank(cell.text) and cell.parsed is None:
        return False
    parsed = _parsed(cell)
    if parsed.flag:
        return True
    if isinstance(parsed.value, int | float) and not isinstance(parsed.value, bool):
        return not _YEAR.match(strip_footnotes(normalise_space(cell.text)))
    return False


def _column_kind(body: list[list[GridCell]], j: int) -> str:
    """empty, data (mostly numbers/markers) or text."""
    cells = [row[j] for row in body if j < len(row) and not is_blank(row[j].text)]
    if not cells:
        return "empty"
    data = sum(_is_data_like(c) for c in cells)
    return "data" if data * 2 >= len(cells) else "text"


def _is_line_number_column(body: list[list[GridCell]], j: int) -> bool:
    """Form layouts number their lines (``26  Reference Books  8,947``): part of the label."""
    printed = [_parsed(row[j]).value for row in body if j < len(row) and not is_blank(row[j].text)]
    numbers = [n for n in printed if isinstance(n, int) and 0 <= n < 10_000]
    if len(numbers) < 2 or len(numbers) < 0.6 * len(printed):
        return False  # a few lines may be unnumbered ("Na") or carry words
    rising = sum(b > a for a, b in pairwise(numbers))
    return rising >= 0.8 * (len(numbers) - 1)


def _is_lone_numbered_line(body: list[list[GridCell]], j: int) -> bool:
    """A table of one line that starts with a form's line number ("25  Total Book
    Stock …"): the number is part of the label, as in the form's longer tables."""
    if len(body) != 1 or j >= len(body[0]):
        return False
    text = normalise_space(body[0][j].text)
    return text.isdigit() and len(text) <= 4


def _is_code_column(body: list[list[GridCell]], j: int) -> bool:
    """Small whole numbers (or "Na") numbering the label columns beside them: a test
    number, a rank. Measured values do not stand left of the labels they belong to."""
    printed = [_parsed(row[j]) for row in body if j < len(row) and not is_blank(row[j].text)]
    data = [p.value for p in printed if not isinstance(p.value, str)]  # labels may span
    whole = [v for v in data if isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 1000]
    return len(whole) >= 2 and all(v is None or v in whole for v in data)


def _next_kind(kinds: list[str], start: int) -> str | None:
    """The kind of the first non-empty column from ``start`` (spacer columns skipped)."""
    return next((k for k in kinds[start:] if k != "empty"), None)


def find_stub_columns(grid: Grid, first_data_row: int) -> int:
    """How many columns on the left hold row labels rather than data.

    The text columns on the left, after an optional line-number column. A table with
    no number column at all (a list of text records) keeps only its first column as
    the row label, so the other columns stay values.
    """
    if grid.stub_columns is not None:
        return grid.stub_columns
    if grid.width < 2:
        return 0
    body = grid.rows[first_data_row:] or grid.rows
    kinds = [_column_kind(body, j) for j in range(grid.width)]
    if "data" not in kinds[1:]:
        return 2 if kinds[0] == "empty" else 1  # no number column: a text table
    first = 1 if kinds[0] == "empty" else 0  # an empty leading column: look past it
    start, numbered = first, False
    if (
        kinds[first] == "data"
        and _next_kind(kinds, first + 1) == "text"
        and (
            _is_line_number_column(body, first)
            or _is_code_column(body, first)
            or _is_lone_numbered_line(body, first)
        )
    ):
        start, numbered = first + 1, True
    stub = start
    for j in range(start, grid.width - 1):
        if kinds[j] == "empty":
            continue  # a blank spacer column between label columns (spreadsheet forms)
        if kinds[j] != "text":
            break
        stub = j + 1
    if numbered and "text" in kinds[stub:]:
        # a numbered list of records with text values right of its figures (a return
        # listing service points): the number and the name identify the row
        stub = next(j for j in range(start, grid.width) if kinds[j] == "text") + 1
    return max(stub, 1)


_CODE = re.compile(r"^[A-Z]{0,4}\d{4,}$")


def find_record_key(grid: Grid, header_rows: int) -> int | None:
    """The identifying column of a record list (a payments listing), or None.

    A row label tells rows apart; a first column printing the same text on every row
    ("Department of Health") does not, so the table is a list of records whose every
    column is a cell, keyed by its first column of codes (a transaction number):
    non-blank on every row and mostly distinct, digits without separators.
    """
    body = grid.rows[header_rows:]
    if len(body) < 3 or grid.width < 3:
        return None
    first = {normalise_space(row[0].text) for row in body if row}
    if len(first) != 1 or is_blank(next(iter(first))):
        return None
    for j in range(1, grid.width):
        texts = [normalise_space(row[j].text) if j < len(row) else "" for row in body]
        if not all(_CODE.match(t) for t in texts):
            continue
        if len(set(texts)) >= 0.6 * len(texts):
            return j
    return None


_LEADER = re.compile(r"(?:\.\s?){4,}$|(?:…\s?)+$|(?:_\s?){4,}$")
_CONTENTS = re.compile(r"^(?:table\s+of\s+)?contents?:?$|^index$", re.I)


def is_contents_list(grid: Grid, header_rows: int, stub: int) -> bool:
    """A contents page read as a table: headings, most ending in a leader of dots (or
    under a "Contents" caption), each with one page number, the numbers rising. Its
    records would be junk (page 12 is no figure), so the table gives none."""
    body = [row for row in grid.rows[header_rows:] if any(not is_blank(c.text) for c in row)]
    if len(body) < 3 or not stub:
        return False
    pages: list[int] = []
    leaders = 0
    for row in body:
        texts = [normalise_space(c.text) for c in row]
        if any(_LEADER.search(t) for t in texts):
            leaders += 1
        values = [t for t in texts[stub:] if t and not _LEADER.fullmatch(t)]
        if len(values) > 1:
            return False
        if values:
            if not values[0].isdigit():
                return False
            pages.append(int(values[0]))
    if len(pages) < 3 or any(b < a for a, b in pairwise(pages)):
        return False
    titled = bool(grid.title and _CONTENTS.match(normalise_space(grid.title)))
    return titled or 2 * leaders >= len(body)


def find_header_rows(grid: Grid, stub: int) -> int:
    """How many rows at the top are column headers (label-like, no data values)."""
    if grid.header_rows is not None:
        return grid.header_rows
    count = 0
    for row in grid.rows:
        values = [c for c in row[stub:] if not is_blank(c.text)]
        if any(_is_data_like(c) for c in values):
            if count and stub and _is_column_number_row(row, stub, values):
                count += 1  # "1 2 3 4 5" under the names numbers the columns
                continue
            break
        if _is_year_like_data_row(values):
            break  # counts that happen to look like years (1986, 2018, 2024)
        if not values and count == 0:
            count += 1  # a blank top row above the headers
            continue
        if not values:
            break
        count += 1
    if count >= len(grid.rows):
        # no numeric rows at all (a text table): the first row is the header, and the
        # rows after it whose stub is blank continue it
        count = 1
        while (
            count < len(grid.rows) - 1
            and all(is_blank(grid.text(count, j)) for j in range(stub))
            and stub
        ):
            count += 1
    return count


def _is_year_like_data_row(values: list[GridCell]) -> bool:
    """Year headings run in steps (2009 2010 2011; 2001 2011 2021); numbers that only look
    like years (counts of 1986, 2018 and 2024) do not, so that row is data."""
    numbers = [
        _parsed(c).value
        for c in values
        if not c.merged and isinstance(_parsed(c).value, int | float)
    ]
    if len(numbers) < 2:
        return False
    return not years_run_as_headings(numbers)  # type: ignore[arg-type]


def years_run_as_headings(numbers: Sequence[float]) -> bool:
    """Do year-like numbers run as column headings do: in equal steps of at most ten
    (2009 2010 2011; 2001 2011 2021; 2021 2019 2017), or the same run repeated under
    each group (2019 2020 | 2019 2020)? Counts that look like years (1986, 2018, 2024)
    jump about."""
    if len(numbers) < 2:
        return False
    steps = {b - a for a, b in pairwise(numbers)}
    if len(steps) == 1:
        return 0 < abs(next(iter(steps))) <= 10
    runs: list[list[float]] = [[numbers[0]]]
    for a, b in pairwise(numbers):
        if b <= a:
            runs.append([b])  # back to the start: the next group's run
        else:
            runs[-1].append(b)
    return len(runs) > 1 and all(run == runs[0] for run in runs) and years_run_as_headings(runs[0])


def _is_column_number_row(row: list[GridCell], stub: int, values: list[GridCell]) -> bool:
    """A row that numbers the columns (1, 2, 3 … left to right, stub blank) is a header row."""
    if len(values) < 2 or any(not is_blank(c.text) for c in row[:stub]):
        return False
    numbers = [_parsed(c).value for c in values]
    return numbers == list(range(1, len(numbers) + 1))


_CONTINUES = re.compile(r"(?:&|\+|,|/|\band|\bof|\bthe|\bfor|\bin)$", re.I)


def join_wrapped_group_labels(body: list[list[GridCell]], stub: int) -> None:
    """A group label in an outer stub column printed over two rows ("YORKSHIRE &" above
    "THE HUMBER") is one label: the first line ends with a joining word or sign. The
    joined label goes on the first row, and blank-means-same carries it down. Only a
    group column counts: one whose label is printed once over blank cells (a column of
    names such as "Kingston upon Hull, City of" fills every row)."""
    for j in range(stub - 1):
        filled = sum(1 for row in body if j < len(row) and not is_blank(row[j].text))
        if filled * 2 > len(body):
            continue
        for i in range(len(body) - 1):
            row, below = body[i], body[i + 1]
            if j >= len(row) or j >= len(below):
                continue
            first, second = normalise_space(row[j].text), normalise_space(below[j].text)
            if first and second and _CONTINUES.search(first):
                row[j] = replace(row[j], text=f"{first} {second}")
                below[j] = GridCell()


_KEY_HEADER = re.compile(r"^(?:\w+_)?(?:id|key|fid|objectid|rowid)$", re.I)


def silent_stub_columns(grid: Grid, header_rows: int, stub: int) -> set[int]:
    """Stub columns that are neither row labels nor cells: they add nothing to a row's name.

    - a database key (a column headed ``CDU_ID``, ``ID``, ``OBJECTID`` holding whole
      numbers) left of another stub column that names the row;
    - a classification repeated on every row right of the row's own label (``Local
      Authorities`` / ``LA`` after each area's name). A constant column further left
      ("Physics" between year and college) is an outer level and stays.
    """
    body = grid.rows[header_rows:]
    if stub < 2 or len(body) < 3:
        return set()
    silent: set[int] = set()
    for j in range(stub - 1):
        header = " ".join(grid.text(i, j) for i in range(header_rows)).strip()
        values = [row[j].text for row in body if j < len(row) and not is_blank(row[j].text)]
        if _KEY_HEADER.match(header) and values and all(v.strip().isdigit() for v in values):
            silent.add(j)
    for j in range(stub - 1, 0, -1):
        seen = {normalise_space(row[j].text) if j < len(row) else "" for row in body}
        if len(seen) != 1 or "" in seen:
            break
        silent.add(j)
    if len(silent) >= stub:
        return set()
    return silent


def _clean_label(text: str) -> str:
    return strip_footnotes(normalise_space(text))


def column_label_paths(grid: Grid, header_rows: int, stub: int) -> list[list[str]]:
    width = grid.width
    table: list[list[str]] = []
    for i in range(header_rows):
        labels = [_clean_label(grid.text(i, j)) for j in range(width)]
        if grid.infer_spans and i < header_rows - 1:
            carried = ""
            for j in range(stub, width):
                if labels[j]:
                    carried = labels[j]
                elif carried and _spans_over(grid, i, j):
                    labels[j] = carried
        table.extend(split_code_labels(labels, stub))
    paths = []
    for j in range(width):
        path: list[str] = []
        for labels in table:
            if labels[j] and (not path or path[-1] != labels[j]):
                path.append(labels[j])
        paths.append(path)
    return paths


_AREA_CODE = r"[A-Z]{1,3}\d{5,}"  # ONS GSS codes (E10000006, W06000001, S12000033) and the like
_NAME_THEN_CODE = re.compile(rf"^(?P<name>.*[^\W\d].*?)\s+(?P<code>{_AREA_CODE})$")
_CODE_THEN_NAME = re.compile(rf"^(?P<code>{_AREA_CODE})\s+(?P<name>.*[^\W\d].*)$")


def split_code_labels(labels: list[str], stub: int) -> list[list[str]]:
    """A header row whose headings join a name and its code ("Cumbria E10000006": the
    code printed on a line of its own under the name, read as one wrapped heading) →
    two header rows, in printed order: the name and the code are two levels, as when
    they stand in rows of their own. Only when most headings of the row carry a code."""
    named = [
        (k, _NAME_THEN_CODE.match(t) or _CODE_THEN_NAME.match(t)) for k, t in enumerate(labels)
    ]
    found = [(k, m) for k, m in named[stub:] if m is not None]
    filled = sum(1 for t in labels[stub:] if t)
    if len(found) < 2 or 2 * len(found) < filled:
        return [labels]
    code_first = found[0][1].re is _CODE_THEN_NAME
    names, codes = list(labels), [""] * len(labels)
    for k, match in found:
        names[k], codes[k] = match["name"].strip(), match["code"]
    return [codes, names] if code_first else [names, codes]


def add_period_heading(grid: Grid, heading: str, page: int | None = None) -> bool:
    """A period printed on its own line right above a table ("2019" over "Area | Q1 |
    Q2", the block repeated for each year) heads every value column: it becomes the top
    header row, so the label path keeps the outer level (``["2019", "Q1"]``). Returns
    whether ``heading`` is such a period."""
    text = normalise_space(heading)
    if not PERIOD_HEADING.match(text) or not grid.rows:
        return False
    header_rows = grid.header_rows
    stub = find_stub_columns(grid, header_rows or 0)
    row = [GridCell(page=page) for _ in range(grid.width)]
    for j in range(stub, grid.width):
        row[j] = GridCell(text, page=page, merged=j > stub)
    grid.rows.insert(0, row)
    if header_rows is not None:
        grid.header_rows = header_rows + 1
    return True


def _spans_over(grid: Grid, i: int, j: int) -> bool:
    """A blank upper-header cell is under a spanning label when the row below is labelled."""
    return i + 1 < len(grid.rows) and not is_blank(grid.text(i + 1, j))


def _is_section_row(row: list[GridCell], stub: int) -> bool:
    if any(not is_blank(row[j].text) for j in range(stub, len(row))):
        return False
    return any(not is_blank(c.text) for c in row[:stub])


def _opens_section(
    body: list[list[GridCell]], i: int, indents_vary: bool, plain_rows_seen: bool
) -> bool:
    """Is a label-only row a section heading, or a data row left blank?

    With indentation, a heading has its rows indented under it. Without, a table that
    begins with plain data rows has no sections (a label-only row there is blank)
    unless the label is bold and the row below it is not.
    """
    below = body[i + 1] if i + 1 < len(body) else None
    if indents_vary:  # indented under it, or bold over plain rows (left unindented)
        indented = bool(below) and below is not None and below[0].indent > body[i][0].indent
        return indented or _bold_over_plain(body, i)
    if below and body[i][0].bold and not below[0].bold:
        return True
    return not plain_rows_seen


def _bold_over_plain(body: list[list[GridCell]], i: int) -> bool:
    below = body[i + 1] if i + 1 < len(body) else None
    return bool(below and body[i]) and body[i][0].bold and not (below and below[0].bold)


def _bold_over_unindented_rows(body: list[list[GridCell]], i: int) -> bool:
    return _bold_over_plain(body, i) and body[i + 1][0].indent <= body[i][0].indent + _INDENT_STEP


_INDENT_STEP = 0.5  # PDF points, or spreadsheet indent levels (whole numbers)


def _indents_vary(rows: list[list[GridCell]], stub: int) -> bool:
    """Do the row labels use indentation (so a row back at a section's indent ends it)?"""
    indents = [row[0].indent for row in rows if row and stub and not is_blank(row[0].text)]
    return bool(indents) and max(indents) - min(indents) > _INDENT_STEP


MAX_STACKED = 3  # heading rows in a row that still nest ("All persons" > "Men" > "16-17")
_REMARK = re.compile(r"^\([^()]*\)$")


@dataclass
class _Sections:
    """The section rows in force ("Sexual offences" above "Rape"), outermost first."""

    indents_vary: bool
    stack: list[tuple[str, float]] = field(default_factory=list)
    # Without indentation, consecutive heading rows nest ("All persons" over "16-17"), and
    # a run of k headings after data rows replaces the innermost k levels of the stack.
    # A run longer than MAX_STACKED is a list of text lines (a form's questions), not
    # stacked headings: each line then heads the rows below alone.
    run: list[tuple[str, float]] = field(default_factory=list)
    base: list[tuple[str, float]] = field(default_factory=list)
    # bold headings whose plain rows are printed at the heading's own indent: a plain row
    # there stays inside; a bold one (the section's subtotal) closes the section
    bold_heads: set[int] = field(default_factory=set)  # stack depths

    def open(self, label: str, indent: float) -> None:
        if not self.indents_vary:
            if not self.run:
                self.base = list(self.stack)
            self.run.append((label, indent))
            if len(self.run) > MAX_STACKED:
                self.stack = [(label, indent)]
            else:
                self.stack = self.base[: max(0, len(self.base) - len(self.run))] + self.run
            return
        while self.stack and self.stack[-1][1] >= indent - _INDENT_STEP:
            self.stack.pop()
        self.bold_heads = {depth for depth in self.bold_heads if depth < len(self.stack)}
        self.stack.append((label, indent))

    def for_row(self, labels: list[str], indent: float, bold: bool = False) -> list[str]:
        """The section path of a data row; a row at a section's own indent closes it."""
        self.run = []
        if self.indents_vary:
            while self.stack and indent <= self.stack[-1][1] + _INDENT_STEP:
                level = len(self.stack) - 1
                if level in self.bold_heads and not bold and indent >= self.stack[-1][1] - 0.5:
                    break
                self.bold_heads.discard(level)
                self.stack.pop()
        elif (
            self.stack
            and labels
            and _TOTAL.match(labels[-1])
            and indent <= self.stack[-1][1] + _INDENT_STEP  # its own indent, to rounding
        ):
            self.stack.clear()
        return [label for label, _ in self.stack]


def grid_to_cells(
    grid: Grid,
    source: Source,
    table: int,
    page: int | None = None,
    sheet: str | None = None,
) -> list[Cell]:
    """Cell records for every non-blank data cell of ``grid``."""
    if not grid.rows or grid.width < 2:
        return []
    stub_guess = find_stub_columns(grid, 0)
    header_rows = find_header_rows(grid, stub_guess)
    stub = find_stub_columns(grid, header_rows)
    if stub != stub_guess:
        header_rows = find_header_rows(grid, stub)
    if is_contents_list(grid, header_rows, stub):
        return []  # a contents page: headings and the pages they start on
    key = find_record_key(grid, header_rows)
    if key is not None:
        return _record_cells(grid, source, table, page, sheet, header_rows, key)
    columns = column_label_paths(grid, header_rows, stub)
    silent = silent_stub_columns(grid, header_rows, stub)
    body_rows = grid.rows[header_rows:]
    numbered_lines = stub > 1 and _is_line_number_column(body_rows, 0)
    lone_line = stub > 1 and _is_lone_numbered_line(body_rows, 0)
    numbering = cell_number_columns(grid, header_rows, stub, columns, lone_line)
    numbered = {left: j for j, left in numbering.items()}
    join_wrapped_group_labels(grid.rows[header_rows:], stub)
    column_totals = [bool(path and _TOTAL.match(path[-1])) for path in columns]
    file, sha256, title, width = source.name, source.sha256, grid.title, len(columns)
    confidence = grid.confidence
    cells: list[Cell] = []
    sections = _Sections(_indents_vary(grid.rows[header_rows:], stub))
    above: list[str] = [""] * stub
    body = grid.rows[header_rows:]
    plain_rows_seen = False  # data rows outside any section
    for i, row in enumerate(body):
        if _is_section_row(row, stub) and stub:
            label = " ".join(_clean_label(c.text) for c in row[:stub] if not is_blank(c.text))
            if _REMARK.match(label):
                continue  # "(cumulative, i.e. inclusive of …)": a remark on the rows, no heading
            if marker_flag(label) is None and _opens_section(
                body, i, sections.indents_vary, plain_rows_seen
            ):
                sections.open(label, row[0].indent)
                if sections.indents_vary and _bold_over_unindented_rows(body, i):
                    sections.bold_heads.add(len(sections.stack) - 1)
                continue
        plain_rows_seen = plain_rows_seen or not sections.stack
        labels = []
        own = next((j for j in range(stub) if j < len(row) and not is_blank(row[j].text)), stub)
        if numbered_lines and own > 0:
            own = 0  # a form's unnumbered line is a line of its own, not the one above
        for j in range(stub):
            if j in silent:
                continue
            text = _clean_label(row[j].text) if j < len(row) else ""
            if not text and j < stub - 1 and j < own:
                text = above[j]  # blank means same as above, left of the row's own label
            above[j] = text
            if text:
                labels.append(text)
        section = sections.for_row(labels, row[0].indent if row else 0.0, bool(row) and row[0].bold)
        row_path = [*section, *labels] if section and labels != section else labels
        is_total_row = bool(labels) and bool(_TOTAL.match(labels[-1]))
        for j in range(stub, len(row)):
            if j in numbering:
                continue  # a form's cell numbers: they go with the values they number
            gc = row[j]
            parsed = gc.parsed
            if parsed is None:
                if is_blank(gc.text):
                    continue
                parsed = parse_cell_text(gc.text)
                if parsed.value is None and parsed.flag is None:
                    continue
            known = j < width
            extra: dict[str, object] = {"stored": gc.stored} if gc.stored is not None else {}
            if j in numbered and numbered[j] < len(row) and not is_blank(row[numbered[j]].text):
                extra["cell_number"] = normalise_space(row[numbered[j]].text)
            # positional arguments, in Cell's field order: half the cost of keywords,
            # which counts at a million cells. The cells of one row (and of one column)
            # share their label list: records are read-only, and copies per cell were
            # most of the memory of a large sheet.
            cells.append(
                Cell(
                    file,
                    sha256,
                    table,
                    row_path,
                    columns[j] if known else [],
                    parsed.value,
                    normalise_space(gc.text),
                    gc.page if gc.page is not None else page,
                    sheet,
                    title,
                    parsed.flag,
                    parsed.unit,
                    gc.bbox,
                    gc.ref,
                    gc.hidden,
                    is_total_row or (known and column_totals[j]),
                    confidence,
                    extra,
                )
            )
        if sections.indents_vary and labels and _heads_indented_rows(body, i, stub):
            sections.open(labels[-1], row[0].indent)  # "Private sector, of which:" + figures
    return cells


def cell_number_columns(
    grid: Grid, header_rows: int, stub: int, columns: list[list[str]], lone_line: bool = False
) -> dict[int, int]:
    """Columns numbering a form's cells → the value column each one numbers.

    Returns printed for a statistics body (CIPFA's library return: ``26 Reference Books
    8,947 57``) put a reference number right of every answer, counting up by one down
    the form. Such a column has no heading of its own (blank, or the heading spanning
    the value beside it), holds plain whole numbers rising by exactly one, and stands
    right of a filled cell on each of its rows. It is no figure: the number goes to the
    value's ``extra["cell_number"]``, so nothing printed is lost.
    """
    body = grid.rows[header_rows:]
    found: dict[int, int] = {}
    for j in range(stub + 1, grid.width):
        left = j - 1
        while left > stub and all(left >= len(r) or is_blank(r[left].text) for r in body):
            left -= 1  # a blank spacer column between a value and its number
        if left in found:
            continue
        own = columns[j] if j < len(columns) else []
        if own and own != (columns[left] if left < len(columns) else []):
            continue  # headed: a column of figures ("Rank")
        numbers = _form_numbers(body, j, left)
        rising = numbers is not None and all(b == a + 1 for a, b in pairwise(numbers))
        # a form's one-line table: its one unheaded number right of a headed figure
        lone = lone_line and numbers is not None and len(numbers) == 1 and bool(columns[left])
        if numbers is not None and (len(numbers) >= 2 or lone) and rising:
            found[j] = left
    return found


def _form_numbers(body: list[list[GridCell]], j: int, left: int) -> list[int] | None:
    """The plain whole numbers of column ``j``, each beside a filled cell, or None."""
    numbers: list[int] = []
    for row in body:
        text = normalise_space(row[j].text) if j < len(row) and not row[j].merged else ""
        if not text:
            continue  # blank, or a copy of a merged cell's text (a note across the form)
        if not text.isdigit() or left >= len(row) or is_blank(row[left].text):
            return None
        numbers.append(int(text))
    return numbers


def _heads_indented_rows(body: list[list[GridCell]], i: int, stub: int) -> bool:
    """A row with figures of its own that announces a breakdown ("Private sector
    buildings, of which:") is the parent of the rows indented under it."""
    if i + 1 >= len(body) or not body[i] or not body[i + 1] or _is_section_row(body[i], stub):
        return False
    indent = body[i][0].indent
    under = 0
    for row in body[i + 1 :]:
        if not row or is_blank(row[0].text) or row[0].indent <= indent + _INDENT_STEP:
            break
        if _TOTAL.match(_clean_label(row[0].text)):
            break  # a total set in from its column is not a child row
        under += 1
    label = _clean_label(body[i][0].text).rstrip().casefold()
    return under >= 1 and label.endswith((":", "of which", "including"))


def _record_cells(
    grid: Grid,
    source: Source,
    table: int,
    page: int | None,
    sheet: str | None,
    header_rows: int,
    key: int,
) -> list[Cell]:
    """A record list: every column but the key is a cell, labelled by the key's value."""
    columns = column_label_paths(grid, header_rows, 0)
    cells: list[Cell] = []
    for row in grid.rows[header_rows:]:
        label = _clean_label(row[key].text) if key < len(row) else ""
        row_path = [label] if label else []
        for j, gc in enumerate(row):
            if j == key:
                continue
            parsed = gc.parsed
            if parsed is None:
                if is_blank(gc.text):
                    continue
                parsed = parse_cell_text(gc.text)
                if parsed.value is None and parsed.flag is None:
                    continue
            cells.append(
                Cell(
                    source.name,
                    source.sha256,
                    table,
                    row_path,
                    columns[j] if j < len(columns) else [],
                    parsed.value,
                    normalise_space(gc.text),
                    gc.page if gc.page is not None else page,
                    sheet,
                    grid.title,
                    parsed.flag,
                    parsed.unit,
                    gc.bbox,
                    gc.ref,
                    gc.hidden,
                    False,
                    grid.confidence,
                )
            )
    return cells


def text_grid(rows: Sequence[Sequence[str | None]], title: str | None = None) -> Grid:
    """A grid from plain strings (CSV rows, pdfplumber's extract_tables output)."""
    return Grid(
        rows=[[GridCell(text=normalise_space(t or "")) for t in row] for row in rows],
        title=title,
    )
