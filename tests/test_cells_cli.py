"""`foi tables` and `foi cells`: listing, filters, and a selector for every cell that
resolves back to exactly that cell (on every cell of the real corpus documents)."""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.browse import CellFilter, list_cells
from extractor.claims.selectors import Selector, StoreCells, normalise_label, resolve, select
from extractor.cli import app
from extractor.extract import expand_paths, extract_files
from extractor.records import Cell, write_jsonl
from extractor.store import Document, Store

runner = CliRunner()
# ../shared beside the checkout (as CI lays it out); FOI_SHARED points elsewhere
SHARED = Path(os.environ.get("FOI_SHARED") or Path(__file__).resolve().parents[2] / "shared")
CORPUS = SHARED / "corpus"
SHA = "e" * 64


def cell(row: list[str], column: list[str], raw: str, table: int = 0, **extra) -> Cell:
    value = int(raw.replace(",", "")) if raw.replace(",", "").isdigit() else None
    return Cell(
        file="reports.pdf",
        sha256=SHA,
        table=table,
        page=1,
        row=row,
        column=column,
        raw=raw,
        value=value,
        title=f"Table {table + 1}: offences",
        **extra,
    )


CELLS = [
    cell(["Rape"], ["2021"], "1,567"),
    cell(["Rape"], ["2022"], "1,527"),
    cell(["Sexual assault"], ["2022"], "1,760"),
    cell(["Rape"], ["2022"], "1,527", table=1, confidence=0.8),
    cell(["Total"], ["2022"], "12"),
    cell(["Total"], ["2022"], "13"),
]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "foi.db"
    with Store(path) as store:
        store.add_document(Document(SHA, "reports.pdf"), CELLS)
    return path


def test_foi_tables_lists_number_place_caption_size_and_confidence(db: Path) -> None:
    result = runner.invoke(app, ["tables", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    tables = json.loads(result.stdout)
    assert [(t["table"], t["where"], t["cells"], t["confidence"]) for t in tables] == [
        (0, "page 1", 5, None),
        (1, "page 1", 1, 0.8),
    ]
    assert tables[0]["title"] == "Table 1: offences"


def test_foi_cells_filters_by_label_and_value_and_prints_selectors(db: Path) -> None:
    result = runner.invoke(app, ["cells", "--db", str(db), "--label", "RAPE", "--value", "1,527"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("= 1,527") == 2
    assert '{ file = "reports.pdf", table = 0, row = ["Rape"], column = ["2022"] }' in result.stdout
    as_json = runner.invoke(app, ["cells", "--db", str(db), "--json", "--table", "0"])
    listed = json.loads(as_json.stdout)
    assert [item["raw"] for item in listed] == ["1,567", "1,527", "1,760", "12", "13"]
    assert listed[-1]["selector"]["index"] == 1
    with Store(db) as store:
        for item in listed:
            found = resolve(Selector.from_dict(item["selector"]), StoreCells(store))
            assert found.raw == item["raw"]


def test_foi_cells_reads_records_and_draws_a_grid(tmp_path: Path) -> None:
    records = tmp_path / "cells.jsonl"
    with records.open("w", encoding="utf-8") as out:
        write_jsonl(CELLS, out)
    result = runner.invoke(app, ["cells", "--records", str(records), "--table", "0", "--grid"])
    assert result.exit_code == 0, result.output
    assert "Sexual assault" in result.stdout and "1,760" in result.stdout


def test_foi_cells_bad_value_and_missing_store_are_one_line(tmp_path: Path, db: Path) -> None:
    result = runner.invoke(app, ["cells", "--db", str(db), "--value", "many"])
    assert result.exit_code == 2 and "not a number" in result.output
    result = runner.invoke(app, ["cells", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and "no store here" in result.output


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    files = expand_paths([CORPUS / "tables-dev", CORPUS / "foi-real"])
    files = [f for f in files if f.suffix.lower() in {".pdf", ".xlsx", ".xls", ".csv", ".ods"}]
    store = Store(tmp_path_factory.mktemp("corpus") / "corpus.db")
    for _ in extract_files(files, store=store):
        pass
    yield store
    store.close()


def test_every_corpus_cell_has_a_selector_that_picks_exactly_it(corpus_store: Store) -> None:
    listed = list_cells(corpus_store, CellFilter())
    assert len(listed) == corpus_store.count("cells") > 10_000
    # a selector naming labels only matches cells with the same innermost row and column
    # labels (a `cell` selector the same address): bucket by those, then run the matcher
    by_file: dict[str, list[Cell]] = defaultdict(list)
    for item in listed:
        by_file[item.cell.file.casefold()].append(item.cell)
    buckets: dict[tuple[str, ...], list[Cell]] = defaultdict(list)
    for file, cells in by_file.items():
        for c in cells:
            buckets[(file, _inner(c.row), _inner(c.column))].append(c)
            if c.cell:
                buckets[(file, "@" + c.cell.casefold())].append(c)
    kinds: dict[str, int] = defaultdict(int)
    for position, item in enumerate(listed):
        selector, file = item.selector, item.cell.file.casefold()
        if selector.cell is not None:
            pool = buckets[(file, "@" + selector.cell.casefold())]
            kinds["cell"] += 1
        else:
            pool = buckets[(file, _inner(selector.row or ()), _inner(selector.column or ()))]
            kinds["index" if selector.index is not None else "labels"] += 1
        assert select(selector, pool) == [item.cell], selector.describe()
        if position % (len(listed) // 50) == 0:  # and through the store, as foi check resolves it
            found = resolve(Selector.from_dict(selector.to_dict()), StoreCells(corpus_store))
            assert found.to_dict() == item.cell.to_dict()
    assert kinds["labels"] > kinds["index"]


def _inner(labels) -> str:
    named = [normalise_label(x) for x in labels if normalise_label(x)]
    return named[-1] if named else ""
