"""foi search / fetch / harvest as a user runs them: output, exit codes, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.testing.fakesite import FakeAlaveteli
from tests.wdtk_sites import build_site

runner = CliRunner()


@pytest.fixture
def fake(tmp_path: Path):
    with FakeAlaveteli(build_site(tmp_path / "site").root) as site:
        yield site


def foi(fake: FakeAlaveteli, tmp_path: Path, *args: str):
    common = ["--quiet", "--base-url", fake.url]
    options = ["--cache", str(tmp_path / "cache.sqlite")]
    if args[0] in ("fetch", "harvest"):
        options += [
            "--out",
            str(tmp_path / "out"),
            "--db",
            str(tmp_path / "foi.db"),
            "--rate",
            "50",
        ]
    return runner.invoke(app, [*common, *args, *options])


def test_search_json_lists_each_request_once(fake, tmp_path) -> None:
    result = foi(fake, tmp_path, "search", "--body-tag", "police", "--json")
    assert result.exit_code == 0
    found = json.loads(result.stdout)
    # /list by default: WhatDoTheyKnow's robots.txt (served by the fake) disallows the feed
    assert found["complete"] and "read from /list: 1 date windows, 1 pages" in found["how"]
    hits = found["requests"]
    assert sorted(h["url_title"] for h in hits) == [
        "crime_outcomes_0",
        "crime_outcomes_1",
        "crime_outcomes_2",
        "hostile_names",
    ]
    assert set(hits[0]) == {
        "url_title",
        "title",
        "authority",
        "authority_name",
        "status",
        "date",
        "url",
        "display_status",
    }


def test_search_text_output(fake, tmp_path) -> None:
    result = foi(fake, tmp_path, "search", "--status", "not_held")
    assert result.exit_code == 0
    assert "synthetic_council" in result.stdout and "/request/council_request" in result.stdout


def test_harvest_then_rerun(fake, tmp_path) -> None:
    first = foi(fake, tmp_path, "harvest", "--body-tag", "police")
    assert first.exit_code == 0, first.output
    assert "4 requests seen, 12 attachments downloaded, 0 already present, 0 failed" in first.stdout
    again = foi(fake, tmp_path, "harvest", "--body-tag", "police", "--json")
    summary = json.loads(again.stdout)
    assert (summary["downloaded"], summary["present"], summary["failed"]) == (0, 12, 0)


def test_dry_run_lists_paths_and_sizes(fake, tmp_path) -> None:
    result = foi(fake, tmp_path, "harvest", "--body", "synthetic_council", "--dry-run")
    assert result.exit_code == 0
    assert "synthetic_council/council_request/6993-2-budget.pdf  (2K)" in result.stdout
    assert not (tmp_path / "out").exists()


def test_failures_exit_1_and_are_listed(fake, tmp_path) -> None:
    result = foi(fake, tmp_path, "fetch", "crime_outcomes_0", "no_such_request")
    assert result.exit_code == 1
    assert "failed: " in result.stderr and "no_such_request" in result.stderr
    assert "HTTP 404" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["search"],
        ["search", "x", "--status", "great"],
        ["search", "x", "--since", "yesterday"],
        ["harvest", "x", "--concurrency", "0"],
    ],
)
def test_usage_errors_exit_2(fake, tmp_path, args) -> None:
    result = foi(fake, tmp_path, *args)
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_site_errors_are_one_line(fake, tmp_path) -> None:
    fake.faults.statuses = {"/list": [(404, None)]}
    result = foi(fake, tmp_path, "search", "anything")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and len(result.stderr.strip().splitlines()) == 1
    assert "HTTP 404" in result.stderr
