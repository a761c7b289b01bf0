"""Ruled tables: drawn lines → cells → a :class:`~extractor.tables.grid.Grid`.

The edge → intersection → cell → table steps are pdfplumber's; what this module
adds is the step after: laying the cells on a row/column lattice (so a cell that
spans columns becomes a spanning header) and filling each from the words whose
centre falls inside it, wrapped lines joined.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from dataclasses import dataclass
from statistics import median
from typing import Any

from pdfplumber.table import (
    cells_to_tables,
    edges_to_intersections,
    merge_edges,
)
from pdfplumber.utils.geometry import obj_to_bbox

from ..values import is_blank, parse_number
from .grid import Grid, GridCell, is_label_like
from .pdf_layout import (
    REDACTION_GLYPH,
    BBox,
    Frame,
    Word,
    is_data_text,
    join_wrapped,
    line_segments,
    words_to_lines,
)

CROWDED_GAP_RATIO = 0.8  # as the default column gap: wider gaps separate values
# a line in a heading box that tells the reader where to look, not what the column holds
_INSTRUCTION = re.compile(
    r"^\(?(?:for [\w ,]+?,\s*)?(?:click here|please see|see|refer to)\b", re.I
)


@dataclass
class RuledTable:
    bbox: BBox
    grid: Grid
    row_tops: list[float]  # logical top of each grid row, for the debug image


def find_cell_tables(edges: list[dict[str, Any]], snap: float, min_edge: float) -> list[list[BBox]]:
    """pdfplumber's lattice steps: the cells of each ruled table on the page."""
    merged = merge_edges(edges, snap, snap, snap, snap)
    long_enough = [
        e
        for e in merged
        if (e["x1"] - e["x0"] if e["orientation"] == "h" else e["bottom"] - e["top"]) >= min_edge
    ]
    if not long_enough:
        return []
    intersections = edges_to_intersections(long_enough, 1, 1)
    cells = intersections_to_cells(intersections)
    return [table for table in cells_to_tables(cells) if len(table) >= 2]


def intersections_to_cells(intersections: dict[Any, dict[str, list[Any]]]) -> list[BBox]:
    """pdfplumber's ``intersections_to_cells``, the same cells in the same order, without
    its quadratic scans: each point's edges as sets and the points below and to the right
    of each point are worked out once, not for every pair of points compared."""
    verticals = {p: {obj_to_bbox(e) for e in found["v"]} for p, found in intersections.items()}
    horizontals = {p: {obj_to_bbox(e) for e in found["h"]} for p, found in intersections.items()}

    def connects(p1: tuple[float, float], p2: tuple[float, float]) -> bool:
        if p1[0] == p2[0] and not verticals[p1].isdisjoint(verticals[p2]):
            return True
        return p1[1] == p2[1] and not horizontals[p1].isdisjoint(horizontals[p2])

    points = sorted(intersections)
    columns: dict[float, list[tuple[float, float]]] = {}  # same x, by y
    rows: dict[float, list[tuple[float, float]]] = {}  # same y, by x
    for point in points:
        columns.setdefault(point[0], []).append(point)
        rows.setdefault(point[1], []).append(point)
    at_column = {p: i for column in columns.values() for i, p in enumerate(column)}
    at_row = {p: i for row in rows.values() for i, p in enumerate(row)}
    cells: list[BBox] = []
    for pt in points[:-1]:
        below = columns[pt[0]][at_column[pt] + 1 :]
        right = rows[pt[1]][at_row[pt] + 1 :]
        cell = _smallest_cell(pt, below, right, intersections, connects)
        if cell is not None:
            cells.append(cell)
    return cells


def _smallest_cell(
    pt: tuple[float, float],
    below: list[tuple[float, float]],
    right: list[tuple[float, float]],
    intersections: dict[Any, Any],
    connects: Any,
) -> BBox | None:
    for below_pt in below:
        if not connects(pt, below_pt):
            continue
        for right_pt in right:
            if not connects(pt, right_pt):
                continue
            corner = (right_pt[0], below_pt[1])
            if (
                corner in intersections
                and connects(corner, right_pt)
                and connects(corner, below_pt)
            ):
                return (pt[0], pt[1], corner[0], corner[1])
    return None


def _lattice(values: list[float], tolerance: float = 1.5) -> list[float]:
    points: list[float] = []
    for value in sorted(values):
        if not points or value - points[-1] > tolerance:
            points.append(value)
    return points


def _index(points: list[float], value: float) -> int:
    i = bisect_left(points, value - 1.5)
    return min(i, len(points) - 1)


def _cell_text(words: list[Word]) -> str:
    return join_wrapped(line.text for line in words_to_lines(words))


def _values_in(words: list[Word]) -> tuple[int, bool]:
    """How many separate values a ruled cell holds, and whether one sits beside a label."""
    if not any(is_data_text(w.text) for w in words):
        return 0, False
    values, beside = 0, False
    for line in words_to_lines(words):
        segments = line_segments(line, CROWDED_GAP_RATIO)
        values += sum(s.is_data for s in segments)
        beside = beside or (len(segments) >= 2 and any(s.is_data for s in segments))
    return values, beside


def lattice_is_complete(
    members: dict[int, list[Word]], max_share: float = 0.2, max_values: int = 4
) -> bool:
    """Do the rules separate the values? Not when many cells hold several cells' worth
    (a value beside a label, values on several lines), or one cell holds a column."""
    filled = [words for words in members.values() if words]
    counts = [_values_in(words) for words in filled]
    crowded = sum(values >= 2 or beside for values, beside in counts)
    column_in_a_cell = any(values >= max_values for values, _ in counts)
    return bool(filled) and crowded <= max_share * len(filled) and not column_in_a_cell


_BAND = 8.0  # pt: cells are indexed by the bands of the page they cross


def _assign_words(cells: list[BBox], words: list[Word]) -> dict[int, list[Word]]:
    """Each word in the first cell holding its centre."""
    members: dict[int, list[Word]] = {i: [] for i in range(len(cells))}
    bands: dict[int, list[int]] = {}  # band: the cells crossing it, in order
    for i, (_, top, _, bottom) in enumerate(cells):
        for band in range(int(top // _BAND), int(bottom // _BAND) + 1):
            bands.setdefault(band, []).append(i)
    for word in words:
        cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
        for i in bands.get(int(cy // _BAND), ()):
            x0, top, x1, bottom = cells[i]
            if x0 <= cx <= x1 and top <= cy <= bottom:
                members[i].append(word)
                break
    return members


@dataclass
class _Lattice:
    rows: list[list[GridCell]]
    xs: list[float]
    ys: list[float]
    centres: dict[tuple[int, int], float]  # x centre of the text of each anchor cell
    spanning: set[int]  # rows with a label spread across columns

    def column_is_empty(self, j: int, from_row: int) -> bool:
        return all(is_blank(row[j].text) for row in self.rows[from_row:])


def _lay_out(
    cells: list[BBox], members: dict[int, list[Word]], frame: Frame, page: int
) -> _Lattice:
    xs = _lattice([c[0] for c in cells] + [c[2] for c in cells])
    ys = _lattice([c[1] for c in cells] + [c[3] for c in cells])
    width, height = len(xs) - 1, len(ys) - 1
    lattice = _Lattice(
        [[GridCell(page=page) for _ in range(width)] for _ in range(height)], xs, ys, {}, set()
    )
    for i, box in enumerate(cells):
        words = members[i]
        text = _cell_text(words)
        c0, c1 = _index(xs, box[0]), max(_index(xs, box[2]), _index(xs, box[0]) + 1)
        r0, r1 = _index(ys, box[1]), max(_index(ys, box[3]), _index(ys, box[1]) + 1)
        indent = min((w.x0 for w in words), default=box[0]) - box[0]
        anchor = GridCell(
            text,
            bbox=frame.to_page(box),
            indent=indent,
            page=page,
            bold=bool(words) and all(w.bold for w in words),
        )
        lattice.rows[r0][c0] = anchor
        if words:
            lattice.centres[(r0, c0)] = (min(w.x0 for w in words) + max(w.x1 for w in words)) / 2
        if is_blank(text) or (parse_number(text) is not None and not is_label_like(text)):
            continue  # a value, not a label (a year over its columns is a label)
        # a spanning header covers the columns under it; a row label, the rows beside it;
        # a label across the whole row is a section row and stays in the first column
        across = range(c0 + 1, min(c1, width)) if c0 > 0 else range(0)
        down = range(r0 + 1, min(r1, height)) if c0 == 0 else range(0)
        if len(across):
            lattice.spanning.add(r0)
        for r, c in [(r0, c) for c in across] + [(r, c0) for r in down]:
            lattice.rows[r][c] = GridCell(
                text, bbox=anchor.bbox, indent=indent, merged=True, page=page
            )
    return lattice


def _header_count(rows: list[list[GridCell]]) -> int:
    count = 0
    for row in rows:
        texts = [c.text for c in row if not is_blank(c.text)]
        if not texts or not all(is_label_like(t) for t in texts):
            break
        if all(is_blank(c.text) for c in row[1:]):
            break  # a label in the first column alone is a section row
        count += 1
    return count if count < len(rows) else 0


def _move_stray_headings(lattice: _Lattice, header: int) -> None:
    """Header text in a column with no values moves to the value column under it.

    Spreadsheets printed to PDF often rule the header on a different lattice from the
    body ("Grand / Total" over a narrower column), so the lattice column is not the
    data column.
    """
    width = len(lattice.xs) - 1
    filled = [j for j in range(width) if not lattice.column_is_empty(j, header)]
    if not filled:
        return
    for r in range(header):
        for j in range(width):
            cell = lattice.rows[r][j]
            if j in filled or is_blank(cell.text) or cell.merged:
                continue
            centre = lattice.centres.get((r, j), (lattice.xs[j] + lattice.xs[j + 1]) / 2)
            target = min(
                filled, key=lambda k: abs((lattice.xs[k] + lattice.xs[k + 1]) / 2 - centre)
            )
            into = lattice.rows[r][target]
            if is_blank(into.text) or into.merged:
                lattice.rows[r][target] = GridCell(
                    cell.text, bbox=cell.bbox, indent=cell.indent, page=cell.page
                )
            else:
                into.text = f"{into.text} {cell.text}"
            lattice.rows[r][j] = GridCell(page=cell.page)


def _union(a: list[float] | None, b: list[float] | None) -> list[float] | None:
    if a is None or b is None:
        return a or b
    return [min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])]


def _join_wrapped_header_rows(lattice: _Lattice, header: int) -> int:
    """Stacked header rows with no spanning label are one wrapped header row."""
    r = 0
    while r + 1 < header:
        if r in lattice.spanning or r + 1 in lattice.spanning:
            r += 1
            continue
        upper, lower = lattice.rows[r], lattice.rows.pop(r + 1)
        for j, cell in enumerate(lower):
            if is_blank(cell.text) or cell.text == upper[j].text:
                continue
            if is_blank(upper[j].text):
                upper[j] = cell
            else:
                upper[j] = GridCell(
                    join_wrapped([upper[j].text, cell.text]),
                    bbox=_union(upper[j].bbox, cell.bbox),
                    indent=upper[j].indent,
                    page=cell.page,
                )
        lattice.ys.pop(r + 1)
        lattice.spanning = {s - 1 if s > r else s for s in lattice.spanning}
        header -= 1
    return header


def split_unruled_columns(cells: list[BBox], members: dict[int, list[Word]]) -> list[BBox]:
    """Cells cut where a ruled column holds two columns of values with no rule between
    them ("From" and "To" in one box): at the whitespace shared by every cell of that
    column, when most of its cells hold two or more values side by side."""
    by_column: dict[tuple[int, int], list[int]] = {}
    for i, (x0, _, x1, _) in enumerate(cells):
        by_column.setdefault((round(x0), round(x1)), []).append(i)
    cuts: dict[tuple[int, int], list[float]] = {}
    for key, indices in by_column.items():
        filled = [i for i in indices if members[i]]
        crowded = [i for i in filled if _values_in(members[i])[0] >= 2]
        if len(crowded) < 3 or len(crowded) < 0.5 * len(filled):
            continue
        spans = sorted((w.x0, w.x1) for i in filled for w in members[i])
        gaps: list[float] = []
        right = spans[0][1]
        for x0, x1 in spans[1:]:
            if x0 - right >= 3:
                gaps.append((x0 + right) / 2)
            right = max(right, x1)
        if gaps:
            cuts[key] = gaps
    if not cuts:
        return cells
    out: list[BBox] = []
    for box in cells:
        xs = cuts.get((round(box[0]), round(box[2])))
        if not xs:
            out.append(box)
            continue
        edges = [box[0], *xs, box[2]]
        out.extend((a, box[1], b, box[3]) for a, b in itertools.pairwise(edges))
    return out


def split_spanning_headings(
    cells: list[BBox], members: dict[int, list[Word]]
) -> tuple[list[BBox], dict[int, list[Word]]]:
    """A box over several columns holding their separate headings (a spreadsheet printed
    with a header row whose cells have no rules between them) is cut into those columns:
    when no word in it crosses a column edge and its words stand over two or more."""
    xs = _lattice([c[0] for c in cells] + [c[2] for c in cells])
    out: list[BBox] = []
    found: dict[int, list[Word]] = {}
    for i, box in enumerate(cells):
        words = members[i]
        c0, c1 = _index(xs, box[0]), _index(xs, box[2])
        inner = xs[c0 + 1 : c1]
        crossing = any(w.x0 < x - 1 and w.x1 > x + 1 for w in words for x in inner)
        columns = {bisect_left(xs, (w.x0 + w.x1) / 2) for w in words}
        if len(inner) < 1 or crossing or len(columns) < 2:
            found[len(out)] = words
            out.append(box)
            continue
        for k in range(c0, c1):
            part = [w for w in words if xs[k] <= (w.x0 + w.x1) / 2 < xs[k + 1]]
            found[len(out)] = part
            out.append((xs[k], box[1], xs[k + 1], box[3]))
    return out, found


def _return_overflow(cells: list[BBox], members: dict[int, list[Word]]) -> None:
    """A wrapped cell's last line that runs past its bottom rule, printed over the text of
    the box below (at the box's top, on a baseline of its own just above that box's
    text, at the wrapped cell's line pitch), goes back to the box above it."""
    above = {
        (round(x0), round(x1), round(bottom)): i for i, (x0, _, x1, bottom) in enumerate(cells)
    }
    for i, (x0, top, x1, _) in enumerate(cells):
        words = members[i]
        k = above.get((round(x0), round(x1), round(top)))
        if k is None or not members[k] or not any(w.top < top + 0.25 * w.size for w in words):
            continue
        if max(w.bottom for w in words) - min(w.bottom for w in words) <= 0.3 * words[0].size:
            continue  # one line
        lines = words_to_lines(words)
        if len(lines) < 2 or lines[0].bottom <= lines[1].top:
            continue  # not two lines printed over each other
        first = lines[0]
        if first.top >= top + 0.25 * first.size:
            continue  # not at the box's top
        if first.top - max(w.top for w in members[k]) > 1.6 * first.size:
            continue  # not the next line of the text above
        members[k] = members[k] + first.words
        members[i] = [w for line in lines[1:] for w in line.words]


def _body_top(cells: list[BBox], members: dict[int, list[Word]]) -> float:
    """Top of the first lattice row with figures in two or more of its cells."""
    tops = sorted(
        cells[i][1] for i, words in members.items() if any(is_data_text(w.text) for w in words)
    )
    return next((a for a, b in itertools.pairwise(tops) if b - a <= 1.5), float("inf"))


def _overflows_into(upper: list[Word], box: BBox, lower: list[Word]) -> bool:
    """Is the text of the box below the tail of ``upper``'s wrapped heading? Its text runs
    down to the rule and the lower box's lines carry on at the same line pitch."""
    if not upper or not lower or any(is_data_text(w.text) for w in lower):
        return False
    above, below = words_to_lines(upper), words_to_lines(lower)
    if len(above) < 2 or len(below) > 2:
        return False
    pitch = median(b.top - a.top for a, b in itertools.pairwise(above))
    last = above[-1]
    reaches_rule = last.bottom >= box[3] - 0.25 * last.size
    return reaches_rule and abs(below[0].top - last.top - pitch) <= 0.2 * pitch


def _tidy_headings(cells: list[BBox], members: dict[int, list[Word]]) -> None:
    """In the boxes above the body: a wrapped heading cut by a row rule (its last lines
    fall in the box below) becomes one heading again, and lines that tell the reader where
    to look ("For definitions, click here") are dropped: they are notes, not labels."""
    body_top = _body_top(cells, members)
    if body_top == float("inf"):
        return  # no row of figures: where the headings end is not known
    heads = [i for i, box in enumerate(cells) if box[3] <= body_top + 1.5 and members[i]]
    for i in heads:
        lines = words_to_lines(members[i])
        kept = [line for line in lines if not _INSTRUCTION.match(line.text)]
        if len(kept) < len(lines):
            members[i] = [w for line in kept for w in line.words]
    by_column: dict[tuple[int, int], list[int]] = {}
    for i in heads:
        by_column.setdefault((round(cells[i][0]), round(cells[i][2])), []).append(i)
    for column in by_column.values():
        column.sort(key=lambda i: cells[i][1])
        for upper, lower in itertools.pairwise(column):
            touching = abs(cells[lower][1] - cells[upper][3]) <= 1.5
            if touching and _overflows_into(members[upper], cells[upper], members[lower]):
                members[upper] = members[upper] + members[lower]
                members[lower] = []


def _rules_miss_the_text(
    cells: list[BBox], members: dict[int, list[Word]], words: list[Word]
) -> bool:
    """Shaded bands (a header bar, a totals column) drawn over a borderless table form
    "cells" that hold only part of it: most words inside the area lie in no cell."""
    x0 = min(c[0] for c in cells)
    top = min(c[1] for c in cells)
    x1 = max(c[2] for c in cells)
    bottom = max(c[3] for c in cells)
    inside = sum(
        x0 <= (w.x0 + w.x1) / 2 <= x1 and top <= (w.top + w.bottom) / 2 <= bottom for w in words
    )
    in_cells = sum(len(found) for found in members.values())
    return inside > 2 * in_cells or _lines_run_past_the_cells(members, words, (x0, top, x1, bottom))


def _lines_run_past_the_cells(
    members: dict[int, list[Word]], words: list[Word], area: BBox
) -> bool:
    """Shaded bands behind some columns (the current year's) under a header bar: the
    cells' lines of figures run on, inside the area, into words in no cell (the row
    labels, the other columns). True when half the cells holding figures do so."""
    placed = {id(w) for found in members.values() for w in found}
    loose = sorted(
        (w.top, w.bottom)
        for w in words
        if id(w) not in placed
        and area[0] <= (w.x0 + w.x1) / 2 <= area[2]
        and area[1] <= (w.top + w.bottom) / 2 <= area[3]
    )
    if not loose:
        return False
    tops = [top for top, _ in loose]
    figures = [found for found in members.values() if any(is_data_text(w.text) for w in found)]

    def runs_on(word: Word) -> bool:
        middle = (word.top + word.bottom) / 2
        k = bisect_left(tops, middle - 2 * (word.bottom - word.top))
        while k < len(loose) and loose[k][0] <= middle:
            if middle <= loose[k][1]:
                return True
            k += 1
        return False

    running = sum(any(runs_on(w) for w in found) for found in figures)
    return bool(figures) and running >= 0.5 * len(figures)


def cells_to_grid(
    cells: list[BBox], words: list[Word], frame: Frame, page: int
) -> RuledTable | None:
    """Lay ruled cells on a lattice and fill them with the words inside them.

    None when the rules do not separate the values (a boxed block of text columns),
    so the words are left to the borderless finder.
    """
    members = _assign_words(cells, words)
    _return_overflow(cells, members)
    split = split_unruled_columns(cells, members)
    if split is not cells:
        cells, members = split, _assign_words(split, words)
    if not lattice_is_complete(members) or _rules_miss_the_text(cells, members, words):
        return None
    cells, members = split_spanning_headings(cells, members)
    _tidy_headings(cells, members)
    lattice = _lay_out(cells, members, frame, page)
    rows = lattice.rows
    header = _header_count(rows)
    if header:
        _move_stray_headings(lattice, header)
        _join_wrapped_header_rows(lattice, header)
    rows, ys = lattice.rows, lattice.ys
    width = len(lattice.xs) - 1
    keep_rows = [i for i, row in enumerate(rows) if any(not is_blank(c.text) for c in row)]
    keep_cols = [j for j in range(width) if any(not is_blank(rows[i][j].text) for i in keep_rows)]
    keep_rows = [i for i in keep_rows if not _adds_nothing(rows[i])]
    title, keep_rows = _title_bar(rows, keep_rows, lattice.xs[-1] - lattice.xs[0])
    grid_rows = [[rows[i][j] for j in keep_cols] for i in keep_rows]
    bbox = (lattice.xs[0], ys[0], lattice.xs[-1], ys[-1])
    grid = Grid(grid_rows, title=title, infer_spans=False)
    return RuledTable(bbox, grid, [ys[i] for i in keep_rows])


def _adds_nothing(row: list[GridCell]) -> bool:
    """A lattice row holding only copies of labels spanning down from above (extra rules
    in another column split a labelled row), or only shaded boxes."""
    printed = [c for c in row if not is_blank(c.text)]
    return all(c.merged for c in printed) or all(c.text == REDACTION_GLYPH for c in printed)


def _title_bar(
    rows: list[list[GridCell]], keep: list[int], width: float
) -> tuple[str | None, list[int]]:
    """First rows holding one sentence in a cell across the table are the table's caption
    printed in a bar, not a header (a label cut by a page break is in one column)."""
    parts: list[str] = []
    while len(keep) >= 3:
        first = [c for c in rows[keep[0]] if not is_blank(c.text)]
        texts = {c.text for c in first}
        long = bool(first) and len(first[0].text) > 40
        box = first[0].bbox if first else None
        across = box is not None and box[2] - box[0] >= 0.5 * width
        if not (len(texts) == 1 and long and (across or len(first) >= 0.5 * len(rows[keep[0]]))):
            break
        parts.append(first[0].text)
        keep = keep[1:]
    return (join_wrapped(parts) if parts else None), keep


def split_group_columns(grid: Grid, row_tops: list[float]) -> list[tuple[Grid, list[float]]]:
    """A ruled table whose first column spans several rows can hold two tables in one.

    Columns ruled to the same spans as the first (a library's mobile, route and day, one
    per community) describe the group; the columns ruled row by row (each stopping place
    and its times) are the group's own rows. The group columns become one table, keyed by
    the first column; the others another, keyed by the first column and their own labels.
    A grid without that shape is returned as it is.
    """
    continuation = [i for i, row in enumerate(grid.rows) if row and row[0].merged]
    if len(continuation) < 2:
        return [(grid, row_tops)]
    width = grid.width
    group = [
        j
        for j in range(1, width)
        if all(is_blank(grid.text(i, j)) for i in continuation)
        and sum(not is_blank(grid.text(i, j)) for i in range(len(grid.rows))) > len(continuation)
    ]
    inner = [j for j in range(1, width) if j not in group]
    own = [j for j in inner if sum(not is_blank(grid.text(i, j)) for i in continuation) >= 2]
    if not group or not own:
        return [(grid, row_tops)]
    anchors = [i for i in range(len(grid.rows)) if i not in set(continuation)]
    outer = Grid(
        [[grid.rows[i][j] for j in [0, *group]] for i in anchors],
        title=grid.title,
        infer_spans=grid.infer_spans,
        stub_columns=1,
    )
    rows = Grid(
        [[row[j] for j in [0, *inner]] for row in grid.rows],
        title=grid.title,
        infer_spans=grid.infer_spans,
    )
    tops = [row_tops[i] for i in anchors if i < len(row_tops)]
    return [(outer, tops), (rows, row_tops)]
