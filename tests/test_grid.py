"""From grids of printed cells to cell records (extractor.tables.grid)."""

from __future__ import annotations

from extractor.tables import Source
from extractor.tables.grid import Grid, GridCell, find_stub_columns, grid_to_cells, text_grid

SOURCE = Source("synthetic.pdf", "0" * 64)


def by_labels(grid: Grid) -> dict[tuple[tuple[str, ...], tuple[str, ...]], object]:
    return {(tuple(c.row), tuple(c.column)): c.value for c in grid_to_cells(grid, SOURCE, 0)}


def test_spanning_header_becomes_a_column_path() -> None:
    grid = text_grid(
        [
            ["", "Calendar year", "", ""],
            ["Offence", "2020", "2021", "2022"],
            ["Burglary", "10", "20", "30"],
        ]
    )
    cells = by_labels(grid)
    assert cells[(("Burglary",), ("Calendar year", "2021"))] == 20
    assert len(cells) == 3


def test_section_rows_prefix_the_rows_below() -> None:
    grid = text_grid(
        [
            ["Offence", "2022"],
            ["Sexual offences", ""],
            ["Rape", "48"],
            ["Other sexual offences", "12"],
            ["Theft offences", ""],
            ["Shoplifting", "7"],
        ]
    )
    cells = by_labels(grid)
    assert cells[(("Sexual offences", "Rape"), ("2022",))] == 48
    assert cells[(("Theft offences", "Shoplifting"), ("2022",))] == 7


def test_indentation_closes_a_section() -> None:
    def cell(text: str, indent: float = 0.0) -> GridCell:
        return GridCell(text, indent=indent)

    grid = Grid(
        [
            [cell("Offence"), cell("2022")],
            [cell("Sexual offences"), cell("")],
            [cell("Rape", 10), cell("48")],
            [cell("Robbery"), cell("9")],
        ]
    )
    cells = by_labels(grid)
    assert cells[(("Sexual offences", "Rape"), ("2022",))] == 48
    assert cells[(("Robbery",), ("2022",))] == 9


def test_totals_are_flagged_and_footnotes_leave_labels() -> None:
    grid = text_grid(
        [
            ["Area", "Cases¹", "Total"],
            ["North [note 1]", "5", "5"],
            ["Total", "5", "5"],
        ]
    )
    cells = grid_to_cells(grid, SOURCE, 0)
    north = [c for c in cells if c.row == ["North"]]
    assert [c.column for c in north] == [["Cases"], ["Total"]]
    assert [c.total for c in north] == [False, True]
    assert all(c.total for c in cells if c.row == ["Total"])


def test_markers_are_records_and_blanks_are_not() -> None:
    grid = text_grid([["Area", "Cases"], ["North", "<5"], ["South", ""], ["East", "[x]"]])
    cells = grid_to_cells(grid, SOURCE, 0)
    assert [(c.row, c.value, c.flag, c.raw) for c in cells] == [
        (["North"], None, "suppressed", "<5"),
        (["East"], None, "not_available", "[x]"),
    ]


def test_text_table_keeps_one_label_column() -> None:
    grid = text_grid(
        [
            ["No.", "Financial Year", "Crime Type", "Outcome"],
            ["1", "2019/2020", "THEFT", "Charged"],
            ["2", "2019/2020", "ROBBERY", "No further action"],
        ]
    )
    assert find_stub_columns(grid, 1) == 1
    cells = by_labels(grid)
    assert cells[(("2",), ("Crime Type",))] == "ROBBERY"


def test_form_line_numbers_join_the_label() -> None:
    grid = text_grid(
        [
            ["", "", "Number of Volumes"],
            ["26", "Reference Books", "8,947"],
            ["27", "Adult Fiction", "40,120"],
            ["28", "Children's Fiction", "20,001"],
        ]
    )
    cells = by_labels(grid)
    assert cells[(("26", "Reference Books"), ("Number of Volumes",))] == 8947
    assert len(cells) == 3


def test_year_labels_are_headers_not_data() -> None:
    grid = text_grid([["Year", "Crimes"], ["2019/2020", "635"], ["2020/2021", "505"]])
    cells = by_labels(grid)
    assert cells == {(("2019/2020",), ("Crimes",)): 635, (("2020/2021",), ("Crimes",)): 505}


def test_a_bold_label_row_opens_a_section_after_plain_rows() -> None:
    def rows(bold: bool) -> Grid:
        return Grid(
            [
                [GridCell("Victims"), GridCell("2024")],
                [GridCell("All victims"), GridCell("90")],
                [GridCell("Male", bold=bold), GridCell("")],
                [GridCell("Under 18"), GridCell("12")],
            ]
        )

    assert (("Male", "Under 18"), ("2024",)) in by_labels(rows(bold=True))
    assert (("Under 18",), ("2024",)) in by_labels(rows(bold=False))
