"""Numbers as written in British news prose: digits and number words.

``1,527``, ``3.3``, ``1.5 million``, ``one hundred and five``, ``thirty-three``,
``a thousand`` and ``two thousand, four hundred`` are all found by
:func:`find_numbers`, each with the unit ``u`` of its last written digit (a number
written as ``3.3`` is only stated to 0.1). Named fractions (``a third``,
``two-thirds``) are found by :func:`find_fractions`.

text2num and number-parser were tried first: neither reads "a hundred" or
"a third", so this is a small grammar of our own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from . import policy

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {"dozen": 12, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
ORDINAL_DENOMINATORS = {
    "half": 2,
    "halves": 2,
    "third": 3,
    "quarter": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
ARTICLES = ("a", "an")


_WORD = re.compile(r"[a-z]+|\d+(?:,\d{3})*(?:\.\d+)?|\d*\.\d+", re.IGNORECASE)
_WORD_GAP = re.compile(r"^(?:\s+|\s*-\s*|\s*,\s*)$")
_DIGIT_SCALE = {
    "k": 1_000,
    "thousand": 1_000,
    "million": 1_000_000,
    "m": 1_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
}
_DIGITS = re.compile(
    r"(?P<money>[£$€]\s?)?(?<![\w.,])(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?(?![\d,]\d)"
    r"(?:\s?(?P<scale>thousand|million|billion|bn|m|k)\b)?",
    re.IGNORECASE,
)
_MONEY_WORDS_AFTER = re.compile(r"^\s+(?:pounds?|euros?|dollars?|sterling)\b", re.I)
# "half a million", "a quarter of a million", "three-quarters of a billion"
_FRACTION_OF_SCALE = re.compile(
    r"(?P<money>[£$€])?\b(?P<count>a|an|one|two|three|four)?[\s-]*"
    r"(?P<name>half|halves|thirds?|quarters?)\s+(?:of\s+)?(?:a|an|one)\s+"
    r"(?P<scale>thousand|million|billion)\b",
    re.IGNORECASE,
)
# "one and a half", "two and a half million", "one and half times"
_AND_A_HALF = re.compile(
    r"(?P<money>[£$€])?\b(?P<whole>\d+|one|two|three|four|five|six|seven|eight|nine|ten)"
    r"\s+and\s+(?:a\s+)?(?P<name>half|quarter)"
    r"(?:\s+(?P<scale>thousand|million|billion))?\b",
    re.IGNORECASE,
)
# "tens of thousands", "hundreds of", "thousands of", "millions of", "dozens of": a bound
_ORDER_OF_MAGNITUDE = re.compile(
    r"\b(?:(?P<tens>tens|hundreds)\s+of\s+(?P<scale>thousands|millions|billions)"
    r"|(?P<alone>dozens|hundreds|thousands|millions|billions))(?:\s+of\b|(?=\s*[.,;:]|\s*$))",
    re.IGNORECASE,
)
_PLURAL_SCALES = {
    "dozens": 12,
    "hundreds": 100,
    "thousands": 1_000,
    "millions": 1_000_000,
    "billions": 1_000_000_000,
}


@dataclass(frozen=True)
class Number:
    """A number found in text: its exact value, the unit of its last digit, and where."""

    value: Fraction
    unit: Fraction
    start: int
    end: int
    text: str
    words: bool = False
    money: bool = False
    # a number read as a range rather than a rounded value: "half a million" is nearer
    # 1/2 than any other named fraction of a million; "tens of thousands" is a bound
    region: tuple[Fraction, Fraction | None, bool] | None = None

    @property
    def is_integer(self) -> bool:
        return self.value.denominator == 1


@dataclass(frozen=True)
class NamedFraction:
    """``a third``, ``two-thirds``, ``half``: value as a proportion (0..1)."""

    value: Fraction
    start: int
    end: int
    text: str


def tokens(text: str) -> list[re.Match[str]]:
    return list(_WORD.finditer(text))


def find_digit_numbers(text: str) -> list[Number]:
    found = []
    for match in _DIGITS.finditer(text):
        integer = match["num"].replace(",", "")
        decimals = match["frac"] or ""
        value = Fraction(integer + decimals)
        unit = Fraction(1, 10 ** (len(decimals) - 1)) if decimals else Fraction(1)
        scale = (match["scale"] or "").lower()
        if scale:
            value *= _DIGIT_SCALE[scale]
            unit *= _DIGIT_SCALE[scale]
        money = bool(match["money"]) or bool(_MONEY_WORDS_AFTER.match(text[match.end() :]))
        found.append(Number(value, unit, match.start(), match.end(), match.group(0), money=money))
    return found


def _named_region(fraction: Fraction) -> tuple[Fraction, Fraction]:
    """Values nearer to ``fraction`` than to any other named fraction (as proportions)."""
    points = sorted({Fraction(0), Fraction(1), fraction, *policy.NAMED_FRACTIONS})
    index = points.index(fraction)
    low = (points[index - 1] + fraction) / 2 if index > 0 else fraction
    high = (points[index + 1] + fraction) / 2 if index + 1 < len(points) else fraction
    return low, high


def find_phrase_numbers(text: str) -> list[Number]:
    """Numbers written as phrases: "half a million", "one and a half", "tens of thousands"."""
    found = []
    for match in _FRACTION_OF_SCALE.finditer(text):
        name = match["name"].lower()
        base = name if name in ORDINAL_DENOMINATORS else name.rstrip("s")
        count_word = (match["count"] or "").lower()
        count = 1 if count_word in ("", "a", "an") else UNITS[count_word]
        fraction = Fraction(count, ORDINAL_DENOMINATORS[base])
        if fraction >= 1:
            continue
        scale = SCALES[match["scale"].lower()]
        low, high = _named_region(fraction)
        start = match.start() if match["money"] else match.start("count" if count_word else "name")
        found.append(
            Number(
                fraction * scale,
                Fraction(scale),
                start,
                match.end(),
                text[start : match.end()],
                words=True,
                money=bool(match["money"]) or bool(_MONEY_WORDS_AFTER.match(text[match.end() :])),
                region=(low * scale, high * scale, False),
            )
        )
    for match in _AND_A_HALF.finditer(text):
        whole_text = match["whole"].lower()
        whole = int(whole_text) if whole_text.isdigit() else UNITS[whole_text]
        part = Fraction(1, 2) if match["name"].lower() == "half" else Fraction(1, 4)
        scale = SCALES[match["scale"].lower()] if match["scale"] else 1
        unit = Fraction(scale, 10 if part == Fraction(1, 2) else 100)
        found.append(
            Number(
                (whole + part) * scale,
                unit,
                match.start(),
                match.end(),
                match.group(0),
                words=True,
                money=bool(match["money"]),
            )
        )
    for match in _ORDER_OF_MAGNITUDE.finditer(text):
        if match["tens"]:
            step = 10 if match["tens"].lower() == "tens" else 100
            scale = _PLURAL_SCALES[match["scale"].lower()] * step
        else:
            scale = _PLURAL_SCALES[match["alone"].lower()]
        # "tens of thousands": at least two tens of thousands, under a hundred thousand
        low, high = Fraction(2 * scale), Fraction(10 * scale if scale != 12 else 100)
        end = match.end("scale") if match["tens"] else match.end("alone")
        found.append(
            Number(
                low,
                Fraction(scale),
                match.start(),
                end,
                text[match.start() : end].strip(),
                words=True,
                region=(low, high, True),
            )
        )
    return found


def _word_value(word: str) -> tuple[str, int] | None:
    word = word.lower()
    if word in UNITS:
        return "unit", UNITS[word]
    if word in TENS:
        return "tens", TENS[word]
    if word == "hundred":
        return "hundred", 100
    if word in SCALES:
        return "scale", SCALES[word]
    return None


class _WordNumber:
    """Accumulates number words left to right: thirty-three, one hundred and five, ..."""

    def __init__(self) -> None:
        self.total = 0
        self.current = 0
        self.last = ""
        self.count = 0

    def accepts(self, kind: str) -> bool:
        if not self.last or self.last == "and":
            return kind in ("unit", "tens") or (kind in ("hundred", "scale") and not self.last)
        if kind == "unit":
            return self.last in ("tens", "hundred", "scale")
        if kind == "tens":
            return self.last in ("hundred", "scale")
        if kind == "hundred":
            return self.last in ("unit",) and self.current < 10
        return kind == "scale" and self.last in ("unit", "tens", "hundred")

    def add(self, kind: str, value: int) -> None:
        if kind in ("unit", "tens"):
            self.current += value
        elif kind == "hundred":
            self.current = (self.current or 1) * 100
        else:
            self.total += (self.current or 1) * value
            self.current = 0
        self.last = kind
        self.count += 1

    @property
    def value(self) -> int:
        return self.total + self.current


def _article_starts(words: list[re.Match[str]], index: int) -> bool:
    """ "a hundred", "an eighth": the article stands for one."""
    if words[index].group(0).lower() not in ARTICLES or index + 1 >= len(words):
        return False
    following = _word_value(words[index + 1].group(0))
    return following is not None and following[0] in ("hundred", "scale")


def _joined(text: str, left: re.Match[str], right: re.Match[str]) -> bool:
    return bool(_WORD_GAP.match(text[left.end() : right.start()]))


def _read_words(text: str, words: list[re.Match[str]], index: int) -> tuple[Number, int] | None:
    """Read the number words starting at ``index``; returns the number and the next index."""
    number = _WordNumber()
    start = words[index].start()
    end = start
    i = index
    if _article_starts(words, index):
        i += 1
    while i < len(words):
        word = words[i].group(0).lower()
        if i > index and not _joined(text, words[i - 1], words[i]):
            break
        if word == "and" and number.last in ("hundred", "scale") and i + 1 < len(words):
            following = _word_value(words[i + 1].group(0))
            if following and following[0] in ("unit", "tens"):
                number.last = "and"
                i += 1
                continue
            break
        parsed = _word_value(word)
        if parsed is None or not number.accepts(parsed[0]):
            break
        number.add(*parsed)
        end = words[i].end()
        i += 1
    if number.count == 0:
        return None
    value = Fraction(number.value)
    return Number(value, Fraction(1), start, end, text[start:end], words=True), i


def find_word_numbers(text: str) -> list[Number]:
    words = tokens(text)
    found = []
    i = 0
    while i < len(words):
        result = _read_words(text, words, i)
        if result is None:
            i += 1
            continue
        number, i = result
        found.append(number)
    return found


def find_numbers(text: str) -> list[Number]:
    """Every number in ``text``: phrases, digits and words, in order of position."""
    found: list[Number] = []
    for finder in (find_phrase_numbers, find_digit_numbers, find_word_numbers):
        for number in finder(text):
            if not any(n.start < number.end and number.start < n.end for n in found):
                found.append(number)
    return sorted(found, key=lambda n: n.start)


_FRACTION = re.compile(
    r"\b(?P<count>a|an|one|two|three|four|five|six|seven|eight|nine)?[\s-]*"
    r"(?P<name>halves|half|thirds?|quarters?|fifths?|sixths?|sevenths?|eighths?|ninths?|tenths?)\b",
    re.IGNORECASE,
)


def find_fractions(text: str) -> list[NamedFraction]:
    """Named fractions: "half", "a third", "two-thirds", "three quarters"."""
    found = []
    for match in _FRACTION.finditer(text):
        name = match["name"].lower()
        base = name if name in ORDINAL_DENOMINATORS else name.rstrip("s")
        denominator = ORDINAL_DENOMINATORS[base]
        count_word = (match["count"] or "").lower()
        if not count_word and name != "half":
            continue  # "third" alone is an ordinal ("the third year"), not a fraction
        count = 1 if count_word in ("", "a", "an") else UNITS[count_word]
        if count >= denominator:
            continue
        start = match.start("count") if count_word else match.start("name")
        found.append(
            NamedFraction(
                Fraction(count, denominator), start, match.end(), text[start : match.end()]
            )
        )
    return found


def round_half_up(value: Fraction, places: int = 0) -> Fraction:
    """Exact half-up rounding (away from zero), never Python's half-to-even ``round``."""
    scale = 10**places
    scaled = abs(value) * scale
    rounded = int(scaled) + (1 if scaled - int(scaled) >= Fraction(1, 2) else 0)
    return Fraction(rounded if value >= 0 else -rounded, scale)


def format_number(value: Fraction, places: int = 2) -> str:
    """Half-up rounding to ``places`` decimals, thousands separated, zeros trimmed: 1,527."""
    rounded = round_half_up(value, places)
    integer, fraction = divmod(abs(rounded) * 10**places, 10**places)
    text = f"{int(integer):,}"
    if fraction:
        text += "." + f"{int(fraction):0{places}d}".rstrip("0")
    return ("-" if rounded < 0 else "") + text


def format_fixed(value: Fraction, places: int = 2) -> str:
    """Half-up rounding to exactly ``places`` decimals, no separators: 3.27."""
    rounded = round_half_up(value, places)
    integer, fraction = divmod(abs(rounded) * 10**places, 10**places)
    sign = "-" if rounded < 0 else ""
    return f"{sign}{int(integer)}.{int(fraction):0{places}d}" if places else f"{sign}{integer}"
