"""The claim-text grammar: from a published phrase to the interval it claims.

:func:`find_figures` finds every figure in a text (percentages, "k in N", named
fractions, counts, changes, multiples, "the majority", superlatives) with the
qualifier in front of it ("more than", "nearly", "about", ...).
:func:`parse_claim` picks the figure a rate is checked against. The rules are
in docs/claims.md; the constants in :mod:`extractor.claims.policy`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from . import policy
from .intervals import Interval, as_float
from .numbers import Number, find_fractions, find_numbers, format_number

# Qualifier categories, longest phrase first so "just over" wins over "over".
QUALIFIERS: dict[str, tuple[str, ...]] = {
    "just_over": (
        "just over",
        "slightly more than",
        "a little over",
        "a little more than",
        "slightly over",
        "just above",
        "slightly above",
        "just more than",
        "a bit more than",
    ),
    "nearly": (
        "nearly",
        "almost",
        "just under",
        "close to",
        "approaching",
        "just short of",
        "slightly less than",
        "slightly fewer than",
        "a little under",
        "a little less than",
        "slightly under",
        "just below",
        "getting on for",
        "not quite",
        "just shy of",
    ),
    "at_least": ("at least", "no fewer than", "no less than", "a minimum of", "not less than"),
    "at_most": ("up to", "at most", "no more than", "not more than", "a maximum of"),
    "above": (
        "more than",
        "over",
        "above",
        "in excess of",
        "upwards of",
        "greater than",
        "exceeding",
        "well over",
        "far more than",
    ),
    "below": ("fewer than", "less than", "under", "below", "well under", "far fewer than"),
    "about": (
        "about",
        "around",
        "roughly",
        "approximately",
        "approx",
        "some",
        "circa",
        "an estimated",
        "estimated",
        "in the region of",
        "in the order of",
        "c.",
    ),
}
# Evaluative words that do not change the claim (unless followed by over/under).
FILLERS = ("just", "only", "a mere", "merely", "as few as", "as many as", "a total of", "a")

_QUALIFIER_TAIL = re.compile(
    r"(?:^|(?<=[^\w]))(?P<q>"
    + "|".join(
        re.escape(p)
        for p in sorted((p for ps in QUALIFIERS.values() for p in ps), key=len, reverse=True)
    )
    + r")\s*$"
)
_FILLER_TAIL = re.compile(
    r"(?:^|(?<=[^\w]))(?:" + "|".join(re.escape(f) for f in FILLERS) + r")\s*$"
)
_PERCENT_AFTER = re.compile(r"^\s*(?:%|per\s?cent\b|per-cent\b|percent\b|pc\b)")
_POINTS_AFTER = re.compile(r"^\s*(?:percentage[\s-]points?\b|points?\b|pp\b|ppt\b)")
_K_IN_N_AFTER = re.compile(r"^[\s-]+(?:in[\s-]+every|in|out[\s-]+of)[\s-]+")
_TIME_AFTER = re.compile(r"^\s*(?:months?|years?|weeks?|days?|hours?|minutes?|decades?)\b")
_UP = (
    r"rose|risen|rises|rise|rising|increased|increases|increase|increasing|grew|grown|"
    r"jumped|climbed|soared|went up|gone up|up|higher"
)
_DOWN = (
    r"fell|fallen|falls|fall|falling|dropped|drops|drop|decreased|decreases|decrease|"
    r"declined|declines|decline|down|cut|reduced|went down|gone down|lower|shrank"
)
_CHANGE_BEFORE = re.compile(
    rf"\b(?P<verb>{_UP}|{_DOWN})\s+(?:by\s+)?$"
    r"|\b(?P<noun>rise|increase|jump|growth|fall|drop|decline|decrease|reduction|cut)\s+of\s+$"
)
_CHANGE_AFTER = re.compile(
    r"^\s*(?P<noun>rise|increase|jump|growth|fall|drop|decline|decrease|reduction|cut)\b"
)
_LEVEL_BEFORE = re.compile(rf"\b(?P<verb>{_UP}|{_DOWN})\s+(?:again\s+)?(?:to|from)\s+$")
_MULTIPLE = re.compile(r"\b(?P<word>doubled|tripled|trebled|quadrupled|halved|twice)\b")
_TIMES_AFTER = re.compile(r"^\s*(?:times\b|-?fold\b)")
_SIZE = r"(?:vast\s+|large\s+|overwhelming\s+|clear\s+|slim\s+|narrow\s+|small\s+|tiny\s+)?"
_MAJORITY = re.compile(
    rf"\b(?:(?P<maj>(?:the|a)\s+{_SIZE}majority|most\s+of)|(?P<min>(?:a|the)\s+{_SIZE}minority))\b"
)
_VAGUE = re.compile(r"\b(?:very\s+few|a\s+significant\s+number|a\s+handful|many|a\s+lot\s+of)\b")
_SUPERLATIVE = re.compile(
    r"\b(?P<word>highest|lowest|all-time\s+high|all-time\s+low|record\s+high|record\s+low|"
    r"largest|smallest|biggest|most\s+ever|fewest)\b"
)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
MAX_AGE = 120
_AGE_BEFORE = re.compile(r"\b(?:aged|age|ages)\s+(?:of\s+)?$")
_UNDER_OVER_BEFORE = re.compile(r"\b(?:under|over)[\s-]+$")
_AGE_AFTER = re.compile(r"^(?:\s*-\s*\d+)?(?:\s*(?:[,.;:)]|$)|s\b)")
_YEAR_OLD_AFTER = re.compile(r"^[\s-]+years?[\s-]+olds?\b|^-year\b")
_BETWEEN_BEFORE = re.compile(r"\bbetween\s+$")
_PRONOUN_ONE = re.compile(r"^\s+of\b")
_DOWN_WORDS = frozenset(_DOWN.split("|"))

# Patterns shared by the checker and the drafter.
YEAR_IN_TEXT = re.compile(r"\b(?:19|20)\d\d\b")
BETWEEN_YEARS = re.compile(r"\bbetween\s+((?:19|20)\d\d)\s+and\s+((?:19|20)\d\d)\b", re.I)
REMAINDER = re.compile(r"\b(?:remaining|remainder|the\s+rest|rest\s+of)\b", re.I)

PROPORTION_KINDS = ("proportion",)
CHANGE_KINDS = ("change_percent", "change_points", "change_count", "multiple")


@dataclass(frozen=True)
class Figure:
    """One figure found in a claim, and the interval of true values it allows.

    ``kind`` is one of ``proportion`` (a percentage, "k in N", a named fraction,
    "the majority"; ``value`` and intervals in percent), ``count``, ``change_percent``,
    ``change_points``, ``change_count``, ``multiple`` (doubled: the ratio after/before),
    ``superlative``, ``vague`` (nothing checkable). ``interval`` is the accurate
    reading, ``lenient`` a looser one that makes the verdict "loose", ``precise``
    (named fractions) the part of ``interval`` that is not "imprecise".
    """

    kind: str
    text: str
    start: int
    end: int
    value: Fraction | None = None
    unit: Fraction = Fraction(1)
    qualifier: str = ""
    interval: Interval | None = None
    lenient: Interval | None = None
    precise: Interval | None = None
    direction: str | None = None
    fraction: Fraction | None = None
    words: bool = False
    note: str = ""

    @property
    def checkable(self) -> bool:
        return self.interval is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "value": as_float(self.value),
            "qualifier": self.qualifier or None,
            "direction": self.direction,
            "claimed_low": as_float(self.interval.low) if self.interval else None,
            "claimed_high": as_float(self.interval.high) if self.interval else None,
            "claimed": self.interval.describe() if self.interval else None,
            "claimed_interval": self.interval.bracketed() if self.interval else None,
            "note": self.note or None,
        }


_PLAIN = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)


def normalise(text: str) -> str:
    """Lower case with typographic quotes, dashes and spaces made plain; same length, so
    positions in the result are positions in ``text``."""
    plain = text.translate(_PLAIN)
    lowered = plain.lower()
    if len(lowered) == len(plain):  # no character lowered into two
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in plain)


def tolerance(value: Fraction, unit: Fraction) -> Fraction:
    """t(X) = max(u, 10% of |X|): how far a hedge may stray."""
    return max(unit, policy.HEDGE_FRACTION * abs(value))


def qualified_interval(
    value: Fraction, unit: Fraction, qualifier: str, exact: bool = False
) -> tuple[Interval, Interval | None]:
    """The accurate and the lenient interval for a number ``value`` stated to ``unit``."""
    t = tolerance(value, unit)
    wide = policy.LOOSE_HEDGE_FACTOR * t
    if qualifier == "above":
        return Interval(value, None, low_open=True), None
    if qualifier == "at_least":
        return Interval(value, None), None
    if qualifier == "below":
        return Interval(None, value, high_open=True), None
    if qualifier == "at_most":
        return Interval(None, value), None
    if qualifier == "nearly":
        return (
            Interval(value - t, value, high_open=True),
            Interval(value - wide, value, high_open=True),
        )
    if qualifier == "just_over":
        return Interval(value, value + t, low_open=True), Interval(
            value, value + wide, low_open=True
        )
    if qualifier == "about":
        return Interval(value - t, value + t), Interval(value - wide, value + wide)
    if exact:
        return Interval.point(value), None
    # R(X), and the truncation reading [X, X + u) as the lenient one
    return (
        Interval(value - unit / 2, value + unit / 2),
        Interval(value, value + unit, high_open=True),
    )


def qualifier_before(text: str, start: int) -> str:
    """The qualifier category just before position ``start`` ("" when none)."""
    return _qualifier_and_start(text, start)[0]


def _qualifier_and_start(text: str, start: int) -> tuple[str, int]:
    """The qualifier category before ``start``, and where the qualifier (or any
    evaluative filler before the figure) begins."""
    window_start = max(0, start - 40)
    window = text[window_start:start]
    category = ""
    for _ in range(3):
        match = _QUALIFIER_TAIL.search(window)
        if match and not category:
            phrase = match["q"]
            category = next(cat for cat, phrases in QUALIFIERS.items() if phrase in phrases)
            window = window[: match.start()]
            continue
        filler = _FILLER_TAIL.search(window)
        if not filler:
            break
        window = window[: filler.start()]
    return category, window_start + len(window)


def _window_before(text: str, start: int) -> str:
    """The 40 characters before a figure and its qualifiers: where verbs of change sit."""
    begin = _qualifier_and_start(text, start)[1]
    return text[max(0, begin - 40) : begin]


def _fraction_region(fraction: Fraction) -> Interval:
    """Values nearer to ``fraction`` than to any other named fraction, in percent."""
    points = sorted(set(policy.NAMED_FRACTIONS) | set(policy.FRACTION_LIMITS) | {fraction})
    index = points.index(fraction)
    low = (points[index - 1] + fraction) / 2 if index > 0 else fraction
    high = (points[index + 1] + fraction) / 2 if index + 1 < len(points) else fraction
    return Interval(low * 100, high * 100)


def _is_age(text: str, number: Number) -> bool:
    """ "aged 16", "under 18," "over-65s", "18-year-olds": an age, not a count."""
    if number.value >= MAX_AGE or not number.is_integer or "," in number.text:
        return False
    before = text[max(0, number.start - 20) : number.start]
    if _AGE_BEFORE.search(before):
        return True
    after = text[number.end :]
    return bool(_YEAR_OLD_AFTER.match(after)) or bool(
        _UNDER_OVER_BEFORE.search(before) and _AGE_AFTER.match(after)
    )


def _is_year(number: Number) -> bool:
    return not number.words and bool(_YEAR.match(number.text))


def _direction_of(verb: str) -> str:
    return "down" if verb in _DOWN_WORDS else "up"


def _percent_figure(text: str, number: Number, end: int, points: bool) -> Figure:
    """A number followed by "%", "per cent" or "percentage points": a proportion, or a
    change when a verb says so."""
    before = _CHANGE_BEFORE.search(_window_before(text, number.start).rstrip() + " ")
    after = _CHANGE_AFTER.match(text[end:])
    kind = "change_points" if points else "proportion"
    direction = None
    if before or after:
        kind = "change_points" if points else "change_percent"
        verb = (before["verb"] or before["noun"]) if before else after["noun"]  # type: ignore[index]
        direction = _direction_of(verb)
        if after:
            end += after.end()
    qualifier = qualifier_before(text, number.start)
    interval, lenient = qualified_interval(number.value, number.unit, qualifier)
    return Figure(
        kind,
        text[number.start : end],
        number.start,
        end,
        number.value,
        number.unit,
        qualifier,
        interval,
        lenient,
        direction=direction,
        words=number.words,
    )


def _times_figure(text: str, number: Number, end: int) -> Figure:
    """ "three times", "a 3-fold rise": the ratio after / before."""
    qualifier = qualifier_before(text, number.start)
    interval, lenient = qualified_interval(number.value, number.unit, qualifier)
    if not qualifier and number.unit == 1:  # "three times" reads like "tripled"
        spread = policy.MULTIPLE_TOLERANCE
        interval, lenient = Interval(number.value - spread, number.value + spread), None
    return Figure(
        "multiple",
        text[number.start : end],
        number.start,
        end,
        number.value,
        number.unit,
        qualifier,
        interval,
        lenient,
        direction="up",
        words=number.words,
    )


def _k_in_n_figure(text: str, k: Number, n: Number) -> Figure:
    qualifier = qualifier_before(text, k.start)
    value = k.value / n.value * 100
    note = ""
    if qualifier:
        interval, lenient = qualified_interval(value, policy.WORD_UNIT, qualifier)
    elif n.value in policy.PERCENT_IN_DISGUISE:
        interval = Interval(
            (k.value - Fraction(1, 2)) / n.value * 100, (k.value + Fraction(1, 2)) / n.value * 100
        )
        lenient, note = None, f"{k.text} in {n.text} read as a rounded percentage"
    else:
        half = Fraction(1, 2)
        interval = Interval(k.value / (n.value + half) * 100, k.value / (n.value - half) * 100)
        lenient = None
    return Figure(
        "proportion",
        text[k.start : n.end],
        k.start,
        n.end,
        value,
        policy.WORD_UNIT,
        qualifier,
        interval,
        lenient,
        words=True,
        note=note,
    )


def _number_figures(text: str, numbers: list[Number], taken: list[tuple[int, int]]) -> list[Figure]:
    figures = []
    skip: set[int] = set()
    for index, number in enumerate(numbers):
        if index in skip or any(s < number.end and number.start < e for s, e in taken):
            continue
        rest = text[number.end :]
        following = numbers[index + 1] if index + 1 < len(numbers) else None
        ranged = _range_figure(text, number, following)
        if ranged is not None:
            figures.append(ranged)
            skip.add(index + 1)
            continue
        unit_words = _POINTS_AFTER.match(rest) or _PERCENT_AFTER.match(rest)
        if unit_words:
            points = unit_words.re is _POINTS_AFTER
            figures.append(_percent_figure(text, number, number.end + unit_words.end(), points))
            continue
        times = _TIMES_AFTER.match(rest)
        if times:
            figures.append(_times_figure(text, number, number.end + times.end()))
            continue
        k_in_n = _K_IN_N_AFTER.match(rest)
        if (
            k_in_n
            and following
            and following.start == number.end + k_in_n.end()
            and following.value > 0
            and not _is_year(following)
        ):
            figures.append(_k_in_n_figure(text, number, following))
            skip.add(index + 1)
            continue
        figure = _count_figure(text, number)
        if figure is not None:
            figures.append(figure)
    return figures


def _range_figure(text: str, low: Number, high: Number | None) -> Figure | None:
    """ "between 10 and 20 per cent", "between 100 and 200 cases": from R(low) to R(high)
    (counts exactly from low to high)."""
    if high is None or _is_year(low) or not _BETWEEN_BEFORE.search(text[: low.start]):
        return None
    gap = text[low.end : high.start]
    after = text[high.end :]
    unit_words = _PERCENT_AFTER.match(after)
    percent_gap = _PERCENT_AFTER.match(gap)
    if not re.fullmatch(r"\s*(?:%|per\s?cent|percent|pc)?\s+and\s+", gap):
        return None
    end = high.end + (unit_words.end() if unit_words else 0)
    if unit_words or percent_gap:
        interval = Interval(low.value - low.unit / 2, high.value + high.unit / 2)
        kind = "proportion"
    else:
        interval, kind = Interval(low.value, high.value), "count"
    start = _BETWEEN_BEFORE.search(text[: low.start]).start()  # type: ignore[union-attr]
    return Figure(
        kind,
        text[start:end],
        start,
        end,
        (low.value + high.value) / 2,
        low.unit,
        "between",
        interval,
        None,
        words=low.words,
    )


def _count_figure(text: str, number: Number) -> Figure | None:
    """A bare number: a count (or a change in a count); None for years and time spans."""
    if _is_year(number) or _TIME_AFTER.match(text[number.end :]) or _is_age(text, number):
        return None
    if number.words and number.value == 1 and _PRONOUN_ONE.match(text[number.end :]):
        return None
    window = _window_before(text, number.start)
    qualifier = qualifier_before(text, number.start)
    exact = number.is_integer and number.unit == 1
    interval, lenient = qualified_interval(number.value, number.unit, qualifier, exact=exact)
    change = _CHANGE_BEFORE.search(window) if re.search(r"\b(?:by|of)\s+$", window) else None
    if change:
        return Figure(
            "change_count",
            number.text,
            number.start,
            number.end,
            number.value,
            number.unit,
            qualifier,
            interval,
            lenient,
            direction=_direction_of(change["verb"] or change["noun"]),
            words=number.words,
        )
    level = _LEVEL_BEFORE.search(window)
    direction = _direction_of(level["verb"]) if level else None
    return Figure(
        "count",
        number.text,
        number.start,
        number.end,
        number.value,
        number.unit,
        qualifier,
        interval,
        lenient,
        direction=direction,
        words=number.words,
    )


def _fraction_figures(text: str) -> list[Figure]:
    """Named fractions: a proportion, or a relative change after a verb ("fell by a third")."""
    figures = []
    for named in find_fractions(text):
        qualifier = qualifier_before(text, named.start)
        value = named.value * 100
        change = _CHANGE_BEFORE.search(_window_before(text, named.start).rstrip() + " ")
        kind = "change_percent" if change else "proportion"
        direction = _direction_of(change["verb"] or change["noun"]) if change else None
        common = {"fraction": named.value, "words": True, "direction": direction}
        if qualifier:
            interval, lenient = qualified_interval(value, policy.WORD_UNIT, qualifier)
            figures.append(
                Figure(
                    kind,
                    named.text,
                    named.start,
                    named.end,
                    value,
                    policy.WORD_UNIT,
                    qualifier,
                    interval,
                    lenient,
                    **common,
                )
            )
            continue
        margin = policy.IMPRECISE_FRACTION_POINTS
        figures.append(
            Figure(
                kind,
                named.text,
                named.start,
                named.end,
                value,
                policy.WORD_UNIT,
                "",
                _fraction_region(named.value),
                None,
                Interval(value - margin, value + margin),
                note=f"nearest named fraction: {named.text}",
                **common,
            )
        )
    return figures


def _keyword_figures(text: str) -> list[Figure]:
    figures = []
    for match in _MULTIPLE.finditer(text):
        factor = policy.MULTIPLES[match["word"]]
        qualifier = qualifier_before(text, match.start())
        if qualifier:
            interval, lenient = qualified_interval(factor, Fraction(0), qualifier)
        else:
            spread = min(factor, Fraction(1)) * policy.MULTIPLE_TOLERANCE
            interval, lenient = Interval(factor - spread, factor + spread), None
        direction = "down" if factor < 1 else "up"
        figures.append(
            Figure(
                "multiple",
                match.group(0),
                match.start(),
                match.end(),
                factor,
                Fraction(0),
                qualifier,
                interval,
                lenient,
                direction=direction,
            )
        )
    for match in _MAJORITY.finditer(text):
        fifty = Fraction(50)
        qualifier = "above" if match["maj"] else "below"
        interval, _ = qualified_interval(fifty, policy.WORD_UNIT, qualifier)
        figures.append(
            Figure(
                "proportion",
                match.group(0),
                match.start(),
                match.end(),
                fifty,
                policy.WORD_UNIT,
                qualifier,
                interval,
                None,
                words=True,
            )
        )
    for match in _SUPERLATIVE.finditer(text):
        figures.append(
            Figure("superlative", match.group(0), match.start(), match.end(), note=match["word"])
        )
    for match in _VAGUE.finditer(text):
        figures.append(
            Figure(
                "vague",
                match.group(0),
                match.start(),
                match.end(),
                note="nothing checkable: no number",
            )
        )
    return figures


def find_figures(text: str) -> list[Figure]:
    """Every figure in ``text``, in order of position; spans index into ``text``."""
    plain = normalise(text)
    fractions = _fraction_figures(plain)
    keywords = _keyword_figures(plain)
    taken = [(f.start, f.end) for f in fractions + keywords]
    numbers = _number_figures(plain, find_numbers(plain), taken)
    figures = sorted(fractions + keywords + numbers, key=lambda f: f.start)
    return [replace(f, text=text[f.start : f.end]) for f in figures]


def parse_claim(text: str) -> Figure:
    """The figure a rate is checked against: the first proportion or change, else the
    first other figure; a ``vague`` figure when the text holds nothing checkable."""
    figures = [f for f in find_figures(text) if f.checkable]
    for kinds in (PROPORTION_KINDS + CHANGE_KINDS, ("count",)):
        for figure in figures:
            if figure.kind in kinds:
                return figure
    return Figure("vague", text, 0, len(text), note="nothing checkable was said")


def describe_figure(figure: Figure) -> str:
    """The claim in a few words: ``3.3 (3.25 to 3.35)``."""
    if figure.interval is None:
        return figure.text
    stated = format_number(figure.value) if figure.value is not None else figure.text
    return f"{stated} ({figure.interval.describe()})"


_TREND = re.compile(rf"\b(?P<verb>{_UP}|{_DOWN})\b")
_COMPARATIVE = re.compile(
    r"\b(?P<slight>slightly\s+|a\s+little\s+|marginally\s+)?"
    r"(?P<word>higher|greater|more|better|lower|less|fewer|smaller|worse)\b[^.]{0,200}?\bthan\b"
)


# "more than half", "fewer than 10": a bound on a figure, not a comparison
_BOUND_AFTER = re.compile(
    r"^\s+(?:\d|a\s|an\s|half|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|doubled|tripled|"
    r"trebled|quadrupled|halved|twice)"
)
_COMPARED_WITH = re.compile(r"^(?:\s+the)?(?:\s+[\w'-]+){1,2}")


def trend_direction(text: str) -> str | None:
    """ "up" or "down" when a verb of change appears ("increased ... then again")."""
    match = _TREND.search(normalise(text))
    return _direction_of(match["verb"]) if match else None


def _comparison_match(plain: str) -> re.Match[str] | None:
    return next(
        (m for m in _COMPARATIVE.finditer(plain) if not _BOUND_AFTER.match(plain[m.end() :])),
        None,
    )


def comparison_in(text: str) -> tuple[str, bool] | None:
    """("higher" | "lower", slightly?) for "slightly higher ... than"; None without one."""
    match = _comparison_match(normalise(text))
    if not match:
        return None
    lower = match["word"] in ("lower", "less", "fewer", "smaller", "worse")
    return ("lower" if lower else "higher"), bool(match["slight"])


def comparison_span(text: str) -> tuple[int, int] | None:
    """Where the comparison is: "slightly higher ... than the England average"."""
    plain = normalise(text)
    match = _comparison_match(plain)
    if not match:
        return None
    tail = _COMPARED_WITH.match(plain[match.end() :])
    return match.start(), match.end() + (tail.end() if tail else 0)
