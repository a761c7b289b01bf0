"""Spreadsheet number formats applied as Excel shows them: ``#,##0,`` shows 226843 as ``227``.

A reader quotes what a sheet displays, not what it stores, so a cell's value is read from
its displayed text (the corpus truth convention, and what a claim in an article cites);
the stored value is kept beside it by the readers. This module turns a stored number or
date and its format code into that text:

- numbers: sections (``pos;neg;zero``) and conditions (``[<5]"<5";0``), digit placeholders
  ``0 # ?``, decimals, the thousands separator, thousands scaling (a ``,`` after the last
  digit placeholder divides by 1,000), ``%``, scientific ``0.00E+00``, literals (quoted,
  escaped, currency symbols), padding ``_x`` and fill ``*x`` (dropped);
- dates and times: ``d dd ddd dddd m mm mmm mmmm mmmmm yy yyyy h hh m mm s ss AM/PM``,
  elapsed ``[h]``, fractions of a second, in English names.

No maintained library on PyPI does this (``ssf``, a port of SheetJS's formatter, had its
last release in 2020; openpyxl only tells date formats apart). Fractions (``# ?/?``) fall
back to General. Locale-dependent built-in formats are read as a UK copy of Excel shows
them (:data:`LOCALE_FORMATS`).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

_TOKEN = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|[_*].|.', re.S)
_CONDITION = re.compile(r"^\[(<=|>=|<>|<|>|=)\s*(-?\d+(?:\.\d+)?)\]")
_COMPARE = {
    "<": float.__lt__,
    ">": float.__gt__,
    "=": float.__eq__,
    "<=": float.__le__,
    ">=": float.__ge__,
    "<>": float.__ne__,
}
_DIGITS = frozenset("0#?")
_CURRENCY = (("£", "gbp"), ("€", "eur"), ("GBP", "gbp"), ("EUR", "eur"), ("$", "usd"))

# Built-in formats whose look follows the reader's locale: as a UK copy of Excel shows them.
LOCALE_FORMATS = {
    14: "dd/mm/yyyy",
    15: "dd-mmm-yy",
    16: "dd-mmm",
    17: "mmm-yy",
    22: "dd/mm/yyyy hh:mm",
}

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass(frozen=True)
class Shown:
    """A number as a format shows it: the text, the number read back from it, its unit."""

    text: str
    value: int | float | None  # None when the text holds no digits (a "-" for zero)
    unit: str | None = None


def tokens(fmt: str) -> list[str]:
    return _TOKEN.findall(fmt)


def sections(fmt: str) -> list[str]:
    """A format's ``;``-separated sections (a ``;`` inside quotes does not split)."""
    found, current = [], ""
    for token in tokens(fmt):
        if token == ";":
            found.append(current)
            current = ""
        else:
            current += token
    return [*found, current]


def pick_section(fmt: str, value: float) -> tuple[str, bool]:
    """The section that shows ``value``, and whether that section prints the sign itself."""
    parts = sections(fmt)
    conditions = [_CONDITION.match(part) for part in parts]
    if any(conditions):  # [<5]"<5";0 : the first section whose condition holds
        for part, condition in zip(parts, conditions, strict=True):
            if condition and _COMPARE[condition[1]](float(value), float(condition[2])):
                return part, False
        others = [part for part, cond in zip(parts, conditions, strict=True) if not cond]
        return (others[0] if others else parts[-1]), False
    if value < 0 and len(parts) > 1 and parts[1]:
        return parts[1], True
    if value == 0 and len(parts) > 2:
        return parts[2], False
    return parts[0], False


def currency_unit(section: str) -> str | None:
    for symbol, unit in _CURRENCY:
        if symbol in section:
            return unit
    return None


def is_date_format(fmt: str | None) -> bool:
    """Does the format show a date or time (``d``, ``m``, ``y``, ``h``, ``s`` outside quotes)?"""
    if not fmt or fmt == "General":
        return False
    for token in tokens(sections(fmt)[0]):
        if token[0] in '"\\_*':
            continue
        if token[0] == "[":
            if re.fullmatch(r"\[(h+|m+|s+)\]", token, re.I):
                return True
            continue
        if token.lower() in ("d", "m", "y", "h", "s", "e"):
            return True
    return False


def _half_up(value: Decimal, decimals: int) -> Decimal:
    """Round as Excel shows numbers: halves away from zero (8.25 → 8.3)."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _general(value: float) -> str:
    """General, without binary noise (0.1 + 0.2 shows 0.3): 15 significant figures, as
    Excel keeps. How many of them a cell shows depends on its column's width, which a
    reader cannot see, so none are dropped."""
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.15g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa}E{exponent[0]}{exponent[1:].lstrip('0').zfill(2)}"
    return text


def general(value: float) -> Shown:
    text = _general(value)
    if isinstance(value, int) or "." not in text or "E" in text:
        return Shown(text, int(text) if text.lstrip("-").isdigit() else float(text))
    return Shown(text, float(text))


def _number(value: Decimal) -> int | float:
    if value == value.to_integral_value() and abs(value) < Decimal(10) ** 15:
        return int(value)
    return float(value)


@dataclass
class _Pattern:
    """A number section, read once: where the digits go and what surrounds them."""

    prefix: str
    suffix: str
    int_digits: str  # the integer part's placeholders, e.g. "#0" (commas removed)
    frac_digits: str  # the fraction's placeholders, e.g. "0#"
    grouping: bool
    scale: int  # powers of 1,000 to divide by (trailing commas)
    percent: int  # how many % signs: each multiplies by 100
    exponent: str | None  # "E+" / "E-" for scientific
    exp_digits: int
    has_digits: bool


@functools.lru_cache(maxsize=4096)
def _pattern(section: str) -> _Pattern | None:
    """Read a number section; None for a section this formatter leaves to General."""
    prefix: list[str] = []
    suffix: list[str] = []
    int_digits = frac_digits = ""
    grouping, scale, percent = False, 0, 0
    exponent: str | None = None
    exp_digits = 0
    state = "before"  # before → int → frac → exp → after
    pending_commas = 0
    items = tokens(section)
    i = 0
    while i < len(items):
        token = items[i]
        i += 1
        lower = token.lower()
        if token[0] in "_*" or (token[0] == "[" and not token.startswith("[$")):
            continue  # padding, fill, colour and conditions
        if token.startswith("[$"):
            symbol = token[2:-1].split("-", 1)[0]
            (prefix if state == "before" else suffix).append(symbol)
            continue
        if lower == "general":
            return None
        if token[0] == '"' or token[0] == "\\":
            text = token[1:-1] if token[0] == '"' else token[1:]
            (prefix if state == "before" else suffix).append(text)
            continue
        if token in _DIGITS:
            if state in ("before", "int"):
                if pending_commas:
                    grouping = True
                    pending_commas = 0
                state = "int"
                int_digits += token
            elif state == "frac":
                frac_digits += token
            elif state == "exp":
                exp_digits += 1
            else:
                suffix.append(token)
            continue
        if token == "/":
            return None  # a fraction: leave to General
        if token == "." and state in ("before", "int"):
            if pending_commas:
                scale += pending_commas
                pending_commas = 0
            state = "frac"
            continue
        if token == "," and state == "int":
            pending_commas += 1
            continue
        if token == "," and state == "frac":
            scale += 1  # "0.0,," shows millions
            continue
        if lower == "e" and i < len(items) and items[i] in "+-" and state in ("int", "frac"):
            exponent = "E" + items[i]
            i += 1
            state = "exp"
            continue
        if token == "%":
            percent += 1
        if token == "@":
            continue
        if state in ("int", "frac", "exp"):
            state = "after"
        (prefix if state == "before" else suffix).append(token)
    scale += pending_commas
    return _Pattern(
        "".join(prefix),
        "".join(suffix),
        int_digits,
        frac_digits,
        grouping,
        scale,
        percent,
        exponent,
        exp_digits,
        bool(int_digits or frac_digits),
    )


def _digits_text(number: Decimal, pattern: _Pattern) -> str:
    """|number| (already scaled and rounded) laid out in the pattern's placeholders."""
    decimals = len(pattern.frac_digits)
    text = f"{abs(number):.{decimals}f}"
    whole, _, frac = text.partition(".")
    if whole == "0" and "0" not in pattern.int_digits:
        whole = ""  # "#.0" shows 0.5 as ".5"
    need = pattern.int_digits.count("0") + pattern.int_digits.count("?")
    if len(whole) < need:
        pad = pattern.int_digits[-need:][: need - len(whole)]
        whole = "".join(" " if p == "?" else "0" for p in pad) + whole
    if pattern.grouping:
        whole = _group(whole)
    if frac:
        keep = len(frac)
        while keep and pattern.frac_digits[keep - 1] == "#" and frac[keep - 1] == "0":
            keep -= 1
        frac = "".join(
            " " if pattern.frac_digits[k] == "?" and c == "0" and k >= keep else c
            for k, c in enumerate(frac[:keep])
        ) + "".join(" " for k in range(keep, len(frac)) if pattern.frac_digits[k] == "?")
    return f"{whole}.{frac}" if decimals else whole


def _group(whole: str) -> str:
    digits = whole.lstrip(" ")
    pad = whole[: len(whole) - len(digits)]
    if not digits.isdigit():
        return whole
    return pad + f"{int(digits):,}"


def _scientific(value: float, pattern: _Pattern) -> Shown:
    decimals = len(pattern.frac_digits)
    mantissa, _, exp = f"{abs(value):.{decimals}E}".partition("E")
    sign = "-" if exp.startswith("-") else ("+" if pattern.exponent == "E+" else "")
    exp_text = exp.lstrip("+-").lstrip("0").zfill(max(pattern.exp_digits, 1))
    text = f"{mantissa}E{sign}{exp_text}"
    return Shown(text, float(("-" if value < 0 else "") + text))


@functools.lru_cache(maxsize=65536, typed=True)
def format_number(value: int | float, fmt: str | None) -> Shown:
    """The text a number shows with format code ``fmt``, and the number read from it."""
    if not fmt or fmt == "General":
        return general(value)
    section, signed_by_section = pick_section(fmt, value)
    pattern = _pattern(section)
    if pattern is None:
        shown = general(abs(value) if signed_by_section else value)
        return Shown(shown.text, shown.value if not signed_by_section else -(shown.value or 0))
    unit = "percent" if pattern.percent else currency_unit(pattern.prefix + pattern.suffix)
    if not pattern.has_digits:  # a section that shows only text: "-" for zero, "*" for <5
        text = (pattern.prefix + pattern.suffix).strip()
        return Shown(text, None, None)
    if pattern.exponent:
        shown = _scientific(value, pattern)
        return Shown(pattern.prefix + shown.text + pattern.suffix, shown.value, unit)
    number = Decimal(repr(float(value))) if isinstance(value, float) else Decimal(value)
    number = number.scaleb(2 * pattern.percent - 3 * pattern.scale)
    rounded = _half_up(number, len(pattern.frac_digits))
    body = _digits_text(rounded, pattern)
    negative = value < 0 and not signed_by_section  # Excel shows -0.04 as "-0.0"
    text = ("-" if negative else "") + pattern.prefix + body + pattern.suffix
    if signed_by_section:
        rounded = -abs(rounded)
    text = text.strip()
    if not any(c.isdigit() for c in text):
        return Shown(text, None, None)
    return Shown(text, _number(rounded) if rounded != 0 else 0, unit)


# ---------------------------------------------------------------------------
# dates and times
# ---------------------------------------------------------------------------

_DATE_TOKEN = re.compile(
    r'"[^"]*"|\\.|\[[^\]]*\]|[_*].|am/pm|a/p|y+|m+|d+|h+|s+|e+|\.0+|.', re.S | re.I
)


def _hours12(hour: int) -> int:
    return hour % 12 or 12


def format_date(value: dt.datetime | dt.date | dt.time | dt.timedelta, fmt: str | None) -> str:
    """The text a date or time shows with format code ``fmt`` (ISO when there is none)."""
    if isinstance(value, dt.timedelta):
        return _format_elapsed(value, fmt)
    if not fmt or not is_date_format(fmt):
        return _iso(value)
    if isinstance(value, dt.time):
        value = dt.datetime.combine(dt.date(1899, 12, 31), value)
    elif not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    section = sections(fmt)[0]
    items = _DATE_TOKEN.findall(section)
    twelve_hour = any(t.lower() in ("am/pm", "a/p") for t in items)
    out: list[str] = []
    kinds = [_date_kind(t) for t in items]
    for k, token in enumerate(items):
        kind = kinds[k]
        if kind == "m" and _is_minute(kinds, k):
            kind = "minute"
        out.append(_date_part(token, kind, value, twelve_hour))
    return "".join(out).strip()


def _date_kind(token: str) -> str:
    first = token[0].lower()
    if token[0] in '"\\_*[':
        return "literal"
    if token.lower() in ("am/pm", "a/p"):
        return "ampm"
    if first in "ymdhse" and token.lower() == first * len(token):
        return first
    if token.startswith(".0"):
        return "fraction"
    return "literal"


def _is_minute(kinds: list[str], k: int) -> bool:
    """``m`` is minutes right after an hour or right before seconds, else months."""
    before = next((kind for kind in reversed(kinds[:k]) if kind != "literal"), None)
    after = next((kind for kind in kinds[k + 1 :] if kind != "literal"), None)
    return before == "h" or after == "s"


def _date_part(token: str, kind: str, value: dt.datetime, twelve_hour: bool) -> str:
    n = len(token)
    if kind == "literal":
        if token[0] == '"':
            return token[1:-1]
        if token[0] == "\\":
            return token[1:]
        if token[0] in "_*[":
            return " " if token[0] == "_" else ""
        return token
    if kind in ("y", "e"):
        return str(value.year) if n > 2 or kind == "e" else f"{value.year % 100:02d}"
    if kind == "m":
        if n == 1:
            return str(value.month)
        if n == 2:
            return f"{value.month:02d}"
        name = MONTHS[value.month - 1]
        return name[:3] if n == 3 else name[0] if n == 5 else name
    if kind == "d":
        if n == 1:
            return str(value.day)
        if n == 2:
            return f"{value.day:02d}"
        name = DAYS[value.weekday()]
        return name[:3] if n == 3 else name
    if kind == "h":
        hour = _hours12(value.hour) if twelve_hour else value.hour
        return f"{hour:02d}" if n >= 2 else str(hour)
    if kind == "minute":
        return f"{value.minute:02d}" if n >= 2 else str(value.minute)
    if kind == "s":
        return f"{value.second:02d}" if n >= 2 else str(value.second)
    if kind == "fraction":
        digits = len(token) - 1
        return "." + f"{value.microsecond:06d}"[:digits]
    if kind == "ampm":
        upper = value.hour >= 12
        if token.lower() == "a/p":
            return ("p" if upper else "a") if token[0].islower() else ("P" if upper else "A")
        return "PM" if upper else "AM"
    return token


def _format_elapsed(value: dt.timedelta, fmt: str | None) -> str:
    """``[h]:mm:ss`` durations; other formats of a duration show it as h:mm:ss."""
    total = int(value.total_seconds())
    sign = "-" if total < 0 else ""
    hours, rest = divmod(abs(total), 3600)
    minutes, seconds = divmod(rest, 60)
    if fmt and re.search(r"\[mm?\]", fmt, re.I) and not re.search(r"\[h+\]", fmt, re.I):
        return f"{sign}{hours * 60 + minutes}:{seconds:02d}"
    if fmt and not re.search(r"s", fmt.split(";")[0], re.I):
        return f"{sign}{hours}:{minutes:02d}"
    return f"{sign}{hours}:{minutes:02d}:{seconds:02d}"


def _iso(value: dt.datetime | dt.date | dt.time) -> str:
    if isinstance(value, dt.datetime) and value.time() == dt.time(0, 0):
        return value.date().isoformat()
    return value.isoformat()
