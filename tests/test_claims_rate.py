"""The rate calculator: every row of the semantics table, both sides of each boundary,
and `foi rate` exit codes and JSON."""

from __future__ import annotations

import json
from fractions import Fraction as F

import pytest
from typer.testing import CliRunner

from extractor.claims import check_rate
from extractor.cli import app
from extractor.errors import UsageError

runner = CliRunner()


def verdict(claim: str, percent: F) -> str | None:
    """The verdict for a true rate of ``percent`` per cent, as a proportion of 10**8."""
    denominator = 10**8
    numerator = percent * denominator / 100
    return check_rate(numerator, denominator, claim).verdict


# (claim, true rate in percent, expected verdict): each boundary from inside and outside
ROWS = [
    # R(X): 3.3 gives [3.25, 3.35]; truncation [3.3, 3.4) is loose
    ("3.3 per cent", F("3.25"), "accurate"),
    ("3.3 per cent", F("3.2499"), "inaccurate"),
    ("3.3%", F("3.35"), "accurate"),
    ("3.3pc", F("3.3501"), "loose"),
    ("3.3 percent", F("3.3999"), "loose"),
    ("3.3 per cent", F("3.4"), "inaccurate"),
    # number words: u = 1
    ("three per cent", F("2.5"), "accurate"),
    ("three per cent", F("2.4999"), "inaccurate"),
    ("thirty-three per cent", F("33.5"), "accurate"),
    ("thirty-three per cent", F("34"), "inaccurate"),
    # just / only are evaluative
    ("just 3.3 per cent", F("3.27"), "accurate"),
    ("only 11 per cent", F("11.6"), "loose"),
    # k in N: [k/(N+1/2), k/(N-1/2)]
    ("one in five", F(200, 11), "accurate"),
    ("one in five", F("18.18"), "inaccurate"),
    ("one in five", F(200, 9), "accurate"),
    ("one in every five", F("22.23"), "inaccurate"),
    ("two out of seven", F(400, 15), "accurate"),
    ("two out of seven", F("26.66"), "inaccurate"),
    # k in 10/100/1000: a rounded percentage
    ("three in 10", F(25), "accurate"),
    ("three in 10", F("24.99"), "inaccurate"),
    ("three in 10", F(35), "accurate"),
    ("three in 10", F("35.01"), "inaccurate"),
    # named fractions: nearest, and within 2 points to be accurate
    ("a third", F(1, 3) * 100 + 2, "accurate"),
    ("a third", F(1, 3) * 100 + F("2.001"), "loose"),
    ("a third", F(110, 3), "loose"),
    ("a third", F(110, 3) + F(1, 1000), "inaccurate"),
    ("a third", F(95, 3), "accurate"),
    ("a third", F(95, 3) - F(1, 1000), "inaccurate"),
    ("half", F(45), "loose"),
    ("half", F("44.99"), "inaccurate"),
    ("half", F(52), "accurate"),
    ("two-thirds", F(65), "accurate"),
    ("three-quarters", F(70), "inaccurate"),
    ("a fifth", F(19), "accurate"),
    ("a tenth", F(16), "inaccurate"),
    # more than / the majority / most: strictly above
    ("more than half", F(50), "inaccurate"),
    ("more than half", F("50.01"), "accurate"),
    ("the majority", F(50), "inaccurate"),
    ("most of them", F("50.01"), "accurate"),
    ("over 40 per cent", F(40), "inaccurate"),
    ("above 40 per cent", F("40.01"), "accurate"),
    # at least: v >= X
    ("at least 10 per cent", F(10), "accurate"),
    ("at least 10 per cent", F("9.99"), "inaccurate"),
    # fewer than / under / a minority: strictly below
    ("fewer than one in ten", F(10), "inaccurate"),
    ("fewer than one in ten", F("9.99"), "accurate"),
    ("under 5%", F(5), "inaccurate"),
    ("a minority", F("49.99"), "accurate"),
    ("a minority", F(50), "inaccurate"),
    # up to / at most / no more than: v <= X
    ("up to 40 per cent", F(40), "accurate"),
    ("no more than 40 per cent", F("40.01"), "inaccurate"),
    # nearly: [X - t, X); lenient within 2t
    ("nearly half", F(45), "accurate"),
    ("nearly half", F("49.99"), "accurate"),
    ("nearly half", F(50), "inaccurate"),
    ("nearly half", F("44.99"), "loose"),
    ("almost half", F(40), "loose"),
    ("almost half", F("39.99"), "inaccurate"),
    # just over: (X, X + t]; lenient within 2t
    ("just over a quarter", F(25), "inaccurate"),
    ("just over a quarter", F("25.01"), "accurate"),
    ("just over a quarter", F("27.5"), "accurate"),
    ("slightly more than a quarter", F("27.51"), "loose"),
    ("a little over a quarter", F(30), "loose"),
    ("just over a quarter", F("30.01"), "inaccurate"),
    # about: |v - X| <= t; lenient within 2t
    ("about 20 per cent", F(18), "accurate"),
    ("around 20 per cent", F(22), "accurate"),
    ("roughly 20 per cent", F("22.01"), "loose"),
    ("approximately 20 per cent", F(24), "loose"),
    ("some 20 per cent", F("24.01"), "inaccurate"),
    ("about 2 per cent", F(1), "accurate"),  # t = u = 1 for small X
    # nothing checkable
    ("very few", F(1), "unclear"),
    ("a significant number", F(30), "unclear"),
]


@pytest.mark.parametrize(("claim", "percent", "expected"), ROWS)
def test_semantics_table(claim: str, percent: F, expected: str) -> None:
    assert verdict(claim, percent) == expected


def test_reason_sentence_and_fields() -> None:
    result = check_rate(50, 1527, "just 3.3 per cent")
    assert result.reason == "50 / 1,527 = 3.27%, which rounds to 3.3 (3.25 to 3.35): accurate."
    data = result.to_dict()
    assert data["rate_2dp"] == "3.27" and data["rate_exact"] == "50/1527"
    assert (data["claimed_low"], data["claimed_high"]) == (3.25, 3.35)
    assert data["feasible_numerators"] == [50, 51]


def test_feasible_numerators_for_a_known_base() -> None:
    # "11 per cent of the 1,760": k / 1760 in [10.5, 11.5] -> 185..202
    assert check_rate(190, 1760, "11 per cent").feasible == (185, 202)
    result = check_rate(50, 1527, "4 per cent")
    assert result.verdict == "inaccurate"
    assert "54 to 68 out of 1,527" in result.reason


def test_no_whole_numerator_fits() -> None:
    result = check_rate(1, 4, "33 per cent")
    assert result.verdict == "inaccurate" and result.feasible is None
    assert "no whole count" in result.reason


def test_small_bases() -> None:
    assert [w.number for w in check_rate(5, 19, "about a quarter").warnings] == [6]
    assert check_rate(5, 20, "about a quarter").warnings == []
    tiny = check_rate(1, 2, "half")
    assert tiny.verdict == "unclear" and tiny.warnings[0].code == "base-too-small"


def test_a_count_is_not_a_rate() -> None:
    assert check_rate(50, 1527, "50 convictions").verdict == "unclear"


@pytest.mark.parametrize(("num", "den"), [("5", "0"), ("5", "-3"), ("abc", "4"), ("1", "x")])
def test_bad_input_is_a_usage_error(num: str, den: str) -> None:
    with pytest.raises(UsageError):
        check_rate(num, den)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["50", "1527", "--claim", "3.3 per cent"], 0),
        (["50", "1527", "--claim", "3.39 per cent"], 1),
        (["339", "10000", "--claim", "3.3 per cent"], 0),  # loose
        (["50", "1527", "--claim", "very few"], 3),
        (["50", "1,527"], 0),
        (["5", "0"], 2),
        (["abc", "10"], 2),
        (["--", "-5", "10"], 2),
    ],
)
def test_rate_exit_codes(args: list[str], code: int) -> None:
    result = runner.invoke(app, ["rate", *args])
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output


def test_rate_json() -> None:
    result = runner.invoke(app, ["rate", "50", "1527", "--claim", "just 3.3 per cent", "--json"])
    data = json.loads(result.stdout)
    for key in (
        "numerator",
        "denominator",
        "rate",
        "claim",
        "claimed_low",
        "claimed_high",
        "verdict",
        "reason",
        "feasible_numerators",
    ):
        assert key in data
    assert data["verdict"] == "accurate" and data["numerator"] == 50
    assert abs(data["rate"] - 5000 / 1527) < 1e-6
    empty = json.loads(runner.invoke(app, ["rate", "1", "4", "--json"]).stdout)
    assert empty["verdict"] is None and empty["claimed_low"] is None


def test_rate_text_output_and_one_line_error() -> None:
    result = runner.invoke(app, ["rate", "50", "1527", "--claim", "3.3 per cent"])
    assert "3.27%" in result.stdout and "accurate" in result.stdout
    bad = runner.invoke(app, ["rate", "5", "0"])
    assert bad.exit_code == 2
    assert bad.output.strip().count("\n") == 0 and "denominator" in bad.output


def test_claim_text_is_not_rich_markup() -> None:
    result = runner.invoke(app, ["rate", "1", "4", "--claim", "[red]25%[/red]"])
    assert "[red]25%[/red]" in result.stdout
