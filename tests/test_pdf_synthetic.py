"""The PDF reader against the synthetic PDFs in fixtures/pdfs and their answer keys."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest

from extractor.errors import CorruptDocument, EncryptedDocument, NoTextLayer
from extractor.extract import parse_pages
from extractor.tables import ExtractOptions, read_file
from extractor.tables.pdf import PdfSettings

from .conftest import FIXTURES

PDFS = FIXTURES / "pdfs"
TRUTHS = sorted(PDFS.glob("*.truth.json"))
ERRORS = {
    "NoTextLayer": NoTextLayer,
    "EncryptedDocument": EncryptedDocument,
    "CorruptDocument": CorruptDocument,
}


def key(cell: dict) -> tuple:
    value = cell["value"]
    value = round(float(value), 6) if isinstance(value, int | float) else value
    return (
        cell["page"],
        tuple(cell["row"]),
        tuple(cell["column"]),
        value,
        cell["flag"],
        cell["unit"],
        cell["title"],
        cell["total"],
        cell["raw"],
    )


@pytest.mark.parametrize("truth_path", TRUTHS, ids=lambda p: p.name.split(".")[0])
def test_every_cell_of_the_answer_key_and_nothing_else(truth_path: Path) -> None:
    truth = json.loads(truth_path.read_text())
    pdf = PDFS / truth["file"]
    if truth["error"]:
        with pytest.raises(ERRORS[truth["error"]]) as caught:
            list(read_file(pdf))
        assert pdf.name in str(caught.value)
        return
    found = Counter(key(c.to_dict()) for c in read_file(pdf))
    wanted = Counter(key(c) for c in truth["cells"])
    assert found - wanted == Counter(), "extra cells"
    assert wanted - found == Counter(), "missed cells"


def test_answer_keys_are_reproducible(tmp_path: Path) -> None:
    script = FIXTURES / "make_pdfs.py"
    subprocess.run([sys.executable, str(script), str(tmp_path)], check=True, capture_output=True)
    for truth in TRUTHS:
        assert (tmp_path / truth.name).read_text() == truth.read_text(), truth.name


def _cells(name: str, **options: object) -> list:
    return list(read_file(PDFS / name, ExtractOptions(**options)))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "name",
    [
        "ruled_letter.pdf",
        "borderless_letter.pdf",
        "rotated_table.pdf",
        "multipage_ruled_repeat.pdf",
    ],
)
def test_bbox_points_at_the_printed_text(name: str) -> None:
    """Provenance: cropping the page to a record's bbox shows the record's raw text."""
    cells = _cells(name)
    with pdfplumber.open(PDFS / name) as pdf:
        for cell in cells[::7]:
            page = pdf.pages[cell.page - 1]
            x0, top, x1, bottom = cell.bbox
            assert 0 <= x0 < x1 <= page.width and 0 <= top < bottom <= page.height
            crop = page.crop((x0 - 0.5, top - 0.5, x1 + 0.5, bottom + 0.5))
            text = "".join(ch["text"] for ch in crop.chars)
            assert cell.raw.replace(" ", "") in text.replace(" ", ""), (cell.raw, text)


def test_multipage_table_is_one_table_with_per_page_provenance() -> None:
    for name in ("multipage_ruled_repeat.pdf", "multipage_borderless_norepeat.pdf"):
        cells = _cells(name)
        assert {c.table for c in cells} == {0}
        assert {c.page for c in cells} == {1, 2, 3}
        assert {tuple(c.column) for c in cells} == {("Quarter", f"Q{i}") for i in (1, 2, 3, 4)}
        assert not [c for c in cells if c.row == ["Ward"]], "repeated header read as data"


def test_two_tables_on_a_page_keep_their_captions() -> None:
    cells = _cells("two_tables.pdf")
    titles = {c.table: c.title for c in cells}
    assert titles == {0: "Table 1: Arrests by month", 1: "Table 2: Stop and search outcomes"}


def test_prose_gives_no_records() -> None:
    assert _cells("prose_only.pdf") == []


def test_pages_option_reads_only_those_pages() -> None:
    cells = _cells("multipage_ruled_norepeat.pdf", pages={2})
    assert cells and {c.page for c in cells} == {2}
    last = _cells("multipage_ruled_norepeat.pdf", pages=parse_pages("end"))
    assert last and {c.page for c in last} == {3}


def test_blacked_out_cell_is_redacted() -> None:
    cells = [c for c in _cells("numbers_markers.pdf") if c.raw == "█"]
    assert len(cells) == 2
    assert all(c.flag == "redacted" and c.value is None for c in cells)


def test_debug_images_show_each_page(tmp_path: Path) -> None:
    _cells("two_tables.pdf", debug_images=tmp_path)
    images = sorted(p.name for p in tmp_path.iterdir())
    assert images == ["two_tables-p001.png"]
    assert (tmp_path / images[0]).read_bytes()[:4] == b"\x89PNG"


def test_settings_resolve() -> None:
    assert PdfSettings.resolve(None) == PdfSettings()
    assert PdfSettings.resolve({"column_gap_ratio": 1.2}).column_gap_ratio == 1.2
    with pytest.raises(ValueError, match="unknown PDF settings: nope"):
        PdfSettings.resolve({"nope": 1})


def test_stricter_settings_change_the_result() -> None:
    """The settings are used: pages with too few digits (and no rules) are skipped."""
    options = ExtractOptions(pdf=PdfSettings(min_digit_chars=10**6))
    assert list(read_file(PDFS / "two_tables.pdf", options)) == []


def test_a_table_with_one_data_row_is_read() -> None:
    """FOI letters often print a single total under its heading ("Total | 1,527")."""
    cells = _cells("single_row.pdf")
    totals = [c for c in cells if c.row == ["Total"]]
    assert sorted(tuple(c.column) for c in totals) == sorted([("Received",), ("Upheld",)] * 2)
    assert all(c.total for c in totals) and len({c.table for c in totals}) == 2
    searches = [c for c in cells if c.row == ["Stop and search"]]
    assert [c.column for c in searches] == [["Calendar year", y] for y in ("2020", "2021", "2022")]


def _one_row_pdf(path: Path, heading: list[tuple[float, str]]) -> Path:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path))
    canvas.setFont("Helvetica", 9)
    canvas.drawString(50, 800, "Synthetic test data: one aligned line under a heading.")
    for x, text in heading:
        canvas.drawString(x, 770, text)
    canvas.drawString(60, 755, "Total")
    canvas.drawRightString(300, 755, "1,527")
    canvas.drawRightString(400, 755, "88")
    canvas.save()
    return path


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ([(60, "Complaints"), (270, "Received"), (375, "Upheld")], [["Received"], ["Upheld"]]),
        # one long phrase over both numbers is prose, not a label per value
        ([(60, "Note"), (250, "these figures were checked in 2025 by")], []),
    ],
)
def test_one_row_needs_a_label_over_each_value(
    tmp_path: Path, heading: list, expected: list
) -> None:
    pdf = _one_row_pdf(tmp_path / "one_row.pdf", heading)
    assert [c.column for c in read_file(pdf)] == expected


def test_left_aligned_group_labels_head_the_columns_up_to_the_next_label() -> None:
    cells = _cells("left_groups.pdf")
    first = {tuple(c.column) for c in cells if c.table == 0}
    assert first == {(sex, year) for sex in ("Male", "Female") for year in ("2022", "2023")}
    second = {tuple(c.column) for c in cells if c.table == 1}
    assert second == {("Financial year", y) for y in ("2021/22", "2022/23", "2023/24")}


def test_two_tables_side_by_side_are_kept_apart() -> None:
    cells = _cells("heldout_side_by_side.pdf")
    titles = {c.table: c.title for c in cells}
    assert titles == {0: "Table 1: Arrests", 1: "Table 2: Weapons seized"}
    assert {c.row[0] for c in cells if c.table == 1} == {"Knife", "Firearm", "Other weapon"}


def _status_table_pdf(path: Path) -> Path:
    """One table with a text column (repeating outcomes) between two number columns."""
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path))
    canvas.setFont("Helvetica", 9)
    canvas.drawString(50, 800, "Synthetic test data: outcomes by case.")
    rows = [("Case", "Days", "Outcome", "Cost")] + [
        (f"Case {i}", str(10 * i), outcome, f"{100 * i:,}")
        for i, outcome in enumerate(("Charged", "Cautioned", "Charged", "Charged"), start=1)
    ]
    for i, (case, days, outcome, cost) in enumerate(rows):
        y = 770 - 14 * i
        canvas.drawString(50, y, case)
        canvas.drawRightString(200, y, days)
        canvas.drawString(260, y, outcome)
        canvas.drawRightString(400, y, cost)
    canvas.save()
    return path


def test_a_text_column_between_numbers_does_not_split_the_table(tmp_path: Path) -> None:
    cells = list(read_file(_status_table_pdf(tmp_path / "status.pdf")))
    costs = [c for c in cells if c.column == ["Cost"]]
    assert [c.row for c in costs] == [[f"Case {i}"] for i in range(1, 5)]
    assert {c.table for c in cells} == {0}


def test_bold_label_rows_are_sections_even_after_a_plain_first_row() -> None:
    cells = _cells("heldout_sections.pdf")
    assert {tuple(c.row) for c in cells} == {("All victims",)} | {
        (sex, age) for sex in ("Male", "Female") for age in ("Under 18", "18 to 64", "65 and over")
    }


def test_a_ruled_year_spanning_two_columns_heads_both() -> None:
    cells = _cells("heldout_word_grid.pdf")
    assert {tuple(c.column) for c in cells} == {
        (year, leaf) for year in ("2022", "2023") for leaf in ("Number", "Upheld")
    }


def test_a_table_under_a_new_header_on_the_next_page_is_not_a_continuation() -> None:
    cells = _cells("next_page_table.pdf")
    assert {(c.table, c.page, c.title) for c in cells} == {
        (0, 1, "Table 1: Arrests by month"),
        (1, 2, "Table 2: Outcomes"),
    }


def test_headings_wrapped_at_the_top_of_their_cells_stay_one_heading_each() -> None:
    columns = {tuple(c.column) for c in _cells("wrapped_headings.pdf")}
    assert columns == {("2020",), ("Adults",), ("Number of victims",), ("Q4",), ("Rate per 1,000",)}
