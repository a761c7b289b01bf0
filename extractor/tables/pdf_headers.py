"""Column headings that the line-by-line finders cannot see: headings printed sideways.

A table with many narrow columns often prints its headings turned 90° above them
("Adults and Health" reading bottom to top). :func:`attach_sideways_headings` puts each
such heading, and any upright heading printed level with them ("Total"), on a header row
above the table, in the column its horizontal extent overlaps.
"""

from __future__ import annotations

from typing import Protocol

from .grid import Grid, GridCell
from .pdf_layout import BBox, Frame, Line, Word, WordRun

MAX_GAP = 24.0  # pt between the sideways headings and the table's first row


class _Table(Protocol):
    grid: Grid
    bbox: BBox
    frame: Frame
    page: int
    row_tops: list[float]


def column_extents(grid: Grid, frame: Frame) -> list[tuple[float, float] | None]:
    """Each grid column's horizontal extent in the logical frame, from its cells."""
    extents: list[tuple[float, float] | None] = []
    for j in range(grid.width):
        boxes = [
            frame.to_logical(tuple(row[j].bbox))  # type: ignore[arg-type]
            for row in grid.rows
            if j < len(row) and row[j].bbox and row[j].text.strip() and not row[j].merged
        ]
        extents.append((min(b[0] for b in boxes), max(b[2] for b in boxes)) if boxes else None)
    return extents


def _column_for(piece: WordRun | Word, extents: list[tuple[float, float] | None]) -> int | None:
    def overlap(j: int) -> float:
        extent = extents[j]
        return -1e9 if extent is None else min(piece.x1, extent[1]) - max(piece.x0, extent[0])

    known = [j for j, e in enumerate(extents) if e is not None]
    if not known:
        return None
    best = max(known, key=overlap)
    if overlap(best) > 0:
        return best
    centre = (piece.x0 + piece.x1) / 2
    return min(known, key=lambda j: abs(sum(extents[j] or (0, 0)) / 2 - centre))


def attach_sideways_headings(
    table: _Table, sideways: list[Word], lines: list[Line], used: set[int]
) -> list[Word]:
    """Add a header row of the sideways headings standing just above ``table``; returns
    the headings used. Free upright lines level with them join the row."""
    x0, top, x1, _ = table.bbox
    mine = [
        w
        for w in sideways
        if x0 - 5 <= (w.x0 + w.x1) / 2 <= x1 + 5 and -2 <= top - w.bottom <= MAX_GAP
    ]
    if len(mine) < 2:
        return []
    band_top, band_bottom = min(w.top for w in mine), max(w.bottom for w in mine)
    pieces: list[WordRun | Word] = list(mine)
    for line in lines:
        middle = (line.top + line.bottom) / 2
        if id(line) in used or not band_top <= middle <= band_bottom:
            continue
        inside = [s for s in line.segments if x0 - 5 <= s.x0 and s.x1 <= x1 + 5]
        if len(inside) == len(line.segments):
            pieces.extend(inside)
            used.add(id(line))
    extents = column_extents(table.grid, table.frame)
    texts: dict[int, list[WordRun | Word]] = {}
    for piece in sorted(pieces, key=lambda p: p.x0):
        j = _column_for(piece, extents)
        if j is not None:
            texts.setdefault(j, []).append(piece)
    row = [GridCell(page=table.page) for _ in range(table.grid.width)]
    for j, found in texts.items():
        box = (
            min(p.x0 for p in found),
            min(p.top for p in found),
            max(p.x1 for p in found),
            max(p.bottom for p in found),
        )
        text = " ".join(p.text for p in found)
        row[j] = GridCell(text, bbox=table.frame.to_page(box), page=table.page)
    grid = table.grid
    grid.rows.insert(0, row)
    if grid.header_rows is not None:
        grid.header_rows += 1
    table.row_tops.insert(0, band_top)
    table.bbox = (x0, min(top, band_top), x1, table.bbox[3])
    return mine
