"""`foi extract` end to end: real files, a real SQLite store, the real CLI."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.errors import UsageError
from extractor.extract import (
    LAST_PAGE,
    expand_paths,
    extract_files,
    output_format,
    parse_pages,
)
from extractor.store import Store
from extractor.tables import ExtractOptions

from .conftest import FIXTURES

PDFS = FIXTURES / "pdfs"
runner = CliRunner()


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    (folder / "nested").mkdir(parents=True)
    shutil.copy(PDFS / "ruled_letter.pdf", folder)
    shutil.copy(PDFS / "two_tables.pdf", folder / "nested")
    shutil.copy(PDFS / "truncated.pdf", folder)
    return folder


def run(*args: str) -> object:
    return runner.invoke(app, ["extract", *args])


def test_folder_into_store_then_skipped_then_forced(inbox: Path, tmp_path: Path) -> None:
    db = tmp_path / "foi.db"
    first = run(str(inbox), "--db", str(db), "--json")
    assert first.exit_code == 1  # the truncated PDF failed, the others were read
    counts = json.loads(first.stdout)
    assert counts == {
        "files": 3,
        "extracted": 2,
        "skipped": 0,
        "failed": 1,
        "cells": 41,
        "not_tables": 0,
        "copies": 0,
        "low_confidence": [],  # no table under the confidence threshold
    }
    assert "truncated.pdf: is damaged or truncated" in first.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from cells").fetchone()[0] == 41
        errors = conn.execute("select name, error from documents where error is not null")
        assert [row[0] for row in errors] == ["truncated.pdf"]
    again = json.loads(run(str(inbox), "--db", str(db), "--json").stdout)
    assert again["skipped"] == 2 and again["extracted"] == 0
    out = tmp_path / "again.jsonl"
    run(str(inbox), "--db", str(db), "--out", str(out))
    assert len(out.read_text().splitlines()) == 41  # skipped files' stored records still out
    forced = json.loads(run(str(inbox), "--db", str(db), "--json", "--force").stdout)
    assert forced["extracted"] == 2
    with Store(db) as store:
        assert store.count("cells") == 41  # re-extraction replaced, not duplicated


def test_csv_out_is_written_whole_and_escaped(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "cells.csv"
    result = run(str(inbox / "ruled_letter.pdf"), "--no-db", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == 24
    rape = next(
        r
        for r in rows
        if r["row"] == "Sexual offences > Rape" and r["column"] == "Calendar year > 2020"
    )
    assert rape["page"] == "1" and rape["title"] == "Table 1: Crimes recorded by offence group"
    assert not list(tmp_path.glob(".*partial"))


def test_jsonl_to_stdout_when_piped(inbox: Path) -> None:
    result = run(str(inbox / "nested"), "--no-db")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 17 and {line["file"] for line in lines} == {"two_tables.pdf"}
    assert "1 file: 1 extracted (17 cells)" in result.stderr


def test_glob_and_pages(inbox: Path) -> None:
    result = run(str(inbox / "*.pdf"), "--no-db", "--format", "jsonl", "--pages", "1")
    files = {json.loads(line)["file"] for line in result.stdout.splitlines()}
    assert files == {"ruled_letter.pdf"}


def test_a_missing_file_fails_on_its_own_line_and_the_batch_goes_on(tmp_path: Path) -> None:
    missing = run(
        str(tmp_path / "nope.pdf"), str(PDFS / "two_tables.pdf"), "--no-db", "--format", "jsonl"
    )
    assert missing.exit_code == 1
    assert "nope.pdf: no such file or directory" in missing.stderr
    assert {json.loads(line)["file"] for line in missing.stdout.splitlines()} == {"two_tables.pdf"}
    assert "Traceback" not in missing.stderr


def test_hidden_report_of_a_missing_file_is_one_line(tmp_path: Path) -> None:
    result = run("--report-hidden", str(tmp_path / "nope.xlsx"))
    assert result.exit_code == 1
    assert "nope.xlsx: no such file or directory" in result.stderr
    assert "Traceback" not in result.output


def test_out_may_not_overwrite_an_input(tmp_path: Path) -> None:
    data = tmp_path / "data.csv"
    data.write_text("Year,Reports\n2022,1527\n", encoding="utf-8")
    result = run(str(data), "--no-db", "--out", str(data))
    assert result.exit_code == 2 and "also an input file" in result.stderr
    assert data.read_text(encoding="utf-8") == "Year,Reports\n2022,1527\n"


def test_usage_errors_exit_2() -> None:
    pages = run(str(PDFS / "two_tables.pdf"), "--no-db", "--pages", "3-1")
    assert pages.exit_code == 2 and "--pages" in pages.stderr
    assert "Traceback" not in pages.stderr


def test_help_has_an_example() -> None:
    result = runner.invoke(app, ["extract", "--help"])
    assert result.exit_code == 0 and "Example: foi extract" in result.stdout


def test_two_jobs_give_the_same_records_in_the_same_order(inbox: Path) -> None:
    files = expand_paths([inbox])
    one = [c for o in extract_files(files, jobs=1) for c in o.cells]
    two = [c for o in extract_files(files, jobs=2) for c in o.cells]
    assert one == two and len(one) == 41


def test_size_limit_is_one_error_and_the_run_carries_on(inbox: Path) -> None:
    options = ExtractOptions(max_file_bytes=2500)  # between two_tables.pdf and ruled_letter.pdf
    outcomes = {o.path.name: o for o in extract_files(expand_paths([inbox]), options)}
    assert "over the 2,500-byte limit" in (outcomes["ruled_letter.pdf"].error or "")
    assert outcomes["two_tables.pdf"].error is None and len(outcomes["two_tables.pdf"].cells) == 17
    assert "truncated" in (outcomes["truncated.pdf"].error or "")


def test_time_limit_stops_a_slow_file_and_the_run_carries_on(inbox: Path) -> None:
    options = ExtractOptions(max_seconds=1e-4)  # no PDF is read this fast
    outcomes = list(
        extract_files(expand_paths([inbox / "nested", inbox / "ruled_letter.pdf"]), options)
    )
    assert [o.error and "took longer than" in o.error for o in outcomes] == [True, True]


def test_parse_pages_and_output_format() -> None:
    assert parse_pages("1-3,7") == {1, 2, 3, 7}
    assert parse_pages("2,end") == {2, LAST_PAGE}
    assert min(parse_pages("3-end") or {0}) == LAST_PAGE and 3 in (parse_pages("3-end") or ())
    with pytest.raises(UsageError):
        parse_pages("end-3")
    assert parse_pages(None) is None
    with pytest.raises(UsageError):
        parse_pages("a-b")
    assert output_format(None, Path("x.csv")) == "csv"
    assert output_format(None, Path("x.jsonl")) == "jsonl"
    assert output_format("table", None) == "table"
    assert output_format(None, None) is None
