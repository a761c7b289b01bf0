"""``stitch`` computes the table width once (it was recomputed per row, quadratic in rows):
the stitched grids must be exactly what the per-row computation gave."""

from __future__ import annotations

import copy

import pytest

from extractor.tables.grid import Grid, GridCell
from extractor.tables.pdf import (
    PageTable,
    PdfSettings,
    _continues_a_label,
    _remap,
    _row_texts,
    _texts,
    column_map,
    stitch,
)
from extractor.tables.pdf_layout import Frame, join_wrapped


def reference_stitch(previous: PageTable, table: PageTable, settings: PdfSettings) -> None:
    """``stitch`` as it was before the change: ``previous.grid.width`` read for every row."""
    mapping = column_map(previous, table, settings.stitch_tolerance) or []
    rows = [_remap(row, mapping, previous.grid.width, table.page) for row in table.grid.rows]
    repeated = 0
    while (
        repeated < len(rows)
        and repeated < len(previous.grid.rows)
        and _texts(rows[repeated]) == _row_texts(previous.grid, repeated)
        and any(_texts(rows[repeated]))
    ):
        repeated += 1
    rows = rows[repeated:]
    if rows and _continues_a_label(previous.grid.rows[-1], rows[0]):
        last = previous.grid.rows[-1][0]
        last.text = join_wrapped([last.text, rows.pop(0)[0].text])
    previous.grid.rows.extend(rows)
    previous.page, previous.at_foot = table.page, table.at_foot
    previous.bbox, previous.frame = table.bbox, table.frame


X = [50.0, 150.0, 250.0, 350.0]


def cell(text: str, j: int, page: int) -> GridCell:
    return GridCell(text=text, bbox=[X[j] - 20, 0.0, X[j] + 20, 10.0], page=page)


def page_table(page: int, rows: int, columns: list[int], header: bool) -> PageTable:
    grid_rows = []
    if header:
        grid_rows.append([cell(["Area", "2021", "2022", "2023"][j], j, page) for j in columns])
    for i in range(rows):
        label = "continued label" if i == 0 and not header else f"Area {page}-{i}"
        grid_rows.append(
            [cell(label if j == 0 else str(page * 1000 + i * 10 + j), j, page) for j in columns]
        )
    return PageTable(
        Grid(grid_rows), (30.0, 50.0, 370.0, 750.0), page, Frame(612, 792), "borderless"
    )


@pytest.mark.parametrize(
    ("columns", "header"),
    [
        ([0, 1, 2, 3], True),  # same width, repeated header dropped
        ([0, 1, 3], False),  # a blank column left out on the next page: cells remapped
        ([0, 2, 3], True),
    ],
)
def test_stitch_gives_the_same_grid_as_the_per_row_width(columns: list[int], header: bool) -> None:
    settings = PdfSettings()
    first = page_table(1, 300, [0, 1, 2, 3], header=True)
    nexts = [page_table(page, 300, columns, header) for page in range(2, 6)]
    ours, reference = copy.deepcopy(first), copy.deepcopy(first)
    for table in nexts:
        stitch(ours, copy.deepcopy(table), settings)
        reference_stitch(reference, copy.deepcopy(table), settings)
    assert len(ours.grid.rows) > 1000
    assert ours.grid.rows == reference.grid.rows
    assert (ours.page, ours.bbox, ours.at_foot) == (reference.page, reference.bbox, False)
