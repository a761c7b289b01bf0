"""Adversarial input to every command: one-line errors, right exit codes, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def assert_one_line_error(result, code: int, *names: str) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and errors[0].startswith("Error:"), result.stderr
    for name in names:
        assert name in errors[0]


def test_rate_with_a_numerator_of_thousands_of_digits_is_a_usage_error() -> None:
    result = run("rate", "9" * 5000, "3")
    assert_one_line_error(result, 2, "numerator")


def test_extract_a_csv_cell_of_thousands_of_digits_keeps_it_as_text(tmp_path: Path) -> None:
    digits = "9" * 5000
    (tmp_path / "big.csv").write_text(f"area,count\nnorth,{digits}\nsouth,12\n", encoding="utf-8")
    result = run(
        "extract", str(tmp_path / "big.csv"), "--db", str(tmp_path / "foi.db"), "--format", "jsonl"
    )
    assert result.exit_code == 0, result.output
    cells = [json.loads(line) for line in result.stdout.splitlines()]
    assert all(c["value"] is None for c in cells if digits in c["raw"])
    assert [c["value"] for c in cells if c["raw"] == "12"] == [12]


def test_extract_a_number_too_big_for_sqlite_is_stored(tmp_path: Path) -> None:
    big = "9" * 40
    (tmp_path / "big.csv").write_text(f"area,count\nnorth,{big}\nsouth,{big}.5\n", encoding="utf-8")
    result = run(
        "extract", str(tmp_path / "big.csv"), "--db", str(tmp_path / "foi.db"), "--format", "jsonl"
    )
    assert result.exit_code == 0, result.output
    values = [json.loads(line)["value"] for line in result.stdout.splitlines()]
    assert all(v is None or abs(v) < 1e300 for v in values)
    assert sum(1 for v in values if v and v > 9e39) == 2


def _two_csvs(tmp_path: Path) -> list[str]:
    paths = []
    for name in ("a.csv", "b.csv"):
        (tmp_path / name).write_text("area,count\nnorth,5\nsouth,7\n", encoding="utf-8")
        paths.append(str(tmp_path / name))
    return paths


@pytest.mark.parametrize(
    ("option", "value", "named"),
    [
        ("--delimiter", ";;", "--delimiter"),
        ("--encoding", "no-such-codec", "--encoding"),
        ("--max-seconds", "0", "--max-seconds"),
        ("--max-seconds", "-1", "--max-seconds"),
    ],
)
def test_extract_bad_option_is_one_usage_error_not_a_failure_per_file(
    tmp_path: Path, option: str, value: str, named: str
) -> None:
    result = run("extract", *_two_csvs(tmp_path), "--no-db", "--format", "csv", option, value)
    assert_one_line_error(result, 2, named)
    assert result.stdout == ""


CLAIM = """[[claim]]
id = "a"
text = "north is 5 in 12"
phrase = "5 in 12"
numerator = { file = "ok.csv", row = ["north"], column = ["count"] }
denominator = 12
"""


def test_error_messages_are_not_read_as_markup(tmp_path: Path) -> None:
    missing = tmp_path / "[/bold] [[claim]].toml"
    result = run("check", str(missing), "--records", str(tmp_path / "r.jsonl"))
    assert_one_line_error(result, 2, "[/bold] [[claim]].toml")


def test_check_records_that_are_not_text_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "claims.toml").write_text(CLAIM, encoding="utf-8")
    (tmp_path / "junk.jsonl").write_bytes(b"\x00\xff\xfe\x89PNG" * 100)
    result = run("check", str(tmp_path / "claims.toml"), "--records", str(tmp_path / "junk.jsonl"))
    assert_one_line_error(result, 1, "junk.jsonl")


@pytest.mark.parametrize("base_url", ["not-a-url", "ftp://127.0.0.1:1", "http://"])
def test_a_base_url_that_is_not_http_is_a_usage_error(tmp_path: Path, base_url: str) -> None:
    result = run("--base-url", base_url, "search", "police", "--cache", str(tmp_path / "c.db"))
    assert_one_line_error(result, 2, "--base-url")


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_nothing_listening_fails_at_once_without_retries(tmp_path: Path, monkeypatch) -> None:
    import time

    sleeps: list[float] = []
    monkeypatch.setattr(time, "sleep", sleeps.append)
    url = f"http://127.0.0.1:{_closed_port()}"
    result = run("--base-url", url, "search", "police", "--cache", str(tmp_path / "c.db"))
    assert_one_line_error(result, 1, url, "refused")
    assert sleeps == []  # a refused connection is not retried with back-off


def test_harvest_into_an_out_that_is_a_file_fails_each_download_without_a_traceback(
    tmp_path: Path,
) -> None:
    from extractor.testing.fakesite import serve

    site = Path(__file__).resolve().parents[1] / "fixtures" / "lancashire" / "wdtk"
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    with serve(site) as url:
        result = run(
            "--base-url",
            url,
            "harvest",
            "rape",
            "--out",
            str(tmp_path / "a-file"),
            "--db",
            str(tmp_path / "foi.db"),
            "--cache",
            str(tmp_path / "c.db"),
            "--rate",
            "50",
        )
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    failures = [line for line in result.stderr.splitlines() if line.startswith("failed:")]
    assert len(failures) == 2 and all("a-file" in line for line in failures)


def test_claims_names_an_out_path_with_brackets_as_it_is(tmp_path: Path) -> None:
    (tmp_path / "article.txt").write_text(
        "Only 50 of 1,527 reports, 3.3 per cent, led to a conviction.\n", encoding="utf-8"
    )
    out = tmp_path / "[draft] claims.toml"
    result = run("claims", str(tmp_path / "article.txt"), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.is_file() and str(out) in result.stderr


@pytest.mark.parametrize("literal", ["inf", "nan", "1e400"])
def test_check_a_claims_file_with_an_infinite_figure_names_the_key(
    tmp_path: Path, literal: str
) -> None:
    claims = CLAIM.replace("denominator = 12", f"denominator = {literal}")
    (tmp_path / "claims.toml").write_text(claims, encoding="utf-8")
    (tmp_path / "r.jsonl").write_text("", encoding="utf-8")
    result = run("check", str(tmp_path / "claims.toml"), "--records", str(tmp_path / "r.jsonl"))
    assert_one_line_error(result, 2, "claims.toml:6", "denominator", "not a finite number")


@pytest.mark.timeout(20)
def test_a_huge_pages_range_does_not_build_a_huge_set() -> None:
    from extractor.extract import MAX_PAGE, parse_pages

    pages = parse_pages("2-100000000000,5")
    assert pages is not None and min(pages) == 2 and len(pages) == MAX_PAGE - 1


def test_a_foreign_sqlite_file_with_a_cells_table_is_refused_untouched(tmp_path: Path) -> None:
    import sqlite3

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table cells (x)")
    conn.close()
    (tmp_path / "claims.toml").write_text(CLAIM, encoding="utf-8")
    result = run("check", str(tmp_path / "claims.toml"), "--db", str(other))
    assert_one_line_error(result, 1, "other.db", "not an FOI Extractor store")
    with sqlite3.connect(other) as conn:
        tables = [row[0] for row in conn.execute("select name from sqlite_master")]
    conn.close()
    assert tables == ["cells"]


@pytest.mark.timeout(20)
def test_a_claim_text_the_length_of_a_book_is_refused_not_parsed_for_minutes(
    tmp_path: Path,
) -> None:
    claims = CLAIM.replace('text = "north is 5 in 12"', f'text = "{"5 in 12 " * 50_000}"')
    (tmp_path / "claims.toml").write_text(claims, encoding="utf-8")
    (tmp_path / "r.jsonl").write_text("", encoding="utf-8")
    result = run("check", str(tmp_path / "claims.toml"), "--records", str(tmp_path / "r.jsonl"))
    assert_one_line_error(result, 2, "claims.toml:3", "'text'", "characters")


@pytest.mark.timeout(20)
def test_rate_with_a_claim_the_length_of_a_book_is_a_usage_error() -> None:
    result = run("rate", "50", "1527", "--claim", "5 in 12 " * 12_000)
    assert_one_line_error(result, 2, "--claim", "characters")


def test_extract_an_unwritable_debug_images_folder_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    result = run(
        "extract",
        *_two_csvs(tmp_path),
        "--no-db",
        "--format",
        "csv",
        "--debug-images",
        str(tmp_path / "a-file"),
    )
    assert_one_line_error(result, 2, "--debug-images", "a-file")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_on_stdout_is_one_line_not_a_traceback():
    import subprocess
    import sys

    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "extractor", "rate", "50", "1527", "--json"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert result.returncode == 1
    assert "No space left on device" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("count", ["5%", "£5"])
def test_rate_refuses_a_count_with_a_unit(count):
    result = CliRunner().invoke(app, ["rate", count, "10"])
    assert result.exit_code == 2
    assert "carries a unit" in result.output and "Traceback" not in result.output
