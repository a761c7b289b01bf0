"""The PDFium text layer (the default; ``--pdf-text-layer pdfminer`` is the other) gives
the table finders the same objects, and so the same records, as the pdfminer layer: on
every synthetic fixture PDF and on generated pages with white text, rotation, a MediaBox
offset, line-end hyphens, overhanging glyphs and spaces drawn on their own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.errors import ReadError
from extractor.records import Cell
from extractor.tables import ExtractOptions, read_file
from extractor.tables.pdf import PdfSettings
from extractor.tables.pdf_layout import visible_chars
from extractor.tables.pdf_objects import page_objects

from .conftest import FIXTURES

PDFS = sorted((FIXTURES / "pdfs").glob("*.pdf"))
BOX_TOLERANCE = 1.0  # pt: PDFium's and pdfminer's glyph widths differ by a rounding at most


def records(path: Path, layer: str) -> list[Cell] | str:
    options = ExtractOptions(pdf=PdfSettings(text_layer=layer))
    try:
        return list(read_file(path, options))
    except ReadError as exc:
        return type(exc).__name__


def without_boxes(cells: list[Cell] | str) -> list[Any] | str:
    if isinstance(cells, str):
        return cells
    return [(c.to_dict() | {"bbox": None}) for c in cells]


@pytest.mark.parametrize("path", PDFS, ids=[p.name for p in PDFS])
def test_same_records_from_both_layers(path: Path) -> None:
    pdfminer, pdfium = records(path, "pdfminer"), records(path, "pdfium")
    assert without_boxes(pdfium) == without_boxes(pdfminer)
    if isinstance(pdfminer, list) and isinstance(pdfium, list):
        for ours, theirs in zip(pdfium, pdfminer, strict=True):
            if theirs.bbox is not None:
                assert ours.bbox is not None
                assert (
                    max(abs(a - b) for a, b in zip(ours.bbox, theirs.bbox, strict=True))
                    < BOX_TOLERANCE
                )


def paired(
    ours: list[dict[str, Any]], theirs: list[dict[str, Any]]
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Each of our characters with the nearest unpaired one of theirs with the same text."""
    left: dict[str, list[dict[str, Any]]] = {}
    for char in theirs:
        left.setdefault(char["text"], []).append(char)
    pairs = []
    for char in ours:
        candidates = left[char["text"]]
        best = min(
            candidates, key=lambda c: abs(c["x0"] - char["x0"]) + abs(c["top"] - char["top"])
        )
        candidates.remove(best)
        pairs.append((char, best))
    return pairs


def glyphs(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The characters but spaces (PDFium reports word gaps pdfminer has no space for)."""
    return sorted(
        (c for c in chars if c["text"] != " "), key=lambda c: (c["text"], c["top"], c["x0"])
    )


def readable(path: Path) -> bool:
    return not any(word in path.name for word in ("encrypted", "truncated", "corrupt"))


@pytest.mark.parametrize("path", [p for p in PDFS if readable(p)], ids=lambda p: p.name)
def test_same_page_objects_from_both_layers(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            theirs, ours = page_objects(page, "pdfminer"), page_objects(page, "pdfium")
            mine, other = glyphs(ours.chars), glyphs(theirs.chars)
            assert [c["text"] for c in mine] == [c["text"] for c in other]
            assert (len(ours.rects), len(ours.edges), ours.images) == (
                len(theirs.rects),
                len(theirs.edges),
                theirs.images,
            )
            for mine_char, other_char in paired(mine, other):
                for name in ("x0", "x1", "top", "bottom", "size"):
                    difference = abs(mine_char[name] - other_char[name])
                    assert difference < BOX_TOLERANCE, (name, mine_char, other_char)
                assert mine_char["upright"] == other_char["upright"]
                assert mine_char["fontname"] == other_char["fontname"]


def make_page(path: Path, rotate: int = 0) -> Path:
    """Synthetic: black and white text, a filled dark box with white text on it, rules."""
    from reportlab.lib.colors import black, white
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=(400, 300))
    pdf.setPageRotation(rotate)
    pdf.setFont("Helvetica", 10)
    pdf.drawString(40, 250, "Visible 123")
    pdf.setFillColor(white)
    pdf.drawString(40, 230, "Hidden 456")
    pdf.setFillColor(black)
    pdf.rect(40, 180, 120, 20, stroke=0, fill=1)
    pdf.setFillColor(white)
    pdf.drawString(45, 186, "On dark 789")
    pdf.setFillColor(black)
    pdf.line(40, 150, 300, 150)
    pdf.rect(40, 60, 200, 60, stroke=1, fill=0)
    pdf.saveState()
    pdf.translate(350, 60)
    pdf.rotate(90)
    pdf.drawString(0, 0, "Turned 42")
    pdf.restoreState()
    pdf.showPage()
    pdf.save()
    return path


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_same_objects_on_rotated_pages(tmp_path: Path, rotate: int) -> None:
    path = make_page(tmp_path / f"rotated{rotate}.pdf", rotate)
    with pdfplumber.open(path) as pdf:
        theirs, ours = page_objects(pdf.pages[0], "pdfminer"), page_objects(pdf.pages[0], "pdfium")
    mine, other = glyphs(ours.chars), glyphs(theirs.chars)
    assert [c["text"] for c in mine] == [c["text"] for c in other]
    for mine_char, other_char in paired(mine, other):
        for name in ("x0", "x1", "top", "bottom"):
            assert abs(mine_char[name] - other_char[name]) < BOX_TOLERANCE, (name, mine_char)
        assert mine_char["upright"] == other_char["upright"]
    edges = lambda objs: sorted(  # noqa: E731
        (e["orientation"], round(e["x0"]), round(e["top"]), round(e["x1"]), round(e["bottom"]))
        for e in objs.edges
    )
    assert edges(ours) == edges(theirs)
    assert [r["fill"] for r in ours.rects] == [r["fill"] for r in theirs.rects]


def test_white_text_is_white_in_both_layers(tmp_path: Path) -> None:
    path = make_page(tmp_path / "white.pdf")
    with pdfplumber.open(path) as pdf:
        for layer in ("pdfminer", "pdfium"):
            objects = page_objects(pdf.pages[0], layer)
            seen = "".join(c["text"] for c in visible_chars(objects.chars, objects.rects))
            assert "Visible" in seen and "On dark" in seen.replace("  ", " ")
            assert "Hidden" not in seen, layer
            white = [c for c in objects.chars if c["text"] == "H"]
            assert white and all(min(c["non_stroking_color"]) > 0.99 for c in white)


def test_unknown_layer_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["extract", str(PDFS[0]), "--no-db", "--pdf-text-layer", "xpdf"]
    )
    assert result.exit_code == 2
    assert "--pdf-text-layer" in result.output


def test_a_page_pdfium_cannot_read_is_read_by_pdfminer(monkeypatch: pytest.MonkeyPatch) -> None:
    from pypdfium2 import PdfiumError

    from extractor.tables import pdf_pdfium

    path = FIXTURES / "pdfs" / "two_tables.pdf"
    expected = records(path, "pdfminer")

    def refuses(page: Any) -> Any:
        raise PdfiumError("synthetic failure")

    monkeypatch.setattr(pdf_pdfium, "pdfium_page_objects", refuses)
    assert records(path, "pdfium") == expected


def test_pdfium_is_the_default_layer(monkeypatch: pytest.MonkeyPatch) -> None:
    from extractor.tables import pdf_objects, pdf_pdfium

    read = pdf_pdfium.pdfium_page_objects
    pages: list[int] = []

    def counted(page: Any) -> Any:
        pages.append(page.page_number)
        return read(page)

    def unused(page: Any) -> Any:
        raise AssertionError("the pdfminer layer read a page by default")

    monkeypatch.setattr(pdf_pdfium, "pdfium_page_objects", counted)
    monkeypatch.setattr(pdf_objects, "pdfminer_page_objects", unused)
    path = FIXTURES / "pdfs" / "ruled_letter.pdf"
    assert list(read_file(path)) and pages


def make_awkward_page(path: Path, rotate: int = 0) -> Path:
    """Synthetic: what PDFium's text page reports differently from pdfminer's chars.

    A heading hyphenated at a line end (PDFium marks the hyphen), slanted and overhanging
    glyphs ("/", "j" in Helvetica-Oblique, whose ink is wider than their advance), a
    space drawn as a text object of its own between two words (PDFium leaves it out),
    a kerning gap inside one string, and headings turned 90 and 270 degrees."""
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=(420, 320), invariant=True)
    pdf.setTitle("Synthetic test data")
    pdf.setPageRotation(rotate)
    pdf.setFont("Helvetica-Bold", 10)
    pdf.drawString(40, 280, "Publicly-")
    pdf.drawString(40, 268, "Owned Buildings")
    pdf.setFont("Helvetica-Oblique", 14)
    pdf.drawString(40, 240, "1/2 jam/jelly")
    pdf.setFont("Helvetica", 10)
    pdf.drawString(40, 215, "Total")
    pdf.drawString(40 + pdf.stringWidth("Total", "Helvetica", 10), 215, " ")
    pdf.drawString(40 + pdf.stringWidth("Total ", "Helvetica", 10), 215, "cost")
    text = pdf.beginText(40, 195)
    text.setFont("Helvetica", 10)
    text._code.append("[(Gap) -2000 (ped)] TJ")  # a kerning gap wider than a word space
    pdf.drawText(text)
    for x, angle, heading in ((300, 90, "Arrests / charges"), (330, 270, "Fixed-penalty")):
        pdf.saveState()
        pdf.translate(x, 150)
        pdf.rotate(angle)
        pdf.drawString(0, 0, heading)
        pdf.restoreState()
    pdf.drawString(40, 120, "Figure")
    pdf.drawString(200, 120, "12")
    pdf.showPage()
    pdf.save()
    return path


def char_fields(chars: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Every character as the table finders read it, in reading order, rounded to the
    hundredth of a point (PDFium computes in single precision)."""
    return sorted(
        (
            round(c["top"], 2),
            round(c["x0"], 2),
            c["text"],
            round(c["x1"], 2),
            round(c["bottom"], 2),
            round(c["size"], 2),
            tuple(round(v, 2) for v in c["matrix"][:4]),
            c["upright"],
            c["fontname"],
        )
        for c in chars
    )


@pytest.mark.parametrize("rotate", [0, 90, 270])
def test_awkward_text_gives_the_same_characters_from_both_layers(
    tmp_path: Path, rotate: int
) -> None:
    path = make_awkward_page(tmp_path / f"awkward{rotate}.pdf", rotate)
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        theirs, ours = page_objects(page, "pdfminer"), page_objects(page, "pdfium")
    assert char_fields(ours.chars) == char_fields(theirs.chars)
    assert records(path, "pdfium") == records(path, "pdfminer")
