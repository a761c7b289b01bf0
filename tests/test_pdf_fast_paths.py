"""The PDF reader's faster steps give what the plain versions they replace give: the
cells of ruled tables (pdfplumber's ``intersections_to_cells``) and the cell each word
falls in, on every page of the fixture PDFs (and of ../shared/corpus when present)."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from pdfplumber.table import edges_to_intersections, merge_edges
from pdfplumber.table import intersections_to_cells as plain_intersections_to_cells

from extractor.tables.pdf import PdfSettings, page_words
from extractor.tables.pdf_layout import page_frame, upright_edges
from extractor.tables.pdf_objects import page_objects
from extractor.tables.pdf_ruled import _assign_words, find_cell_tables, intersections_to_cells

from .conftest import FIXTURES

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
PDFS = sorted((FIXTURES / "pdfs").glob("*.pdf")) + sorted(SHARED.glob("tables*/*.pdf"))
READABLE = [p for p in PDFS if not any(w in p.name for w in ("encrypted", "truncated", "corrupt"))]


def plain_assign(cells: list, words: list) -> dict[int, list]:
    members: dict[int, list] = {i: [] for i in range(len(cells))}
    for word in words:
        cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
        for i, (x0, top, x1, bottom) in enumerate(cells):
            if x0 <= cx <= x1 and top <= cy <= bottom:
                members[i].append(word)
                break
    return members


@pytest.mark.parametrize("path", READABLE, ids=lambda p: p.name)
def test_ruled_cells_and_their_words_are_as_the_plain_versions_find_them(path: Path) -> None:
    settings = PdfSettings()
    checked = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages[:40]:
            objects = page_objects(page)
            frame = page_frame(page, objects.chars)
            edges = upright_edges(
                [e for e in objects.edges if e.get("orientation") in ("h", "v")], frame
            )
            if not edges:
                continue
            merged = merge_edges(edges, 3, 3, 3, 3)
            intersections = edges_to_intersections(merged, 1, 1)
            assert intersections_to_cells(intersections) == plain_intersections_to_cells(
                intersections
            )
            words = page_words(objects, frame, settings)
            for cells in find_cell_tables(edges, settings.snap_tolerance, settings.edge_min_length):
                assert _assign_words(cells, words) == plain_assign(cells, words)
                checked += 1
    assert checked or "ruled" not in path.name
