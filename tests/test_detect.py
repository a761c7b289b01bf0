import zipfile

import pytest

from extractor.errors import UnsupportedFormat
from extractor.files import detect_format
from extractor.tables import read_file


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("letter.xls", b"%PDF-1.4\n%synthetic\n", "pdf"),
        ("data.xls", b"<!DOCTYPE html><html><body>Please wait</body></html>", "html"),
        ("data.csv", "a,b\n1,2\n£3,4\n".encode("cp1252"), "csv"),
        ("data.txt", b"\xef\xbb\xbfa;b\n1;2\n", "csv"),
        ("empty.pdf", b"", "empty"),
        ("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "image"),
        ("blob.bin", b"\x00\x01\x02\x03" * 10, "unknown"),
    ],
)
def test_format_comes_from_bytes_not_extension(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    assert detect_format(path) == expected


def test_zip_members_decide_office_formats(tmp_path):
    xlsx = tmp_path / "book.pdf"
    with zipfile.ZipFile(xlsx, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    docx = tmp_path / "letter.zip"
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    plain = tmp_path / "bundle.xlsx"
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("FOI.txt", "a,b\n")
    assert [detect_format(p) for p in (xlsx, docx, plain)] == ["xlsx", "docx", "zip"]


def test_html_named_as_spreadsheet_is_refused_with_reason(tmp_path):
    path = tmp_path / "response.xls"
    path.write_bytes(b"<html><head><title>Just a moment...</title></head></html>")
    with pytest.raises(UnsupportedFormat, match=r"response.xls: is an HTML page"):
        list(read_file(path))


def test_reading_a_csv_does_not_import_the_pdf_reader(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "data.csv"
    path.write_text("Year,Reports\n2022,1527\n", encoding="utf-8")
    code = (
        "import sys; from extractor.tables import read_file; "
        f"cells = list(read_file({str(path)!r})); "
        "print(len(cells), 'pdfplumber' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.split() == ["1", "False"], result.stderr
