"""One typed result contract for checks: the terminal table, JSON and HTML say the same."""

import ast
import json
import re

import pytest
from typer.testing import CliRunner

from extractor.claims.rates import VERDICTS
from extractor.claims.results import (
    EXIT_INACCURATE,
    EXIT_OK,
    EXIT_UNCLEAR,
    check_exit_code,
    rate_exit_code,
)
from extractor.cli import app
from tests.conftest import REPO

CLAIMS = """
[[claim]]
id = "rate"
text = "Only 50 of 1,527 reports led to a conviction: just 3.3 per cent."
phrase = "just 3.3 per cent"
numerator = 50
denominator = 1527

[[claim]]
id = "wrong"
text = "Only 50 of 1,527 reports led to a conviction: 4.1 per cent."
phrase = "4.1 per cent"
numerator = 50
denominator = 1527
"""


@pytest.mark.parametrize(
    ("verdicts", "strict", "code"),
    [
        (["accurate", "loose"], False, EXIT_OK),
        # unclear and none inaccurate is 3 (issue 13; it was 0 while the docs said 3)
        (["accurate", "unclear"], False, EXIT_UNCLEAR),
        (["inaccurate", "unclear"], False, EXIT_INACCURATE),
        (["accurate", "unclear"], True, EXIT_INACCURATE),
        (["inaccurate", "accurate"], False, EXIT_INACCURATE),
        ([], True, EXIT_OK),
    ],
)
def test_check_exit_code(verdicts, strict, code):
    assert check_exit_code(verdicts, strict) == code


def test_rate_exit_code():
    assert [rate_exit_code(v) for v in (None, *VERDICTS)] == [0, 0, 0, 1, EXIT_UNCLEAR]


def test_table_json_and_html_read_the_same_result(tmp_path):
    claims = tmp_path / "claims.toml"
    claims.write_text(CLAIMS, encoding="utf-8")
    runner = CliRunner()
    env = {"NO_COLOR": "1", "COLUMNS": "200"}
    db = ["--db", str(tmp_path / "none.db")]
    table = runner.invoke(app, ["check", str(claims), *db], env=env)
    as_json = runner.invoke(app, ["check", str(claims), *db, "--json"], env=env)
    html_path = tmp_path / "report.html"
    runner.invoke(app, ["check", str(claims), *db, "--html", str(html_path)], env=env)
    assert table.exit_code == as_json.exit_code == EXIT_INACCURATE
    results = {r["id"]: r for r in json.loads(as_json.stdout)["results"]}
    html = html_path.read_text(encoding="utf-8")
    for claim_id, claimed in (("rate", "3.25 to 3.35"), ("wrong", "4.05 to 4.15")):
        result = results[claim_id]
        assert (result["value_text"], result["claimed"]) == ("3.27", claimed)
        assert re.search(rf"{claim_id}\s.*\s3\.27%\s.*\s{claimed}\s", table.stdout), table.stdout
        assert f"The data give 3.27%; the claim allows {claimed}%." in html
        assert "numerator: 50 (literal)" in table.stdout
        assert "numerator: 50 (a literal number in the claims file)" in html


def test_the_html_report_declares_no_verdicts_or_number_format_of_its_own():
    tree = ast.parse((REPO / "extractor" / "claims" / "report.py").read_text(encoding="utf-8"))
    defined = {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    } | {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    assert not defined & {"VERDICTS", "format_number", "as_dict", "_cell_from_dict"}
