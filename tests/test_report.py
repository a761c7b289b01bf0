"""The HTML report: content, escaping, images of PDF cells, spreadsheet excerpts, provenance."""

from __future__ import annotations

import base64
import io
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from PIL import Image

from extractor.claims.intervals import Interval
from extractor.claims.methodology import MethodWarning
from extractor.claims.report import (
    MAX_EXCERPT_ROWS,
    MAX_IMAGE_SIDE,
    OUTLINE,
    ReportError,
    context_from_store,
    excerpt_html,
    image_resolution,
    render_report,
    report_for_store,
    write_report,
)
from extractor.claims.results import CheckResult, FigureResult
from extractor.files import sha256_file
from extractor.records import Cell
from extractor.store import Document, Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lancashire" / "wdtk"
POLICE_PDF = next((FIXTURES / "requests").glob("rape_and_sexual*2022/attachments/*/*/*.pdf"))
REQUEST_URL = "http://127.0.0.1:9/request/rape_and_sexual_assault_reports_2020_2022"


def pdf_cell(text: str, row: list[str], column: list[str]) -> Cell:
    """A cell record for printed text on page 1 of the police letter, bbox from pdfplumber."""
    with pdfplumber.open(POLICE_PDF) as pdf:
        match = pdf.pages[0].search(re.escape(text))[0]
    return Cell(
        file=POLICE_PDF.name,
        sha256=sha256_file(POLICE_PDF),
        table=0,
        row=row,
        column=column,
        value=int(text.replace(",", "")),
        raw=text,
        page=1,
        bbox=[match["x0"] - 2, match["top"] - 2, match["x1"] + 2, match["bottom"] + 2],
        title="Table 1: Rape and sexual assault offences reported, by calendar year",
    )


def sheet_cells() -> list[Cell]:
    rows = {"2021": ("52", "55"), "2022": ("47", "50")}
    return [
        Cell(
            file="convictions.xlsx",
            sha256="f" * 64,
            table=0,
            row=[year],
            column=[col],
            value=int(raw),
            raw=raw,
            sheet="Rape convictions",
            cell=f"Rape convictions!{ref}",
        )
        for year, values in rows.items()
        for col, raw, ref in zip(
            ("Male", "Total"), values, (f"B{year[-1]}", f"E{year[-1]}"), strict=True
        )
    ]


def figure(name: str, value: int, cells: list[Cell]) -> FigureResult:
    return FigureResult(name, Fraction(value), Fraction(value), cells)


def result(
    verdict: str, figures: list[FigureResult], claim_id: str = "c1", **extra: Any
) -> CheckResult:
    base: dict[str, Any] = {
        "id": claim_id,
        "verdict": verdict,
        "kind": "rate",
        "unit": "percent",
        "text": "only 50 of these led to a conviction, a rate of just 3.3 per cent.",
        "phrase": "just 3.3 per cent",
        "value": Fraction("3.27"),
        "interval": Interval(Fraction("3.25"), Fraction("3.35")),
        "reason": "50 / 1,527 = 3.27%, which rounds to 3.3 (3.25 to 3.35): accurate",
        "warnings": [
            MethodWarning(
                5,
                "attrition",
                "Convictions divided by reports is attrition, not a conviction rate.",
            )
        ],
        "feasible": (50, 51),
        "figures": figures,
    }
    return CheckResult(**{**base, **extra})


@pytest.fixture
def filled_store(store: Store) -> Store:
    """A store holding the police PDF and a workbook, with harvest provenance for the PDF."""
    pdf_cells = [
        pdf_cell("1,567", ["Rape"], ["Calendar year", "2021"]),
        pdf_cell("1,527", ["Rape"], ["Calendar year", "2022"]),
    ]
    sha = pdf_cells[0].sha256
    store.add_document(Document(sha256=sha, name=POLICE_PDF.name, path=str(POLICE_PDF)), pdf_cells)
    store.add_document(Document(sha256="f" * 64, name="convictions.xlsx"), sheet_cells())
    store.upsert(
        "requests",
        {
            "url_title": "rape_reports",
            "title": "Rape <reports>",
            "url": REQUEST_URL,
            "authority_name": "Lancashire Constabulary",
        },
    )
    store.upsert(
        "attachments",
        {
            "url": REQUEST_URL + "/response/1/attach/2/x.pdf",
            "url_title": "rape_reports",
            "sha256": sha,
            "fetched_at": "2023-03-14T10:30:00+00:00",
        },
    )
    return store


def decoded_images(page: str) -> list[Image.Image]:
    return [
        Image.open(io.BytesIO(base64.b64decode(data)))
        for data in re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    ]


def test_pdf_figure_gets_a_cropped_image_with_the_cell_outlined(filled_store: Store) -> None:
    target = pdf_cell("1,527", ["Rape"], ["Calendar year", "2022"])
    page = render_report(
        [result("accurate", [figure("denominator", 1527, [target])])],
        context_from_store(filled_store),
    )
    images = decoded_images(page)
    assert len(images) == 1
    image = images[0].convert("RGB")
    with pdfplumber.open(POLICE_PDF) as pdf:
        page_width = float(pdf.pages[0].width)
    assert image.width < page_width * 110 / 72 + 2  # a crop, not bigger than the page
    assert image.height < 300  # the table region, not the whole page
    assert OUTLINE in {color for _, color in image.getcolors(1 << 20)}  # the cell is outlined


def test_spreadsheet_figure_gets_an_excerpt_with_the_cell_marked(filled_store: Store) -> None:
    target = sheet_cells()[2]  # 2022, Male: 47
    page = render_report(
        [result("accurate", [figure("numerator", 47, [target])])],
        context_from_store(filled_store),
    )
    excerpt = re.search(r'<table class="excerpt">.*?</table>', page).group(0)
    assert excerpt.count("<tr>") == 3  # header + the two years
    assert '<td class="target">47</td>' in excerpt
    assert excerpt.count('class="target"') == 1
    assert (
        "convictions.xlsx, sheet “Rape convictions”, cell B2, table 1: row 2022, column Male, "
        "printed as <code>47</code>"
    ) in page
    assert not decoded_images(page)


def test_cells_of_one_table_share_one_image(filled_store: Store) -> None:
    cells = [
        pdf_cell("1,567", ["Rape"], ["Calendar year", "2021"]),
        pdf_cell("1,527", ["Rape"], ["Calendar year", "2022"]),
    ]
    total = figure("total", 3094, cells)
    page = render_report([result("accurate", [total])], context_from_store(filled_store))
    assert len(decoded_images(page)) == 1
    assert page.count(": row Rape, column Calendar year &gt; 202") == 2
    assert "total: 3,094, the sum of 2 cells" in page


def test_figures_from_one_table_share_one_image(filled_store: Store) -> None:
    figures = [
        figure(year, int(raw.replace(",", "")), [pdf_cell(raw, ["Rape"], ["Calendar year", year])])
        for year, raw in (("2021", "1,567"), ("2022", "1,527"))
    ]
    page = render_report([result("inaccurate", figures)], context_from_store(filled_store))
    assert len(decoded_images(page)) == 1
    assert "<h4>2021: 1,567</h4>" in page and "<h4>2022: 1,527</h4>" in page
    assert f'harvested from the request <a href="{REQUEST_URL}">' in page


def test_claim_text_is_escaped_and_the_phrase_highlighted() -> None:
    hostile = result(
        "inaccurate",
        [],
        text="<script>alert(1)</script> rose by 3.3 per cent",
        phrase="3.3 PER CENT",
        reason="a & b",
    )
    page = render_report([hostile])
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; rose by <mark>3.3 per cent</mark>" in page
    assert '<p class="reason">a &amp; b</p>' in page


def test_a_short_phrase_is_highlighted_as_a_whole_number_only() -> None:
    page = render_report([result("accurate", [], text="In 2014, 14 forces joined.", phrase="14")])
    assert "In 2014, <mark>14</mark> forces joined." in page


def test_summary_counts_every_verdict_and_links_each_claim() -> None:
    verdicts = ["accurate", "inaccurate", "accurate", "unclear", "loose"]
    page = render_report([result(v, [], claim_id=f"claim{i}") for i, v in enumerate(verdicts)])
    summary = re.search(r'<ul class="counts">(.*?)</ul>', page).group(1)
    counts = dict(re.findall(r'<span class="badge (\w+)">\w+</span> (\d+)', summary))
    assert counts == {"accurate": "2", "loose": "1", "inaccurate": "1", "unclear": "1"}
    for i in range(len(verdicts)):
        assert f'href="#claim-claim{i}"' in page and f'id="claim-claim{i}"' in page
    assert "Summary: 5 claims" in page


def test_interval_numerators_and_warnings_are_stated() -> None:
    page = render_report([result("accurate", [])])
    assert "The data give 3.27%; the claim allows 3.25 to 3.35%." in page
    assert "Counts that would have made the claim true: 50 to 51." in page
    assert "attrition, not a conviction rate" in page


def test_provenance_lists_sha256_request_link_and_harvest_time(filled_store: Store) -> None:
    target = pdf_cell("1,527", ["Rape"], ["Calendar year", "2022"])
    page = render_report(
        [result("accurate", [figure("denominator", 1527, [target])])],
        context_from_store(filled_store),
    )
    provenance = page[page.index('<section class="provenance">') :]
    assert target.sha256 in provenance
    assert f'<a href="{REQUEST_URL}">Rape &lt;reports&gt;</a>' in provenance
    assert "2023-03-14T10:30:00+00:00" in provenance
    assert "foi-extractor" in provenance


def test_the_page_is_self_contained(filled_store: Store) -> None:
    target = pdf_cell("1,527", ["Rape"], ["Calendar year", "2022"])
    page = render_report(
        [result("accurate", [figure("denominator", 1527, [target])])],
        context_from_store(filled_store),
    )
    assert "<script" not in page.lower()
    assert not re.search(r"<link\b", page)
    assert all(src.startswith("data:") for src in re.findall(r'src="([^"]+)"', page))
    assert "@media print" in page


def test_write_report_is_atomic_and_reports_errors(tmp_path: Path, filled_store: Store) -> None:
    out = report_for_store(tmp_path / "out" / "report.html", [result("accurate", [])], filled_store)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in out.parent.iterdir()] == ["report.html"]
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ReportError, match="cannot write the report"):
        write_report(blocker / "report.html", [result("accurate", [])])


def test_a_missing_pdf_falls_back_to_the_excerpt(store: Store, tmp_path: Path) -> None:
    target = pdf_cell("1,527", ["Rape"], ["Calendar year", "2022"])
    store.add_document(
        Document(sha256=target.sha256, name=target.file, path=str(tmp_path / "gone.pdf")),
        [target],
    )
    page = render_report(
        [result("accurate", [figure("denominator", 1527, [target])])],
        context_from_store(store),
    )
    assert not decoded_images(page)
    assert '<td class="target">1,527</td>' in page


def test_a_huge_page_region_is_rendered_at_a_bounded_size() -> None:
    assert image_resolution((0, 0, 500, 200)) == 110
    huge = (0, 0, 14400, 300)  # the largest page size PDF allows
    assert 14400 / 72 * image_resolution(huge) <= MAX_IMAGE_SIDE + 1e-6


def test_a_long_table_excerpt_is_cut_around_the_cell() -> None:
    cells = [
        Cell(
            file="big.csv",
            sha256="e" * 64,
            table=0,
            row=[f"row {i}"],
            column=["n"],
            value=i,
            raw=str(i),
        )
        for i in range(500)
    ]
    table = excerpt_html([cells[300]], cells)
    assert table.count("<tr>") == MAX_EXCERPT_ROWS + 1
    assert '<td class="target">300</td>' in table


def test_records_give_excerpts_without_a_store(tmp_path: Path) -> None:
    from extractor.records import write_jsonl

    records = tmp_path / "cells.jsonl"
    with open(records, "w", encoding="utf-8") as out:
        write_jsonl(sheet_cells(), out)
    target = sheet_cells()[3]  # 2022, Total: 50
    out = report_for_store(
        tmp_path / "r.html",
        [result("accurate", [figure("whole", 50, [target])])],
        None,
        records=records,
    )
    page = out.read_text(encoding="utf-8")
    assert '<td class="target">50</td>' in page and "<td>52</td>" in page  # the whole table


def test_the_crop_reaches_up_to_the_table_caption() -> None:
    from dataclasses import replace

    from extractor.claims.report import crop_png

    target = pdf_cell("1,527", ["Rape"], ["Calendar year", "2022"])
    untitled = replace(target, title=None)
    with_caption = Image.open(io.BytesIO(crop_png(POLICE_PDF, [target], [target])))
    without = Image.open(io.BytesIO(crop_png(POLICE_PDF, [untitled], [untitled])))
    assert with_caption.height > without.height


def test_a_series_claim_highlights_its_phrase():
    from extractor.claims import check_claims, parse_claims_text
    from extractor.claims.report import highlight_phrase

    claims = parse_claims_text(
        '[[claim]]\nid = "h"\ntext = "Reports peaked: the highest number was in 2022, with 7."\n'
        'phrase = "the highest number was in 2022"\n'
        "series = { 2020 = 5, 2021 = 6, 2022 = 7 }\n",
        "inline.toml",
    )
    result = check_claims(claims).results[0]
    assert result.phrase == "the highest number was in 2022"
    assert "<mark>the highest number was in 2022</mark>" in highlight_phrase(
        result.text, result.phrase
    )
