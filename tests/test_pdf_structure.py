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
