"""The real workbooks and CSVs in ../shared/corpus (skipped when absent)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from extractor.tables import read_file

pytestmark = pytest.mark.corpus
BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "sheets_accuracy.py"


def test_provenance_cells_of_real_workbooks_and_csv(corpus: Path) -> None:
    spec = importlib.util.spec_from_file_location("sheets_accuracy", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("sheets_accuracy", module)
    spec.loader.exec_module(module)
    score, misses = module.score_corpus()
    assert score.values_right == score.expected, misses  # every value at its cell
    assert score.true_positive >= score.expected - 2, misses  # labels: the Aberdeen form is hard


def test_alaveteli_workbooks(corpus: Path) -> None:
    folder = corpus / "alaveteli" / "spreadsheets"
    for name in ("data.xlsx", "data.xls"):
        cells = {c.cell: c for c in read_file(folder / name)}
        assert cells["Sheet1!E2"].value == 500
        assert cells["Sheet1!E2"].column == ["Amount"]
    chart = [c for c in read_file(folder / "chartsheet.xlsx")]
    # built-in format 14 is the short date of the reader's locale: dd/mm/yyyy in the UK
    assert chart[0].row == ["01/01/2023"] and chart[0].value == 2
    hidden = {c.cell: c for c in read_file(folder / "suspect.xlsx")}
    assert hidden["Hidden Row & Col!C2"].hidden
    assert hidden["Pivot Table!D7"].total and hidden["Pivot Table!D7"].value == 1200


def test_alaveteli_csvs(corpus: Path) -> None:
    tiny = {c.cell: c for c in read_file(corpus / "alaveteli" / "csv" / "interesting.csv")}
    assert tiny["B3"].value == 4 and tiny["B3"].column == ["b"]
    rows = list(read_file(corpus / "alaveteli" / "derived" / "example-FOI-first500rows.csv"))
    assert {c.column[0] for c in rows} >= {"Time", "Contravention", "Location"}
    assert max(int(c.cell[1:]) for c in rows if c.cell) == 501


def test_real_zip_with_a_big_csv_named_txt(corpus: Path) -> None:
    rows: set[str] = set()
    files: set[str] = set()
    for cell in read_file(corpus / "alaveteli" / "csv" / "example.zip"):
        files.add(cell.file)
        rows.add(cell.cell[1:] if cell.cell else "")
    assert files == {"example.zip/FOI.txt"}
    assert len(rows) == 74_657  # every data line of the 74,658-line file, header aside
