"""`foi extract` on spreadsheets, CSVs and zips: --report-hidden, --no-hidden, overrides."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from extractor.cli import app

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sheets"
runner = CliRunner()


def run(*args: str) -> object:
    return runner.invoke(app, ["extract", *args])


def test_report_hidden_lists_each_workbook_and_skips_other_files() -> None:
    result = run("--report-hidden", str(FIXTURES / "quirks.xlsx"), str(FIXTURES / "tabs.txt"))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "quirks.xlsx:"
    assert "  sheet 'Very hidden' is veryHidden" in result.stdout.splitlines()
    assert "tabs.txt" not in result.stdout


def test_report_hidden_json_is_data() -> None:
    result = run("--report-hidden", "--json", str(FIXTURES / "bundle.zip"))
    assert result.exit_code == 0
    (report,) = json.loads(result.stdout)
    assert report["file"] == "bundle.zip/quirks.xlsx" and report["has_hidden"]


def test_report_hidden_names_a_broken_workbook(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes((FIXTURES / "quirks.xlsx").read_bytes()[:2000])
    result = run("--report-hidden", str(broken))
    assert result.exit_code == 1
    assert "broken.xlsx" in result.stderr and "Traceback" not in result.output


def test_no_hidden_leaves_hidden_cells_out_of_the_store(tmp_path: Path) -> None:
    db = tmp_path / "foi.db"
    full = json.loads(run(str(FIXTURES / "quirks.xlsx"), "--db", str(db), "--json").stdout)
    lean_db = tmp_path / "lean.db"
    lean = run(str(FIXTURES / "quirks.xlsx"), "--db", str(lean_db), "--json", "--no-hidden")
    key = json.loads((FIXTURES / "quirks.xlsx.key.json").read_text())
    hidden = sum(1 for c in key["cells"] if c.get("hidden"))
    assert full["cells"] - json.loads(lean.stdout)["cells"] == hidden
    with sqlite3.connect(lean_db) as conn:
        assert conn.execute("select count(*) from cells where hidden").fetchone()[0] == 0


def test_delimiter_and_encoding_overrides(tmp_path: Path) -> None:
    data = tmp_path / "pipes.txt"
    data.write_bytes("Area|Spend\nSynthetic £|£5\n".encode("cp1252"))
    result = run(
        str(data), "--no-db", "--format", "jsonl", "--delimiter", "|", "--encoding", "cp1252"
    )
    assert result.exit_code == 0, result.output
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert (record["row"], record["value"], record["unit"]) == (["Synthetic £"], 5, "gbp")
    bad = run(str(data), "--no-db", "--format", "jsonl", "--delimiter", "||")
    assert bad.exit_code != 0 and "delimiter" in bad.output


def test_zip_bomb_is_one_failed_line_and_the_batch_goes_on() -> None:
    result = run(str(FIXTURES / "bomb.zip"), str(FIXTURES / "semicolon.csv"), "--no-db", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["cells"] == 9
    assert "bomb.zip" in result.stderr and "compression ratio" in result.stderr


def test_sheet_option_reads_only_that_sheet_and_names_missing_ones(tmp_path: Path) -> None:
    result = run(
        str(FIXTURES / "quirks.xlsx"),
        str(FIXTURES / "budget.ods"),
        "--no-db",
        "-f",
        "jsonl",
        "--sheet",
        "Formulas",
        "--sheet",
        "Budget",
    )
    assert result.exit_code == 0, result.output
    sheets = {json.loads(line)["sheet"] for line in result.stdout.splitlines()}
    assert sheets == {"Formulas", "Budget"}
    missing = run(str(FIXTURES / "quirks.xlsx"), "--no-db", "-f", "jsonl", "--sheet", "Nope")
    assert missing.exit_code == 1
    assert "quirks.xlsx: has no sheet named 'Nope' (it has 'Offences'" in missing.stderr
