"""Layout rules that tables-dev does not exercise (issue 11: codes under names, counts
that look like years, stacked blocks, form cell numbers, contents pages, chart axes,
letterheads), each on a small synthetic layout drawn in the test with reportlab (PDF)
or written as a grid (spreadsheet/CSV), so the rule is about the layout. All names and
figures below are synthetic. Real documents showing the same rules are checked in
tests/test_layouts_corpus.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from extractor.records import Cell
from extractor.tables import Source, read_file
from extractor.tables.grid import grid_to_cells, text_grid, years_run_as_headings
from extractor.tables.layout import layout_grids, text_cell

Draw = Callable[[Canvas, float], None]
SOURCE = Source("synthetic.csv", "0" * 64)
PAGE_HEIGHT = 841.89


def _pdf(tmp_path: Path, draw: Draw, name: str = "synthetic.pdf") -> list[Cell]:
    """The records of a one-page A4 PDF drawn by ``draw`` (canvas, page height)."""
    path = tmp_path / name
    canvas = Canvas(str(path), invariant=True)
    canvas.setTitle("Synthetic test data")
    canvas.setFont("Helvetica", 9)
    draw(canvas, PAGE_HEIGHT)
    canvas.save()
    return list(read_file(path))


def _line(c: Canvas, h: float, top: float, cells: list[tuple[float, str, str]]) -> None:
    for x, align, text in cells:
        (c.drawRightString if align == "r" else c.drawString)(x, h - top, text)


def _paths(cells: list[Cell]) -> dict[tuple[tuple[str, ...], tuple[str, ...]], object]:
    return {(tuple(c.row), tuple(c.column)): c.value for c in cells}


def _sheet(rows: list[list[str | None]]) -> list[Cell]:
    grids = layout_grids(iter([[text_cell(t) if t else None for t in row] for row in rows]))
    return [cell for number, grid in grids for cell in grid_to_cells(grid, SOURCE, number)]


# --- a name row over a code row -------------------------------------------------------

FORCES = [("Cumbria", "E10000006"), ("Durham", "E06000047"), ("Lancashire", "E10000017")]
CRIMES = [("Burglary", "310", "275", "1,204"), ("Theft", "120", "95", "300")]


def _names_over_codes(c: Canvas, h: float) -> None:
    c.drawString(60, h - 80, "Table 1: Recorded crime by force area (synthetic)")
    for k, (name, code) in enumerate(FORCES):
        _line(c, h, 110, [(250 + 90 * k, "r", name)])
        _line(c, h, 121, [(250 + 90 * k, "r", code)])
    _line(c, h, 110, [(60, "l", "Offence")])
    for i, (offence, *counts) in enumerate(CRIMES):
        _line(c, h, 140 + 14 * i, [(60, "l", offence)])
        _line(c, h, 140 + 14 * i, [(250 + 90 * k, "r", n) for k, n in enumerate(counts)])


def test_a_code_row_under_the_names_is_a_label_level_of_its_own(tmp_path: Path) -> None:
    cells = _paths(_pdf(tmp_path, _names_over_codes))
    assert cells[(("Burglary",), ("Cumbria", "E10000006"))] == 310
    assert cells[(("Theft",), ("Lancashire", "E10000017"))] == 300
    assert len(cells) == 6


@pytest.mark.parametrize("gap", [16.0, 26.0], ids=["close", "set-apart"])
def test_a_row_of_names_set_apart_above_the_codes_is_not_a_caption(
    tmp_path: Path, gap: float
) -> None:
    """The names stand further above the codes than header lines usually do: they are
    still the outer column level, not the table's caption leaving the codes alone."""

    def draw(c: Canvas, h: float) -> None:
        _line(c, h, 110, [(60, "l", "Offence")])
        for k, (name, code) in enumerate(FORCES):
            _line(c, h, 110, [(250 + 90 * k, "r", name)])
            _line(c, h, 110 + gap, [(250 + 90 * k, "r", code)])
        for i, (offence, *counts) in enumerate([*CRIMES, ("Robbery", "12", "9", "30")]):
            top = 129 + gap + 14 * i
            _line(c, h, top, [(60, "l", offence)])
            _line(c, h, top, [(250 + 90 * k, "r", n) for k, n in enumerate(counts)])

    cells = _paths(_pdf(tmp_path, draw))
    assert cells[(("Theft",), ("Durham", "E06000047"))] == 95
    assert cells[(("Robbery",), ("Lancashire", "E10000017"))] == 30


def _ruled_names_with_codes(c: Canvas, h: float) -> None:
    """Each heading box holds the name and, on a second line, the code."""
    xs, top, row_h = [60, 200, 290, 380, 470], 100, 24
    for i in range(4):
        c.line(xs[0], h - top - row_h * i, xs[-1], h - top - row_h * i)
    for x in xs:
        c.line(x, h - top, x, h - top - row_h * 3)
    c.drawString(64, h - top - 14, "Offence")
    for k, (name, code) in enumerate(FORCES):
        c.drawString(xs[k + 1] + 4, h - top - 10, name)
        c.drawString(xs[k + 1] + 4, h - top - 20, code)
    for i, (offence, *counts) in enumerate(CRIMES):
        y = h - top - row_h * (i + 1) - 15
        c.drawString(64, y, offence)
        for k, n in enumerate(counts):
            c.drawRightString(xs[k + 2] - 4, y, n)


def test_a_name_and_its_code_in_one_ruled_heading_are_two_levels(tmp_path: Path) -> None:
    cells = _paths(_pdf(tmp_path, _ruled_names_with_codes))
    assert cells[(("Burglary",), ("Cumbria", "E10000006"))] == 310
    assert cells[(("Theft",), ("Durham", "E06000047"))] == 95


def test_codes_under_names_in_a_sheet_are_a_level_too() -> None:
    rows: list[list[str | None]] = [
        ["Offence", *(name for name, _ in FORCES)],
        [None, *(code for _, code in FORCES)],
        *([offence, *counts] for offence, *counts in CRIMES),
    ]
    cells = _paths(_sheet(rows))
    assert cells[(("Theft",), ("Durham", "E06000047"))] == 95


def test_a_heading_that_only_ends_in_a_number_is_not_split() -> None:
    grid = text_grid([["Area", "Form A12345", "Total"], ["North", "4", "5"], ["South", "6", "7"]])
    assert _paths(grid_to_cells(grid, SOURCE, 0))[(("North",), ("Form A12345",))] == 4


# --- counts that look like years --------------------------------------------------------


def _year_like_counts(c: Canvas, h: float, counts: tuple[str, str, str]) -> None:
    _line(c, h, 100, [(60, "l", "Offence"), (250, "r", "Cumbria"), (340, "r", "Durham")])
    _line(c, h, 100, [(430, "r", "Lancashire")])
    rows = [("Burglary", *counts), ("Theft", "120", "95", "300"), ("Robbery", "12", "9", "30")]
    for i, (offence, a, b, d) in enumerate(rows):
        _line(c, h, 120 + 14 * i, [(60, "l", offence), (250, "r", a), (340, "r", b), (430, "r", d)])


def test_a_first_row_of_counts_that_look_like_years_is_data(tmp_path: Path) -> None:
    cells = _paths(_pdf(tmp_path, lambda c, h: _year_like_counts(c, h, ("1986", "2018", "2024"))))
    assert cells[(("Burglary",), ("Cumbria",))] == 1986
    assert cells[(("Burglary",), ("Lancashire",))] == 2024
    assert cells[(("Theft",), ("Durham",))] == 95


def test_years_in_steps_under_a_stub_heading_still_head_the_columns(tmp_path: Path) -> None:
    def draw(c: Canvas, h: float) -> None:
        _line(c, h, 100, [(60, "l", "Offence"), (250, "r", "2019"), (340, "r", "2020")])
        _line(c, h, 100, [(430, "r", "2021")])
        for i, (offence, *counts) in enumerate((("Theft", "120", "95", "300"),)):
            _line(c, h, 120 + 14 * i, [(60, "l", offence)])
            _line(c, h, 120 + 14 * i, [(250 + 90 * k, "r", n) for k, n in enumerate(counts)])
        _line(
            c, h, 134, [(60, "l", "Robbery"), (250, "r", "12"), (340, "r", "9"), (430, "r", "30")]
        )
        _line(c, h, 148, [(60, "l", "Fraud"), (250, "r", "7"), (340, "r", "8"), (430, "r", "6")])

    cells = _paths(_pdf(tmp_path, draw))
    assert cells[(("Theft",), ("2020",))] == 95
    assert cells[(("Fraud",), ("2021",))] == 6


def test_year_runs_repeated_under_each_group_are_headings() -> None:
    assert years_run_as_headings([2019, 2020, 2021])
    assert years_run_as_headings([2001, 2011, 2021])
    assert years_run_as_headings([2019, 2020, 2019, 2020])
    assert not years_run_as_headings([1986, 2018, 2024])
    assert not years_run_as_headings([2019, 2020, 2018])
    assert not years_run_as_headings([2020, 2020])


# --- stacked blocks ----------------------------------------------------------------------


def _stacked_blocks(c: Canvas, h: float, centred: bool) -> None:
    top = 80
    for year, base in (("2019", 10), ("2020", 20)):
        _line(c, h, top, [(340, "l", year)] if centred else [(60, "l", year)])
        _line(c, h, top + 16, [(60, "l", "Area"), (250, "r", "Q1"), (340, "r", "Q2")])
        _line(c, h, top + 16, [(430, "r", "Q3")])
        for i, area in enumerate(("North", "South", "East")):
            counts = [str(base + i + k) for k in range(3)]
            _line(c, h, top + 32 + 14 * i, [(60, "l", area)])
            _line(c, h, top + 32 + 14 * i, [(250 + 90 * k, "r", n) for k, n in enumerate(counts)])
        top += 110


@pytest.mark.parametrize("centred", [False, True], ids=["at-left", "centred"])
def test_a_year_over_each_stacked_block_stays_the_outer_level(
    tmp_path: Path, centred: bool
) -> None:
    cells = _paths(_pdf(tmp_path, lambda c, h: _stacked_blocks(c, h, centred)))
    assert cells[(("North",), ("2019", "Q1"))] == 10
    assert cells[(("North",), ("2020", "Q1"))] == 20
    assert cells[(("East",), ("2020", "Q3"))] == 24
    assert len(cells) == 18


def _ruled_block(c: Canvas, h: float, top: float, year: str, base: int) -> None:
    c.drawString(60, h - top, year)
    xs, row_h, first = [60, 200, 290, 380], 16, top + 8
    for i in range(4):
        c.line(xs[0], h - first - row_h * i, xs[-1], h - first - row_h * i)
    for x in xs:
        c.line(x, h - first, x, h - first - row_h * 3)
    for k, text in enumerate(("Area", "Q1", "Q2")):
        c.drawString(xs[k] + 4, h - first - 11, text)
    for i, area in enumerate(("North", "South")):
        y = h - first - row_h * (i + 1) - 11
        c.drawString(64, y, area)
        c.drawRightString(xs[2] - 4, y, str(base + i))
        c.drawRightString(xs[3] - 4, y, str(base + i + 5))


def test_a_year_over_each_ruled_block_stays_the_outer_level(tmp_path: Path) -> None:
    def draw(c: Canvas, h: float) -> None:
        _ruled_block(c, h, 100, "2019", 10)
        _ruled_block(c, h, 200, "2020", 20)

    cells = _paths(_pdf(tmp_path, draw))
    assert cells[(("South",), ("2019", "Q1"))] == 11
    assert cells[(("North",), ("2020", "Q2"))] == 25


def test_a_caption_that_is_not_a_period_stays_a_title(tmp_path: Path) -> None:
    def draw(c: Canvas, h: float) -> None:
        c.drawString(60, h - 100, "Table 2: Arrests")
        _line(c, h, 116, [(60, "l", "Area"), (250, "r", "Arrests"), (340, "r", "Charges")])
        for i, area in enumerate(("North", "South", "East")):
            _line(c, h, 132 + 14 * i, [(60, "l", area), (250, "r", str(i)), (340, "r", "9")])

    cells = _pdf(tmp_path, draw)
    assert _paths(cells)[(("South",), ("Arrests",))] == 1
    assert {c.title for c in cells} == {"Table 2: Arrests"}


# --- a form's cell numbers ---------------------------------------------------------------

FORM = [
    ("26", "Reference books", "8,947", "57"),
    ("27", "Adult fiction", "36,973", "58"),
    ("28", "Adult non-fiction", "14,315", "59"),
    ("29", "Total stock", "60,235", "60"),
]


def _form(c: Canvas, h: float) -> None:
    _line(c, h, 100, [(60, "l", "Book stock"), (400, "r", "Number of volumes")])
    for i, (line, label, value, number) in enumerate(FORM):
        top = 120 + 16 * i
        _line(c, h, top, [(60, "l", line), (80, "l", label), (400, "r", value), (440, "r", number)])


def test_a_form_s_cell_numbers_are_not_figures(tmp_path: Path) -> None:
    cells = _pdf(tmp_path, _form)
    assert sorted(c.raw for c in cells) == ["14,315", "36,973", "60,235", "8,947"]
    reference = next(c for c in cells if c.value == 8947)
    assert reference.column == ["Number of volumes"]
    assert reference.extra["cell_number"] == "57"  # kept with the value it numbers


def test_a_form_s_cell_numbers_in_a_sheet_go_with_their_values() -> None:
    rows: list[list[str | None]] = [["", "Book stock", "Number of volumes", None]]
    rows += [[line, label, value, number] for line, label, value, number in FORM]
    cells = _sheet(rows)
    assert sorted(c.value for c in cells) == [8947, 14315, 36973, 60235]  # type: ignore[type-var]
    assert {c.extra["cell_number"] for c in cells} == {"57", "58", "59", "60"}


def test_a_headed_column_counting_up_is_data() -> None:
    grid = text_grid(
        [
            ["Club", "Points", "Rank"],
            ["Ashby", "40", "1"],
            ["Barton", "35", "2"],
            ["Coln", "9", "3"],
        ]
    )
    assert _paths(grid_to_cells(grid, SOURCE, 0))[(("Barton",), ("Rank",))] == 2


# --- noise: contents pages, chart axes, letterheads ------------------------------------------


def _contents(c: Canvas, h: float, leaders: bool, caption: str) -> None:
    c.setFont("Helvetica", 10)
    c.drawString(60, h - 80, caption)
    entries = [("Introduction", "3"), ("Recorded crime", "5"), ("Outcomes", "12"), ("Annex", "27")]
    for i, (text, page) in enumerate(entries):
        y = h - 110 - 18 * i
        c.drawString(80, y, text)
        if leaders:
            x = 84 + c.stringWidth(text, "Helvetica", 10)
            c.drawString(x, y, "." * int((480 - x) / c.stringWidth(".", "Helvetica", 10)))
        c.drawRightString(520, y, page)


@pytest.mark.parametrize(
    ("leaders", "caption"), [(True, "Summary"), (False, "Contents")], ids=["leaders", "caption"]
)
def test_a_contents_page_gives_no_records(tmp_path: Path, leaders: bool, caption: str) -> None:
    assert _pdf(tmp_path, lambda c, h: _contents(c, h, leaders, caption)) == []


def test_a_list_of_rising_counts_without_leaders_or_contents_caption_is_kept() -> None:
    grid = text_grid(
        [["Contents insurance claims", ""], ["Ashby", "3"], ["Barton", "5"], ["Coln", "12"]],
        title="Contents insurance claims",
    )
    assert len(grid_to_cells(grid, SOURCE, 0)) == 3


def test_chart_axes_and_a_letterhead_box_give_no_records(tmp_path: Path) -> None:
    def draw(c: Canvas, h: float) -> None:
        c.rect(40, h - 140, 515, 100)  # a letterhead box: address left, references right
        letterhead = [
            ("Synthetic Constabulary", "Tel: 101"),
            ("1 High Street", "Ext: 48291"),
            ("Penrith CA10 2AU", "Ref: 1306/25"),
            ("Disclosure Unit", "Date: 13/10/2025"),
        ]
        for i, (left, right) in enumerate(letterhead):
            _line(c, h, 60 + 15 * i, [(50, "l", left), (380, "l", right)])
        c.drawString(60, h - 180, "Figure 1: Recorded crimes (synthetic)")
        x0, y0 = 100.0, h - 460
        c.line(x0, y0, x0, y0 + 250)
        c.line(x0, y0, x0 + 400, y0)
        for k, tick in enumerate(range(0, 3000, 500)):
            c.drawRightString(x0 - 5, y0 + k * 50 - 3, f"{tick:,}")
        for k, year in enumerate(range(2015, 2025)):
            c.drawString(x0 + 10 + k * 40, y0 - 14, str(year))
            c.rect(x0 + 12 + k * 40, y0, 20, 20 + 20 * k, fill=1)

    assert _pdf(tmp_path, draw) == []


def test_a_right_aligned_heading_ending_in_a_digit_is_not_cut(tmp_path: Path) -> None:
    """ "Q1" right-aligned over one-digit counts: the digits start where its "1" starts,
    but a right-aligned column is no left column edge to cut "Q1" at."""

    def draw(c: Canvas, h: float) -> None:
        _line(c, h, 116, [(60, "l", "Area"), (250, "r", "Q1"), (340, "r", "Q2")])
        for i, area in enumerate(("North", "South", "East")):
            _line(c, h, 132 + 14 * i, [(60, "l", area), (250, "r", str(i)), (340, "r", "9")])

    cells = _paths(_pdf(tmp_path, draw))
    assert cells[(("South",), ("Q1",))] == 1
    assert cells[(("East",), ("Q2",))] == 9


# --- wide borderless tables with uneven gaps ---------------------------------------------


def test_a_figure_close_after_a_long_label_is_a_cell_of_its_column(tmp_path: Path) -> None:
    """One row's label runs to within 5 pt of its first figure (less than a column gap);
    the columns of the whole table show the figure is a cell of "Arrests"."""
    heads = ["Arrests", "Charges", "Cautions", "Fines", "Warnings", "Total"]
    xs = [210 + 70 * k for k in range(len(heads))]
    forces = [
        ("Avon and Somerset", ["2301", "9425", "1133", "4279", "2031", "19169"]),
        (
            "Cambridgeshire & Peterborough Constab",
            ["7397", "4463", "3848", "9785", "1774", "27267"],
        ),
        ("Derbyshire", ["", "", "", "", "", "88"]),
        ("Essex", ["3732", "7274", "8223", "9158", "3918", "32305"]),
    ]

    def draw(c: Canvas, h: float) -> None:
        c.setFont("Helvetica", 8)
        _line(
            c, h, 80, [(40, "l", "Force"), *((x, "r", t) for x, t in zip(xs, heads, strict=True))]
        )
        for i, (force, counts) in enumerate(forces):
            _line(
                c,
                h,
                96 + 12 * i,
                [(40, "l", force), *((x, "r", n) for x, n in zip(xs, counts, strict=True))],
            )

    cells = _paths(_pdf(tmp_path, draw))
    assert cells[(("Cambridgeshire & Peterborough Constab",), ("Arrests",))] == 7397
    assert cells[(("Cambridgeshire & Peterborough Constab",), ("Charges",))] == 4463
    assert cells[(("Derbyshire",), ("Total",))] == 88
    assert len(cells) == 19


# --- letters --------------------------------------------------------------------------------


def _letter(c: Canvas, h: float) -> None:
    """A synthetic FOI reply in running text, a small table, more text ending in a phone
    number, then two aligned lines of costs."""
    from reportlab.lib.utils import simpleSplit

    c.setFont("Times-Roman", 11)
    top = 80.0

    def para(text: str) -> None:
        nonlocal top
        for line in simpleSplit(text, "Times-Roman", 11, 450):
            c.drawString(72, h - top, line)
            top += 14
        top += 8

    para("Dear Requester, thank you for your request of 12 September 2025 about crimes.")
    c.drawString(90, h - top, "Year")
    c.drawRightString(300, h - top, "Crimes recorded")
    for year, count in (("2019/20", "635"), ("2020/21", "505"), ("2021/22", "569")):
        top += 14
        c.drawString(90, h - top, year)
        c.drawRightString(300, h - top, count)
    top += 24
    para(
        "If you are unhappy you may ask for an internal review within 40 working days, or "
        "write to the Information Commissioner at Wycliffe House, Water Lane, Wilmslow SK9 "
        "5AF, telephone 0303 123 1113."
    )
    for label, value in (("Total cost of the request", "£0"), ("Hours spent", "3.5")):
        c.drawString(72, h - top, label)
        c.drawRightString(300, h - top, value)
        top += 14


def test_the_last_line_of_a_letter_s_paragraph_is_no_column_label(tmp_path: Path) -> None:
    cells = _pdf(tmp_path, _letter)
    assert _paths(cells)[(("2020/21",), ("Crimes recorded",))] == 505
    from_the_text = [
        c
        for c in cells
        if c.raw == "123" or any("1113" in x or "Wilmslow" in x for x in [*c.row, *c.column])
    ]
    assert not from_the_text  # the sentence's phone number is no figure, nor a label


def test_year_runs_repeated_under_groups_in_a_sheet_head_the_columns() -> None:
    rows: list[list[str | None]] = [
        ["Area", "Male", None, "Female", None],
        [None, "2019", "2020", "2019", "2020"],
        ["North", "11", "12", "13", "14"],
        ["South", "21", "22", "23", "24"],
    ]
    cells = _paths(_sheet(rows))
    assert cells[(("North",), ("Male", "2020"))] == 12
    assert cells[(("South",), ("Female", "2019"))] == 23


def test_white_codes_crossing_a_thin_dark_rule_stay_invisible(tmp_path: Path) -> None:
    """White service-point codes left in a spreadsheet export; a column rule drawn as a
    thin dark filled rect runs under one of their characters. A rule is no dark box
    for text to stand on, so no part of a code is read."""

    def draw(c: Canvas, h: float) -> None:
        _line(c, h, 100, [(60, "l", "Service point"), (250, "r", "Hours"), (330, "r", "Issues")])
        rows = [("Ashby", "48.0", "120"), ("Barton", "21.0", "95"), ("Coln", "40.0", "40")]
        for i, (name, hours, issues) in enumerate(rows):
            _line(c, h, 116 + 14 * i, [(60, "l", name), (250, "r", hours), (330, "r", issues)])
        c.setFillGray(0.4)
        c.rect(26, h - 160, 1.8, 70, stroke=0, fill=1)  # a column rule, as a filled rect
        c.setFillGray(1)
        for i in range(3):
            c.drawString(14, h - 116 - 14 * i, f"E0202_{i + 1}")
        c.setFillGray(0)

    cells = _pdf(tmp_path, draw)
    assert {tuple(c.row) for c in cells} == {("Ashby",), ("Barton",), ("Coln",)}
    assert len(cells) == 6


def test_a_form_s_one_line_table_at_the_head_of_the_page_is_read(tmp_path: Path) -> None:
    """A section title at the top, then, set apart, a heading and one numbered line with
    its cell number: the heading stands in the page's head band but is no running
    header (a line stands well above it); a one-line table counts when it is a form's
    numbered line with one figure under the heading."""

    def draw(c: Canvas, h: float) -> None:
        c.setFont("Helvetica", 6)
        c.drawString(118, h - 20, "Section 2 - Book stock (synthetic)")
        _line(c, h, 46, [(505, "r", "Number of volumes")])
        _line(c, h, 57, [(70, "l", "25"), (87, "l", "Total stock at 1 April")])
        _line(c, h, 57, [(502, "r", "121,721"), (516, "r", "56")])
        _line(c, h, 87, [(87, "l", "Stock at 31 March"), (505, "r", "Number of volumes")])
        rows = [
            ("26", "Reference books", "8,947"),
            ("27", "Adult fiction", "36,973"),
            ("28", "Adult non-fiction", "14,315"),
        ]
        for i, (line, label, value) in enumerate(rows):
            top = 100 + 13.5 * i
            _line(c, h, top, [(70, "l", line), (87, "l", label), (502, "r", value)])
            _line(c, h, top, [(516, "r", str(57 + i))])

    cells = _pdf(tmp_path, draw)
    stock = next(c for c in cells if c.value == 121721)
    assert stock.row == ["25", "Total stock at 1 April"]
    assert stock.column == ["Number of volumes"]
    assert stock.extra["cell_number"] == "56"
    assert sorted(c.raw for c in cells) == ["121,721", "14,315", "36,973", "8,947"]
