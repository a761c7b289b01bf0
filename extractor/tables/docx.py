"""Tables in Word (.docx) letters to cell records, with python-docx.

Each Word table runs through the same table finder as a sheet, so a title row
merged across the table, header rows and notes rows read as they do in Excel.
Merged cells (``gridSpan`` across, ``vMerge`` down) repeat the anchor's text in the
covered cells, marked ``merged``. The paragraph just above a table is its title when
the table has none of its own. ``cell`` is ``T2!B3``: table 2, column B, row 3.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from itertools import count
from pathlib import Path
from typing import Any

from ..errors import CorruptDocument
from ..records import Cell
from . import ExtractOptions, Source, register
from .archive import check_zip_limits, open_zip
from .grid import Grid, GridCell
from .layout import (
    Deadline,
    Row,
    check_file_size,
    column_letters,
    layout_grids,
    table_records,
    text_cell,
)
from .sheets import damaged_part

MAX_TITLE_CHARS = 200


def _open_docx(path: Path, name: str) -> Any:
    import docx

    try:
        return docx.Document(str(path))
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise CorruptDocument(f"is not a readable Word document ({exc})", name) from None
    except Exception as exc:  # lxml raises its own errors on damaged XML
        if type(exc).__name__ in ("XMLSyntaxError", "PackageNotFoundError"):
            raise CorruptDocument(f"is a damaged Word document ({exc})", name) from None
        raise


def _cell_text(cell: Any) -> str:
    return "\n".join(p.text for p in cell.paragraphs)


def table_rows(table: Any, number: int) -> Iterator[Row]:
    """The rows of a Word table; covered cells of merged ranges repeat the anchor's text."""
    anchors: dict[Any, GridCell | None] = {}  # python-docx repeats a merged cell's element
    for r, word_row in enumerate(table.rows, start=1):
        row: Row = []
        for j, cell in enumerate(word_row.cells):
            ref = f"T{number}!{column_letters(j)}{r}"
            if cell._tc in anchors:
                row.append(_covered(anchors[cell._tc], ref))
                continue
            anchors[cell._tc] = text_cell(_cell_text(cell), ref)
            row.append(anchors[cell._tc])
        while row and row[-1] is None:
            row.pop()
        yield row


def _covered(anchor: GridCell | None, ref: str) -> GridCell | None:
    if anchor is None:
        return None
    return GridCell(text=anchor.text, parsed=anchor.parsed, ref=ref, merged=True)


def _tables_with_captions(document: Any) -> Iterator[tuple[Any, str | None]]:
    """Body tables in order, each with the text of the paragraph just above it."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    caption: str | None = None
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = block.text.strip()
            if text:
                caption = text if len(text) <= MAX_TITLE_CHARS else None
        elif isinstance(block, Table):
            yield block, caption
            caption = None


@register("docx")
def read_docx(path: Path, source: Source, options: ExtractOptions) -> Iterator[Cell]:
    check_file_size(path, source.name, options)
    with open_zip(path, source.name) as archive:
        check_zip_limits(archive, source.name, options)
    document = _open_docx(path, source.name)
    deadline = Deadline(options.max_seconds, source.name)
    numbers = count()
    for index, (table, caption) in enumerate(_tables_with_captions(document), start=1):
        with damaged_part(source.name, f"table {index}", ValueError):
            grids = layout_grids(table_rows(table, index), numbers, deadline)
            yield from table_records(_titled(grids, caption), source)


def _titled(grids: Iterator[tuple[int, Grid]], caption: str | None) -> Iterator[tuple[int, Grid]]:
    for number, grid in grids:
        grid.title = grid.title or caption
        yield number, grid
