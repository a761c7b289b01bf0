"""`foi demo` end to end: local fake WDTK site -> harvest -> extract -> check -> report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.files import sha256_file
from extractor.store import Store

REPO = Path(__file__).resolve().parents[1]
CASE = REPO / "fixtures" / "lancashire"
runner = CliRunner()


def run_demo(out: Path, *extra: str) -> dict:
    result = runner.invoke(app, ["--quiet", "demo", "--out", str(out), "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("demo") / "fresh" / "data"  # nothing exists yet
    return out, run_demo(out)


def verdicts(run: dict) -> dict[str, str]:
    return {claim["id"]: claim["verdict"] for claim in run["claims"]}


def test_a_fresh_run_harvests_extracts_and_checks_every_claim(first_run) -> None:
    out, run = first_run
    assert run["harvest"]["downloaded"] == 2 and run["harvest"]["failed"] == 0
    assert run["extraction"]["extracted"] == 2 and run["extraction"]["cells"] > 30
    ids = [claim["id"] for claim in run["claims"]]
    assert ids == re.findall(r'^id = "([^"]+)"', (CASE / "claims.toml").read_text("utf-8"), re.M)
    found = verdicts(run)
    assert found["highest-2022"] == "inaccurate"  # 2021's 1,567 beats 2022's 1,527
    assert found["reports-2020-2022"] == "accurate"  # 1,120 + 1,567 + 1,527 = 4,214
    assert found["conviction-rate"] == "accurate"  # 50 / 1,527 = 3.27%
    assert found["no-further-action"] == "accurate"  # outcomes 14-16 over both totals
    assert run["summary"]["inaccurate"] >= 1 and run["summary"]["accurate"] >= 1
    assert (out / "report.html").is_file() and (out / "foi.db").is_file()


def test_figures_come_from_the_harvested_documents(first_run) -> None:
    _, run = first_run
    bundled = {sha256_file(p) for p in (CASE / "wdtk").rglob("attachments/*/*/*")}
    rate = next(c for c in run["claims"] if c["id"] == "conviction-rate")
    cells = {f["name"]: f["cells"] for f in rate["figures"]}
    assert cells["numerator"][0]["sheet"] == "Rape convictions"
    assert cells["numerator"][0]["value"] == 50
    assert cells["denominator"][0]["page"] == 1 and cells["denominator"][0]["bbox"]
    assert cells["denominator"][0]["raw"] == "1,527"
    used = {c["sha256"] for claim in run["claims"] for f in claim["figures"] for c in f["cells"]}
    assert used == bundled


def test_the_report_shows_images_excerpts_and_provenance(first_run) -> None:
    out, run = first_run
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.count('<section class="claim') == len(run["claims"])
    assert len(re.findall(r'<img class="crop"[^>]*src="data:image/png;base64,', page)) >= 5
    assert '<td class="target">50</td>' in page  # the CPS workbook's cell, in an excerpt
    provenance = page[page.index('<section class="provenance">') :]
    for path in (CASE / "wdtk").rglob("attachments/*/*/*"):
        assert sha256_file(path) in provenance
    assert "Rape and sexual assault reports 2020-2022" in provenance  # the request's title
    assert "<script" not in page
    assert "Synthetic test data" in page[: page.index('<section class="summary">')]


def test_the_local_site_is_stopped_after_the_run(first_run) -> None:
    _, run = first_run
    assert run["served_at"].startswith("http://127.0.0.1:")
    with pytest.raises(httpx.TransportError):
        httpx.get(run["served_at"] + "/body/all-authorities.csv", timeout=2)


def test_a_second_run_reuses_everything(first_run) -> None:
    out, first = first_run
    with Store(out / "foi.db") as store:
        before = {table: store.count(table) for table in ("documents", "cells", "requests")}
    again = run_demo(out)
    assert again["harvest"]["downloaded"] == 0 and again["harvest"]["present"] == 2
    assert again["extraction"]["extracted"] == 0 and again["extraction"]["skipped"] == 2
    assert verdicts(again) == verdicts(first)
    with Store(out / "foi.db") as store:
        after = {table: store.count(table) for table in ("documents", "cells", "requests")}
        assert after == before
        assert store.count("attachments") == 2  # the earlier port's rows were replaced


def test_the_table_output_names_every_claim_and_the_report(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo", "--out", str(tmp_path / "d")], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    for claim_id in re.findall(r'^id = "([^"]+)"', (CASE / "claims.toml").read_text("utf-8"), re.M):
        assert claim_id in result.stdout
    assert re.search(r"16 claims: 12 accurate, 0 loose, 1 inaccurate, 3 unclear", result.stdout)
    assert f"Report: {tmp_path / 'd' / 'report.html'}" in result.stdout
    assert "harvest: 2 requests seen" in result.stderr


def test_missing_fixtures_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["demo", "--out", str(tmp_path / "d"), "--fixtures", str(tmp_path / "nowhere")]
    )
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "Error:" in result.stderr
    assert "nowhere" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "d").exists()


def test_an_unreadable_attachment_stops_the_demo_with_one_line(tmp_path: Path) -> None:
    import shutil

    case = tmp_path / "case"
    shutil.copytree(CASE, case)
    pdf = next((case / "wdtk").rglob("*.pdf"))
    pdf.write_bytes(pdf.read_bytes()[:1500])  # truncated in transit
    result = runner.invoke(
        app, ["--quiet", "demo", "--out", str(tmp_path / "d"), "--fixtures", str(case)]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: extraction failed: ")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert not (tmp_path / "d" / "report.html").exists()
