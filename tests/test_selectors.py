"""Selectors by stored name, harvested path, site name and request; `cell` and `index`;
empty labels; identical labels; the printed selector for every cell; and the indexed
lookups that keep `foi check` independent of the store's size (issue 17.1)."""

from __future__ import annotations

import pytest

from extractor.claims.selectors import (
    RecordCells,
    Selector,
    StoreCells,
    resolve,
    select,
    selector_for,
)
from extractor.errors import SelectorError
from extractor.records import Cell
from extractor.store import Document, Store

SHA = "c" * 64
SHEET_SHA = "d" * 64
PATH = "raw/lancashire_constabulary/reports_2022/1800001-2-FOI response.pdf"


def pdf_cell(row: list[str], column: list[str], raw: str, **extra) -> Cell:
    base = {"file": "1800001-2-FOI response.pdf", "sha256": SHA, "table": 0, "page": 1}
    base.update(extra)
    value = int(raw.replace(",", "")) if raw.replace(",", "").isdigit() else None
    return Cell(row=row, column=column, raw=raw, value=value, **base)


PDF_CELLS = [
    pdf_cell(["Rape"], ["2021"], "1,567"),
    pdf_cell(["Rape"], ["2022"], "1,527"),
    pdf_cell(["Rape"], [], "7"),  # a column with no header
    # two rows labelled alike on one page of one table: only `index` tells them apart
    pdf_cell(["Total"], ["2022"], "3,287"),
    pdf_cell(["Total"], ["2022"], "3,288"),
    # the same labels again in another table of the document
    pdf_cell(["Rape"], ["2022"], "99", table=1, page=2),
]
SHEET_CELLS = [
    Cell(
        file="convictions.xlsx",
        sha256=SHEET_SHA,
        table=0,
        row=["2022"],
        column=["Total"],
        value=50,
        raw="50",
        sheet="Rape convictions",
        cell="Rape convictions!E7",
    ),
    Cell(
        file="convictions.xlsx",
        sha256=SHEET_SHA,
        table=1,
        row=["2022"],
        column=["Total"],
        value=194,
        raw="194",
        sheet="Sexual assault",
        cell="Sexual assault!B6",
    ),
]


@pytest.fixture
def harvested(store: Store) -> Store:
    store.add_document(Document(SHA, PDF_CELLS[0].file, path=PATH), PDF_CELLS)
    store.add_document(Document(SHEET_SHA, "convictions.xlsx"), SHEET_CELLS)
    store.upsert(
        "attachments",
        {
            "url": "http://127.0.0.1/request/reports_2022/response/1800001/attach/2/FOI.pdf",
            "url_title": "reports_2022",
            "filename": "FOI response.pdf",
            "path": PATH,
            "sha256": SHA,
        },
    )
    return store


def pick(store: Store, **keys) -> Cell:
    return resolve(
        Selector.from_dict({"table": 0, "row": ["Rape"], "column": ["2022"], **keys}),
        StoreCells(store),
    )


@pytest.mark.parametrize(
    "keys",
    [
        {"file": "1800001-2-FOI response.pdf"},  # the stored name
        {"file": "1800001-2-foi RESPONSE.pdf"},  # any case
        {"file": PATH},  # the path foi harvest printed
        {"file": "/elsewhere/" + PATH},  # an absolute path: the name part is used
        {"file": "FOI response.pdf"},  # the attachment's name on the site
        {"file": "FOI response.pdf", "request": "reports_2022"},  # url_title plus name
    ],
)
def test_a_document_is_named_in_every_way_a_user_has_seen(harvested: Store, keys) -> None:
    assert pick(harvested, **keys).raw == "1,527"


def test_a_request_that_did_not_harvest_the_document_finds_nothing(harvested: Store) -> None:
    with pytest.raises(SelectorError, match="no cells"):
        pick(harvested, file="FOI response.pdf", request="another_request")


def test_an_empty_column_label_is_selectable(harvested: Store) -> None:
    found = pick(harvested, file=PDF_CELLS[0].file, column=[])
    assert found.raw == "7"
    assert pick(harvested, file=PDF_CELLS[0].file, column="").raw == "7"


def test_identical_labels_are_told_apart_by_index(harvested: Store) -> None:
    keys = {"file": PDF_CELLS[0].file, "row": ["Total"]}
    with pytest.raises(SelectorError, match="2 cells match .*index"):
        pick(harvested, **keys)
    assert pick(harvested, **keys, index=0).raw == "3,287"
    assert pick(harvested, **keys, index=1).raw == "3,288"
    with pytest.raises(SelectorError, match="index 2 is past the 2 matching cells"):
        pick(harvested, **keys, index=2)


def test_a_spreadsheet_cell_address_selects_without_labels(harvested: Store) -> None:
    source = StoreCells(harvested)
    assert (
        resolve(
            Selector.from_dict({"file": "convictions.xlsx", "cell": "Sexual assault!B6"}), source
        ).value
        == 194
    )
    bare = Selector.from_dict(
        {"file": "convictions.xlsx", "sheet": "rape convictions", "cell": "E7"}
    )
    assert resolve(bare, source).value == 50


def test_selector_keys_are_checked() -> None:
    with pytest.raises(ValueError, match="needs 'column'"):
        Selector.from_dict({"file": "x.pdf", "row": ["Rape"]})
    with pytest.raises(ValueError, match="'index' must be a whole number"):
        Selector.from_dict({"file": "x.pdf", "index": "1"})
    with pytest.raises(ValueError, match="counts from 0"):
        Selector.from_dict({"file": "x.pdf", "index": -1})


@pytest.mark.parametrize("cells", [PDF_CELLS, SHEET_CELLS])
def test_the_printed_selector_picks_exactly_its_cell(harvested: Store, cells: list[Cell]) -> None:
    for cell in cells:
        selector = selector_for(cell, cells)
        assert select(selector, cells) == [cell]
        assert resolve(selector, StoreCells(harvested)).to_dict() == cell.to_dict()
        assert resolve(selector, RecordCells.of(cells)).to_dict() == cell.to_dict()
        assert Selector.from_dict(selector.to_dict()) == selector
    # the shortest that works: labels alone where they are unique in the document
    assert selector_for(PDF_CELLS[0], PDF_CELLS).to_dict() == {
        "file": PDF_CELLS[0].file,
        "row": ["Rape"],
        "column": ["2021"],
    }
    assert selector_for(PDF_CELLS[1], PDF_CELLS).table == 0
    assert selector_for(PDF_CELLS[4], PDF_CELLS).index == 1


def test_selector_lookups_use_indexes_not_scans(harvested: Store) -> None:
    """EXPLAIN QUERY PLAN: every query a selector runs searches an index; none scans
    `cells` (a scan made 100 selectors take 10 s on a 1,000-document store)."""
    plans = harvested.selector_plan(["a.pdf", "b.pdf"], table=0) + harvested.selector_plan(
        ["a.pdf"]
    )
    plans += harvested.name_lookup_plans("FOI response.pdf", "reports_2022")
    assert plans
    for step in plans:
        assert "SCAN" not in step, step
    assert any("idx_cells_file_nocase" in step for step in plans)
