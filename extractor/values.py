"""Parse a cell as printed in UK public-sector tables into value, unit and flag.

Shared by every reader, so a PDF and a workbook read ``(662,318)`` the same way.

Markers follow the Government Statistical Service symbols where they apply:

========================================  ==================
printed                                   flag
========================================  ==================
``*``, ``<5`` (any ``<n``), ``[c]``       ``suppressed``
``[x]``, ``..``, ``:``                    ``not_available``
``[z]``, ``n/a``, ``N/A``, lone ``-``     ``not_applicable``
``[redacted]``, ``redacted``, ``█████``   ``redacted``
========================================  ==================

A blank cell is no record (:func:`is_blank`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from .records import Value

_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")
_FOOTNOTE_TAIL = re.compile(
    r"(?:\s*(?:\[(?:note\s*)?\w{1,8}\]|\((?:[a-z]|[ivx]{1,4}|\d{1,2})\)|[¹²³⁴⁵⁶⁷⁸⁹⁰†‡§]+"
    # "(Note 1)", "(Notes 1,3)", "[Notes 2 and 4]"
    r"|[(\[]\s*notes?\s*\d{1,3}[a-z]?(?:\s*(?:,|&|and|-)\s*\d{1,3}[a-z]?)*\s*[)\]])"
    r"|(?<=[\w)%])[*^]{1,3})+$",
    re.IGNORECASE,
)
_SUPPRESSED = re.compile(
    r"^(?:\*{1,3}|\[c\]|<\s*\d+(?:\.\d+)?|less than \d+|fewer than \d+)$", re.I
)
_NOT_AVAILABLE = re.compile(r"^(?:\[x\]|\.\.|:|not available|n/k|unknown\s*\(?\s*data\)?)$", re.I)
_NOT_APPLICABLE = re.compile(r"^(?:\[z\]|n/?a|[-\u2013\u2014\u2212]|not applicable)$", re.I)
_REDACTED = re.compile(r"^(?:\[redacted\]|redacted|\[?withheld\]?|[█■▇▆]+|x{3,})$", re.I)

_CURRENCY = {"£": "gbp", "$": "usd", "€": "eur"}
_MULTIPLIERS = {"k": 1_000, "m": 1_000_000, "bn": 1_000_000_000, "b": 1_000_000_000}
_MAX_DIGITS = 250  # a longer run of digits is an identifier or junk, not a figure
_MAX_INT = 2**63 - 1  # SQLite's INTEGER is 64-bit
_FLOAT_DIGITS = 15  # significant digits a float always keeps
_NUMBER = re.compile(
    r"""^
    (?P<sign>[+\-\u2212\u2013])?
    (?P<cur>[£$€])?\s?
    (?P<sign2>[+\-\u2212])?
    (?P<int>\d{1,3}(?:[,\u00a0\u2009\u202f ]\d{3})+|\d+)?
    (?P<frac>\.\d+)?
    (?P<exp>e[+\-]?\d{1,3})?
    (?P<mult>k|m|bn|b)?
    (?P<pct>\s?%)?
    $""",
    re.VERBOSE | re.IGNORECASE,
)


@dataclass(frozen=True)
class Parsed:
    value: Value
    unit: str | None = None
    flag: str | None = None


def is_blank(text: str | None) -> bool:
    if text is None or text == "":
        return True
    if isinstance(text, str) and not text[0].isspace():
        return False  # fast path: every space character _SPACES knows is isspace()
    return text is None or not _SPACES.sub("", str(text))


_FOOTNOTE_ENDS = frozenset("])*^¹²³⁴⁵⁶⁷⁸⁹⁰†‡§\n")  # a footnote tail ends with one of these


def strip_footnotes(text: str) -> str:
    """Remove trailing footnote markers (``¹``, ``[note 1]``, ``(Note 1)``, ``(a)``, ``*``,
    ``^``) from a label."""
    if text[-1:] not in _FOOTNOTE_ENDS:
        return text.strip()  # fast path: no footnote tail can match
    return _FOOTNOTE_TAIL.sub("", text).strip()


def normalise_space(text: str) -> str:
    # fast path: tabs, newlines and non-ASCII spaces are not printable, so printable
    # text needs work only for doubled, leading or trailing ASCII spaces
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=65536)
def marker_flag(text: str) -> str | None:
    """The flag a marker stands for, or None when the text is not a marker."""
    t = normalise_space(text)
    for pattern, flag in (
        (_SUPPRESSED, "suppressed"),
        (_NOT_AVAILABLE, "not_available"),
        (_NOT_APPLICABLE, "not_applicable"),
        (_REDACTED, "redacted"),
    ):
        if pattern.match(t):
            return flag
    return None


@lru_cache(maxsize=65536)
def parse_number(text: str) -> tuple[int | float, str | None] | None:
    """Parse a printed number; returns (value, unit) or None when it is not a number.

    A whole number beyond 64 bits comes back as a float (an approximation): callers that
    keep values use :func:`parse_exact` or :func:`parse_cell_text`, which never round."""
    parts = _number_parts(text)
    if parts is None:
        return None
    digits, negative, unit = parts
    if _plain(digits):  # the common case, fast
        plain: int | float = float(digits) if "." in digits else int(digits)
        return (-plain if negative else plain), unit
    value = Fraction(digits)
    value = -value if negative else value
    if value.denominator == 1 and abs(value) <= _MAX_INT:
        return int(value), unit
    return float(value), unit


@lru_cache(maxsize=65536)
def parse_exact(text: str) -> tuple[Fraction, str | None] | None:
    """A printed number exactly, as a Fraction: ``(1,234.5)`` → -2469/2, ``1e3`` → 1000.
    None when it is not a number (or is too long or too large to be a figure)."""
    parts = _number_parts(text)
    if parts is None:
        return None
    digits, negative, unit = parts
    return (-Fraction(digits) if negative else Fraction(digits)), unit


def _plain(digits: str) -> bool:
    """Few enough digits, no exponent or fraction bar: int() or float() reads it exactly."""
    return len(digits) <= _FLOAT_DIGITS and digits.replace(".", "", 1).isdigit()


def _number_parts(text: str) -> tuple[str, bool, str | None] | None:
    """(digits as Fraction reads them, negative, unit), multipliers applied; or None."""
    t = normalise_space(text)
    negative = False
    if len(t) > 2 and t[0] == "(" and t[-1] == ")":
        negative, t = True, t[1:-1].strip()
    match = _NUMBER.match(t)
    if not match or not (match["int"] or match["frac"]):
        return None
    digits = re.sub(r"[,\s\u00a0\u2009\u202f]", "", match["int"] or "0") + (match["frac"] or "")
    if len(digits) > _MAX_DIGITS:
        return None
    if match["exp"]:
        if match["mult"] or match["cur"] or match["pct"] or not match["int"]:
            return None  # "1e5%", "£1e5" or ".5e3": not how tables print figures
        if not math.isfinite(float(digits + match["exp"])):
            return None  # 1e309 is no number a table holds
        digits += match["exp"].lower()
    if match["mult"]:
        if not match["cur"]:
            return None  # "5m" alone is more likely a label (a distance, an age band)
        digits = str(Fraction(digits) * _MULTIPLIERS[match["mult"].lower()])
    for sign in (match["sign"], match["sign2"]):
        if sign and sign != "+":
            negative = not negative
    unit = "percent" if match["pct"] else _CURRENCY.get(match["cur"] or "")
    return digits, negative, unit


def _cell_value(number: Fraction, written: str) -> Value:
    """A cell's value: whole numbers as exact ints, whatever their size (a 35-digit count
    is never 1e+35; the store keeps ints beyond 64 bits as their digits), the rest as
    floats; a figure written with an exponent (``1e308``) was a float to begin with."""
    if number.denominator == 1 and (abs(number) <= _MAX_INT or "e" not in written.lower()):
        return int(number)
    return float(number)


@lru_cache(maxsize=65536)
def parse_cell_text(text: str) -> Parsed:
    """Value, unit and flag of a cell as printed. Footnote markers are ignored."""
    t = normalise_space(text)
    flag = marker_flag(t)
    if flag:
        return Parsed(None, None, flag)
    core = strip_footnotes(t) or t
    flag = marker_flag(core)
    if flag:
        return Parsed(None, None, flag)
    parts = _number_parts(core)
    if parts is None:
        return Parsed(t)
    digits, negative, unit = parts
    if _plain(digits):  # the common case, fast
        plain: int | float = float(digits) if "." in digits else int(digits)
        return Parsed(-plain if negative else plain, unit, None)
    number = -Fraction(digits) if negative else Fraction(digits)
    return Parsed(_cell_value(number, core), unit, None)
