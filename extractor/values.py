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

import re
from dataclasses import dataclass
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
_MAX_INT = 2**63 - 1  # larger whole numbers are kept as floats: SQLite's INTEGER is 64-bit
_NUMBER = re.compile(
    r"""^
    (?P<sign>[+\-\u2212\u2013])?
    (?P<cur>[£$€])?\s?
    (?P<sign2>[+\-\u2212])?
    (?P<int>\d{1,3}(?:[,\u00a0\u2009\u202f ]\d{3})+|\d+)?
    (?P<frac>\.\d+)?
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
    """Parse a printed number; returns (value, unit) or None when it is not a number."""
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
    number: int | float = float(digits) if match["frac"] else int(digits)
    if match["mult"]:
        if not match["cur"]:
            return None  # "5m" alone is more likely a label (a distance, an age band)
        number = number * _MULTIPLIERS[match["mult"].lower()]
        if isinstance(number, float) and number.is_integer():
            number = int(number)
    if isinstance(number, int) and number > _MAX_INT:
        number = float(number)
    for sign in (match["sign"], match["sign2"]):
        if sign and sign != "+":
            negative = not negative
    if negative:
        number = -number
    unit = "percent" if match["pct"] else _CURRENCY.get(match["cur"] or "")
    return number, unit


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
    number = parse_number(core)
    if number is not None:
        return Parsed(number[0], number[1], None)
    return Parsed(t)
