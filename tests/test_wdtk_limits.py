"""Issue 16.7 (a --cache that cannot be a cache) and 16.9 (a trickling server)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.testing.fakesite import FakeAlaveteli, Faults
from extractor.wdtk import fetch_requests
from tests.wdtk_sites import build_site, site_config

runner = CliRunner()


@pytest.fixture
def fake(tmp_path: Path):
    with FakeAlaveteli(build_site(tmp_path / "site", requests=2, hostile=False).root) as site:
        yield site


def fetch(fake: FakeAlaveteli, tmp_path: Path, *options: str):
    return runner.invoke(
        app,
        [
            "--quiet",
            "--base-url",
            fake.url,
            "fetch",
            "crime_outcomes_0",
            "crime_outcomes_1",
            "--out",
            str(tmp_path / "out"),
            "--db",
            str(tmp_path / "foi.db"),
            "--rate",
            "50",
            *list(options),
        ],
    )


# --- 16.7 ----------------------------------------------------------------------------


def test_16_7_a_cache_that_is_a_folder_is_one_usage_line(fake, tmp_path) -> None:
    (tmp_path / "cachedir").mkdir()
    result = fetch(fake, tmp_path, "--cache", str(tmp_path / "cachedir"))
    assert result.exit_code == 2 and fake.hits == []
    assert result.stderr.strip().count("\n") == 0 and "is a folder" in result.stderr
    assert "Traceback" not in result.output


def test_16_7_a_cache_that_is_not_sqlite_is_one_usage_line(fake, tmp_path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes, not a cache\n")
    result = fetch(fake, tmp_path, "--cache", str(notes))
    assert result.exit_code == 2 and "not an SQLite file" in result.stderr
    assert notes.read_text() == "my notes, not a cache\n" and fake.hits == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files")
def test_16_7_a_read_only_cache_runs_uncached_with_one_warning(fake, tmp_path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = fetch(fake, tmp_path, "--cache", str(folder / "cache.sqlite"))
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 0, result.output
    assert result.stderr.count("warning:") == 1 and "without a cache" in result.stderr
    assert "Traceback" not in result.output


def test_16_7_an_empty_file_or_a_new_path_is_a_fine_cache(fake, tmp_path) -> None:
    (tmp_path / "empty.sqlite").write_bytes(b"")
    assert fetch(fake, tmp_path, "--cache", str(tmp_path / "empty.sqlite")).exit_code == 0
    new = tmp_path / "new" / "deeper" / "cache.sqlite"
    assert fetch(fake, tmp_path, "--cache", str(new)).exit_code == 0 and new.is_file()


# --- 16.9 ----------------------------------------------------------------------------


def test_16_9_a_trickling_page_ends_at_the_total_deadline(tmp_path) -> None:
    built = build_site(tmp_path / "site", requests=2, hostile=False)
    # a byte every 50 ms: each read is well inside the 10 s read timeout; the JSON would
    # take over a minute to arrive
    faults = Faults(trickle={"/request/crime_outcomes_0.json": 0.05})
    with FakeAlaveteli(built.root, faults=faults) as site:
        result = runner.invoke(
            app,
            [
                "--quiet",
                "--base-url",
                site.url,
                "fetch",
                "crime_outcomes_0",
                "crime_outcomes_1",
                "--out",
                str(tmp_path / "out"),
                "--db",
                str(tmp_path / "foi.db"),
                "--rate",
                "50",
                "--cache",
                str(tmp_path / "c.sqlite"),
                "--deadline",
                "1",
            ],
        )
    assert result.exit_code == 1
    assert "within the 1 s total deadline" in result.stderr and "too slow" in result.stderr
    assert "2 attachments downloaded" in result.stdout  # the other request carried on


def test_16_9_a_trickling_attachment_ends_at_the_deadline(tmp_path, store) -> None:
    built = build_site(tmp_path / "site", requests=1, hostile=False)
    faults = Faults(trickle={"7000/attach/2/": 0.05})
    with FakeAlaveteli(built.root, faults=faults) as site:
        summary = fetch_requests(
            ["crime_outcomes_0"],
            out=tmp_path / "out",
            store=store,
            config=site_config(site.url, tmp_path, deadline=1.0),
        )
    assert summary.downloaded == 1 and summary.failed == 1
    assert "trickling" in summary.failures[0].reason and "deadline" in summary.failures[0].reason
    assert not list((tmp_path / "out").rglob("outcomes.pdf"))
