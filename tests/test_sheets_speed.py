"""The fast paths added for speed give the same answers as the slow paths they skip."""

import random

import pytest

from extractor.errors import CorruptDocument
from extractor.records import Cell
from extractor.store import Document, Store
from extractor.tables import Source
from extractor.tables.grid import Grid, GridCell, grid_to_cells
from extractor.tables.sheets import general_number, number_cell
from extractor.values import (
    _FOOTNOTE_TAIL,
    _SPACES,
    is_blank,
    normalise_space,
    strip_footnotes,
)

# every kind of space the regexes know, footnote endings, and ordinary characters
PIECES = [
    " ",
    "  ",
    "\t",
    "\n",
    "\xa0",
    "\u2009",
    "\u202f",
    "\u3000",
    "\x85",
    "\u2028",
    "a",
    "1",
    "%",
    "é",
    "]",
    ")",
    "*",
    "¹",
    "†",
    "[note 1]",
    "(a)",
    "(iv)",
    "[c]",
    ".",
]


def generated_texts(count: int = 20_000, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 6))) for _ in range(count)]


def test_normalise_space_fast_path_matches_the_regex():
    for text in generated_texts():
        assert normalise_space(text) == _SPACES.sub(" ", text).strip(), repr(text)


def test_is_blank_fast_path_matches_the_regex():
    for text in [*generated_texts(), None]:
        expected = text is None or not _SPACES.sub("", text)
        assert is_blank(text) == expected, repr(text)


def test_strip_footnotes_fast_path_matches_the_regex():
    for text in generated_texts():
        assert strip_footnotes(text) == _FOOTNOTE_TAIL.sub("", text).strip(), repr(text)


def test_cached_general_numbers_keep_int_and_float_apart():
    assert general_number(1.5)[0] == "1.5" and general_number(1.5)[1].value == 1.5
    assert general_number(3)[1].value == 3 and isinstance(general_number(3.0)[1].value, int)
    assert number_cell(-0.0, "General")[0] == number_cell(0.0, None)[0] == "0"


def test_every_cell_field_lands_in_its_place():
    """grid_to_cells builds Cell positionally: each field must still carry its own value."""
    grid = Grid(
        rows=[
            [GridCell("Area"), GridCell("Total")],
            [GridCell("North"), GridCell("12", ref="S!B2", hidden=True, bbox=[1.0, 2.0, 3.0, 4.0])],
        ],
        title="Table 1",
    )
    (cell,) = grid_to_cells(grid, Source("f.xlsx", "abc"), 3, page=2, sheet="S")
    assert cell == Cell(
        file="f.xlsx",
        sha256="abc",
        table=3,
        row=["North"],
        column=["Total"],
        value=12,
        raw="12",
        page=2,
        sheet="S",
        title="Table 1",
        flag=None,
        unit=None,
        bbox=[1.0, 2.0, 3.0, 4.0],
        cell="S!B2",
        hidden=True,
        total=True,
    )


def _cell(value: object) -> Cell:
    return Cell(
        file="a.csv", sha256="s1", table=0, row=["r"], column=["c"], value=value, raw=str(value)
    )


def test_streamed_import_that_fails_midway_keeps_the_previous_import(tmp_path):
    store = Store(tmp_path / "foi.db")
    store.add_document(Document("s1", "a.csv"), [_cell(1), _cell(2)])

    def cells_then_a_read_error():
        yield _cell(3)
        raise CorruptDocument("breaks off", "a.csv")

    with pytest.raises(CorruptDocument):
        store.add_document(Document("s1", "a.csv"), cells_then_a_read_error())
    assert [c.value for c in store.cells_of("s1")] == [1, 2]
    assert store.add_document(Document("s1", "a.csv"), iter([_cell(5)] * 3)) == 3
    assert store.add_document(Document("s2", "b.csv"), iter([])) == 0
    store.close()
