"""Excel readers on generated workbooks (fixtures/sheets) and on workbooks made here."""

from __future__ import annotations

import importlib.util
import json
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from extractor.errors import CorruptDocument, UnsupportedFormat
from extractor.tables import ExtractOptions, detect_format, read_file
from extractor.tables import layout as layout_module

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sheets"
BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "sheets_accuracy.py"


def accuracy_module():
    if str(BENCH.parent) not in sys.path:  # it imports benchmarks/scoring.py
        sys.path.insert(0, str(BENCH.parent))
    spec = importlib.util.spec_from_file_location("sheets_accuracy", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("sheets_accuracy", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def quirks() -> dict[str, object]:
    return {c.cell: c for c in read_file(FIXTURES / "quirks.xlsx")}


@pytest.mark.parametrize("key", sorted(p.name for p in FIXTURES.glob("*.key.json")))
def test_every_true_cell_of_each_answer_key_is_read(key: str) -> None:
    score, misses = accuracy_module().score_key(FIXTURES / key)
    assert misses == []
    assert score.predicted == score.expected  # no extra records: titles and notes are not data


def test_titles_and_notes_are_not_records(quirks) -> None:
    texts = [str(c.raw) for c in quirks.values()]
    assert not any("Note:" in t or "Source:" in t or "Table 1" in t for t in texts)
    assert quirks["Offences!C6"].title == "Table 1: Offences recorded, synthetic police force"


def test_merged_header_becomes_a_label_path(quirks) -> None:
    assert quirks["Offences!D9"].column == ["Calendar year", "2022"]
    assert quirks["Offences!C7"].row == ["Sexual offences", "Other sexual offences"]


def test_typed_values_are_read_as_shown(quirks) -> None:
    share = quirks["Two tables!C10"]
    assert (share.value, share.unit, share.raw) == (3.3, "percent", "3.3%")
    money = quirks["Offset!D6"]
    assert (money.value, money.unit, money.raw) == (12500.5, "gbp", "£12,500.50")
    signed = quirks["Offset!E6"]  # a date shown dd/mm/yyyy: the displayed text, stored kept
    assert (signed.value, signed.extra) == ("01/04/2023", {"stored": "2023-04-01"})
    assert quirks["Offences!C8"].value == 1204  # a number stored as text


def test_formulas_cached_value_or_flag(quirks) -> None:
    assert quirks["Formulas!B4"].value == 100
    missing = quirks["Formulas!B5"]
    assert (missing.value, missing.flag, missing.raw) == (None, "formula_no_value", "=B4*2")


def test_tables_on_one_sheet_stay_apart(quirks) -> None:
    tables = {c.table for ref, c in quirks.items() if ref.startswith("Two tables!")}
    assert len(tables) == 3
    assert {c.table for ref, c in quirks.items() if ref.startswith("Offset!")} != tables


def test_hidden_cells_are_marked_and_can_be_left_out(quirks) -> None:
    assert quirks["Offset!F6"].hidden and quirks["Offset!D7"].hidden
    assert not quirks["Offset!D6"].hidden
    options = ExtractOptions(include_hidden=False)
    visible = {c.cell for c in read_file(FIXTURES / "quirks.xlsx", options)}
    assert "Offset!D6" in visible
    hidden = ("Offset!F6", "Offset!D7", "Hidden!B2", "Very hidden!B2")
    assert not any(ref in visible for ref in hidden)


def test_number_formats_showing_a_marker_read_as_the_marker(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Area", "Count", "Other"])
    ws.append(["North (synthetic)", 0, 7])
    ws.append(["South (synthetic)", 3, 8])
    ws.append(["East (synthetic)", -1234.5, 4])
    ws["D2"] = "#DIV/0!"  # openpyxl writes Excel's error strings as error cells
    ws["B2"].number_format = '0;-0;"-"'
    ws["B3"].number_format = '"*"'
    ws["C2"].number_format = ws["C4"].number_format = '[<5]"<5";0'
    ws["B4"].number_format = '#,##0.0_);(#,##0.0);"[z]"'
    wb.save(tmp_path / "formats.xlsx")
    cells = {c.cell: c for c in read_file(tmp_path / "formats.xlsx")}
    assert (cells["Sheet!B2"].flag, cells["Sheet!B2"].raw) == ("not_applicable", "-")
    assert (cells["Sheet!B3"].flag, cells["Sheet!B3"].value) == ("suppressed", None)
    assert (cells["Sheet!C2"].value, cells["Sheet!C2"].raw) == (7, "7")
    assert (cells["Sheet!C4"].flag, cells["Sheet!C4"].raw) == ("suppressed", "<5")
    assert (cells["Sheet!B4"].value, cells["Sheet!B4"].raw) == (-1234.5, "(1,234.5)")
    assert (cells["Sheet!D2"].value, cells["Sheet!D2"].flag) == (None, "not_available")


def test_long_table_is_read_in_chunks_with_its_header(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(layout_module, "CHUNK_ROWS", 50)
    monkeypatch.setattr(layout_module, "BAND_LIMIT", 40)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Long")
    ws.append(["Synthetic area", "Cases", "Rate"])
    for i in range(333):
        ws.append([f"Area {i}", i, i / 10])
    wb.save(tmp_path / "long.xlsx")
    cells = list(read_file(tmp_path / "long.xlsx"))
    assert len(cells) == 333 * 2
    assert {c.table for c in cells} == {0}
    assert all(c.column in (["Cases"], ["Rate"]) for c in cells)
    last = next(c for c in cells if c.cell == "Long!B334")
    assert (last.row, last.value) == (["Area 332"], 332)


def test_content_not_extension_decides(tmp_path: Path) -> None:
    assert detect_format(FIXTURES / "really-a-pdf.xls") == "pdf"
    with pytest.raises(UnsupportedFormat, match="HTML"):
        list(read_file(FIXTURES / "really-html.xls"))
    disguised = tmp_path / "workbook.xls"
    disguised.write_bytes((FIXTURES / "quirks.xlsx").read_bytes())
    assert any(c.cell == "Offences!C6" for c in read_file(disguised))


def test_truncated_workbook_is_a_one_line_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes((FIXTURES / "quirks.xlsx").read_bytes()[:3000])
    with pytest.raises(CorruptDocument) as error:
        list(read_file(broken))
    assert "broken.xlsx" in str(error.value) and "\n" not in str(error.value)


def rewrite_sheet(source: Path, target: Path, old: bytes, new: bytes) -> None:
    """Copy a workbook, replacing bytes in its first sheet's XML (what openpyxl won't write)."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as out:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert old in data
                data = data.replace(old, new, 1)
            out.writestr(info, data)


def test_entity_expansion_in_sheet_xml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "billion.xlsx"
    entities = b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><worksheet'
    rewrite_sheet(FIXTURES / "quirks.xlsx", path, b"<worksheet", entities)
    with pytest.raises(CorruptDocument):
        list(read_file(path))


def test_answer_keys_say_synthetic() -> None:
    for key in FIXTURES.glob("*.key.json"):
        name = json.loads(key.read_text())["file"]
        data = (FIXTURES / name).read_bytes()
        if name.endswith((".xlsx", ".docx", ".ods")):
            with zipfile.ZipFile(FIXTURES / name) as archive:
                data = b"".join(archive.read(n) for n in archive.namelist())
        assert b"synthetic" in data.lower() or b"Synthetic" in data, name


def test_password_protected_office_file_is_a_one_line_error(tmp_path: Path) -> None:
    from extractor.errors import EncryptedDocument

    # the stream names of an encrypted OOXML package inside its OLE2 container (synthetic)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    ole += "EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le")
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(ole + b"\x00" * 1024)
    assert detect_format(locked) == "encrypted"
    with pytest.raises(EncryptedDocument, match="password"):
        list(read_file(locked))


def test_time_limit_per_file() -> None:
    from extractor.errors import LimitExceeded

    with pytest.raises(LimitExceeded, match="took longer"):
        list(read_file(FIXTURES / "quirks.xlsx", ExtractOptions(max_seconds=0)))


def test_sheet_scan_in_chunks_finds_what_a_whole_scan_finds(monkeypatch) -> None:
    from extractor.tables import sheets

    with zipfile.ZipFile(FIXTURES / "quirks.xlsx") as archive:
        parts = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        whole = [sheets.scan_sheet_xml(archive.read(p)) for p in parts]
        monkeypatch.setattr(sheets, "SCAN_CHUNK", 97)  # cut everywhere
        chunked = [sheets.scan_sheet_part(archive, p) for p in parts]
    assert chunked == whole
    assert any(s.merges for s in whole) and any(s.formulas_no_value for s in whole)
    assert any(s.hidden_rows for s in whole) and any(s.hidden_cols for s in whole)


def test_zero_height_rows_and_zero_width_columns_count_as_hidden(tmp_path: Path) -> None:
    from extractor.tables.hidden import report_hidden

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["Area (synthetic)", "Cases", "Cost"], ["North", 5, 7], ["South", 6, 8]):
        ws.append(row)
    wb.save(tmp_path / "plain.xlsx")
    squeezed = tmp_path / "squeezed.xlsx"  # openpyxl drops zero sizes: write them in the XML
    rewrite_sheet(
        tmp_path / "plain.xlsx", squeezed, b'<row r="3"', b'<row r="3" ht="0" customHeight="1"'
    )
    rewrite_sheet(
        squeezed,
        tmp_path / "both.xlsx",
        b"<sheetData>",
        b'<cols><col min="3" max="3" width="0" customWidth="1"/></cols><sheetData>',
    )
    squeezed = tmp_path / "both.xlsx"
    cells = {c.cell: c for c in read_file(squeezed)}
    assert [ref for ref, c in cells.items() if c.hidden] == ["Sheet!C2", "Sheet!B3", "Sheet!C3"]
    (report,) = report_hidden(squeezed)
    assert report.sheets[0].hidden_rows == [3] and report.sheets[0].hidden_columns == ["C"]


def test_binary_workbook_is_named_as_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsb"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.bin", b"synthetic")
    with pytest.raises(UnsupportedFormat, match="xlsb"):
        list(read_file(path))


def test_sheet_xml_cut_short_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "cut.xlsx"
    with zipfile.ZipFile(FIXTURES / "quirks.xlsx") as original, zipfile.ZipFile(path, "w") as out:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":
                data = data[: len(data) // 2]
            out.writestr(info, data)
    with pytest.raises(CorruptDocument, match="sheet 'Two tables' is damaged"):
        list(read_file(path))


def test_labels_above_a_section_heading_do_not_fill_down_into_it(tmp_path: Path) -> None:
    """A council form: items in column A, a section in A, its items indented into B."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["G1"] = "Outturn (synthetic)"
    for ref, value in (
        ("A2", "Employees"),
        ("G2", 5),
        ("A3", "Premises"),
        ("G3", 6),
        ("A4", "Supplies and services"),
        ("B5", "- Fiction"),
        ("G5", 7),
        ("B6", "- Non-fiction"),
        ("G6", 8),
    ):
        ws[ref] = value
    wb.save(tmp_path / "form.xlsx")
    cells = {c.cell: c for c in read_file(tmp_path / "form.xlsx")}
    assert cells["Sheet!G3"].row == ["Premises"]
    assert cells["Sheet!G5"].row == ["Supplies and services", "- Fiction"]
    assert cells["Sheet!G6"].row == ["Supplies and services", "- Non-fiction"]
