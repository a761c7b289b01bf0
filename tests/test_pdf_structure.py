"""PDF table-structure rules on small generated (synthetic) layouts.

Each rule that a real document in ../shared/corpus/tables-dev showed is checked here
on a layout drawn with reportlab, so the rule is about the layout, not the document.
All figures below are synthetic.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from extractor.records import Cell
from extractor.tables import read_file

Draw = Callable[[Canvas, float], None]


def _pdf(tmp_path: Path, draw: Draw, name: str = "synthetic.pdf") -> Path:
    """A one-page A4 PDF; ``draw`` gets the canvas and the page height (y from the top
    is ``height - top``)."""
    path = tmp_path / name
    canvas = Canvas(str(path), invariant=True)
    canvas.setTitle("Synthetic test data")
    canvas.setFont("Helvetica", 9)
    draw(canvas, 841.89)
    canvas.save()
    return path


def _by_value(cells: list[Cell]) -> dict[object, Cell]:
    return {c.value: c for c in cells}


def _rows(c: Canvas, h: float, rows: list[list[tuple[float, str, str]]], top: float) -> None:
    """Rows of (x, align, text), 14 pt apart from ``top``."""
    for i, row in enumerate(rows):
        y = h - top - 14 * i
        for x, align, text in row:
            if align == "r":
                c.drawRightString(x, y, text)
            else:
                c.drawString(x, y, text)


def test_white_text_on_a_white_page_is_not_read_but_white_on_dark_is(tmp_path: Path) -> None:
    def draw(c: Canvas, h: float) -> None:
        c.setFillGray(0.1)
        c.rect(60, h - 112, 300, 16, stroke=0, fill=1)  # a dark header bar
        c.setFillGray(1)
        c.drawString(160, h - 108, "Issued")
        c.drawRightString(330, h - 108, "Returned")
        c.setFillGray(0)
        body = [
            [(70, "l", name), (200, "r", a), (330, "r", b)]
            for name, a, b in (("Ashby", "120", "80"), ("Barton", "95", "61"), ("Coln", "40", "7"))
        ]
        _rows(c, h, body, 130)
        c.setFillGray(1)  # invisible codes and a white count at the right of each row
        for i, code in enumerate(("W101", "W102", "W103")):
            c.drawString(20, h - 130 - 14 * i, code)
            c.drawString(400, h - 130 - 14 * i, "1")
        c.setFillGray(0)

    cells = list(read_file(_pdf(tmp_path, draw)))
    assert {c.raw for c in cells} == {"120", "80", "95", "61", "40", "7"}
    assert _by_value(cells)[120].column == ["Issued"]
    assert _by_value(cells)[61].row == ["Barton"]


def _payments(c: Canvas, h: float, glue: bool) -> None:
    """A synthetic payments listing: a constant first column, a transaction number,
    a right-aligned amount touching a left-aligned VAT number, a long area name running
    into the supplier column."""
    long_area = "Bowel Screening Programme"
    at = 120 + c.stringWidth(long_area, "Helvetica", 9)  # the supplier column's left edge
    heads = [(40, "Body"), (120, "Area"), (at, "Supplier"), (330, "Transaction"), (400, "Amount")]
    for x, text in [*heads, (440, "VAT Number"), (520, "Invoice")]:
        c.drawString(x, h - 100, text)
    rows = [
        ("Synthetic Trust", "Estates", "ACME LTD", "5010001", "42,227.76", "577704800", "INV1"),
        ("Synthetic Trust", "Screening ProgrammeX", "BETA LTD", "5010002", "1,835.33", "", "INV2"),
        ("Synthetic Trust", "Estates", "GAMMA PLC", "5010003", "443.76", "156725100", "INV3"),
        ("Synthetic Trust", "Laundry", "DELTA LTD", "5010004", "29,490.71", "430867056", "INV4"),
        ("Synthetic Trust", "Estates", "ACME LTD", "5010005", "3,112.12", "GB782562113", "INV5"),
        ("Synthetic Trust", "Estates", "EPSILON LTD", "5010006", "40,986.00", "", "INV6"),
    ]
    for i, (body, area, supplier, number, amount, vat, invoice) in enumerate(rows):
        y = h - 114 - 12 * i
        c.drawString(40, y, body)
        c.drawString(120, y, long_area if area.endswith("X") else area)
        c.drawString(at, y, supplier)  # a long area name runs on into the supplier
        c.drawString(330, y, number)
        width = c.stringWidth(amount, "Helvetica", 9)
        right = 440 if glue else 436
        c.drawString(right - width, y, amount)  # right-aligned at the VAT column's left edge
        if vat:
            c.drawString(440, y, vat)
        c.drawString(520, y, invoice)


def test_touching_columns_are_cut_where_the_page_shows_a_column_edge(tmp_path: Path) -> None:
    cells = list(read_file(_pdf(tmp_path, lambda c, h: _payments(c, h, glue=True))))
    raws = {c.raw for c in cells}
    assert {"42,227.76", "577704800", "443.76", "156725100", "3,112.12", "GB782562113"} <= raws
    assert not any("42,227.76577704800" in c.raw for c in cells)
    assert {"Bowel Screening Programme", "BETA LTD"} <= raws
    amount = next(c for c in cells if c.raw == "42,227.76")
    assert amount.column == ["Amount"] and amount.value == 42227.76


def test_a_lone_decimal_run_is_not_cut_at_digit_boundaries(tmp_path: Path) -> None:
    """Right-aligned numbers share digit boundaries (tabular figures): no cut there."""

    def draw(c: Canvas, h: float) -> None:
        c.drawString(200, h - 100, "2019")
        c.drawString(260, h - 100, "2020")
        for i, (label, a, b) in enumerate(
            (("Rent", "36.035", "118.744"), ("Rates", "12.076", "19.389"), ("Fees", "3.283", "6.7"))
        ):
            y = h - 114 - 12 * i
            c.drawString(60, y, label)
            c.drawRightString(230, y, a)
            c.drawRightString(290, y, b)
        c.drawString(60, h - 170, "Section 36.0")  # a stray number ending level with a digit

    raws = {c.raw for c in read_file(_pdf(tmp_path, draw))}
    assert {"36.035", "118.744", "12.076", "19.389", "3.283", "6.7"} <= raws


def test_a_record_list_is_keyed_by_its_transaction_number(tmp_path: Path) -> None:
    cells = list(read_file(_pdf(tmp_path, lambda c, h: _payments(c, h, glue=False))))
    supplier = next(c for c in cells if c.value == "GAMMA PLC")
    assert supplier.row == ["5010003"] and supplier.column == ["Supplier"]
    body = next(c for c in cells if c.value == "Synthetic Trust" and c.row == ["5010001"])
    assert body.column == ["Body"]
    assert not any(c.column == ["Transaction"] for c in cells)  # the key is the row label


def _sideways_table(c: Canvas, h: float) -> None:
    """Synthetic accounts table: sideways headings (some wrapped over two lines) over
    narrow columns, a shaded header bar and totals column, and row labels wrapped over
    two lines with the figures level with the label's last line."""
    c.setFillColorRGB(0.2, 0.6, 0.4)
    c.rect(60, h - 200, 420, 90, stroke=0, fill=1)  # the header bar
    c.setFillColorRGB(0.8, 1, 0.8)
    c.rect(440, h - 330, 40, 130, stroke=0, fill=1)  # the totals column
    c.setFillGray(0)
    headings = [["Adults and", "Health"], ["Children"], ["Leisure and", "Culture"], ["Housing"]]
    for k, lines in enumerate(headings):
        for n, text in enumerate(lines):
            c.saveState()
            c.translate(190 + 60 * k + 9 * n, h - 185)
            c.rotate(90)  # reads bottom to top
            c.drawString(0, 0, text)
            c.restoreState()
    c.drawString(70, h - 150, "2019/20")
    c.drawString(445, h - 150, "Total")
    for k in range(5):
        c.drawRightString(205 + 60 * k if k < 4 else 475, h - 197, "£m")
    rows = [
        (["Fees, charges, other", "income"], ["(17.8)", "(9.2)", "(8.0)", "(1.4)", "(36.4)"]),
        (["Government Grants", "and contributions"], ["58.6", "125.3", "13.9", "24.1", "221.9"]),
        (["Employee Expenses"], ["24.8", "71.7", "24.0", "40.4", "160.9"]),
    ]
    top = 215
    for labels, values in rows:
        for n, label in enumerate(labels):
            c.drawString(70, h - top - 10 * n, label)
        y = h - top - 10 * (len(labels) - 1)
        for k, value in enumerate(values):
            c.drawRightString(205 + 60 * k if k < 4 else 475, y, value)
        top += 10 * len(labels)  # evenly spaced: the gaps do not tell the rows apart


def test_sideways_headings_head_the_columns_they_stand_over(tmp_path: Path) -> None:
    cells = list(read_file(_pdf(tmp_path, _sideways_table)))
    by_raw = {c.raw: c for c in cells}
    assert by_raw["(9.2)"].column == ["Children", "£m"]
    assert by_raw["13.9"].column == ["Leisure and Culture", "£m"]
    assert by_raw["58.6"].column == ["Adults and Health", "£m"]
    assert by_raw["221.9"].column == ["Total", "£m"]


def test_wrapped_row_labels_with_figures_on_the_last_line_are_one_label(tmp_path: Path) -> None:
    cells = list(read_file(_pdf(tmp_path, _sideways_table)))
    by_raw = {c.raw: c for c in cells}
    assert by_raw["(17.8)"].row == ["Fees, charges, other income"]
    assert by_raw["125.3"].row == ["Government Grants and contributions"]
    assert by_raw["71.7"].row == ["Employee Expenses"]
    assert len(cells) == 15


def _grouped_headings(c: Canvas, h: float) -> None:
    """Synthetic trading table: a year over three columns, headings printed close
    together ("Expenditure Income"), one wrapped bottom-aligned over two lines
    ("(Surplus)" / "Deficit"), and a units row."""
    right = [230, 270, 310, 370, 410, 450]
    for k, year in enumerate(("2021/22", "2022/23")):
        c.drawCentredString((right[3 * k] - 28 + right[3 * k + 2]) / 2, h - 100, year)
    for k in range(2):
        a, _, d = right[3 * k : 3 * k + 3]
        c.drawRightString(a, h - 120, "Expenditure")
        c.drawString(a + 4, h - 120, "Income")  # close enough to read as one segment
        c.drawRightString(d, h - 111, "(Surplus)")
        c.drawRightString(d - 5, h - 120, "Deficit")
    for x in right:
        c.drawRightString(x, h - 134, "£m")
    body = [("Car Parking", 1), ("Markets", 2), ("Catering", 3)]
    for i, (label, n) in enumerate(body):
        y = h - 150 - 12 * i
        c.drawString(60, y, label)
        for k, x in enumerate(right):
            c.drawRightString(x, y, f"{n}.{k}{n}")


def test_headings_are_placed_by_extent_and_wrapped_headings_are_one_level(tmp_path: Path) -> None:
    cells = list(read_file(_pdf(tmp_path, _grouped_headings)))
    by_raw = {c.raw: c for c in cells}
    assert by_raw["1.01"].column == ["2021/22", "Expenditure", "£m"]
    assert by_raw["1.11"].column == ["2021/22", "Income", "£m"]
    assert by_raw["2.22"].column == ["2021/22", "(Surplus) Deficit", "£m"]
    assert by_raw["3.53"].column == ["2022/23", "(Surplus) Deficit", "£m"]
    assert by_raw["2.42"].column == ["2022/23", "Income", "£m"]


def test_every_pdf_table_says_how_sure_its_structure_is(tmp_path: Path) -> None:
    clear = list(read_file(_pdf(tmp_path, _grouped_headings, "clear.pdf")))
    assert {c.confidence for c in clear} and all(c.confidence >= 0.8 for c in clear)

    def unlabelled(c: Canvas, h: float) -> None:  # no headings over the figures
        rows = [("Ashby", "12", "3"), ("Barton", "14", "5"), ("Coln", "9", "1")]
        _rows(c, h, [[(70, "l", a), (200, "r", b), (330, "r", n)] for a, b, n in rows], 130)

    vague = list(read_file(_pdf(tmp_path, unlabelled, "vague.pdf")))
    assert vague and len({c.confidence for c in vague}) == 1
    assert vague[0].confidence is not None and vague[0].confidence < 0.8


def _library_stops(c: Canvas, h: float) -> None:
    """Synthetic mobile-library list: a ruled table whose community, mobile, route and day
    cells span the rows of that community's stops, and whose From and To times share one
    ruled column."""
    xs = [60, 150, 190, 220, 300, 420, 520]
    groups = [
        ("Alton", "A", "1", "Monday", [("School", "10.00", "10.45")]),
        ("Barby", "B", "4", "Friday", [("Hill", "9.30", "10.10"), ("Park", "10.15", "10.55")]),
        ("Crick", "C", "9", "Tuesday", [("Close", "11.00", "11.25"), ("Lane", "13.40", "14.40")]),
    ]
    pitch, top = 14.0, 100.0
    heads = ["Community", "Mobile", "Route", "Day", "Stopping Place"]
    for x, text in zip(xs, heads, strict=False):
        c.drawString(x + 3, h - top - 10, text)
    c.drawRightString(460, h - top - 10, "From")
    c.drawRightString(510, h - top - 10, "To")
    c.line(xs[0], h - top, xs[-1], h - top)
    y = top + pitch
    c.line(xs[0], h - y, xs[-1], h - y)
    for name, mobile, route, day, stops in groups:
        start = y
        for k, (stop, start_time, end_time) in enumerate(stops):
            c.drawString(xs[4] + 3, h - y - 10, stop)
            c.drawRightString(460, h - y - 10, start_time)
            c.drawRightString(510, h - y - 10, end_time)
            y += pitch
            edge = xs[0] if k == len(stops) - 1 else xs[4]  # group rules run full width
            c.line(edge, h - y, xs[-1], h - y)
        middle = (start + y) / 2 + 3
        for x, text in zip(xs, (name, mobile, route, day), strict=False):
            c.drawString(x + 3, h - middle, text)
    for x in xs:
        c.line(x, h - top, x, h - y)


def test_a_ruled_group_and_its_own_rows_are_read_apart(tmp_path: Path) -> None:
    cells = list(read_file(_pdf(tmp_path, _library_stops)))
    got = {(tuple(c.row), tuple(c.column), c.raw) for c in cells}
    assert (("Barby",), ("Route",), "4") in got
    assert (("Crick",), ("Day",), "Tuesday") in got
    assert (("Barby", "Park"), ("To",), "10.55") in got
    assert (("Crick", "Lane"), ("From",), "13.40") in got
    assert (("Alton", "School"), ("From",), "10.00") in got
    assert len(cells) == 3 * 3 + 5 * 2


def _ruled_breakdown(c: Canvas, h: float) -> None:
    """Synthetic ruled table: the caption in a black bar across the top, numbered test
    rows with three label columns, a breakdown row ("of which:") with rows indented under
    it, a subtotal across the label columns, and a shaded cell whose own rules split its
    row in two."""
    xs = [60, 150, 170, 260, 310, 380, 450]
    top, pitch = 100.0, 16.0
    c.setFillGray(0)
    c.rect(xs[0], h - top - 2 * pitch, xs[-1] - xs[0], 2 * pitch, stroke=0, fill=1)
    c.setFillGray(1)
    c.drawString(xs[0] + 4, h - top - 12, "Table 9: Synthetic test results by category and type of")
    c.drawString(xs[0] + 4, h - top - 28, "building, a caption printed in a bar - 1 January 2030")
    c.setFillGray(0)
    rows = [
        (["Test", "", "Category", "Result"], ["Private", "Social"], False),
        (["1", "", "Category 3", "Fail"], ["46", "39"], False),
        (["2", "", "Category 2", "Pass"], ["22", "83"], False),
        (["Na", "", "Category 1", "Inferred"], ["5", "6"], False),
        (["Homes, of which:", "", "", ""], ["73", "128"], False),
        (["  Flats", "", "", ""], ["50", "100"], True),
        (["  Houses", "", "", ""], ["23", "28"], False),
    ]
    y = top + 2 * pitch
    for labels, values, shaded in rows:
        for x, text in zip(xs, labels, strict=False):
            c.drawString(x + 3 + (8 if text.startswith("  ") else 0), h - y - 11, text.strip())
        for x, text in zip(xs[4:], values, strict=False):
            c.drawRightString(x + 60, h - y - 11, text)
        if shaded:  # a shaded cell with rules of its own at a third of the row's height
            c.setFillGray(0.3)
            c.rect(xs[6], h - y - pitch, 40, pitch, stroke=1, fill=1)
            c.setFillGray(0)
            c.line(xs[6], h - y - pitch / 3, xs[6] + 40, h - y - pitch / 3)
        y += pitch
        c.line(xs[0], h - y, xs[-1] + 40, h - y)
    for x in [*xs, xs[-1] + 40]:
        c.line(x, h - top - 2 * pitch, x, h - y)
    c.line(xs[0], h - top - 2 * pitch, xs[-1] + 40, h - top - 2 * pitch)


def test_ruled_caption_bar_numbered_rows_and_breakdowns(tmp_path: Path) -> None:
    cells = list(read_file(_pdf(tmp_path, _ruled_breakdown)))
    got = {(tuple(c.row), tuple(c.column), c.raw) for c in cells}
    assert (("1", "Category 3", "Fail"), ("Private",), "46") in got
    assert (("Na", "Category 1", "Inferred"), ("Social",), "6") in got
    assert (("Homes, of which:",), ("Private",), "73") in got
    assert (("Homes, of which:", "Flats"), ("Social",), "100") in got
    assert (("Homes, of which:", "Houses"), ("Private",), "23") in got
    assert len(cells) == 12
    assert cells[0].title is not None and cells[0].title.startswith("Table 9")


def _unruled_header_row(c: Canvas, h: float) -> None:
    """Synthetic printed spreadsheet: rules round every body cell, but the header row is
    one box with each column's heading standing over its column."""
    xs = [60, 160, 240, 330, 420]
    top, pitch = 100.0, 14.0
    for x, text in zip(xs, ("Library", "Visits", "Loans", "Hours"), strict=False):
        c.drawString(x + 4, h - top - 10, text)
    rows = [
        ("Ashby", "120", "80", "34.0"),
        ("Barton", "95", "61", "19.5"),
        ("Coln", "40", "7", "20.5"),
    ]
    y = top + pitch
    for row in rows:
        for k, (x, text) in enumerate(zip(xs, row, strict=False)):
            if k:
                c.drawRightString(xs[k + 1] - 4, h - y - 10, text)
            else:
                c.drawString(x + 4, h - y - 10, text)
        y += pitch
    for k in range(len(rows) + 2):
        c.line(xs[0], h - top - k * pitch, xs[-1], h - top - k * pitch)
    c.line(xs[0], h - top, xs[0], h - y)
    c.line(xs[-1], h - top, xs[-1], h - y)
    for x in xs[1:-1]:
        c.line(x, h - top - pitch, x, h - y)  # no rules between the headings


def test_headings_in_one_ruled_box_go_to_the_columns_below(tmp_path: Path) -> None:
    cells = list(read_file(_pdf(tmp_path, _unruled_header_row)))
    got = {(tuple(c.row), tuple(c.column), c.raw) for c in cells}
    assert (("Barton",), ("Loans",), "61") in got
    assert (("Coln",), ("Hours",), "20.5") in got
    assert (("Ashby",), ("Visits",), "120") in got


def test_a_numbered_list_with_text_values_is_keyed_by_number_and_name(tmp_path: Path) -> None:
    def draw(c: Canvas, h: float) -> None:
        heads = [(60, "l", "No"), (90, "l", "Service Point"), (200, "l", "Type")]
        heads += [(330, "r", "Hours"), (360, "l", "Statutory")]
        rows = [
            [(60, "l", "1"), (90, "l", "Ashby"), (200, "l", "Static"), (330, "r", "34.0")],
            [(60, "l", "2"), (90, "l", "Barton"), (200, "l", "Mobile"), (330, "r", "19.5")],
            [(60, "l", "3"), (90, "l", "Coln"), (200, "l", "Static"), (330, "r", "20.5")],
        ]
        _rows(c, h, [heads] + [[*r, (360, "l", "Yes")] for r in rows], 120)

    cells = list(read_file(_pdf(tmp_path, draw)))
    got = {(tuple(c.row), tuple(c.column), c.raw) for c in cells}
    assert (("2", "Barton"), ("Type",), "Mobile") in got
    assert (("3", "Coln"), ("Hours",), "20.5") in got
    assert (("1", "Ashby"), ("Statutory",), "Yes") in got


def test_a_running_page_header_is_not_a_column_label(tmp_path: Path) -> None:
    def draw(c: Canvas, h: float) -> None:
        c.drawString(300, h - 46, "Section 6")  # the running header, over the columns
        c.drawString(360, h - 46, "- Notes to the Synthetic Statements")
        heads = [(300, "r", "2019"), (360, "r", "2020"), (420, "r", "Total")]
        rows = [
            [(70, "l", "Rent"), (300, "r", "4.3"), (360, "r", "27.6"), (420, "r", "31.9")],
            [(70, "l", "Rates"), (300, "r", "13.1"), (360, "r", "44.9"), (420, "r", "58.0")],
            [(70, "l", "Fees"), (300, "r", "19.9"), (360, "r", "84.9"), (420, "r", "104.8")],
        ]
        _rows(c, h, [heads, *rows], 64)

    cells = list(read_file(_pdf(tmp_path, draw)))
    got = {(tuple(c.row), tuple(c.column), c.raw) for c in cells}
    assert (("Rates",), ("2020",), "44.9") in got
    assert (("Fees",), ("Total",), "104.8") in got
