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
