"""The layout rules of tests/test_layouts.py on real documents in ../shared/corpus
(skipped when it is absent). The truth for Blaenau Gwent's page 2 was checked by hand
against the page (every cell; the CIPFA cell numbers 56-71 printed right of each answer
are not cells); nothing from the documents is copied into the repository but these
labels and figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.records import Cell
from extractor.tables import ExtractOptions, read_file

_cache: dict[tuple[Path, frozenset[int] | None], list[Cell]] = {}


def _cells(path: Path, pages: set[int] | None = None) -> list[Cell]:
    key = (path, frozenset(pages) if pages else None)
    if not path.is_file():
        pytest.skip(f"{path.name} is not in the corpus")
    if key not in _cache:
        _cache[key] = list(read_file(path, ExtractOptions(pages=pages)))
    return _cache[key]


# Blaenau Gwent CIPFA return 2016-17, page 2 (Section 2, book stock): line number, the
# row's own label, the figure under "Number of Volumes".
BLAENAU_P2 = [
    ("25", "Total Book Stock at 1 April 2016", 121721),
    ("26", "Reference Books (including Children's)", 8947),
    ("27", "- Adult Fiction", 36973),
    ("28", "- Adult Non-fiction", 14315),
    ("29", "- Children's Fiction", 42644),
    ("30", "- Children's Non-fiction", 29811),
    ("31", "Total Lending Stock", 123743),
    ("32", "Reserve Stock and Unallocated", 0),
    ("33", "Total Book Stock at 31 March 2017", 132690),
    ("34", "Reference Books (including Children's)", 3),
    ("35", "- Adult Fiction", 2485),
    ("36", "- Adult Non-fiction", 266),
    ("37", "- Children's Fiction", 2143),
    ("38", "- Children's Non-fiction", 488),
    ("39", "Total Lending Stock", 5382),
    ("40", "Total Book Acquisitions During 2016-17", 5385),
    ("", "Total Book Acquisitions in 2015-16 (taken from last year's return)", 5845),
]


@pytest.mark.corpus
def test_blaenau_gwent_page_2_every_cell_and_no_cell_numbers(corpus: Path) -> None:
    cells = [c for c in _cells(corpus / "foi-real/BlaenauGwent3.pdf", {2}) if c.page == 2]
    found = {(c.row[0] if c.row[0].isdigit() else "", c.value): c for c in cells if c.row}
    for line, label, value in BLAENAU_P2:
        cell = found.get((line, value))
        assert cell is not None, (line, label, value)
        assert label in cell.row and cell.column == ["Number of Volumes"]
    assert found[("", 5845)].row == [BLAENAU_P2[-1][1]]  # not under line 40's labels
    assert found[("26", 8947)].extra["cell_number"] == "57"
    assert found[("25", 121721)].extra["cell_number"] == "56"  # a one-line table's too
    assert len(cells) == len(BLAENAU_P2)  # no cell numbers and no other records


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["BlaenauGwent3.pdf", "Bedford.pdf"])
def test_cipfa_returns_give_no_cell_numbers_as_figures(corpus: Path, name: str) -> None:
    """The CIPFA forms number every answer (57, 58, 59 … right of the figures): those
    numbers go to the figure's extra, and no record of a numbered line is one."""
    cells = _cells(corpus / "foi-real" / name)
    numbers = {c.extra["cell_number"] for c in cells if "cell_number" in c.extra}
    assert len(numbers) >= 140
    numbered_lines = [c for c in cells if c.row and c.row[0].isdigit() and not c.column]
    junk = [c for c in numbered_lines if c.raw in numbers]
    assert len(junk) <= 5, [(c.page, c.row, c.raw) for c in junk]


@pytest.mark.corpus
def test_aberdeen_questionnaire_cell_numbers_go_with_their_figures(corpus: Path) -> None:
    cells = _cells(corpus / "foi-real/AberdeenCity.xls")
    by_ref = {c.cell: c for c in cells if c.cell}
    total = by_ref["Questionnaire!H29"]  # line 15 Total, Statutory
    assert (total.value, total.column, total.extra["cell_number"]) == (18, ["Statutory"], "15")
    assert "Questionnaire!I29" not in by_ref  # its cell number is no record of its own


# Bedford's CIPFA return, page 2 (service points; checked by hand against the page): the
# service point's number and name, then its type, weekly hours, type of library and
# whether it is statutory. Rows 8-30 are empty template rows; the white codes
# ("E0202_1") and the white count right of each row are not visible.
BEDFORD_P2 = [
    ("1", "Bedford Central", "Static", 48.0),
    ("2", "Bromham", "Static", 21.0),
    ("3", "Kempston", "Static", 40.0),
    ("4", "Putnoe", "Static", 40.0),
    ("5", "Wootton", "Static", 18.0),
    ("6", "Library Link Mobile", "Mobile", 17.7),
    ("7", "Mobile", "Mobile", 16.4),
]


@pytest.mark.corpus
def test_bedford_service_points_every_cell_and_no_template_rows(corpus: Path) -> None:
    cells = _cells(corpus / "foi-real/Bedford.pdf", {2, 3, 4, 5, 6})
    assert not [c for c in cells if c.page != 2]  # pp3-6: numbered template rows only
    found = {(tuple(c.row), c.column[-1]): c.value for c in cells}
    expected = {}
    for number, name, kind, hours in BEDFORD_P2:
        expected[((number, name), "Type (Static/ Mobile)")] = kind
        expected[((number, name), "Scheduled Opening Hours per Week")] = hours
        expected[((number, name), "Type of Library")] = "Authority Run Library"
        expected[((number, name), "Do you consider this to be part of your statutory service?")] = (
            "Yes"
        )
    assert found == expected
