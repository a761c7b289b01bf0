"""CSV/TSV/txt, Word and zip readers, on generated files and files made here."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.errors import LimitExceeded, UnsupportedFormat, UsageError
from extractor.tables import ExtractOptions, read_file
from extractor.tables.delimited import detect_delimiter, detect_encoding

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sheets"


def by_cell(path: Path, options: ExtractOptions | None = None) -> dict:
    return {c.cell: c for c in read_file(path, options)}


def test_encoding_detection() -> None:
    assert detect_encoding("£5,é".encode("cp1252")) == "cp1252"
    assert detect_encoding("\ufeffa,b".encode()) == "utf-8-sig"
    assert detect_encoding("£5,é".encode()) == "utf-8"
    assert detect_encoding("ab£".encode()[:-1]) == "utf-8"  # a character cut by the sample


def test_delimiter_detection_skips_the_title_line() -> None:
    text = "Synthetic title, with a comma\nA;B;C\n1;2;3\n4;5;6\n"
    assert detect_delimiter(text) == (";", 3)


def test_cp1252_pound_sign_and_title(tmp_path: Path) -> None:
    cells = by_cell(FIXTURES / "cp1252-title.csv")
    assert (cells["B4"].value, cells["B4"].unit, cells["B4"].raw) == (2000, "gbp", "£2,000")
    assert cells["B3"].title == "Synthetic rape reports and convictions, 2023"


def test_overrides_and_bad_override(tmp_path: Path) -> None:
    path = tmp_path / "pipes.txt"
    path.write_text("Name|Count\nsynthetic|5\n", encoding="utf-8")
    cells = by_cell(path, ExtractOptions(delimiter="|", encoding="latin-1"))
    assert cells["B2"].value == 5 and cells["B2"].column == ["Count"]
    with pytest.raises(UsageError, match="encoding"):
        list(read_file(path, ExtractOptions(encoding="no-such-codec")))
    with pytest.raises(UsageError, match="delimiter"):
        list(read_file(path, ExtractOptions(delimiter="::")))


def test_prose_text_file_is_not_data(tmp_path: Path) -> None:
    letter = tmp_path / "letter.txt"
    letter.write_text(
        "Dear requester,\n\nThank you for your synthetic request. We hold the information,\n"
        "and it is attached.\n\nYours sincerely\nA. Officer\n",
        encoding="utf-8",
    )
    with pytest.raises(UnsupportedFormat, match="letter.txt"):
        list(read_file(letter))


def test_notes_under_a_csv_table_are_not_data() -> None:
    cells = list(read_file(FIXTURES / "semicolon.csv"))
    assert len(cells) == 9
    assert not any("Note" in c.raw for c in cells)


def test_formula_like_text_is_kept_raw_and_escaped_on_export(tmp_path: Path) -> None:
    import io

    from extractor.records import write_csv

    cells = list(read_file(FIXTURES / "formula-injection.csv"))
    out = io.StringIO()
    write_csv(cells, out)
    assert "'=HYPERLINK" in out.getvalue()


def test_word_table_merged_header_and_caption() -> None:
    cells = by_cell(FIXTURES / "letter.docx")
    assert cells["T1!C3"].column == ["Year", "2023"]
    assert cells["T1!C3"].title == "Table A: Stop and search by outcome (synthetic)"
    assert cells["T1!C4"].flag == "suppressed"
    assert not any("sincerely" in c.raw for c in cells.values())


def test_zip_members_are_named_inside_the_archive() -> None:
    files = {c.file for c in read_file(FIXTURES / "bundle.zip")}
    assert files == {"bundle.zip/data/bom-utf8.csv", "bundle.zip/quirks.xlsx"}


def test_zip_member_names_never_choose_a_path(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    cells = list(read_file(FIXTURES / "traversal.zip"))
    assert sorted(c.file for c in cells) == ["traversal.zip/abs/path.csv", "traversal.zip/evil.csv"]
    assert list(tmp_path.iterdir()) == []
    assert not (tmp_path.parent.parent / "evil.csv").exists()


def test_zip_bomb_is_a_one_line_limit_error() -> None:
    with pytest.raises(LimitExceeded, match="compression ratio") as error:
        list(read_file(FIXTURES / "bomb.zip"))
    assert "\n" not in str(error.value)


def test_zip_member_count_limit() -> None:
    with pytest.raises(LimitExceeded, match="members"):
        list(read_file(FIXTURES / "bundle.zip", ExtractOptions(zip_max_members=2)))


def test_zip_total_size_limit() -> None:
    with pytest.raises(LimitExceeded, match="unpacks to"):
        list(read_file(FIXTURES / "bundle.zip", ExtractOptions(zip_max_total_bytes=1000)))


def test_ods_hidden_sheet_and_repeated_rows_are_bounded() -> None:
    from extractor.tables.ods import ods_rows

    sheets = {
        name: sum(1 for _ in rows)
        for name, rows in ods_rows(FIXTURES / "budget.ods", ExtractOptions(), "budget.ods")
    }
    assert sheets == {"Budget": 8, "Secret": 2}  # 1,048,000 repeated empty rows read as one
    visible = by_cell(FIXTURES / "budget.ods", ExtractOptions(include_hidden=False))
    assert "Secret!B2" not in visible and "Budget!E5" not in visible
    assert visible["Budget!C5"].raw == "12.5%"


def test_excel_unicode_text_and_sep_hint(tmp_path: Path) -> None:
    unicode_text = tmp_path / "export.txt"  # Excel's "Unicode text": UTF-16 with BOM, tabs
    unicode_text.write_bytes("Area\tSpend\nSynthetic Île\t£5\n".encode("utf-16"))
    cells = by_cell(unicode_text)
    assert (cells["B2"].row, cells["B2"].value, cells["B2"].unit) == (["Synthetic Île"], 5, "gbp")
    hinted = tmp_path / "hinted.csv"
    hinted.write_text("sep=;\nArea;Spend,total\nNorth, synthetic;7\n", encoding="utf-8")
    cells = by_cell(hinted)
    assert (cells["B3"].row, cells["B3"].column, cells["B3"].value) == (
        ["North, synthetic"],
        ["Spend,total"],
        7,
    )
