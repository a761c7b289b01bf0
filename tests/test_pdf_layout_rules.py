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
