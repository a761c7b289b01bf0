"""Number formats shown as Excel shows them. Every expected text below was written by hand
from what Excel displays for that value and format code, not computed by the formatter."""

from __future__ import annotations

import datetime as dt

import pytest

from extractor.tables.numfmt import format_date, format_number, is_date_format

ACCOUNTING = '_-£* #,##0.00_-;\\-£* #,##0.00_-;_-£* "-"??_-;_-@_-'


@pytest.mark.parametrize(
    ("stored", "fmt", "text", "value", "unit"),
    [
        (1276.216, "#,##0.0", "1,276.2", 1276.2, None),  # DfT TSGB0202a!B8
        (162179.324, "#,##0", "162,179", 162179, None),
        (226843, "#,##0,", "227", 227, None),  # thousands scaling (ONS NEET)
        (270941.05442527257, "#,##0,", "271", 271, None),
        (1234567, "0.0,,", "1.2", 1.2, None),  # millions
        (18.39018, "0_)", "18", 18, None),  # padding for a bracket (ONS construction)
        (11.795142656909347, "0", "12", 12, None),
        (8.25, "0.0", "8.3", 8.3, None),  # halves round away from zero
        (-8.25, "0.0", "-8.3", -8.3, None),
        (0.1234, "0.0%", "12.3%", 12.3, "percent"),
        (-1234.5, "#,##0;(#,##0)", "(1,235)", -1235, None),
        (-1234.5, "#,##0", "-1,235", -1235, None),
        (1234.5, ACCOUNTING, "£1,234.50", 1234.5, "gbp"),
        (-1234.5, ACCOUNTING, "-£1,234.50", -1234.5, "gbp"),
        (12345678, "0.00E+00", "1.23E+07", 12300000.0, None),
        (0.5, "#.0", ".5", 0.5, None),
        (7, "000", "007", 7, None),
        (1.5, "0.0#", "1.5", 1.5, None),
        (1.25, "0.0#", "1.25", 1.25, None),
        (5, '0" kg"', "5 kg", 5, None),
        (0.30000000000000004, "General", "0.3", 0.3, None),
        (2011.0, "0_)", "2011", 2011, None),
        (-2, "[Red]-0;[Red]-0", "-2", -2, None),
    ],
)
def test_numbers_show_as_excel_shows_them(stored, fmt, text, value, unit) -> None:
    shown = format_number(stored, fmt)
    assert (shown.text, shown.value, shown.unit) == (text, value, unit)
    assert type(shown.value) is type(value)


@pytest.mark.parametrize(
    ("stored", "fmt", "text"),
    [
        (0, ACCOUNTING, "£-"),  # zero shown as a dash
        (3, '[<5]"<5";0', "<5"),  # a condition section that suppresses small counts
        (0, '0;-0;"-"', "-"),
    ],
)
def test_sections_that_show_no_digits_have_no_number(stored, fmt, text) -> None:
    shown = format_number(stored, fmt)
    assert (shown.text, shown.value) == (text, None)


@pytest.mark.parametrize(
    ("stored", "fmt", "text"),
    [
        (dt.datetime(2021, 1, 31), "mmm-yy", "Jan-21"),
        (dt.datetime(2021, 1, 31), "dd/mm/yyyy", "31/01/2021"),
        (dt.datetime(2021, 1, 31), "d-mmm", "31-Jan"),
        (dt.datetime(2021, 1, 31), "[$-809]dd mmmm yyyy", "31 January 2021"),
        (dt.datetime(2021, 1, 31), "dddd d mmmm", "Sunday 31 January"),
        (dt.datetime(2021, 3, 1), "mmmmm", "M"),
        (dt.datetime(2021, 1, 31, 14, 5, 9), "h:mm AM/PM", "2:05 PM"),
        (dt.datetime(2021, 1, 31, 14, 5, 9), "hh:mm:ss", "14:05:09"),
        (dt.datetime(2021, 1, 31, 14, 5, 9), "yyyy-mm-dd hh:mm", "2021-01-31 14:05"),
        (dt.time(9, 30), "h:mm", "9:30"),
        (dt.timedelta(hours=27, minutes=3), "[h]:mm", "27:03"),
        (dt.datetime(2021, 1, 31), None, "2021-01-31"),
    ],
)
def test_dates_show_as_excel_shows_them(stored, fmt, text) -> None:
    assert format_date(stored, fmt) == text


def test_date_formats_are_told_from_number_formats() -> None:
    assert is_date_format("mmm-yy") and is_date_format("[h]:mm") and is_date_format("dd/mm/yyyy")
    assert not is_date_format("#,##0") and not is_date_format('0" days"')
    assert not is_date_format("General") and not is_date_format(None)
