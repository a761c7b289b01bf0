"""Numbers and markers as printed in UK public-sector tables (extractor.values)."""

from __future__ import annotations

import pytest

from extractor.values import (
    is_blank,
    marker_flag,
    parse_cell_text,
    parse_number,
    strip_footnotes,
)


@pytest.mark.parametrize(
    ("printed", "value", "unit"),
    [
        ("1,527", 1527, None),
        ("1 527", 1527, None),
        ("1\u00a0527", 1527, None),
        ("3,318.4", 3318.4, None),
        ("+756", 756, None),
        ("(662,318)", -662318, None),
        ("-42", -42, None),
        ("12.5%", 12.5, "percent"),
        ("12.5 %", 12.5, "percent"),
        ("£1,234", 1234, "gbp"),
        ("-£335,699", -335699, "gbp"),
        ("£2.5m", 2_500_000, "gbp"),
        ("0", 0, None),
        (".5", 0.5, None),
    ],
)
def test_printed_numbers(printed: str, value: float, unit: str | None) -> None:
    parsed = parse_cell_text(printed)
    assert parsed.value == value
    assert type(parsed.value) is type(value)
    assert parsed.unit == unit
    assert parsed.flag is None


@pytest.mark.parametrize(
    ("printed", "flag"),
    [
        ("*", "suppressed"),
        ("<5", "suppressed"),
        ("< 10", "suppressed"),
        ("[c]", "suppressed"),
        ("[x]", "not_available"),
        ("..", "not_available"),
        ("[z]", "not_applicable"),
        ("n/a", "not_applicable"),
        ("N/A", "not_applicable"),
        ("-", "not_applicable"),
        ("–", "not_applicable"),
        ("[redacted]", "redacted"),
        ("Redacted", "redacted"),
        ("█████", "redacted"),
    ],
)
def test_markers_give_null_and_a_flag(printed: str, flag: str) -> None:
    parsed = parse_cell_text(printed)
    assert parsed.value is None
    assert parsed.flag == flag
    assert marker_flag(printed) == flag


@pytest.mark.parametrize("text", ["Rape", "2019/20", "5m", "Ward 12 North", "1,2,3"])
def test_labels_are_not_numbers(text: str) -> None:
    assert parse_number(text) is None
    assert marker_flag(text) is None


@pytest.mark.parametrize(
    ("label", "clean"),
    [
        ("Rape¹", "Rape"),
        ("Rape [note 1]", "Rape"),
        ("Burglary (a)", "Burglary"),
        ("Total†", "Total"),
        ("Extra Variable Rate*", "Extra Variable Rate"),
        ("Arson**", "Arson"),
        ("Robbery of personal property", "Robbery of personal property"),
        ("Highland^", "Highland"),  # Scottish Government DPE tables
        ("Pay & Display/other income^", "Pay & Display/other income"),
        ("England (Note 1)", "England"),  # ONS, Forestry Commission
        (
            "Total from 1 April 2010 to 30 Sep 2018 (Notes 1,3)",
            "Total from 1 April 2010 to 30 Sep 2018",
        ),
        ("Wales [Notes 2 and 4]", "Wales"),
        ("(Note 2)", ""),  # a header cell that only points at a note labels nothing
        ("2012-13 (Revised)", "2012-13 (Revised)"),  # words in brackets stay
        ("(Surplus) Deficit", "(Surplus) Deficit"),
        ("Notes (2019)", "Notes (2019)"),
    ],
)
def test_footnote_markers_are_stripped_from_labels(label: str, clean: str) -> None:
    assert strip_footnotes(label) == clean


def test_a_footnoted_number_keeps_its_value() -> None:
    assert parse_cell_text("1,234¹").value == 1234
    assert parse_cell_text("56 [note 2]").value == 56
    assert parse_cell_text("12.5%*").value == 12.5
    assert parse_cell_text("3,948^").value == 3948
    assert parse_cell_text("*").flag == "suppressed"


@pytest.mark.parametrize("text", ["", "   ", "\u00a0", None])
def test_blank(text: str | None) -> None:
    assert is_blank(text)
    assert not is_blank("0")
