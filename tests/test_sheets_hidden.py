"""--report-hidden: what a workbook hides, on generated and real workbooks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.errors import UnsupportedFormat
from extractor.tables.hidden import report_hidden

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sheets"


def test_generated_workbook_report() -> None:
    (report,) = report_hidden(FIXTURES / "quirks.xlsx")
    states = {s.name: s for s in report.sheets}
    assert states["Hidden"].state == "hidden"
    assert states["Very hidden"].state == "veryHidden"
    assert states["Offset"].hidden_rows == [7] and states["Offset"].hidden_columns == ["F"]
    assert states["Offences"].state == "visible" and not states["Offences"].hidden_rows
    assert [(c["sheet"], c["cell"], c["author"]) for c in report.comments] == [
        ("Offset", "D6", "Analyst")
    ]
    key = json.loads((FIXTURES / "quirks.xlsx.key.json").read_text())
    assert report.hidden_cells_with_data == sum(1 for c in key["cells"] if c.get("hidden"))
    assert report.has_hidden and report.to_dict()["has_hidden"]


def test_clean_workbook_has_nothing_hidden(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["Synthetic", 1])
    wb.save(tmp_path / "clean.xlsx")
    (report,) = report_hidden(tmp_path / "clean.xlsx")
    assert not report.has_hidden and report.summary() == []


def test_zip_reports_each_workbook_member() -> None:
    reports = report_hidden(FIXTURES / "bundle.zip")
    assert [r.file for r in reports] == ["bundle.zip/quirks.xlsx"]


def test_not_a_workbook() -> None:
    with pytest.raises(UnsupportedFormat, match="not a workbook"):
        report_hidden(FIXTURES / "semicolon.csv")


@pytest.mark.corpus
def test_alaveteli_suspect_workbooks(corpus: Path) -> None:
    folder = corpus / "alaveteli" / "spreadsheets"
    (xlsx,) = report_hidden(folder / "suspect.xlsx")
    assert xlsx.external_links == ["data.xlsx"]
    assert xlsx.pivot_caches and xlsx.pivot_caches[0]["records"] == 5
    states = {s.name: s for s in xlsx.sheets}
    assert states["Hidden Sheet"].state == "hidden"
    assert states["Hidden Row & Col"].hidden_rows == [1, 2, 3]
    (xls,) = report_hidden(folder / "suspect.xls")
    assert {s.name: s.state for s in xls.sheets}["Hidden Sheet"] == "hidden"
    (blank,) = report_hidden(folder / "hidden-cols-blank-row.xlsx")
    assert blank.sheets[0].hidden_columns == ["B"]


def test_ods_report() -> None:
    (report,) = report_hidden(FIXTURES / "budget.ods")
    assert {s.name: s.state for s in report.sheets} == {"Budget": "visible", "Secret": "hidden"}
    assert report.sheets[0].hidden_columns == ["E"] and report.sheets[0].hidden_rows == []
    assert report.comments == [
        {"sheet": "Budget", "cell": "E7", "author": "Analyst", "text": "Synthetic note: recheck"}
    ]
    assert report.defined_names[0]["name"] == "Spend"
    key = json.loads((FIXTURES / "budget.ods.key.json").read_text())
    assert report.hidden_cells_with_data == sum(1 for c in key["cells"] if c.get("hidden"))
