"""Calamine reads .xlsx cell values (python-calamine); openpyxl still reads styles,
sheet states and what the XML scan does not. The records must not depend on the
reader: every workbook here gives the same records through calamine as through
openpyxl alone (``ExtractOptions(xlsx_values="openpyxl")``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from extractor.records import Cell
from extractor.tables import ExtractOptions, read_file, xlsx_fast

from .conftest import CORPUS, FIXTURES

pytest.importorskip("python_calamine")

WORKBOOKS = sorted((FIXTURES / "sheets").glob("*.xlsx"))
CORPUS_WORKBOOKS = sorted(CORPUS.glob("**/*.xlsx")) if CORPUS.is_dir() else []


def both(path: Path) -> tuple[list[Cell], list[Cell]]:
    slow = list(read_file(path, ExtractOptions(xlsx_values="openpyxl")))
    fast = list(read_file(path))
    return slow, fast


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.name)
def test_fixture_workbooks_same_records(path: Path) -> None:
    slow, fast = both(path)
    assert slow and fast == slow


@pytest.mark.corpus
@pytest.mark.parametrize("path", CORPUS_WORKBOOKS, ids=lambda p: p.name)
def test_corpus_workbooks_same_records(path: Path) -> None:
    slow, fast = both(path)
    assert fast == slow


def awkward_workbook(path: Path) -> Path:
    """Synthetic: every kind of value, formats, dates, an offset table, merges, styles
    on blank cells, errors and formulas with and without cached values."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Awkward (synthetic)"
    ws["B3"] = "Synthetic awkward values"
    ws.merge_cells("C5:E5")
    ws["C5"] = "Measures"
    header = ["Item", "Count", "Share", "Money", "When", "Time", "Hours", "Flag", "Big"]
    for j, text in enumerate(header, start=2):
        ws.cell(6, j, text)
    rows = [
        [
            "Alpha",
            1527,
            0.0327,
            1234.5,
            dt.datetime(2023, 3, 31),
            dt.time(9, 30),
            1.25,
            True,
            12345678901234,
        ],
        [
            "Beta",
            50,
            0.5,
            -99.99,
            dt.datetime(2021, 1, 1, 14, 5),
            dt.time(0, 0, 5),
            0.5,
            False,
            3.0,
        ],
        ["Gamma", 0, 0, 0, dt.datetime(1900, 2, 28), dt.time(23, 59), 30, "#DIV/0!", 2.5e-7],
    ]
    for i, values in enumerate(rows, start=7):
        for j, value in enumerate(values, start=2):
            ws.cell(i, j, value)
        ws.cell(i, 4).number_format = "0.0%"
        ws.cell(i, 5).number_format = '"£"#,##0.00;[Red]-"£"#,##0.00'
        ws.cell(i, 6).number_format = "dd/mm/yyyy"
        ws.cell(i, 7).number_format = "h:mm"
        ws.cell(i, 8).number_format = "[h]:mm"
        ws.cell(i, 3).number_format = '#,##0;-#,##0;"-"'
    ws.cell(10, 2, "Total")
    ws.cell(10, 3, "=SUM(C7:C9)")  # no cached value: formula_no_value
    ws.cell(12, 4).number_format = "0.00"  # a styled blank cell
    ws.cell(14, 2, "Dated as number")
    ws.cell(14, 3, 45000)
    ws.cell(14, 3).number_format = "General"
    ws.cell(15, 2, "Serial shown as date")
    ws.cell(15, 3, 45000)
    ws.cell(15, 3).number_format = "mmm-yy"
    other = wb.create_sheet("Second")
    other.append(["Area", "2021", "2022"])
    other.append(["North", 1, 2])
    other.append(["South", 3, 4])
    wb.save(path)
    return path


def test_awkward_values_same_records(tmp_path: Path) -> None:
    path = awkward_workbook(tmp_path / "awkward.xlsx")
    slow, fast = both(path)
    assert any(c.flag == "formula_no_value" for c in slow)
    assert any(c.unit == "percent" for c in slow)
    assert fast == slow


def test_calamine_did_read_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast path is really taken (not a silent fall back to openpyxl)."""
    path = awkward_workbook(tmp_path / "awkward.xlsx")
    calls: list[str] = []
    real = xlsx_fast.sheet_cells

    def spy(*args: object, **kwargs: object) -> object:
        result = real(*args, **kwargs)  # type: ignore[arg-type]
        calls.append("calamine" if result is not None else "openpyxl")
        return result

    monkeypatch.setattr(xlsx_fast, "sheet_cells", spy)
    list(read_file(path))
    assert calls == ["calamine", "calamine"]


def test_styled_cells_scan_finds_only_the_asked_styles(tmp_path: Path) -> None:
    import zipfile

    path = awkward_workbook(tmp_path / "awkward.xlsx")
    with zipfile.ZipFile(path) as archive:
        found = list(xlsx_fast.special_cells(archive, "xl/worksheets/sheet1.xml", {1}) or [])
    assert found and all(style == 1 for _, _, style, _ in found if style is not None)
    assert [e for *_, e in found if e] == ["#DIV/0!"]
    assert found == sorted(found)
