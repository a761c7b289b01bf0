"""Table rules must not hang on a text layer's rounding: pdfminer computes positions in
double precision, PDFium in single, and a PDF writer rounds as it likes. Layouts that
are equal on the page (evenly spaced lines, labels at one indent) must read the same
whatever a hundredth of a point says. All figures below are synthetic."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from extractor.records import Cell
from extractor.tables import ExtractOptions, read_file
from extractor.tables.pdf import PdfSettings

LAYERS = ["pdfminer", "pdfium"]


def _read(path: Path, layer: str) -> dict[object, Cell]:
    options = ExtractOptions(pdf=PdfSettings(text_layer=layer))
    return {c.value: c for c in read_file(path, options)}


def _income_table(path: Path, total_x: float) -> Path:
    """A borderless table: evenly spaced lines (14 pt), one label wrapped onto a line
    of its own above its figures, and a section with a total row at the section's own
    indent (``total_x``, a hair off the others' 70 pt)."""
    canvas = Canvas(str(path), invariant=True)
    canvas.setTitle("Synthetic test data")
    h = 841.89
    canvas.setFont("Helvetica-Bold", 9)
    canvas.drawRightString(330, h - 100, "2017/18")
    canvas.drawRightString(430, h - 100, "2018/19")
    rows: list[tuple[float, str, str, str]] = [
        (70, "Adult Care", "(17.829)", "(17.445)"),
        (70, "Community Protection", "(5.878)", "(11.258)"),
        (70, "Corporate Items", "(2.481)", "(6.400)"),
        (70, "Financing and Investment Income and", "", ""),
        (70, "Expenditure", "(2.601)", "(10.276)"),
        (70, "Revenue from contracts", "(133.201)", "(159.625)"),
    ]
    for i, (x, label, a, b) in enumerate(rows):
        y = h - 120 - 14 * i
        canvas.setFont("Helvetica", 9)
        canvas.drawString(x, y, label)
        canvas.drawRightString(330, y, a)
        canvas.drawRightString(430, y, b)
    y = h - 120 - 14 * len(rows)
    canvas.setFont("Helvetica-Bold", 9)
    canvas.drawString(70, y, "Spending")
    canvas.setFont("Helvetica", 9)
    for i, (label, a, b) in enumerate(
        (("Repairs", "31.007", "33.120"), ("Supervision", "27.558", "28.444"))
    ):
        canvas.drawString(70, y - 14 * (i + 1), label)
        canvas.drawRightString(330, y - 14 * (i + 1), a)
        canvas.drawRightString(430, y - 14 * (i + 1), b)
    canvas.setFont("Helvetica-Bold", 9)
    canvas.drawString(total_x, y - 42, "Total Spending")
    canvas.drawRightString(330, y - 42, "58.565")
    canvas.drawRightString(430, y - 42, "61.564")
    canvas.showPage()
    canvas.save()
    return path


@pytest.mark.parametrize("layer", LAYERS)
def test_a_label_between_evenly_spaced_rows_carries_on_downwards(
    tmp_path: Path, layer: str
) -> None:
    cells = _read(_income_table(tmp_path / "income.pdf", 70), layer)
    assert cells[-2.601].row == ["Financing and Investment Income and Expenditure"]
    assert cells[-2.481].row == ["Corporate Items"]


@pytest.mark.parametrize("total_x", [70, 70.01, 70.2])
def test_a_total_at_its_sections_indent_closes_it_whatever_the_rounding(
    tmp_path: Path, total_x: float
) -> None:
    plain = _read(_income_table(tmp_path / "plain.pdf", 70), "pdfminer")
    shifted = _read(_income_table(tmp_path / "shifted.pdf", total_x), "pdfminer")
    assert shifted[58.565].row == plain[58.565].row
    assert shifted[27.558].row == plain[27.558].row
