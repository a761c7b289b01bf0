"""Table structure confidence: set by the spreadsheet/CSV readers, stored, in JSON, and
listed at the end of `foi extract`."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from extractor.cli import app
from extractor.confidence import ConfidenceWatch, low_confidence_tables
from extractor.records import Cell
from extractor.streaming import CountingSink
from extractor.tables import read_file
from extractor.tables.layout import structure_confidence

from .conftest import FIXTURES

runner = CliRunner()
# synthetic: two rows share the label "North", and one row has no label at all
AMBIGUOUS = "Area,2021,2022\nNorth,1,2\nNorth,3,4\n,5,6\n"


def cell(row: list[str], column: list[str], table: int = 0, confidence: float | None = None):
    return Cell("f.csv", "0" * 64, table, row, column, 1, "1", confidence=confidence)


def test_confidence_is_the_share_of_cells_with_unique_complete_labels() -> None:
    clear = [cell(["A"], ["2021"]), cell(["A"], ["2022"]), cell(["B"], ["2021"])]
    assert structure_confidence(clear) == 1.0
    twice = [cell(["A"], ["2021"]), cell(["A"], ["2021"]), cell(["B"], ["2021"])]
    assert structure_confidence(twice) == 0.67  # 2 distinct label pairs for 3 cells
    unlabelled = [cell([], ["2021"]), cell(["B"], ["2021"]), cell(["C"], ["2021"])]
    assert structure_confidence(unlabelled) == 0.67  # one cell has no row label


def test_every_cell_of_a_table_carries_its_tables_confidence(tmp_path: Path) -> None:
    path = tmp_path / "ambiguous.csv"
    path.write_text(AMBIGUOUS, encoding="utf-8")
    assert {c.confidence for c in read_file(path)} == {0.67}
    assert {c.confidence for c in read_file(FIXTURES / "sheets" / "stats.xlsx")} == {1.0}


def test_low_confidence_tables_are_found_once_each() -> None:
    cells = [cell(["A"], ["x"], 0, 0.5), cell(["B"], ["x"], 0, 0.5), cell(["A"], ["x"], 1, 0.9)]
    low = low_confidence_tables(cells)
    assert [(t.table, t.confidence) for t in low] == [(0, 0.5)]
    assert "table 0" in low[0].where and "against the sheet" in low[0].hint
    pdf = Cell("r.pdf", "0" * 64, 2, ["A"], ["x"], 1, "1", page=3, confidence=0.4)
    (table,) = low_confidence_tables([pdf])
    assert table.where == "r.pdf p3 table 2" and "page 3" in table.hint
    assert "`debug_images`" in table.hint and "--" not in table.hint  # the CLI names flags


def test_a_document_that_fails_adds_no_tables_to_the_list() -> None:
    watch = ConfidenceWatch(CountingSink())
    watch.begin(Path("bad.csv"))
    watch.write([cell(["A"], ["x"], 0, 0.5)])
    watch.rollback()
    watch.begin(Path("good.csv"))
    watch.write([cell(["A"], ["x"], 1, 0.5)])
    watch.commit()
    assert [t.table for t in watch.low] == [1]


def test_foi_extract_lists_low_confidence_tables_and_stores_confidence(tmp_path: Path) -> None:
    path = tmp_path / "ambiguous.csv"
    path.write_text(AMBIGUOUS, encoding="utf-8")
    db = tmp_path / "foi.db"
    result = runner.invoke(
        app,
        [
            "extract",
            str(path),
            str(FIXTURES / "sheets" / "stats.xlsx"),
            "--db",
            str(db),
            "--format",
            "jsonl",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "1 table with low structure confidence" in result.stderr
    assert "ambiguous.csv table 0: confidence 0.67" in result.stderr
    assert "stats.xlsx" not in result.stderr  # its tables are sure
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert {r["confidence"] for r in records if r["file"] == "ambiguous.csv"} == {0.67}
    stored = sqlite3.connect(db).execute("select distinct confidence from cells").fetchall()
    assert sorted(stored) == [(0.67,), (1.0,)]


def test_foi_extract_json_counts_include_the_low_confidence_tables(tmp_path: Path) -> None:
    path = tmp_path / "ambiguous.csv"
    path.write_text(AMBIGUOUS, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path), "--no-db", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["low_confidence"] == [
        {"file": "ambiguous.csv", "page": None, "sheet": None, "table": 0, "confidence": 0.67}
    ]
