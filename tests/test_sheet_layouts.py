"""Layout rules for statistics tables (spreadsheets and CSV), each on small synthetic grids
whose expected labels are written out by hand. The same rules are checked on whole
generated workbooks (fixtures/sheets/stats.xlsx, stats-export.csv, areas-export.csv) by
their answer keys, and on the real corpus by tests/test_tables_dev_sheets.py."""

from __future__ import annotations

from extractor.tables import Source
from extractor.tables.grid import Grid, GridCell, grid_to_cells, text_grid
from extractor.tables.layout import layout_grids, lift_unit_caption
from extractor.tables.sheets import MergeFiller

SOURCE = Source("synthetic.csv", "0" * 64)


def by_labels(grid: Grid) -> dict[tuple[tuple[str, ...], tuple[str, ...]], object]:
    return {(tuple(c.row), tuple(c.column)): c.value for c in grid_to_cells(grid, SOURCE, 0)}


def test_a_row_numbering_the_columns_is_a_header_row() -> None:
    grid = text_grid(
        [
            ["Period", "Employed", "Rate"],
            ["", "1", "2"],
            ["2021", "500", "70"],
        ]
    )
    assert by_labels(grid) == {(("2021",), ("Employed", "1")): 500, (("2021",), ("Rate", "2")): 70}


def test_a_first_data_row_that_only_looks_like_column_numbers_stays_data() -> None:
    labelled = text_grid([["Area", "A", "B"], ["North", "1", "2"], ["South", "3", "4"]])
    assert by_labels(labelled)[(("North",), ("A",))] == 1  # its stub is labelled
    skipping = text_grid([["Area", "A", "B"], ["", "1", "3"], ["South", "3", "4"]])
    assert (("South",), ("A", "1")) not in by_labels(skipping)  # 1, 3 do not count 1, 2


def test_consecutive_headings_nest_and_a_run_replaces_as_many_levels() -> None:
    grid = text_grid(
        [
            ["Period", "Count"],
            ["All people", ""],
            ["16-24", ""],
            ["2021", "5"],
            ["25-49", ""],  # one heading after data: replaces the innermost level
            ["2021", "6"],
            ["Men", ""],  # two headings: replace both levels
            ["16-24", ""],
            ["2021", "7"],
        ]
    )
    assert by_labels(grid) == {
        (("All people", "16-24", "2021"), ("Count",)): 5,
        (("All people", "25-49", "2021"), ("Count",)): 6,
        (("Men", "16-24", "2021"), ("Count",)): 7,
    }


def rows(*lines: list[str]) -> list[list[GridCell]]:
    return [[GridCell(text=t) for t in line] for line in lines]


def test_a_units_caption_top_right_is_a_note_not_a_header() -> None:
    table = rows(
        ["", "", "United Kingdom (thousands) not seasonally adjusted"],
        ["Period", "People", "Rate"],
        ["2021", "5", "6"],
    )
    assert lift_unit_caption(table) == ["United Kingdom (thousands) not seasonally adjusted"]
    assert [c.text for c in table[0]] == ["Period", "People", "Rate"]


def test_a_lone_heading_top_right_that_is_not_units_stays_a_header() -> None:
    table = rows(["", "", "Change"], ["Area", "2021", "%"], ["North", "5", "6"])
    assert lift_unit_caption(table) == []
    assert by_labels(Grid(rows=table))[(("North",), ("Change", "%"))] == 6


def test_a_group_label_wrapped_over_two_rows_is_one_label() -> None:
    grid = text_grid(
        [
            ["Region", "Area", "2021"],
            ["EAST &", "Ashby", "1"],
            ["THE FENS", "Bourne", "2"],
            ["", "Crowland", "3"],
            ["WEST", "Dymock", "4"],
            ["", "Evesham", "5"],
            ["", "Fownhope", "6"],
        ]
    )
    cells = by_labels(grid)
    assert cells[(("EAST & THE FENS", "Bourne"), ("2021",))] == 2
    assert cells[(("EAST & THE FENS", "Crowland"), ("2021",))] == 3
    assert cells[(("WEST", "Evesham"), ("2021",))] == 5


def test_names_ending_in_of_in_a_full_column_are_not_joined() -> None:
    grid = text_grid(
        [
            ["Code", "Area", "Type", "Homes"],
            ["E1", "Hull, City of", "LA", "10"],
            ["E2", "East Riding", "LA", "20"],
            ["E3", "York", "LA", "30"],
        ]
    )
    cells = by_labels(grid)
    assert cells[(("E2", "East Riding"), ("Homes",))] == 20  # the constant "LA" is no label
    assert cells[(("E1", "Hull, City of"), ("Homes",))] == 10


def test_a_constant_column_left_of_the_rows_name_stays_in_the_path() -> None:
    grid = text_grid(
        [
            ["Year", "Course", "College", "Offers"],
            ["2019", "Physics", "Balliol", "8"],
            ["2019", "Physics", "Brasenose", "10"],
            ["2020", "Physics", "Balliol", "7"],
        ]
    )
    assert by_labels(grid)[(("2020", "Physics", "Balliol"), ("Offers",))] == 7


def test_a_database_key_column_is_neither_label_nor_cell() -> None:
    grid = text_grid(
        [
            ["ROW_ID", "Code", "Area", "Homes"],
            ["501", "W1", "Northshire", "10"],
            ["502", "W2", "Southvale", "20"],
            ["503", "W3", "Westmarch", "30"],
        ]
    )
    assert by_labels(grid) == {
        (("W1", "Northshire"), ("Homes",)): 10,
        (("W2", "Southvale"), ("Homes",)): 20,
        (("W3", "Westmarch"), ("Homes",)): 30,
    }


def test_a_value_covered_by_a_merge_is_not_shown() -> None:
    filler = MergeFiller([(2, 3, 3, 3)], max_col=3)  # C2:C3, one figure for two rows
    top = [GridCell("North"), GridCell("1"), GridCell("478")]
    under = [GridCell("South"), GridCell("2"), GridCell("9.9")]  # a stale value in C3
    filler.fill(2, top, "S!", set())
    filler.fill(3, under, "S!", set())
    assert top[2] is not None and top[2].text == "478"
    assert under[2] is None


def sheet_records(lines: list[list[str]]) -> dict[str, tuple[list[str], list[str], object]]:
    """Records of a sheet given as rows of text ("" blank), keyed by their value's text."""
    rows = [[GridCell(text=t) if t else None for t in line] for line in lines]
    found = {}
    for number, grid in layout_grids(iter(rows)):
        for c in grid_to_cells(grid, SOURCE, number):
            found[c.raw] = (c.row, c.column, c.title)
    return found


def test_a_period_over_each_stacked_block_heads_its_columns() -> None:
    found = sheet_records(
        [
            ["2019/20", "", ""],
            ["Area", "Q1", "Q2"],
            ["North", "10", "11"],
            ["", "", ""],
            ["2020/21", "", ""],
            ["Area", "Q1", "Q2"],
            ["North", "14", "15"],
        ]
    )
    assert found["11"][:2] == (["North"], ["2019/20", "Q2"])
    assert found["14"][:2] == (["North"], ["2020/21", "Q1"])


def test_a_title_that_is_not_a_period_stays_a_title() -> None:
    found = sheet_records([["Calls answered"], ["Area", "Q1"], ["North", "10"]])
    assert found["10"] == (["North"], ["Q1"], "Calls answered")
    apart = sheet_records([["2019"], [""], ["Area", "Q1"], ["North", "10"]])
    assert apart["10"][1] == ["Q1"]  # a blank row between: a caption, not the block's head


def test_counts_that_look_like_years_are_data_not_a_header() -> None:
    grid = text_grid(
        [
            ["Force", "Arrests", "Charges", "Cautions"],
            ["Northshire", "1986", "2018", "2024"],
            ["Southvale", "1200", "900", "300"],
        ]
    )
    assert by_labels(grid)[(("Northshire",), ("Charges",))] == 2018


def test_years_in_steps_are_a_header_row() -> None:
    grid = text_grid(
        [
            ["Area", "2001", "2011", "2021"],
            ["Northshire", "5", "6", "7"],
        ]
    )
    assert by_labels(grid) == {
        (("Northshire",), ("2001",)): 5,
        (("Northshire",), ("2011",)): 6,
        (("Northshire",), ("2021",)): 7,
    }


def test_a_long_run_of_label_lines_is_a_list_not_nested_headings() -> None:
    lines = [["Check", "Result"]]
    lines += [[f"Question {n}: is line {n} equal to the total?", ""] for n in range(1, 6)]
    lines += [["Line 6", "1"]]
    cells = by_labels(text_grid(lines))
    assert cells == {(("Question 5: is line 5 equal to the total?", "Line 6"), ("Result",)): 1}


def test_a_bracketed_remark_row_heads_nothing() -> None:
    grid = text_grid(
        [
            ["Item", "2017"],
            ["Library visits", ""],
            ["In person", "5"],
            ["(cumulative, including visits at line 6)", ""],
            ["Enquiries", ""],
            ["Online", "7"],
        ]
    )
    cells = by_labels(grid)
    assert cells[(("Library visits", "In person"), ("2017",))] == 5
    assert cells[(("Enquiries", "Online"), ("2017",))] == 7
