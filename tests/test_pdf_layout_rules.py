"""More PDF table-structure rules on small generated (synthetic) layouts.

Each rule here came from a real document of ../shared/corpus/tables-dev (named in the
test's docstring) and is checked on a layout drawn with reportlab, so the rule is about
the layout, not the document. All names and figures below are synthetic.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from extractor.records import Cell
from extractor.tables import ExtractOptions, read_file
from extractor.tables.pdf import PdfSettings

Draw = Callable[[Canvas, float], None]
LAYERS = ["pdfminer", "pdfium"]


def _pdf(tmp_path: Path, draw: Draw) -> Path:
    """A one-page A4 PDF; ``draw`` gets the canvas and the page height (y from the top
    is ``height - top``)."""
    path = tmp_path / "synthetic.pdf"
    canvas = Canvas(str(path), invariant=True)
    canvas.setTitle("Synthetic test data")
    canvas.setFont("Helvetica", 8)
    draw(canvas, 841.89)
    canvas.save()
    return path


def _read(path: Path, layer: str) -> list[Cell]:
    return list(read_file(path, ExtractOptions(pdf=PdfSettings.resolve({"text_layer": layer}))))


def _form_with_a_cut_question(c: Canvas, h: float) -> None:
    """Synthetic return form, ruled: a long question wrapped down a narrow heading box runs
    past the box's bottom rule, so its last word stands in the thin ruled row below; in the
    same thin row a link line ("For guidance, click here") sits under another heading."""
    xs = [60, 90, 200, 250, 380, 440]
    head_top, head_bottom, thin_bottom, pitch = 100.0, 160.0, 172.0, 14.0
    headings = ["No.", "Branch", "Hours", "Kind of Site"]
    for x, text in zip(xs, headings, strict=False):
        c.drawString(x + 3, h - 133, text)
    question = ["Is this", "site run", "by local", "volunteers", "rather", "than paid", "staff?"]
    for k, line in enumerate(question):  # 9.5 pt apart: the last line falls below the rule
        c.drawString(xs[4] + 3, h - 112 - 9.5 * k, line)
    c.drawString(xs[3] + 12, h - 169, "For guidance, click here")
    c.line(xs[3] + 12, h - 170.5, xs[3] + 100, h - 170.5)  # the link's underline
    rows = [
        ("1", "Ashby", "34.0", "Static branch", "Yes"),
        ("2", "Barton", "19.5", "Mobile stop", "No"),
        ("3", "Coln", "20.5", "Static branch", "Yes"),
    ]
    y = thin_bottom
    for row in rows:
        for x, text in zip(xs, row, strict=False):
            c.drawString(x + 3, h - y - 10, text)
        y += pitch
    for top in (head_top, head_bottom, thin_bottom, *(thin_bottom + pitch * k for k in (1, 2, 3))):
        c.line(xs[0], h - top, xs[-1], h - top)
    for x in xs:
        c.line(x, h - head_top, x, h - y)


@pytest.mark.parametrize("layer", LAYERS)
def test_a_heading_cut_by_a_row_rule_is_one_heading_and_a_link_line_is_no_label(
    tmp_path: Path, layer: str
) -> None:
    """Blaenau Gwent CIPFA return p1: "statutory / service?" and "For definitions,
    click here"."""
    cells = _read(_pdf(tmp_path, _form_with_a_cut_question), layer)
    got = {(tuple(c.row), tuple(c.column), c.raw) for c in cells}
    question = "Is this site run by local volunteers rather than paid staff?"
    assert (("1", "Ashby"), (question,), "Yes") in got
    assert (("2", "Barton"), ("Kind of Site",), "Mobile stop") in got
    assert (("3", "Coln"), ("Hours",), "20.5") in got
    assert len(cells) == 9


def _shaded_current_year(c: Canvas, h: float) -> None:
    """Synthetic accounts note, borderless: a dark header bar across the table with white
    headings (a year over one column, the next year centred over three), and light bands
    behind the current year's figures only; the row labels and last year's column stand
    on the white page."""
    left, right, split, top = 60.0, 450.0, 250.0, 100.0
    c.setFillColorRGB(0.2, 0.6, 0.4)
    c.rect(left, h - top - 52, right - left, 52, stroke=0, fill=1)
    c.setFillColorRGB(0.8, 1.0, 0.8)
    for k in range(3):
        c.rect(split, h - top - 52 - 13 * (k + 1), right - split, 13, stroke=0, fill=1)
    c.setFillGray(1)
    c.drawCentredString(220, h - top - 12, "2028/29")
    c.drawCentredString(370, h - top - 12, "2029/30")
    for x, text in ((220, "Total"), (300, "North"), (370, "South"), (430, "Total")):
        c.drawCentredString(x, h - top - 30, text)
        c.drawCentredString(x, h - top - 44, "£m")
    c.setFillGray(0)
    rows = [
        ("Opening balance", "234.108", "48.359", "123.220", "171.579"),
        ("Repayments", "(10.321)", "(1.152)", "(15.463)", "(16.615)"),
        ("CLOSING BALANCE", "223.787", "47.207", "107.757", "154.964"),
    ]
    for k, (label, *values) in enumerate(rows):
        y = h - top - 52 - 13 * k - 10
        c.drawString(left + 2, y, label)
        for x, value in zip((238, 318, 388, 448), values, strict=True):
            c.drawRightString(x, y, value)


@pytest.mark.parametrize("layer", LAYERS)
def test_shading_behind_some_columns_is_not_a_ruled_table(tmp_path: Path, layer: str) -> None:
    """Nottingham 2017/18 accounts p93, second table: the bands' "cells" held only the
    current year's figures; the row labels and last year's column were lost."""
    cells = _read(_pdf(tmp_path, _shaded_current_year), layer)
    got = {(tuple(c.row), c.column[-2], c.raw) for c in cells}
    assert (("Opening balance",), "Total", "234.108") in got
    assert (("Repayments",), "North", "(1.152)") in got
    assert (("CLOSING BALANCE",), "Total", "154.964") in got
    assert len(cells) == 12


@pytest.mark.parametrize("layer", LAYERS)
def test_a_year_centred_over_one_heading_heads_that_column_alone(
    tmp_path: Path, layer: str
) -> None:
    """Nottingham 2017/18 p93: "2016/17" centred over "Total" alone, "2017/18" centred
    over the five columns beside it; the first label was spread over three."""
    cells = _read(_pdf(tmp_path, _shaded_current_year), layer)
    columns = {c.raw: tuple(c.column) for c in cells}
    assert columns["234.108"] == ("2028/29", "Total", "£m")
    assert columns["48.359"] == ("2029/30", "North", "£m")
    assert columns["(15.463)"] == ("2029/30", "South", "£m")
    assert columns["154.964"] == ("2029/30", "Total", "£m")


def _sections_by_weight(c: Canvas, h: float) -> None:
    """Synthetic payments schedule, borderless: bold section headings; the first section's
    rows are indented under it, the last section's rows are printed at the heading's own
    indent (told apart by weight alone); each section ends with a bold subtotal."""
    c.drawRightString(300, h - 100, "2030/31")
    c.drawRightString(380, h - 100, "Total")
    sections = [
        ("Schools", 8, [("Repayments", "4.3", "107.8"), ("Interest", "13.1", "108.1")]),
        ("Roads", 8, [("Repayments", "1.2", "47.2"), ("Interest", "3.6", "38.5")]),
        ("Lighting", 0, [("Repayments", "1.0", "37.9"), ("Interest", "4.0", "42.3")]),
    ]
    y = 118.0
    for name, indent, rows in sections:
        c.setFont("Helvetica-Bold", 8)
        c.drawString(60, h - y, name)
        y += 13
        c.setFont("Helvetica", 8)
        for label, a, b in rows:
            c.drawString(60 + indent, h - y, label)
            c.drawRightString(300, h - y, a)
            c.drawRightString(380, h - y, b)
            y += 13
        c.setFont("Helvetica-Bold", 8)
        c.drawString(60, h - y, f"{name} Unitary Charge")
        c.drawRightString(300, h - y, "9.9")
        c.drawRightString(380, h - y, "99.9")
        c.setFont("Helvetica", 8)
        y += 18


@pytest.mark.parametrize("layer", LAYERS)
def test_a_bold_heading_over_unindented_plain_rows_is_their_section(
    tmp_path: Path, layer: str
) -> None:
    """Nottingham 2017/18 p93: "Street Lighting" (bold) over plain rows printed without
    the indent the other sections' rows have; its bold subtotal stays outside."""
    cells = _read(_pdf(tmp_path, _sections_by_weight), layer)
    rows = {(c.raw, c.column[-1]): tuple(c.row) for c in cells}
    assert rows[("1.0", "2030/31")] == ("Lighting", "Repayments")
    assert rows[("42.3", "Total")] == ("Lighting", "Interest")
    assert rows[("13.1", "2030/31")] == ("Schools", "Interest")
    assert rows[("99.9", "Total")] == ("Lighting Unitary Charge",)


def _overprinted_listing(c: Canvas, h: float) -> None:
    """Synthetic ruled payments listing, rows 11 pt high: one area name wraps, and its
    second line runs past the row's bottom rule, printed over the next row's area name."""
    xs = [40, 110, 260, 330, 400]
    top, pitch = 100.0, 11.0
    c.setFont("Helvetica", 6)
    heads = ["Body", "Expense Area", "Transaction", "Amount"]
    for x, text in zip(xs, heads, strict=False):
        c.drawString(x + 2, h - top - 8, text)
    rows = [
        ("Trust", "Kenworthy Road - Estates", "34216427", "3,112.12"),
        ("Trust", "Shoreditch Community Maternity", "34216429", "26,368.00"),
        ("Trust", "Slg-Retinal Screening", "34216450", "434.75"),
        ("Trust", "Slg-Retinal Screening", "34216451", "48,702.00"),
    ]
    for k, row in enumerate(rows, start=1):
        y = h - top - pitch * k - 8
        for x, text in zip(xs, row, strict=False):
            c.drawString(x + 2, y, text)
    c.drawString(xs[1] + 2, h - top - pitch * 2 - 8 - 8.2, "Ctre")  # the wrapped line
    for k in range(len(rows) + 2):
        c.line(xs[0], h - top - pitch * k, xs[-1], h - top - pitch * k)
    for x in xs:
        c.line(x, h - top, x, h - top - pitch * (len(rows) + 1))


@pytest.mark.parametrize("layer", LAYERS)
def test_a_wrapped_line_printed_over_the_next_row_goes_back_to_its_cell(
    tmp_path: Path, layer: str
) -> None:
    """Homerton spend over £25k p3: "Shoreditch Community Maternity / Ctre", whose last
    line overprints "Slg-Retinal Screening" in the row below (the characters were read
    interleaved: "CSltgr-eRetinal")."""
    cells = _read(_pdf(tmp_path, _overprinted_listing), layer)
    got = {(tuple(c.row), tuple(c.column), c.raw) for c in cells}
    assert (("34216429",), ("Expense Area",), "Shoreditch Community Maternity Ctre") in got
    assert (("34216450",), ("Expense Area",), "Slg-Retinal Screening") in got
    assert (("34216451",), ("Amount",), "48,702.00") in got


def _text_only_ruled(c: Canvas, h: float) -> None:
    """Synthetic ruled table of words only (no figures): row labels wrapped tight to
    their bottom rule, the next row's label at the same line pitch."""
    xs, top, pitch = [60, 200, 300, 400], 100.0, 20.0
    for x, text in zip(xs, ("Reaction", "Dose A", "Dose B"), strict=False):
        c.drawString(x + 3, h - top - 14, text)
    rows = [
        (["Swelling of the face", "and throat"], "Rare", "Uncommon"),
        (["Itching"], "Uncommon", "Common"),
        (["Low blood pressure", "on standing"], "Common", "Rare"),
    ]
    y = top + pitch
    for label, a, b in rows:
        height = 9.5 * len(label) + 1.5
        for k, line in enumerate(label):
            c.drawString(xs[0] + 3, h - y - 7.5 - 9.5 * k, line)
        c.drawString(xs[1] + 3, h - y - 7.5, a)
        c.drawString(xs[2] + 3, h - y - 7.5, b)
        y += height
        c.line(xs[0], h - y, xs[-1], h - y)
    for k in (0, 1):
        c.line(xs[0], h - top - pitch * k, xs[-1], h - top - pitch * k)
    for x in xs:
        c.line(x, h - top, x, h - y)


@pytest.mark.parametrize("layer", LAYERS)
def test_row_labels_of_a_text_only_ruled_table_are_not_joined(tmp_path: Path, layer: str) -> None:
    """Guard for the cut-heading rule (a side-effects table of the wider corpus): with no
    row of figures, where the headings end is unknown, so no boxes are joined."""
    cells = _read(_pdf(tmp_path, _text_only_ruled), layer)
    rows = {(c.raw, c.column[-1]): tuple(c.row) for c in cells}
    assert rows[("Uncommon", "Dose A")] == ("Itching",)
    assert rows[("Rare", "Dose A")] == ("Swelling of the face and throat",)


def _raised_marks(c: Canvas, h: float) -> None:
    """Synthetic borderless table whose labels carry raised footnote marks in a smaller
    font ("Seniors^", "Fixed*"), two on one line with plain text between them."""
    c.drawString(60, h - 100, "Product")
    c.drawString(180, h - 100, "Type")
    c.drawRightString(300, h - 100, "Rate")
    rows = (("Home loans", "Variable", "4.75"), ("Loans for Seniors", "Fixed", "6.52"))
    for k, (label, kind, value) in enumerate([*rows, ("Car loans", "Fixed", "5.10")]):
        y = h - 114 - 14 * k
        c.drawString(60, y, label)
        c.drawString(180, y, kind)
        c.drawRightString(300, y, value)
        if k == 1:
            c.setFont("Helvetica", 5)
            c.drawString(60 + c.stringWidth(label, "Helvetica", 8), y + 4.5, "^")
            c.drawString(180 + c.stringWidth(kind, "Helvetica", 8), y + 4.5, "*")
            c.setFont("Helvetica", 8)


@pytest.mark.parametrize("layer", LAYERS)
def test_raised_footnote_marks_are_not_overprinted_text(tmp_path: Path, layer: str) -> None:
    """Guard for the overprint rule: a raised mark after a word touches it but covers
    no characters, so the line is not split and the mark stays glued (and is dropped
    from the label as a footnote mark)."""
    cells = _read(_pdf(tmp_path, _raised_marks), layer)
    rows = {c.value: tuple(c.row) for c in cells}
    # (the PDFium layer reads a space before the raised mark, as it did before this rule)
    labels = [label.rstrip(" ^*") if layer == "pdfium" else label for label in rows[6.52]]
    assert labels == ["Loans for Seniors", "Fixed"]
    assert rows[5.1] == ("Car loans", "Fixed")
    assert len(cells) == 3


def test_group_labels_centred_over_three_headings_keep_all_three(corpus: Path) -> None:
    """Guard for the one-heading rule on a real document (NICS firearm checks, p1):
    "Redemption" is centred over Handgun / Long Gun / *Other and over "Long Gun" alone;
    it heads all three. Skipped without ../shared/corpus."""
    path = corpus / "tables" / "nics-background-checks-2015-11.pdf"
    if not path.is_file():
        pytest.skip(f"{path.name} is not in the corpus")
    alabama = {c.raw: c.column for c in read_file(path) if c.row == ["Alabama"]}
    assert alabama["11"][-2:] == ["Redemption", "*Other"]
    assert alabama["13"][-2:] == ["Private Sale", "Handgun"]
