"""The claim grammar: numbers as written, and the interval each phrase claims."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from extractor.claims.numbers import (
    find_fractions,
    find_numbers,
    format_fixed,
    format_number,
    round_half_up,
)
from extractor.claims.phrases import comparison_in, find_figures, parse_claim, trend_direction


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("one hundred and five", 105),
        ("a hundred", 100),
        ("an hundred", 100),
        ("thirty-three", 33),
        ("twenty one", 21),
        ("nineteen", 19),
        ("two thousand, four hundred and twelve", 2412),
        ("a thousand", 1000),
        ("three million", 3_000_000),
        ("1,527", 1527),
        ("4,214", 4214),
        ("3.3", F(33, 10)),
        ("1.5 million", 1_500_000),
        ("0.25", F(1, 4)),
    ],
)
def test_numbers_as_written(text: str, value: int | F) -> None:
    found = find_numbers(f"there were {text} reports")
    assert [n.value for n in found] == [value]


def test_a_number_keeps_the_unit_of_its_last_digit() -> None:
    unit = {n.text: n.unit for n in find_numbers("3.3 and 3.25 and 12 and twelve and 1.5 million")}
    assert unit == {
        "3.3": F(1, 10),
        "3.25": F(1, 100),
        "12": 1,
        "twelve": 1,
        "1.5 million": 100_000,
    }


def test_words_that_are_not_numbers() -> None:
    assert find_numbers("a number of measures and a conviction") == []
    assert [n.value for n in find_numbers("2020, 4,214")] == [2020, 4214]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("half", F(1, 2)),
        ("a third", F(1, 3)),
        ("two-thirds", F(2, 3)),
        ("three quarters", F(3, 4)),
        ("a fifth", F(1, 5)),
        ("an eighth", F(1, 8)),
        ("a tenth", F(1, 10)),
    ],
)
def test_named_fractions(text: str, value: F) -> None:
    assert [f.value for f in find_fractions(f"of them {text} were")] == [value]


def test_ordinals_are_not_fractions() -> None:
    assert find_fractions("in the third year and the fifth quarter") == []


def test_exact_half_up_rounding_not_bankers() -> None:
    assert round_half_up(F(5, 2)) == 3  # round() would give 2
    assert round_half_up(F(-5, 2)) == -3
    assert format_fixed(F(5000, 1527)) == "3.27"
    assert format_number(F(4214)) == "4,214"
    assert format_number(F(1, 8)) == "0.13"


def claimed(text: str) -> str:
    figure = parse_claim(text)
    assert figure.interval is not None, text
    return figure.interval.bracketed()


@pytest.mark.parametrize(
    ("text", "interval"),
    [
        ("3.3 per cent", "[3.25, 3.35]"),
        ("3.3%", "[3.25, 3.35]"),
        ("3.3 percent", "[3.25, 3.35]"),
        ("3.3pc", "[3.25, 3.35]"),
        ("just 3.3 per cent", "[3.25, 3.35]"),
        ("only 11 per cent", "[10.5, 11.5]"),
        ("three per cent", "[2.5, 3.5]"),
        ("thirty-three per cent", "[32.5, 33.5]"),
        ("one hundred per cent", "[99.5, 100]"),
        ("one in five", "[18.18, 22.22]"),
        ("two in every five", "[36.36, 44.44]"),
        ("a one-in-five chance", "[18.18, 22.22]"),
        ("3 out of 10", "[25, 35]"),
        ("one in 100", "[0.5, 1.5]"),
        ("a third", "[31.67, 36.67]"),
        ("half", "[45, 55]"),
        ("two-thirds", "[63.33, 68.33]"),
        ("a tenth", "[5, 15]"),
        ("more than half", "(50, inf]"),
        ("the majority", "(50, inf]"),
        ("a minority", "[-inf, 50)"),
        ("over 40%", "(40, inf]"),
        ("at least 10 per cent", "[10, inf]"),
        ("no fewer than 10 per cent", "[10, inf]"),
        ("fewer than one in ten", "[-inf, 10)"),
        ("under 5%", "[-inf, 5)"),
        ("up to 40 per cent", "[-inf, 40]"),
        ("no more than 40 per cent", "[-inf, 40]"),
        ("nearly half", "[45, 50)"),
        ("almost 20 per cent", "[18, 20)"),
        ("just under a quarter", "[22.5, 25)"),
        ("just over a quarter", "(25, 27.5]"),
        ("slightly more than 40%", "(40, 44]"),
        ("about 20 per cent", "[18, 22]"),
        ("roughly 5%", "[4, 6]"),
        ("only just over 5 per cent", "(5, 6]"),
    ],
)
def test_phrase_intervals(text: str, interval: str) -> None:
    assert claimed(text) == interval


def test_counts_are_exact_unless_hedged() -> None:
    assert claimed("4,214 reports") == "[4,214, 4,214]"
    assert claimed("about 1,500 reports") == "[1,350, 1,650]"
    assert claimed("more than 1,000 reports") == "(1,000, inf]"
    assert claimed("1.5 million calls") == "[1,450,000, 1,550,000]"


@pytest.mark.parametrize(
    ("text", "kind", "direction", "interval"),
    [
        ("rose by 5 percentage points", "change_points", "up", "[4.5, 5.5]"),
        ("fell by 3.5%", "change_percent", "down", "[3.45, 3.55]"),
        ("up 20%", "change_percent", "up", "[19.5, 20.5]"),
        ("a 20 per cent rise", "change_percent", "up", "[19.5, 20.5]"),
        ("increased by more than 10 per cent", "change_percent", "up", "(10, inf]"),
        ("doubled", "multiple", "up", "[1.95, 2.05]"),
        ("tripled", "multiple", "up", "[2.95, 3.05]"),
        ("halved", "multiple", "down", "[0.48, 0.53]"),
        ("more than doubled", "multiple", "up", "(2, inf]"),
    ],
)
def test_changes(text: str, kind: str, direction: str, interval: str) -> None:
    figure = parse_claim(text)
    assert (figure.kind, figure.direction, figure.interval.bracketed()) == (  # type: ignore[union-attr]
        kind,
        direction,
        interval,
    )


def test_halved_interval_is_exact() -> None:
    interval = parse_claim("halved").interval
    assert interval is not None and (interval.low, interval.high) == (F(19, 40), F(21, 40))


@pytest.mark.parametrize("text", ["very few", "a significant number", "no figure at all", ""])
def test_nothing_checkable(text: str) -> None:
    assert not parse_claim(text).checkable


def test_years_time_spans_and_pronoun_one_are_not_figures() -> None:
    figures = find_figures("Over the last 12 months in 2021 one of the most complex crimes")
    assert figures == []
    assert [f.text for f in find_figures("one of 14 forces")] == ["14"]


def test_a_year_after_in_is_not_k_in_n() -> None:
    kinds = [(f.kind, f.text) for f in find_figures("increased to 1,654 in 2021")]
    assert kinds == [("count", "1,654")]


def test_several_figures_in_order_and_the_rate_figure_preferred() -> None:
    text = "only 50 of these led to a conviction, giving a conviction rate of just 3.3 per cent"
    assert [f.kind for f in find_figures(text)] == ["count", "proportion"]
    assert parse_claim(text).text == "3.3 per cent"


def test_trends_and_comparisons() -> None:
    assert trend_direction("1,306, which increased to 1,654 in 2021") == "up"
    assert trend_direction("it fell to 20") == "down"
    assert trend_direction("1,306 reports") is None
    assert comparison_in("a slightly higher chance than the England average") == ("higher", True)
    assert comparison_in("lower than in 2020") == ("lower", False)
    assert comparison_in("more than half of reports") is None


def test_a_named_fraction_after_a_verb_is_a_relative_change() -> None:
    figure = parse_claim("the number fell by a third")
    assert (figure.kind, figure.direction, figure.fraction) == ("change_percent", "down", F(1, 3))
    assert parse_claim("a third of reports").kind == "proportion"


@pytest.mark.parametrize(
    ("text", "kind", "direction", "interval"),
    [
        ("a rise of 15 per cent", "change_percent", "up", "[14.5, 15.5]"),
        ("a drop of 5 percentage points", "change_points", "down", "[4.5, 5.5]"),
        ("a fall of 200", "change_count", "down", "[200, 200]"),
        ("three times as many", "multiple", "up", "[2.95, 3.05]"),
        ("1.5 times as many", "multiple", "up", "[1.45, 1.55]"),
        ("more than 3 times", "multiple", "up", "(3, inf]"),
        ("twice as many", "multiple", "up", "[1.95, 2.05]"),
        ("a 4-fold rise", "multiple", "up", "[3.95, 4.05]"),
    ],
)
def test_more_ways_to_say_a_change(text: str, kind: str, direction: str, interval: str) -> None:
    figure = parse_claim(text)
    assert figure.interval is not None
    assert (figure.kind, figure.direction, figure.interval.bracketed()) == (
        kind,
        direction,
        interval,
    )


@pytest.mark.parametrize(
    ("text", "interval"),
    [
        ("the vast majority", "(50, inf]"),
        ("a small minority", "[-inf, 50)"),
        ("most of them", "(50, inf]"),
    ],
)
def test_majorities(text: str, interval: str) -> None:
    assert claimed(text) == interval


@pytest.mark.parametrize(
    ("text", "interval"),
    [
        ("between 10 and 20 per cent", "[9.5, 20.5]"),
        ("between 10% and 20%", "[9.5, 20.5]"),
        ("between 1.5 and 2 per cent", "[1.45, 2.5]"),
        ("between 100 and 200 cases", "[100, 200]"),
        ("a dozen cases", "[12, 12]"),
        ("two dozen cases", "[24, 24]"),
    ],
)
def test_ranges_and_dozens(text: str, interval: str) -> None:
    assert claimed(text) == interval


def test_a_year_range_is_not_a_figure_range() -> None:
    assert [f.text for f in find_figures("between 2020 and 2022, 4,214")] == ["4,214"]


@pytest.mark.parametrize(
    "text",
    ["victims were under 18, and", "aged 16 and over", "18-year-olds", "over-65s", "under 18s"],
)
def test_ages_are_not_counts(text: str) -> None:
    assert find_figures(text) == []


def test_bounded_counts_are_still_counts() -> None:
    assert [f.text for f in find_figures("fewer than 18 cases, under 100 cases")] == ["18", "100"]


def test_doubled_after_more_than_is_not_a_comparison() -> None:
    assert comparison_in("arrests have more than doubled since 2019") is None
