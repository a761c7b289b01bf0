"""Periods: one reading of financial, academic and calendar years, quarters and months."""

from __future__ import annotations

import pytest

from extractor.claims.methodology import period_area_warnings, stage_warning
from extractor.periods import find_periods, parse_period, period_key, same_period, sort_key


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("2019/20", "2019-20"),
        ("2019/20", "2019/2020"),
        ("FY2019/20", "2019-20"),
        ("FY 2019-20", "2019/20"),
        ("FY19/20", "2019/20"),
        ("financial year 2019/20", "2019/20"),
        ("2019 to 2020", "2019/20"),
        ("the year to March 2023", "2022/23"),
        ("Year ending 31 March 2023", "2022-23"),
        ("12 months to March 2023", "FY2022/23"),
        ("April 2019 to March 2020", "2019/20"),
        ("Q3 2022/23", "Oct-Dec 2022"),
        ("Q3 2022/23", "Q4 2022"),
        ("Q1 2022", "2022 Q1"),
        ("March 2023", "Mar-23"),
        ("2022", "calendar year 2022"),
        ("2022/23 (provisional)", "2022-23"),
        ("2021 [r]", "2021"),
        ("1999/00", "1999-2000"),
    ],
)
def test_same_period(first: str, second: str) -> None:
    assert same_period(first, second)
    assert same_period(second, first)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("2019", "2019/20"),
        ("2019/20", "2020/21"),
        ("academic year 2019/20", "2019/20"),
        ("Q3 2022", "Q3 2022/23"),
        ("the year to December 2022", "2022/23"),
        ("Rape 2022", "2022"),
        ("2019-2021", "2019/20"),
        ("March 2023", "2023"),
    ],
)
def test_different_periods(first: str, second: str) -> None:
    assert not same_period(first, second)


def test_periods_in_a_sentence() -> None:
    text = "Crimes fell from 635 in 2019/20 to 278 in 2023/24, and by March 2024 were 300."
    found = [(p.kind, p.key, p.text) for p in find_periods(text)]
    assert found == [
        ("financial", "2019/20", "2019/20"),
        ("financial", "2023/24", "2023/24"),
        ("month", "2024-03", "March 2024"),
    ]


@pytest.mark.parametrize(
    "text",
    ["2,020 people", "£2020", "section 40(2)", "19/20 pupils", "may 20 people", "2019.5"],
)
def test_not_periods(text: str) -> None:
    assert find_periods(text) == []


def test_dates_are_days() -> None:
    text = "on 12 March 2023, March 12, 2023, 12/03/2023 and 2023-03-12"
    assert [p.key for p in find_periods(text)] == ["2023-03-12"] * 4
    assert {p.kind for p in find_periods(text)} == {"day"}


def test_keys_and_order() -> None:
    assert period_key("2019-20") == "2019/20"
    assert period_key("FY 2019/2020") == "2019/20"
    assert period_key("the year to March 2023") == "2022/23"
    assert period_key("Rape") == "Rape"
    keys = ["latest", "2021/22", "2019-20", "2020/21"]
    assert sorted(keys, key=sort_key) == ["2019-20", "2020/21", "2021/22", "latest"]
    assert parse_period("Total 2022") is not None
    assert parse_period("2022 and 2023") is None


def test_methodology_uses_periods() -> None:
    # the same financial year written two ways is the same period: the stage warning applies
    assert stage_warning("convictions", "reports", "2021/22", "2021-22") is not None
    # a year to March is a financial year: calendar vs financial
    warned = period_area_warnings("2022", "the year to March 2022", None, None)
    assert [w.code for w in warned] == ["calendar-vs-financial"]
