"""Borderless tables: lines of segments aligned only by whitespace → grids.

The steps, each named input → output:

0. ``split_side_by_side``: lines shared by two tables printed next to each other are
   cut at the gutter between them, and each side is read on its own.
1. ``lines_to_blocks``: runs of *data lines* (a label then numbers or markers,
   separated by column gaps) with the section rows and wrapped labels between them.
2. ``block_header``: the label lines just above a block (spanning headers included)
   and the caption above those, which becomes the table's title.
3. ``block_columns``: column intervals from the numbers (which line up) and from the
   text segments that do not overlap any number column.
4. ``block_to_grid``: each line's segments placed in columns; wrapped lines joined;
   header lines that only wrap a label are merged into one header row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise
from statistics import median

from ..values import normalise_space
from .grid import Grid, GridCell, add_period_heading, years_run_as_headings
from .pdf_layout import BBox, Frame, Line, Segment, Word, is_data_text, join_wrapped

MIN_HEADLESS_ROWS = 3
HEAD_BAND_RATIO = 0.06  # the top of the page where running headers stand
SPACED_ROWS_RATIO = 4.0  # blank space (in font sizes) a form may leave between its rows
_YEARS_STUB = re.compile(r"^(?:(?:financial|calendar|academic)\s+)?years?:?$", re.I)
_YEARISH = re.compile(r"^(?:19|20)\d{2}(?:\s*[/\-–]\s*(?:19|20)?\d{2})?$")


@dataclass
class Column:
    x0: float
    x1: float

    def overlap(self, seg: Segment) -> float:
        return min(self.x1, seg.x1) - max(self.x0, seg.x0)


@dataclass
class Block:
    body: list[Line]
    header: list[Line] = field(default_factory=list)
    title: str | None = None
    title_lines: list[Line] = field(default_factory=list)

    @property
    def top(self) -> float:
        return (self.header or self.body)[0].top

    @property
    def bottom(self) -> float:
        return self.body[-1].bottom


@dataclass
class BorderlessTable:
    bbox: BBox  # logical frame
    grid: Grid
    header_bottom: float
    row_tops: list[float]


def is_data_line(line: Line) -> bool:
    """Two or more cells, at least one after the first a number or marker (not a year),
    or a labelled row of counts that only look like years (:func:`counts_like_years`)."""
    return len(line.segments) >= 2 and (
        any(s.is_data and not _YEARISH.match(s.text) for s in line.segments[1:])
        or counts_like_years(line)
    )


def _year_values(line: Line) -> list[int]:
    return [
        int(s.text)
        for s in line.segments[1:]
        if s.is_data and _YEARISH.match(s.text) and s.text.isdigit()
    ]


def counts_like_years(line: Line) -> bool:
    """A row label, then whole numbers in the years' range that do not run in steps as
    headings do (2019 2020 2021; 2001 2011 2021): counts such as 1986, 2018, 2024.

    Years heading columns stand over them with nothing under the row labels, or under a
    stub heading; a row whose numbers jump about unevenly is data whatever they look like.
    """
    label = line.segments[0]
    if label.is_data or _YEARISH.match(label.text) or _YEARS_STUB.match(label.text.strip()):
        return False
    years = _year_values(line)
    if len(years) < 2 or len(years) < len(line.segments) - 1:
        return False
    return not years_run_as_headings(years)


_SAME_GAP = 0.05  # pt: line gaps this close are one spacing (text layers round differently)


def _gap(upper: Line, lower: Line) -> float:
    return lower.top - upper.bottom


def lines_to_blocks(lines: list[Line], max_gap_ratio: float) -> list[Block]:
    """Group data lines, and the short lines between them, into table bodies."""
    blocks: list[Block] = []
    current: list[Line] = []
    pending: list[Line] = []  # non-data lines seen since the last data line
    for line in lines:
        limit = max_gap_ratio * line.size
        previous = (pending or current)[-1] if (pending or current) else None
        too_far = previous is not None and _gap(previous, line) > limit
        if is_data_line(line):
            if current and (too_far or _starts_new_table(pending)):
                blocks.append(Block(current + _label_carried_on(current, pending)))
                current = []
            current.extend(pending if current else [])
            current.append(line)
            pending = []
        elif current and not too_far and len(pending) < 3 and _fits_block(line, current):
            pending.append(line)
        else:
            if current:
                blocks.append(Block(current + _label_carried_on(current, pending)))
            current, pending = [], []
    if current:
        blocks.append(Block(current + _label_carried_on(current, pending)))
    return _join_spaced_blocks(blocks, lines)


def _label_carried_on(body: list[Line], after: list[Line]) -> list[Line]:
    """Lines after a table's last row that carry on its label: starting in lower case,
    under the label and clear of the values."""
    last = body[-1]
    carried = []
    for line in after:
        if not (
            line.text[:1].islower() and line.x0 >= last.x0 - 2 and line.x1 < last.segments[1].x0
        ):
            break
        carried.append(line)
    return carried


def _value_right(block: Block, last: bool = True) -> float:
    """Where the values of the block's last (or first) data line end."""
    data = [line for line in block.body if is_data_line(line)]
    return data[-1 if last else 0].segments[-1].x1 if data else -1.0


def _join_spaced_blocks(blocks: list[Block], lines: list[Line]) -> list[Block]:
    """Rows spread out (a form with blank rows) but with nothing printed between them
    and values ending at the same x are one table."""
    index = {id(line): i for i, line in enumerate(lines)}
    joined: list[Block] = []
    for block in blocks:
        if joined:
            before = joined[-1]
            adjacent = index[id(block.body[0])] == index[id(before.body[-1])] + 1
            near = _gap(before.body[-1], block.body[0]) <= SPACED_ROWS_RATIO * block.body[0].size
            # the rows either side of the gap end at the same x (a form's last line
            # may print no cell number)
            aligned = abs(_value_right(before) - _value_right(block, last=False)) <= 3
            if adjacent and near and aligned:
                before.body.extend(block.body)
                continue
        joined.append(block)
    return joined


def _fits_block(line: Line, body: list[Line]) -> bool:
    """Within the table's width; a section label may stand a few characters out."""
    left = min(b.x0 for b in body)
    right = max(b.x1 for b in body)
    return line.x0 >= left - 4 * line.size and line.x1 <= right + 2


def _starts_new_table(pending: list[Line]) -> bool:
    # a row of several labels between data rows is the header of the next table
    return any(len(line.segments) >= 2 for line in pending)


def block_header(
    block: Block,
    lines: list[Line],
    columns_x0: float,
    max_gap_ratio: float,
    taken: set[int],
    head_band: float = 0.0,
) -> None:
    """Collect header lines (and a caption) directly above a block's first line; none from
    the page's head band (``head_band``, a running page header is no column label)."""
    first = block.body[0]
    index = next(i for i, line in enumerate(lines) if line is first)
    left = min(line.x0 for line in block.body)
    index -= _leading_label_lines(block, lines, index, columns_x0, max_gap_ratio, taken)
    below = block.body[0]
    i = index - 1
    width = max(line.x1 for line in block.body) - left
    while i >= 0 and id(lines[i]) not in taken and _below_head(lines, i, head_band):
        line = lines[i]
        # the header may stand further off the body (padding under a header rule)
        allowed = max_gap_ratio * (2 if below is block.body[0] else 1)
        if _gap(line, below) > allowed * line.size:
            break
        if _ends_a_paragraph(lines, i, width):
            return  # the last line of the letter's text above: neither heading nor caption
        if _is_header_like(line, columns_x0):
            block.header.insert(0, line)
            below, i = line, i - 1
            continue
        break
    names = block.header and i >= 0 and id(lines[i]) not in taken
    if names and _names_over_codes(lines[i], block.header[0]):
        block.header.insert(0, lines[i])  # the names a row of codes stands under
        below, i = lines[i], i - 1
    if i >= 0 and id(lines[i]) not in taken:
        line = lines[i]
        caption_gap = _gap(line, below)
        if caption_gap <= 2.5 * line.size and line.x0 <= left + 40 and len(line.text) <= 200:
            block.title = normalise_space(line.text)
            block.title_lines = [line]


def _below_head(lines: list[Line], i: int, head_band: float) -> bool:
    """Is line ``i`` clear of the page's running header? Below the head band, or in it
    but set well apart under a line of its own (a form's section title, then the
    heading of its first table), as a running header's lines are not."""
    line = lines[i]
    if line.top >= head_band:
        return True
    return i > 0 and _gap(lines[i - 1], line) >= 2 * line.size


_CODE = re.compile(r"^[A-Z]{1,3}\d{5,}$")  # E10000006, W06000001, S12000033


def _names_over_codes(line: Line, codes: Line) -> bool:
    """Is ``line`` the row of names over a header row of area codes, set further apart
    than header lines usually are ("Cumbria" over "E10000006")? Each code stands under
    one of its headings; without it, the codes would be the only column labels."""
    found = [s for s in codes.segments if _CODE.match(s.text.strip())]
    if len(found) < 2 or len(found) < len(codes.segments) - 1 or len(line.segments) < 2:
        return False
    if _gap(line, codes) > 4 * line.size:
        return False
    return all(any(min(s.x1, c.x1) - max(s.x0, c.x0) > 0 for s in line.segments) for c in found)


def _ends_a_paragraph(lines: list[Line], i: int, width: float) -> bool:
    """Is line ``i`` the last line of a paragraph of running text (a letter's sentence
    ending "… telephone 0303 123 1113."): the line just above it is one run of text,
    starting where it starts, as close as wrapped lines, and much wider than the table?"""
    if i == 0:
        return False
    line, above = lines[i], lines[i - 1]
    return (
        len(above.segments) == 1
        and abs(above.x0 - line.x0) <= 2
        and _gap(above, line) <= 0.6 * line.size
        and above.x1 - above.x0 > 1.5 * width
    )


def _is_header_like(line: Line, columns_x0: float) -> bool:
    if line.segments[0].x0 >= columns_x0 - 2:
        return True  # nothing under the row labels: headings (a number may be one)
    return len(line.segments) >= 2 and not is_data_line(line)


def trim_running_text(block: Block) -> bool:
    """Lines of running text at either end of a block are not its rows: a sentence that
    happens to hold a number ("… telephone 0303 123 1113.") reads as a label and a
    figure, but its "label" runs on under the figures of the table's other rows, as no
    row label can. Such lines, and label-only lines left outside the figures, go."""
    data = [line for line in block.body if is_data_line(line)]

    def running(line: Line) -> bool:
        label = line.segments[0]
        return not label.is_data and any(
            min(label.x1, x1) - max(label.x0, x0) > 0
            for other in data
            if other is not line
            for x0, x1 in ((s.x0, s.x1) for s in other.segments[1:] if s.is_data)
        )

    if not data:
        return False
    before = len(block.body)
    while data and running(data[0]):  # a sentence, and the rest of it, before the table
        gone = data.pop(0)
        start = block.body.index(gone) + 1
        rest = block.body[start:]
        block.body = rest[next((i for i, ln in enumerate(rest) if is_data_line(ln)), len(rest)) :]
    while data and running(data[-1]):  # a sentence after it
        block.body = block.body[: block.body.index(data.pop())]
    return len(block.body) != before


def _carries_heading(block: Block, after: Block, max_gap_ratio: float) -> bool:
    """A line or two with nothing under the row labels of the table just below, and
    only a section label between: the second line of wrapped headings ("1,000")."""
    line = block.body[-1]
    return (
        len(block.body) <= 2
        and min(ln.x0 for ln in block.body) > min(ln.x0 for ln in after.body) + 2 * line.size
        and _gap(line, after.body[0]) <= 3 * max_gap_ratio * line.size
    )


def _drop_unlabelled_head(block: Block, columns: list[Column]) -> bool:
    """One or two lines opening a body with nothing under the row labels, before a
    labelled row, carry on the heading above ("Rate per" / "1,000"): leave them to
    ``block_header``."""

    def unlabelled(line: Line) -> bool:
        return line.segments[0].x0 > columns[0].x1 + 2

    count = 0
    while count < min(2, len(block.body) - 1) and unlabelled(block.body[count]):
        count += 1
    if not count or unlabelled(block.body[count]):
        return False  # rows with blank labels (a list of payments), not a heading
    block.body = block.body[count:]
    return True


def _leading_label_lines(
    block: Block,
    lines: list[Line],
    index: int,
    columns_x0: float,
    max_gap_ratio: float,
    taken: set[int],
) -> int:
    """Move section rows between the header and the first data row into the body."""
    for count in (1, 2):
        i = index - count
        if i < 1 or any(id(lines[k]) in taken for k in range(i - 1, index)):
            return 0
        candidates = lines[i:index]
        if any(_is_header_like(ln, columns_x0) for ln in candidates):
            return 0
        chain = [lines[i - 1], *candidates, lines[index]]
        if any(_gap(a, b) > max_gap_ratio * b.size for a, b in pairwise(chain)):
            return 0
        if _is_header_like(lines[i - 1], columns_x0):
            block.body[:0] = candidates
            return count
    return 0


def block_columns(block: Block) -> list[Column]:
    """Number columns from aligned numbers, then text columns that overlap none of them."""
    data_lines = [line for line in block.body if is_data_line(line)]
    cut_at = {s.x0 for line in data_lines for s in line.segments if s.words[0].cut}
    numeric = _merge(
        [(s.x0, s.x1) for line in data_lines for s in line.segments if s.is_data], cut_at
    )
    columns = [Column(a, b) for a, b in numeric]
    texts = [
        (s.x0, s.x1)
        for line in data_lines
        for s in line.segments
        if not s.is_data and not any(c.overlap(s) > 0 for c in columns)
    ]
    columns += [Column(a, b) for a, b in _merge(texts, cut_at)]
    return sorted(columns, key=lambda c: c.x0)


def _merge(
    intervals: list[tuple[float, float]], cut_at: set[float] | None = None
) -> list[tuple[float, float]]:
    """Overlapping intervals joined; one starting where a touching column was cut off
    (``cut_at``) and only touching the one before stays apart."""
    merged: list[list[float]] = []
    for x0, x1 in sorted(intervals):
        touching = cut_at is not None and any(abs(x0 - c) <= 1 for c in cut_at)
        if merged and x0 <= merged[-1][1] + 0.5 and not (touching and x0 >= merged[-1][1] - 1):
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return [(a, b) for a, b in merged]


def _place(segment: Segment, columns: list[Column]) -> list[int]:
    """Indices of the columns a segment covers (several for a spanning header)."""
    covered = [i for i, c in enumerate(columns) if c.overlap(segment) > 1.0]  # not touching
    if covered:
        return covered
    centre = (segment.x0 + segment.x1) / 2
    return [min(range(len(columns)), key=lambda i: _distance(columns[i], centre))]


def _distance(column: Column, x: float) -> float:
    return 0.0 if column.x0 <= x <= column.x1 else min(abs(column.x0 - x), abs(column.x1 - x))


@dataclass
class _Row:
    texts: dict[int, list[Segment]] = field(default_factory=dict)
    top: float = 0.0
    spanning: bool = False

    def add(self, column: int, segment: Segment) -> None:
        self.texts.setdefault(column, []).append(segment)


def _group_span(line: Line, k: int, columns: list[Column], below: Line | None = None) -> list[int]:
    """Columns under a group label ("Calendar year" centred over 2020, 2021, 2022).

    Its territory runs to the neighbouring labels on the same line and the columns
    they head (or the table edges, never over the row-label column); within it, the
    widest run of two or more columns the label is centred over, else the columns a
    left-aligned label starts.
    """
    segment = line.segments[k]
    if below is not None and _wraps_onto(segment, below, columns):
        return []
    left = line.segments[k - 1].x1 if k else -1e9
    if segment.x0 > columns[0].x1:
        left = max(left, columns[0].x1)
    right = line.segments[k + 1].x0 if k + 1 < len(line.segments) else 1e9
    claimed = _group_span(line, k - 1, columns, below) if k else []
    if claimed:
        left = max(left, columns[claimed[-1]].x1)  # the label before heads those columns
    covered = [i for i, c in enumerate(columns) if left < (c.x0 + c.x1) / 2 < right]
    centre = (segment.x0 + segment.x1) / 2
    centres = [(c.x0 + c.x1) / 2 for c in columns[1:]]
    pitch = median(b - a for a, b in pairwise(centres)) if len(centres) > 1 else 0.0
    best: tuple[int, float, list[int]] = (0, 0.0, [])
    for a in range(len(covered)):
        for b in range(a + 1, len(covered)):
            span = covered[a : b + 1]
            x0, x1 = columns[span[0]].x0, columns[span[-1]].x1
            if not (x0 - 2 <= segment.x0 and segment.x1 <= x1 + 2):
                continue  # the label must sit within the columns it heads
            miss = abs(centre - (x0 + x1) / 2)
            if (
                below is not None
                and sum(min(s.x1, x1) - max(s.x0, x0) > 0 for s in below.segments) < 2
            ):
                continue  # a group heads two or more headings on the line below
            if miss <= 0.3 * pitch + 2 and (len(span), -miss) > (best[0], best[1]):
                best = (len(span), -miss, span)
    between = (line.segments[k - 1].x1 if k else -1e9, right)  # the neighbouring labels
    if not best[2] and _centred_over_one_heading(segment, below, *between):
        return []  # the upper heading of that one column ("2016/17" over "Total")
    return best[2] or _left_anchored_span(segment, covered, columns, below)


def _centred_over_one_heading(
    segment: Segment, below: Line | None, left: float, right: float
) -> bool:
    """Is the label centred over the single heading beneath it, and over no run of the
    headings between its neighbours on the line? Then it heads that column alone, even
    where it starts at the column's left edge like a left-anchored group."""
    heads = [s for s in below.segments if s.x0 >= left and s.x1 <= right] if below else []
    under = [j for j, s in enumerate(heads) if min(s.x1, segment.x1) > max(s.x0, segment.x0)]
    if len(under) != 1:
        return False
    centre, tolerance = (segment.x0 + segment.x1) / 2, 0.1 * (segment.x1 - segment.x0) + 1

    def centred(a: int, b: int) -> bool:
        return abs(centre - (heads[a].x0 + heads[b].x1) / 2) <= tolerance

    j = under[0]
    runs = [(a, b) for a in range(j + 1) for b in range(max(j, a + 1), len(heads))]
    return centred(j, j) and not any(centred(a, b) for a, b in runs)


def _over(word: Word | Segment, columns: list[Column]) -> list[int]:
    return [i for i, c in enumerate(columns) if min(c.x1, word.x1) - max(c.x0, word.x0) > 1.0]


def _wraps_onto(segment: Segment, below: Line, columns: list[Column]) -> bool:
    """A heading over one column with more of it just beneath, in the same column, is a
    heading wrapped over lines ("(Surplus)" / "Deficit"), not a group over several."""
    over = _over(segment, columns)
    if len(over) != 1:
        return False
    column = columns[over[0]]
    size = segment.words[0].size
    beneath = [
        s
        for s in below.segments
        if _over(s, columns) == over and -2 <= s.top - segment.bottom <= 0.35 * size
    ]
    centre = (segment.x0 + segment.x1) / 2
    return bool(beneath) and column.x0 - 2 <= centre <= column.x1 + 2


def _union(lines: list[Line]) -> Line:
    segments = sorted((s for ln in lines for s in ln.segments), key=lambda s: s.x0)
    return Line([w for s in segments for w in s.words], segments)


def _continues(segment: Segment, above: Line, columns: list[Column]) -> bool:
    """The lower line of a heading wrapped in one column ("(Static/" / "Mobile)")."""
    over = _over(segment, columns)
    if len(over) != 1:
        return False
    size = segment.words[0].size
    return any(
        _over(s, columns) == over and -2 <= segment.top - s.bottom <= 0.35 * size
        for s in above.segments
    )


def split_by_columns(line: Line, columns: list[Column]) -> Line:
    """Headings of neighbouring columns printed close together ("Expenditure Income")
    are cut where their words stand over different columns."""
    segments: list[Segment] = []
    for segment in line.segments:
        groups: list[list[Word]] = []
        last: list[int] = []
        for word in segment.words:
            over = _over(word, columns)
            if groups and (len(over) != 1 or over == last or not last):
                groups[-1].append(word)
            else:
                groups.append([word])
            if len(over) == 1:
                last = over
        segments.extend(Segment(g) for g in groups)
    if len(segments) == len(line.segments):
        return line
    return Line(line.words, segments)


def _left_anchored_span(
    segment: Segment, covered: list[int], columns: list[Column], below: Line | None
) -> list[int]:
    """A group label printed at the left edge of its first column ("Male" over 2022, 2023)
    heads every column up to the next label on its line.

    A label lying within its first column's extent and as close to the line below as
    lines wrapped in one cell, or with no heading under one of the columns, is a
    wrapped column heading instead.
    """
    span = [i for i in covered if i > 0 and (columns[i].x0 + columns[i].x1) / 2 > segment.x0]
    if len(span) < 2 or segment.x0 < columns[0].x1:
        return []
    first = columns[span[0]]
    if segment.x0 > first.x0 + 2:
        return []  # starts inside the column: not anchored at its left edge
    wrapped = below is None or below.top - segment.bottom <= 0.3 * segment.words[0].size
    if segment.x0 >= first.x0 - 2 and segment.x1 <= first.x1 + 2 and wrapped:
        return []  # within its column, and as close to the line below as wrapped lines
    if below is not None and not all(
        any(columns[i].overlap(s) > 0 for s in below.segments) for i in span
    ):
        return []  # a heading wrapped at the top of its column: the next one is beside it
    return span


def _line_row(
    line: Line,
    columns: list[Column],
    header: bool,
    upper: bool = False,
    below: Line | None = None,
    above: Line | None = None,
) -> _Row:
    row = _Row(top=line.top)
    for k, segment in enumerate(line.segments):
        group = upper and not (above is not None and _continues(segment, above, columns))
        covered = (_group_span(line, k, columns, below) if group else []) or _place(
            segment, columns
        )
        if header and len(covered) > 1:
            row.spanning = True
            for column in covered:
                row.add(column, segment)
        else:
            row.add(covered[0] if header else _best(segment, covered, columns), segment)
    return row


def _best(segment: Segment, covered: list[int], columns: list[Column]) -> int:
    return max(covered, key=lambda i: columns[i].overlap(segment))


def _merge_rows(upper: _Row, lower: _Row) -> _Row:
    merged = _Row(top=upper.top, spanning=upper.spanning or lower.spanning)
    for source in (upper, lower):
        for column, segments in source.texts.items():
            merged.texts.setdefault(column, []).extend(segments)
    return merged


_UNIT = re.compile(r"^(?:£|\$|€)?\s*(?:m|bn|k|000|'000|000s|millions?|thousands?)$|^%$|^£$", re.I)


def _is_units_line(line: Line) -> bool:
    """A header line of units only ("£m" over every column) is a header level of its own,
    not the last line of wrapped headings."""
    return len(line.segments) >= 2 and all(_UNIT.match(s.text.strip()) for s in line.segments)


def _beneath(lines: list[Line], columns: list[Column]) -> Line:
    """The headings under a header line, from all the header lines below it but units
    ("£m"), as one line: a group label heads the headings below it however they wrap."""
    kept = [split_by_columns(ln, columns) for ln in lines if not _is_units_line(ln)]
    if not kept:
        return lines[0]
    segments = sorted((s for ln in kept for s in ln.segments), key=lambda s: s.x0)
    words = [w for s in segments for w in s.words]
    return Line(words, segments)


def header_rows(block: Block, columns: list[Column]) -> list[_Row]:
    """Header lines as grid rows: lines that only wrap labels are merged into one row."""
    rows: list[_Row] = []
    last_units = False
    for i, line in enumerate(block.header):
        upper = i < len(block.header) - 1
        if not upper or _is_units_line(block.header[i + 1]):
            line = split_by_columns(line, columns)
        below = _beneath(block.header[i + 1 :], columns) if upper else None
        above = _union(block.header[:i]) if i else None
        row = _line_row(line, columns, header=True, upper=upper, below=below, above=above)
        units = _is_units_line(line)
        if rows and not row.spanning and not rows[-1].spanning and not units and not last_units:
            rows[-1] = _merge_rows(rows[-1], row)
        else:
            rows.append(row)
        last_units = units
    return rows


def body_rows(block: Block, columns: list[Column]) -> list[_Row]:
    """Body lines as grid rows; a label-only line is a section row or a wrapped label."""
    lines = block.body
    rows: list[_Row] = []
    kinds: list[str] = []
    for i, line in enumerate(lines):
        row = _line_row(split_glued_figure(line, columns), columns, header=False)
        if is_data_line(line):
            if kinds and kinds[-1] == "wrap-down":
                row = _merge_rows(rows.pop(), row)
                kinds.pop()
            rows.append(row)
            kinds.append("data")
            continue
        kind = _label_line_kind(lines, i)
        if kind == "wrap-up" and rows and kinds[-1] == "data":
            rows[-1] = _merge_rows(rows[-1], row)
            continue
        if kinds and kinds[-1] == "wrap-down":
            row = _merge_rows(rows.pop(), row)
            kinds.pop()
        rows.append(row)
        kinds.append(kind)
    return rows


def split_glued_figure(line: Line, columns: list[Column]) -> Line:
    """A figure printed less than a column gap after a long label ("Cambridgeshire &
    Peterborough Constab 7397") is read with the label as one segment; the columns
    found over the whole table show it stands in a value column of its own, so it is
    cut off there (the figure, not words of the label, which may run on under blanks)."""
    segments: list[Segment] = []
    for segment in line.segments:
        words = segment.words
        last = words[-1]
        over = _over(last, columns)
        if (
            len(words) > 1
            and is_data_text(last.text)
            and not is_data_text(words[-2].text)
            and len(over) == 1
            and over[0] not in _over(words[-2], columns)
            and over[0] not in _over(words[0], columns)
        ):
            segments += [Segment(words[:-1]), Segment([last])]
        else:
            segments.append(segment)
    if len(segments) == len(line.segments):
        return line
    return Line(line.words, segments)


def _label_line_kind(lines: list[Line], i: int) -> str:
    """section (its own row), wrap-up (ends the row above) or wrap-down (starts the next)."""
    line = lines[i]
    before = lines[i - 1] if i > 0 else None
    after = lines[i + 1] if i + 1 < len(lines) else None
    if after is not None and is_data_line(after) and _continued_by(line, after):
        return "wrap-down"
    if after is not None and is_data_line(after):
        indented = _label_x(after) > _label_x(line) + 2
        if indented or (line.bold and not after.bold):
            return "section"
    if before is None or not is_data_line(before):
        return "wrap-down" if after is not None and is_data_line(after) else "section"
    if _label_x(line) > _label_x(before) + 2 or line.text[:1].islower():
        return "wrap-up"  # a hanging indent, or a sentence carrying on
    if after is None or not is_data_line(after):
        return "wrap-up"
    # evenly spaced lines (equal gaps, to the text layer's rounding) do not say which row
    # a label line belongs to; a wrapped label then carries on onto the row below
    return "wrap-up" if _gap(before, line) < _gap(line, after) - _SAME_GAP else "wrap-down"


def _label_x(line: Line) -> float:
    """Where a line's label starts, past a form's line number ("27  - Adult Fiction")."""
    first = line.segments[0]
    if len(line.segments) > 1 and first.text.isdigit() and len(first.text) <= 4:
        return line.segments[1].x0
    return first.x0


def _continued_by(line: Line, after: Line) -> bool:
    """Is a label-only line the start of the data row below it? When that row prints
    no label of its own (its values sit level with the label's last line), or its label
    carries on in lower case ("Government Grants" / "and contributions")."""
    first = after.segments[0]
    if first.is_data and first.x0 > line.x1:
        return True
    return first.text[:1].islower() and abs(first.x0 - line.x0) <= 2


def _grid_cell(segments: list[Segment], left: float, frame: Frame, page: int) -> GridCell:
    words = [w for s in segments for w in s.words]
    box = (
        min(w.x0 for w in words),
        min(w.top for w in words),
        max(w.x1 for w in words),
        max(w.bottom for w in words),
    )
    return GridCell(
        normalise_space(_reading_order(segments)),
        bbox=frame.to_page(box),
        indent=max(0.0, box[0] - left),
        page=page,
        bold=all(w.bold for w in words),
    )


def _reading_order(segments: list[Segment]) -> str:
    """A cell's text, line by line: words of one segment may stand on two printed lines
    when a taller word beside them ("2018/19") drew those lines into one."""
    words = [w for s in segments for w in s.words]
    size = median(w.size for w in words)
    if max(w.top for w in words) - min(w.top for w in words) <= 0.6 * size:
        return join_wrapped(s.text for s in segments)
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: w.top):
        if lines and abs(word.top - lines[-1][0].top) <= 0.5 * size:
            lines[-1].append(word)
        else:
            lines.append([word])
    return join_wrapped(" ".join(w.text for w in sorted(ln, key=lambda w: w.x0)) for ln in lines)


def add_header_columns(block: Block, columns: list[Column]) -> list[Column]:
    """Headings beside their column widen it; a heading far from any column adds one
    (a column whose values are all blank on this page still has a heading)."""
    if not block.header:
        return columns
    segments = block.header[-1].segments
    headed = {i for s in segments for i, c in enumerate(columns) if c.overlap(s) > 0}
    extra = []
    for segment in segments:
        if any(c.overlap(segment) > 0 for c in columns):
            continue
        free = [i for i in range(len(columns)) if i not in headed]
        near = min(free, key=lambda i: -columns[i].overlap(segment), default=None)
        if near is not None and -columns[near].overlap(segment) <= 2 * segment.words[0].size:
            column = columns[near]
            column.x0, column.x1 = min(column.x0, segment.x0), max(column.x1, segment.x1)
            headed.add(near)
        else:
            extra.append(Column(segment.x0, segment.x1))
    return sorted(columns + extra, key=lambda c: c.x0)


def _headed_single_row(block: Block) -> bool:
    """A one-row table ("Total | 1,527") counts only under a heading of two or more
    labels with labels of its own above each value (a heading may wrap), so a stray line
    of prose does not."""
    heading = [s for line in block.header for s in line.segments]
    row = next(line for line in block.body if is_data_line(line))
    values = row.segments[1:]
    over = [{id(h) for h in heading if min(h.x1, v.x1) - max(h.x0, v.x0) > 0} for v in values]
    shared = any(a & b for a, b in pairwise(over))
    return (len(heading) >= 2 and all(over) and not shared) or _numbered_form_line(row, heading)


def _numbered_form_line(row: Line, heading: list[Segment]) -> bool:
    """A form's numbered line alone under its one heading ("25  Total Book Stock at 1
    April 2016 … 121,721" under "Number of Volumes"): a line number, a label, and one
    figure standing under the heading, which stands clear of the label."""
    segments = row.segments
    if len(heading) != 1 or len(segments) < 3:
        return False
    number, label = segments[0], segments[1]
    if not (number.text.isdigit() and len(number.text) <= 4) or label.is_data:
        return False
    head = heading[0]
    under = [s for s in segments[2:] if s.is_data and min(head.x1, s.x1) - max(head.x0, s.x0) > 0]
    return len(under) == 1 and head.x0 > label.x1


def block_to_grid(
    block: Block, columns: list[Column], frame: Frame, page: int
) -> BorderlessTable | None:
    if len(columns) < 2:
        return None
    heads = header_rows(block, columns)
    rows = heads + body_rows(block, columns)
    lines = block.header + block.body
    left = min(line.x0 for line in lines)
    grid_rows = []
    for row in rows:
        cells = [GridCell(page=page) for _ in columns]
        for j, segments in row.texts.items():
            cells[j] = _grid_cell(segments, left if j == 0 else columns[j].x0, frame, page)
            cells[j].merged = row.spanning and len(segments) == 1 and segments[0].x1 > columns[j].x1
        grid_rows.append(cells)
    bbox = (min(c.x0 for c in columns), lines[0].top, max(c.x1 for c in columns), lines[-1].bottom)
    grid = Grid(
        grid_rows, title=block.title, infer_spans=False, header_rows=len(heads) if heads else None
    )
    header_bottom = block.header[-1].bottom if block.header else bbox[1]
    return BorderlessTable(bbox, grid, header_bottom, [r.top for r in rows])


def _second_stub_x(line: Line) -> float | None:
    """Where a second table's row label starts on a line holding two tables side by side:
    label, numbers, then after a wide gap a second label and numbers. (A text column
    inside one table, a town between a company and a count, has text before it too.)"""
    segments = line.segments
    for k in range(2, len(segments) - 1):
        before = all(s.is_data for s in segments[1:k])
        after = all(s.is_data for s in segments[k + 1 :])
        label = segments[k]
        wide_gap = label.x0 - segments[k - 1].x1 >= 2 * label.words[0].size
        if before and after and wide_gap and label.text[:1].isalpha():
            return label.x0
    return None


def _side_by_side_gutter(lines: list[Line]) -> float | None:
    """The x where a second table starts, if two or more lines show one at the same x
    with a different row label on each (a text column inside one table, such as an
    outcome, usually repeats its values)."""
    starts: dict[int, list[float]] = {}
    for i, line in enumerate(lines):
        x = _second_stub_x(line)
        if x is not None:
            starts[i] = [x]
    for (x,) in starts.values():
        same = [j for j, (y,) in starts.items() if abs(x - y) <= 2]
        labels = {next(s.text for s in lines[j].segments if abs(s.x0 - x) <= 2) for j in same}
        if len(same) >= 2 and len(labels) == len(same):  # row labels do not repeat
            return min(starts[j][0] for j in same)
    return None


def _crosses(line: Line, x: float) -> bool:
    return any(s.x0 < x - 1 < s.x1 for s in line.segments)


def _half(line: Line, segments: list[Segment]) -> Line:
    return Line([w for s in segments for w in s.words], segments)


def split_side_by_side(lines: list[Line]) -> list[tuple[list[Line], dict[int, int]]]:
    """Lines → regions, each with a map from the ids of split halves to their line's id.

    Two tables printed next to each other share their lines; the lines that do not
    cross the gutter, in the run around those showing a second table, are cut there.
    """
    gutter = _side_by_side_gutter(lines)
    if gutter is None:
        return [(lines, {})]
    rows = [i for i, line in enumerate(lines) if abs((_second_stub_x(line) or -1e9) - gutter) <= 2]
    # cut midway across the gutter: a caption may start a little left of the row labels
    first, last = rows[0], rows[-1]
    left_end = max(s.x1 for i in rows for s in lines[i].segments if s.x1 < gutter)
    cut = (left_end + gutter) / 2
    while first > 0 and not _crosses(lines[first - 1], cut):
        first -= 1
    while last + 1 < len(lines) and not _crosses(lines[last + 1], cut):
        last += 1
    left: list[Line] = []
    right: list[Line] = []
    origin: dict[int, int] = {}
    for i, line in enumerate(lines):
        if not first <= i <= last:
            left.append(line)
            continue
        for side, segments in (
            (left, [s for s in line.segments if s.x0 < cut]),
            (right, [s for s in line.segments if s.x0 >= cut]),
        ):
            if segments:
                half = _half(line, segments)
                origin[id(half)] = id(line)
                side.append(half)
    return [(left, origin), (right, origin)]


_CARRIES_ON = re.compile(r"(?:[-–—,/&]|\b(?:to|and|year|years|ending|ended|of|in|for))$", re.I)


def ends_a_caption(line: Line, lines: list[Line]) -> bool:
    """Is ``line`` the last line of a wrapped caption ("... Financial Year 2016 –" over
    "2017"), not a period standing on its own over a block?"""
    above = [ln for ln in lines if ln is not line and ln.bottom <= line.top + 1]
    if not above:
        return False
    previous = max(above, key=lambda ln: ln.bottom)
    tight = line.top - previous.bottom <= 0.6 * line.size
    return tight and bool(_CARRIES_ON.search(previous.text.strip()))


def _logical_height(frame: Frame) -> float:
    return frame.width if frame.turns in (1, 3) else frame.height


def find_borderless(
    lines: list[Line], frame: Frame, page: int, max_gap_ratio: float, skip: set[int]
) -> tuple[list[BorderlessTable], set[int]]:
    """Borderless tables among lines; returns them and the ids of the lines they used."""
    free = [line for line in lines if id(line) not in skip]
    taken: set[int] = set()
    tables = []
    for region, origin in split_side_by_side(free):
        found, used = _region_tables(region, frame, page, max_gap_ratio)
        tables += found
        taken |= {origin.get(i, i) for i in used}
    return tables, taken


def _region_tables(
    free: list[Line], frame: Frame, page: int, max_gap_ratio: float
) -> tuple[list[BorderlessTable], set[int]]:
    taken: set[int] = set()
    tables = []
    blocks = lines_to_blocks(free, max_gap_ratio)
    for k, block in enumerate(blocks):
        if k + 1 < len(blocks) and _carries_heading(block, blocks[k + 1], max_gap_ratio):
            continue  # left for the next table's header
        columns = block_columns(block)
        if len(columns) >= 2 and _drop_unlabelled_head(block, columns):
            columns = block_columns(block)
        if trim_running_text(block):
            if not block.body:
                continue
            columns = block_columns(block)
        if len(columns) < 2:
            continue
        # a lone heading starting past the middle of the gap after the row labels is over
        # the value columns (centred, or left-aligned over its first column)
        values_x0 = (columns[0].x1 + columns[1].x0) / 2
        head_band = HEAD_BAND_RATIO * _logical_height(frame)
        block_header(
            block, free, min(values_x0 + 2, columns[1].x0), max_gap_ratio, taken, head_band
        )
        data_lines = sum(is_data_line(ln) for ln in block.body)
        if not block.header and data_lines < MIN_HEADLESS_ROWS:
            continue  # two aligned lines with no heading: an address or phone block
        if data_lines == 1 and not _headed_single_row(block):
            continue
        table = block_to_grid(block, add_header_columns(block, columns), frame, page)
        if table is None:
            continue
        heading = (
            block.title if block.title and not ends_a_caption(block.title_lines[0], free) else None
        )
        if heading and add_period_heading(table.grid, heading, page):
            table.row_tops.insert(0, block.title_lines[0].top)  # "2019" over this block
        taken.update(id(line) for line in block.header + block.body + block.title_lines)
        tables.append(table)
    return tables, taken
