"""The spreadsheets and CSVs of ../shared/corpus/tables-dev, scored by the corpus's own
scorer against its hand-checked truth (skipped when ../shared is absent)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from extractor.tables import read_file

pytestmark = pytest.mark.corpus
BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "tables_dev.py"
SHEETS = [
    "dft-tsgb0202-air-traffic.xlsx",
    "fc-new-planting-trees-2010-2018.xlsx",
    "ons-census2011-central-heating-by-la.csv",
    "ons-construction-new-orders-2012h1.xls",
    "ons-neet-od221-2023-02.xlsx",
    "oxford-physics-admissions-foi-2025.xlsx",
    "statswales-pupils-by-la-year-group-2021-22.csv",
]


def tables_dev():
    spec = importlib.util.spec_from_file_location("tables_dev", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("tables_dev", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def bench(corpus: Path):
    module = tables_dev()
    if not module.available():
        pytest.skip("the tables-dev corpus or its scorer is not present")
    return module


@pytest.mark.parametrize("full_paths", [False, True], ids=["last-label", "full-paths"])
def test_every_spreadsheet_and_csv_scores_full_marks(bench, full_paths: bool) -> None:
    report = bench.score(full_paths, SHEETS)
    scores = {d["doc"]: d["f1"] for d in report["docs"]}
    assert set(scores) == set(SHEETS)
    assert {doc: f1 for doc, f1 in scores.items() if f1 < 0.99} == {}


@pytest.fixture
def dev(corpus: Path) -> Path:
    folder = corpus / "tables-dev"
    if not folder.is_dir():
        pytest.skip("the tables-dev corpus is not present")
    return folder


def test_displayed_values_with_the_stored_value_kept(dev: Path) -> None:
    neet = {c.cell: c for c in read_file(dev / "ons-neet-od221-2023-02.xlsx")}
    b12 = neet["People 21-22 - NSA!B12"]  # 226843 shown with #,##0,
    assert (b12.value, b12.raw, b12.extra) == (227, "227", {"stored": 226843})
    assert b12.row == ["All Persons", "21-22", "Apr-Jun 2002"]
    assert b12.column == ["Young people who were NEET", "Total", "1"]


def test_a_statistics_export_with_title_lines_and_its_own_legend(dev: Path) -> None:
    path = dev / "statswales-pupils-by-la-year-group-2021-22.csv"
    cells = {c.cell: c for c in read_file(path)}
    anglesey = cells["B8"]  # "." is "not applicable" by the file's own legend
    assert (anglesey.row, anglesey.column, anglesey.flag) == (
        ["Isle of Anglesey"],
        ["Nursery 1"],
        "not_applicable",
    )
    assert all(c.table == 0 for c in cells.values())  # the metadata block is no table


def test_region_over_two_rows_and_a_value_under_a_merge(dev: Path) -> None:
    cells = {c.cell: c for c in read_file(dev / "ons-construction-new-orders-2012h1.xls")}
    assert cells["Table B!C19"].row[0] == "YORKSHIRE & THE HUMBER"
    assert cells["Table B!H10"].value == 478  # H10:H11 is one merged figure
    assert "Table B!H11" not in cells
    assert "Table B!H115" not in cells  # a stored value hidden under the H114:H115 merge


def test_database_keys_and_constant_types_are_not_labels(dev: Path) -> None:
    first = next(iter(read_file(dev / "ons-census2011-central-heating-by-la.csv")))
    assert first.row == ["E06000001", "Hartlepool"]
