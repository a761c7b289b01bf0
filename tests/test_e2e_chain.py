"""The chain as three commands (foi harvest, foi extract, foi check --html), as a user runs it
against WhatDoTheyKnow, here against the fake Alaveteli site on 127.0.0.1."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.testing.fakesite import serve

REPO = Path(__file__).resolve().parents[1]
CASE = REPO / "fixtures" / "lancashire"
runner = CliRunner()


@pytest.fixture(scope="module")
def site():
    with serve(CASE / "wdtk") as base_url:
        yield base_url


def foi(base_url: str, *args: str) -> str:
    result = runner.invoke(app, ["--quiet", "--base-url", base_url, *args])
    assert result.exit_code in (0, 1), result.output  # 1: an inaccurate claim
    return result.stdout


def test_three_commands_give_the_demo_verdicts(site: str, tmp_path: Path) -> None:
    db, raw = str(tmp_path / "foi.db"), str(tmp_path / "raw")
    cache = str(tmp_path / "cache.sqlite")
    for body in ("lancashire_constabulary", "crown_prosecution_service"):
        harvested = json.loads(
            foi(
                site,
                "harvest",
                "--body",
                body,
                "--db",
                db,
                "--out",
                raw,
                "--rate",
                "50",
                "--cache",
                cache,
                "--json",
            )
        )
        assert harvested["downloaded"] == 1 and harvested["failed"] == 0
    extracted = foi(
        site,
        "extract",
        raw,
        "--db",
        db,
        "--format",
        "jsonl",
        "--json",
        "--out",
        str(tmp_path / "cells.jsonl"),
    )
    assert '"extracted": 2' in extracted, extracted  # harvested is not "already extracted"
    html = tmp_path / "report.html"
    checked = json.loads(
        foi(site, "check", str(CASE / "claims.toml"), "--db", db, "--html", str(html), "--json")
    )
    verdicts = {r["id"]: r["verdict"] for r in checked["results"]}
    assert verdicts["highest-2022"] == "inaccurate"
    assert verdicts["conviction-rate"] == "accurate"
    assert checked["summary"]["inaccurate"] == 1
    page = html.read_text(encoding="utf-8")
    assert page.count('<section class="claim') == len(verdicts)
    assert re.search(r'<img class="crop"[^>]*src="data:image/png;base64,', page)


SMALL_CLAIMS = """
[[claim]]
id = "conviction-rate"
text = "only 50 of these led to a conviction, a conviction rate of just 3.3 per cent"
phrase = "just 3.3 per cent"
numerator = 50
denominator = {file = "FOI 2023-00412 response.pdf", table = 0, row = ["Rape"], column = ["2022"]}
"""


def test_check_html_from_records_shows_an_excerpt(tmp_path: Path) -> None:
    pdf = next((CASE / "wdtk").rglob("*.pdf"))
    records, claims, html = tmp_path / "cells.jsonl", tmp_path / "c.toml", tmp_path / "r.html"
    extracted = runner.invoke(
        app, ["--quiet", "extract", str(pdf), "--no-db", "--out", str(records)]
    )
    assert extracted.exit_code == 0, extracted.output
    claims.write_text(SMALL_CLAIMS, encoding="utf-8")
    checked = runner.invoke(
        app, ["check", str(claims), "--records", str(records), "--html", str(html)]
    )
    assert checked.exit_code == 0, checked.output
    page = html.read_text(encoding="utf-8")
    assert "Fact check: c.toml" in page
    assert '<td class="target">1,527</td>' in page and "<td>1,567</td>" in page
    assert f"Report: {html}" in checked.stderr


def test_check_html_to_an_unwritable_place_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "c.toml").write_text(
        SMALL_CLAIMS.replace(
            'denominator = {file = "FOI 2023-00412 response.pdf", table = 0, row = ["Rape"], '
            'column = ["2022"]}',
            "denominator = 1527",
        ),
        encoding="utf-8",
    )
    (tmp_path / "file").write_text("not a folder")
    result = runner.invoke(
        app,
        [
            "check",
            str(tmp_path / "c.toml"),
            "--db",
            str(tmp_path / "none.db"),
            "--html",
            str(tmp_path / "file" / "r.html"),
        ],
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "cannot write the report" in result.stderr
    assert result.stderr.count("\n") == 1
