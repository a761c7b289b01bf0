"""Periods as UK statistics and news write them, read one way everywhere.

Claims ("fell from 635 in 2019/20"), claims-file series keys and table period labels
(a column headed ``2019-20``) all go through :func:`parse_period` / :func:`find_periods`,
so that :func:`same_period` can say a claim's "2019-20" is a table's ``2019/20``.

Forms read (case-insensitive):

- calendar years ``2022`` (and ``calendar year 2022``);
- split years ``2019/20``, ``2019-20``, ``2019/2020``, ``2019 to 2020`` (the second year is
  the first plus one), ``FY2019/20``, ``FY 2019-20``, ``FY19/20``, ``financial year 2019/20``,
  ``academic year 2019/20``: a financial year runs April to March, an academic year
  September to August; a bare ``2019/20`` is a financial year unless "academic" is said;
- quarters ``Q3 2022`` (calendar: July to September) and ``Q3 2022/23`` (financial:
  October to December 2022), ``2022 Q3``;
- months ``March 2023``, ``Mar 2023``, ``Mar-23`` (a table label);
- twelve-month windows ``the year to March 2023``, ``year ending March 2023``,
  ``year ending 31 March 2023``, ``12 months to March 2023``;
- dates ``12 March 2023``, ``March 12, 2023``, ``12/03/2023``, ``2023-03-12`` (a day).

Every period is a span of whole months; two periods are the same period when they cover
the same months (``the year to March 2023`` is ``2022/23``). This module sits on the
floor: it imports nothing from the package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
_MONTH_ABBREVIATIONS = {name[:3]: number for name, number in MONTHS.items()} | {"sept": 9}
FINANCIAL_START = 4  # UK financial years begin in April
ACADEMIC_START = 9  # academic years begin in September

_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
_YEAR4 = r"(?:19|20)\d\d"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_SPLIT = rf"(?P<y1>{_YEAR4}|\d\d)\s*(?:/|-|\u2013)\s*(?P<y2>{_YEAR4}|\d\d)(?!\d)"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        (
            "year_to",
            rf"\b(?:the\s+)?(?:year|12\s+months|twelve\s+months)\s+(?:to|ending|ended)\s+"
            rf"(?:(?:the\s+)?{_DAY}\s+(?:of\s+)?)?(?P<month>{_MONTH})\s+(?P<year>{_YEAR4})\b",
        ),
        (
            "date_dmy",
            rf"\b(?P<day>{_DAY})\s+(?:of\s+)?(?P<month>{_MONTH}),?\s+(?P<year>{_YEAR4})\b",
        ),
        ("date_mdy", rf"\b(?P<month>{_MONTH})\s+(?P<day>{_DAY}),?\s+(?P<year>{_YEAR4})\b"),
        ("date_iso", rf"\b(?P<year>{_YEAR4})-(?P<month>0[1-9]|1[0-2])-(?P<day>[0-3]\d)\b"),
        (
            "date_slash",
            rf"\b(?P<day>[0-3]?\d)[/.](?P<month>0?[1-9]|1[0-2])[/.](?P<year>{_YEAR4}|\d\d)\b",
        ),
        (
            "quarter",
            rf"\b(?:q(?P<q1>[1-4])|(?P<qw>first|second|third|fourth)\s+quarter\s+(?:of\s+)?)"
            rf"\s*(?:(?P<fy>fy\s*|financial\s+year\s+|academic\s+year\s+)?{_SPLIT}|(?P<cy>{_YEAR4}))\b",
        ),
        ("quarter_after", rf"\b(?P<cy>{_YEAR4})\s*q(?P<q1>[1-4])\b"),
        (
            "split",
            rf"(?<![\w/.-])(?P<basis>fy\s*|financial\s+year\s+|academic\s+year\s+|"
            rf"school\s+year\s+|tax\s+year\s+)?{_SPLIT}(?![\w/-]|\.\d)",
        ),
        ("fy_short", r"\bfy\s*(?P<y2>\d\d)\b"),
        (
            "month_range",
            rf"\b(?P<m1>{_MONTH})(?:\s+(?P<y1>{_YEAR4}))?\s*(?:-|\u2013|to)\s*"
            rf"(?P<m2>{_MONTH})\s+(?P<y2>{_YEAR4})\b",
        ),
        ("month", rf"\b(?P<month>{_MONTH})(?:\s+(?P<year>{_YEAR4})|(?:-|\s*')(?P<yy>\d\d))\b"),
        ("calendar", rf"(?<![\w/.,£$])(?:calendar\s+year\s+)?(?P<year>{_YEAR4})(?![\w/]|[.,]\d)"),
    )
)
# "2019 to 2020" is a split year in a table label, but a range of years in prose
_LABEL_YEAR_TO_YEAR = re.compile(
    rf"^(?:(?:fy|financial year|academic year)\s*)?({_YEAR4})\s+to\s+({_YEAR4})$", re.I
)
# footnote markers and status notes around a table label: "2022/23 (provisional)", "2021 [r]"
_LABEL_NOTES = re.compile(
    r"\[[^\]]{0,20}\]|\((?:provisional|revised|p|r|note\s*\d+)\)|\s(?:provisional|revised)$"
    r"|(?<=\d)[\u00b9\u00b2\u00b3\u2070-\u2079]+",
    re.I,
)
_QUARTER_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4}


@dataclass(frozen=True)
class Period:
    """A span of whole months, ``first`` to ``last`` inclusive, as ``year * 12 + month - 1``.

    ``kind`` is ``calendar``, ``financial``, ``academic``, ``quarter``, ``month``,
    ``year_to`` or ``day``; ``key`` is the canonical label (``2019/20``, ``Q3 2022/23``,
    ``2023-03``); ``start``/``end`` locate the text it was read from.
    """

    kind: str
    first: int
    last: int
    key: str
    text: str = ""
    start: int = 0
    end: int = 0

    @property
    def months(self) -> int:
        return self.last - self.first + 1

    @property
    def first_year(self) -> int:
        return self.first // 12

    @property
    def is_split_year(self) -> bool:
        """A twelve-month period that does not start in January (2019/20)."""
        return self.months == 12 and self.first % 12 != 0

    def same_as(self, other: Period) -> bool:
        return self.first == other.first and self.last == other.last


def _month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def _month_number(word: str) -> int | None:
    word = word.lower().rstrip(".")
    if word.isdigit():
        return int(word)
    return (
        MONTHS.get(word) or _MONTH_ABBREVIATIONS.get(word[:4]) or _MONTH_ABBREVIATIONS.get(word[:3])
    )


def _year(text: str, century_from: int | None = None) -> int:
    value = int(text)
    if len(text) == 4:
        return value
    if century_from is not None:
        return century_from // 100 * 100 + value
    return 2000 + value if value < 70 else 1900 + value


def _split_year(first_text: str, second_text: str) -> tuple[int, int] | None:
    """(first year, second year) of ``2019/20``, or None when it is not a split year."""
    if len(first_text) == 2 and len(second_text) == 4:
        return None
    first = _year(first_text)
    second = _year(second_text, century_from=first)
    if len(second_text) == 2 and second < first:
        second += 100  # 1999/00
    if second != first + 1:
        return None
    return first, second


def _split_period(kind: str, first_year: int, text: str, start: int, end: int) -> Period:
    month = ACADEMIC_START if kind == "academic" else FINANCIAL_START
    first = _month_index(first_year, month)
    key = f"{first_year}/{(first_year + 1) % 100:02d}"
    if kind == "academic":
        key = f"academic {key}"
    return Period(kind, first, first + 11, key, text, start, end)


def _basis(words: str | None) -> str:
    return "academic" if words and words.lower().startswith(("academic", "school")) else "financial"


def _from_match(name: str, match: re.Match[str], text: str) -> Period | None:
    start, end = match.start(), match.end()
    found = text[start:end]
    groups = match.groupdict()
    if name == "year_to":
        month = _month_number(groups["month"])
        if month is None:
            return None
        last = _month_index(int(groups["year"]), month)
        return Period("year_to", last - 11, last, _twelve_months_key(last), found, start, end)
    if name.startswith("date"):
        month = _month_number(groups["month"])
        day = int(re.sub(r"\D", "", groups["day"]))
        if month is None or not 1 <= month <= 12 or not 1 <= day <= 31:
            return None
        year = _year(groups["year"])
        index = _month_index(year, month)
        return Period("day", index, index, f"{year}-{month:02d}-{day:02d}", found, start, end)
    if name in ("quarter", "quarter_after"):
        quarter = int(groups["q1"]) if groups.get("q1") else _QUARTER_WORDS[groups["qw"].lower()]
        if groups.get("cy"):
            year = int(groups["cy"])
            first = _month_index(year, 3 * quarter - 2)
            return Period("quarter", first, first + 2, f"Q{quarter} {year}", found, start, end)
        years = _split_year(groups["y1"], groups["y2"])
        if years is None:
            return None
        basis = _basis(groups.get("fy"))
        year_start = _split_period(basis, years[0], "", 0, 0)
        first = year_start.first + 3 * (quarter - 1)
        return Period(
            "quarter", first, first + 2, f"Q{quarter} {year_start.key}", found, start, end
        )
    if name == "split":
        if len(groups["y1"]) == 2 and not groups.get("basis"):
            return None  # "19/20" alone is a score or a fraction, not a year
        years = _split_year(groups["y1"], groups["y2"])
        if years is None:
            return None
        return _split_period(_basis(groups.get("basis")), years[0], found, start, end)
    if name == "fy_short":
        second = _year(groups["y2"])
        return _split_period("financial", second - 1, found, start, end)
    if name == "month_range":
        first_month, last_month = _month_number(groups["m1"]), _month_number(groups["m2"])
        if first_month is None or last_month is None:
            return None
        last = _month_index(int(groups["y2"]), last_month)
        first_year = int(groups["y1"]) if groups["y1"] else int(groups["y2"])
        first = _month_index(first_year, first_month)
        if not groups["y1"] and first > last:
            first -= 12
        if first > last:
            return None
        key = f"{_month_key(first)} to {_month_key(last)}"
        return Period("months", first, last, key, found, start, end)
    if name == "month":
        month = _month_number(groups["month"])
        if month is None:
            return None
        year = _year(groups["year"] or groups["yy"])
        index = _month_index(year, month)
        return Period("month", index, index, f"{year}-{month:02d}", found, start, end)
    year = int(groups["year"])
    first = _month_index(year, 1)
    return Period("calendar", first, first + 11, str(year), found, start, end)


def _month_key(index: int) -> str:
    year, month = divmod(index, 12)
    return f"{year}-{month + 1:02d}"


def _twelve_months_key(last: int) -> str:
    """The year to March 2023 is the financial year 2022/23; other windows keep their end."""
    year, month = divmod(last, 12)
    if month + 1 == FINANCIAL_START - 1:
        return f"{year - 1}/{year % 100:02d}"
    if month == 11:
        return str(year)
    name = next(n for n, v in MONTHS.items() if v == month + 1)
    return f"year to {name.title()} {year}"


def find_periods(text: str) -> list[Period]:
    """Every period written in ``text``, longest reading first where they overlap, in
    order of position."""
    found: list[Period] = []
    for name, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(p.start < match.end() and match.start() < p.end for p in found):
                continue
            period = _from_match(name, match, text)
            if period is not None:
                found.append(period)
    return sorted(found, key=lambda p: p.start)


def parse_period(label: str) -> Period | None:
    """The period a whole label names (a table header, a series key), or None.

    ``"2019/20"``, ``"FY 2019-20"``, ``"Year ending March 2023"``, ``"2022"`` are periods;
    a label with other words around the period (``"Rape 2022"``) is not.
    """
    text = _LABEL_NOTES.sub(" ", " ".join(label.split())).strip(" .,:;()[]*")
    text = _LABEL_YEAR_TO_YEAR.sub(r"\1/\2", text)
    periods = find_periods(text)
    if len(periods) != 1:
        return None
    period = periods[0]
    rest = (text[: period.start] + text[period.end :]).strip(" .,:;()[]-")
    if rest.lower() not in ("", "in", "the", "for", "during", "fy", "total"):
        return None
    return period


def period_key(label: str) -> str:
    """The canonical key of a period label (``2019-20`` -> ``2019/20``), else the label."""
    period = parse_period(label)
    return period.key if period else label.strip()


def same_period(first: str | Period, second: str | Period) -> bool:
    """Whether two labels (or periods) name the same months: ``2019-20`` and ``2019/20``,
    ``FY2019/20`` and ``2019/2020``, ``the year to March 2023`` and ``2022/23``; a calendar
    year is not a financial year. Labels that are not periods are never the same period."""
    a = first if isinstance(first, Period) else parse_period(first)
    b = second if isinstance(second, Period) else parse_period(second)
    return a is not None and b is not None and a.same_as(b)


def is_financial(label: str) -> bool:
    """A twelve-month period that is not a calendar year (for the calendar-vs-financial
    warning)."""
    period = parse_period(label)
    return period is not None and period.is_split_year


def sort_key(label: str) -> tuple[int, int, str]:
    """Order series keys by time (a label that is not a period goes last)."""
    period = parse_period(label)
    if period is None:
        return (1, 0, label)
    return (0, period.last, label)
