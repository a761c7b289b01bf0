"""Column headings that the line-by-line finders cannot see: headings printed sideways.

A table with many narrow columns often prints its headings turned 90° above them
("Adults and Health" reading bottom to top). :func:`attach_sideways_headings` puts each
such heading, and any upright heading printed level with them ("Total"), on a header row
above the table, in the column its horizontal extent overlaps.
"""

from __future__ import annotations

from typing import Protocol

from .grid import Grid, GridCell
from .pdf_layout import BBox, Frame, Line, Word, WordRun, join_wrapped

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


def _reading_order(pieces: list[WordRun | Word]) -> str:
    """Text of one heading cell: line by line from the top, left to right in a line."""
    ordered = sorted(pieces, key=lambda p: (p.top, p.x0))
    lines: list[list[WordRun | Word]] = []
    for piece in ordered:
        if lines and abs(piece.top - lines[-1][0].top) <= 0.5 * _size(piece):
            lines[-1].append(piece)
        else:
            lines.append([piece])
    return join_wrapped(
        " ".join(p.text for p in sorted(line, key=lambda p: p.x0)) for line in lines
    )


def _size(piece: WordRun | Word) -> float:
    return piece.size if isinstance(piece, Word) else piece.bottom - piece.top


def _header_row_over(table: _Table, heads: int, band_top: float, band_bottom: float) -> int | None:
    """The existing header row that the sideways headings stand level with, if any."""
    best, most = None, 0.0
    for i in range(min(heads, len(table.row_tops))):
        row_bottom = table.row_tops[i + 1] if i + 1 < len(table.row_tops) else band_bottom
        shared = min(band_bottom, row_bottom) - max(band_top, table.row_tops[i])
        if shared > most:
            best, most = i, shared
    return best


def _fill_row(table: _Table, row: list[GridCell], words: list[Word]) -> None:
    """Put each sideways heading in the empty cell of ``row`` in the column it stands over."""
    extents = column_extents(table.grid, table.frame)
    for word in words:
        j = _column_for(word, extents)
        if j is not None and j < len(row) and not row[j].text.strip():
            box = (word.x0, word.top, word.x1, word.bottom)
            row[j] = GridCell(word.text, bbox=table.frame.to_page(box), page=table.page)


def attach_sideways_headings(
    table: _Table, sideways: list[Word], lines: list[Line], used: set[int]
) -> list[Word]:
    """Add a header row of the sideways headings standing just above ``table``; returns
    the headings used. Free upright lines level with them join the row."""
    x0, top, x1, _ = table.bbox
    grid = table.grid
    heads = grid.header_rows or 0
    body_top = table.row_tops[heads] if heads < len(table.row_tops) else top
    mine = [
        w
        for w in sideways
        if x0 - 5 <= (w.x0 + w.x1) / 2 <= x1 + 5 and top - MAX_GAP <= w.bottom <= body_top + 2
    ]
    if len(mine) < 2:
        return []
    overlapped = _header_row_over(
        table, heads, min(w.top for w in mine), max(w.bottom for w in mine)
    )
    if overlapped is not None:
        _fill_row(table, grid.rows[overlapped], mine)
        return mine
    band_top, band_bottom = min(w.top for w in mine), max(w.bottom for w in mine)
    pieces: list[WordRun | Word] = list(mine)
    for line in lines:
        middle = (line.top + line.bottom) / 2
        if id(line) in used or not band_top <= middle <= band_bottom:
            continue
        if all(x0 - 5 <= s.x0 and s.x1 <= x1 + 5 for s in line.segments):
            pieces.extend(line.words)  # words, not segments: wrapped headings interleave
            used.add(id(line))
    extents = column_extents(table.grid, table.frame)
    texts: dict[int, list[WordRun | Word]] = {}
    for piece in pieces:
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
        row[j] = GridCell(_reading_order(found), bbox=table.frame.to_page(box), page=table.page)
    grid.rows.insert(0, row)
    if grid.header_rows is not None:
        grid.header_rows += 1
    table.row_tops.insert(0, band_top)
    table.bbox = (x0, min(top, band_top), x1, table.bbox[3])
    return mine
