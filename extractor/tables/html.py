"""HTML tables to cell records: the ".xls" exports that are really HTML.

Many public bodies' systems export "Excel" files that are an HTML ``<table>`` saved
with an ``.xls`` name (Excel opens them), and FOI attachments arrive that way. Each
``<table>`` is read as rows of text (``colspan``/``rowspan`` repeated into the cells
they cover, so merged header cells label every column under them) and goes through
the same table finder as spreadsheets (:mod:`extractor.tables.layout`), so titles,
notes and several tables read the same way. ``cell`` is ``T<table>!<column><row>``.

A page with no data table (an error or challenge page) is passed over as "not a table
format", as other HTML pages were before this reader.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from ..errors import UnsupportedFormat
from ..records import Cell
from . import ExtractOptions, Source, register
from .grid import grid_to_cells
from .layout import Deadline, Row, check_file_size, column_letters, layout_grids, text_cell

MAX_SPAN = 1000  # a colspan of 10**9 must not build a huge row
NOT_A_TABLE = "is an HTML page with no table of data (an error or challenge page?)"


def _decode(data: bytes) -> str:
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _span(node: Node, name: str) -> int:
    value = (node.attributes.get(name) or "1").strip()
    return min(int(value), MAX_SPAN) if value.isdigit() and int(value) > 0 else 1


def _cell_text(node: Node) -> str:
    return " ".join(node.text(separator=" ").split())


def table_rows(table: Node) -> list[list[str]]:
    """The text grid of one table, spans repeated, nested tables left to their own."""
    grid: list[list[str]] = []
    pending: dict[tuple[int, int], str] = {}  # (row, column) -> text from a rowspan above
    rows = [tr for tr in table.css("tr") if _owner(tr) == table]
    cells_of = [[c for c in tr.iter() if c.tag in ("td", "th")] for tr in rows]
    width = max((sum(_span(c, "colspan") for c in cells) for cells in cells_of), default=0)
    for r, cells in enumerate(cells_of):
        if len(cells) == 1 and width > 1 and _span(cells[0], "colspan") >= width:
            grid.append([_cell_text(cells[0])])  # a title across the table, as in a sheet
            continue
        line: list[str] = []
        column = 0
        for cell in cells:
            while (r, column) in pending:
                line.append(pending.pop((r, column)))
                column += 1
            text = _cell_text(cell)
            for offset in range(_span(cell, "colspan")):
                line.append(text)
                for below in range(1, _span(cell, "rowspan")):
                    pending[(r + below, column + offset)] = text
            column += _span(cell, "colspan")
        while (r, column) in pending:
            line.append(pending.pop((r, column)))
            column += 1
        grid.append(line)
    return grid


def _owner(row: Node) -> Node | None:
    node = row.parent
    while node is not None and node.tag != "table":
        node = node.parent
    return node


def _as_rows(grid: list[list[str]], table_number: int) -> Iterator[Row]:
    for r, fields in enumerate(grid, start=1):
        row: Row = [
            text_cell(value, f"T{table_number}!{column_letters(j)}{r}")
            for j, value in enumerate(fields)
        ]
        while row and row[-1] is None:
            row.pop()
        yield row
    yield []  # a blank row between tables keeps them apart


def _is_data(grid: list[list[str]]) -> bool:
    filled = [row for row in grid if sum(1 for value in row if value) >= 2]
    return len(filled) >= 2


@register("html")
def read_html_tables(path: Path, source: Source, options: ExtractOptions) -> Iterator[Cell]:
    check_file_size(path, source.name, options)
    tree = HTMLParser(_decode(path.read_bytes()))
    grids = [table_rows(table) for table in tree.css("table")]
    grids = [grid for grid in grids if _is_data(grid)]
    if not grids:
        raise UnsupportedFormat(NOT_A_TABLE, source.name)
    deadline = Deadline(options.max_seconds, source.name)

    def rows() -> Iterator[Row]:
        for number, grid in enumerate(grids, start=1):
            yield from _as_rows(grid, number)

    for number, grid in layout_grids(rows(), deadline=deadline):
        yield from grid_to_cells(grid, source, number)
