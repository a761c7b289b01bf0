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

from ..periods import MONTHS, find_periods
from . import policy
from .intervals import Interval, as_float
from .numbers import UNITS, Number, find_fractions, find_numbers, format_number

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
    r"jumped|climbed|soared|surged|rocketed|went up|gone up|up|higher"
)
_DOWN = (
    r"fell|fallen|falls|fall|falling|dropped|drops|drop|decreased|decreases|decrease|"
    r"declined|declines|decline|down|cut|cuts|reduced|reduction|went down|gone down|lower|"
    r"shrank|slumped|plunged|plummeted"
)
_CHANGE_NOUNS = (
    r"rise|increase|jump|growth|surge|fall|drop|decline|decrease|reduction|cut|reductions"
)
_CHANGE_BEFORE = re.compile(
    r"(?<!\bmade\s)(?<!\bmake\s)(?<!\bmakes\s)(?<!\bmaking\s)(?<!\bset\s)(?<!\bsigned\s)"
    r"(?<!\bsign\s)"
    rf"\b(?P<verb>{_UP}|{_DOWN})\s+(?:by\s+)?$"
    # "cut complaints by a quarter": a transitive verb, its object, then by
    r"|\b(?P<transitive>cut|cuts|reduced|reduce|increased|increase|raised|raise|lowered|"
    r"decreased|boosted|slashed|doubled)\s+(?:[a-z'-]+\s+){1,3}by\s+$"
    rf"|\b(?P<noun>{_CHANGE_NOUNS})\s+of\s+$"
)
_CHANGE_AFTER = re.compile(rf"^\s*(?P<noun>{_CHANGE_NOUNS})\b")
# "18% lower than", "five per cent higher than", "14% more than": a relative change
_COMPARED_AFTER = re.compile(
    r"^\s*(?P<word>higher|lower|up|down|(?P<than>more|less|fewer|greater|bigger|smaller|larger)"
    r"(?=[^.;]{0,60}\bthan\b))\b"
)
_COMPARED_DOWN = frozenset(("lower", "down", "less", "fewer", "smaller"))
# "rose by 1,240 (8%)", "up 120, or 25%": the percentage restates the change before it
_RESTATED_CHANGE = re.compile(r"^\s*(?:\(|,\s*or\s+|,\s*a\s+change\s+of\s+)\s*$")
_ROLE_BEFORE = re.compile(r"\bfrom\s+$")
_ROLE_AFTER = re.compile(r"\b(?:to|reached|reaching|now)\s+$")
# "45 per 100,000 residents": a rate per N, a proportion in disguise
_AT_ONE_POINT = re.compile(r"\bat\s+one\s+point\b")
_PER_N_AFTER = re.compile(r"^\s+per\s+(?:every\s+)?")
_TIME_WORDS = (
    r"(?:hours?|days?|nights?|weeks?|fortnights?|months?|years?|decades?|minutes?|shifts?)"
)
_FREQUENCY_AFTER = re.compile(rf"^\s+(?:a|an|per|each|every)\s+{_TIME_WORDS}\b")
_TIME_AFTER_WORD = re.compile(rf"^\s+(?:\w+\s+)?{_TIME_WORDS}\b")
_LEVEL_BEFORE = re.compile(rf"\b(?P<verb>{_UP}|{_DOWN})\s+(?:again\s+)?(?:to|from)\s+$")
_MULTIPLE = re.compile(
    r"(?<!\btwo\s)(?<!\bthe\s)(?<!\bboth\s)(?<!\bits\s)"
    r"\b(?P<word>doubled|doubles|tripled|triples|trebled|trebles|quadrupled|quadruples|"
    r"halved|halves|twice|(?P<fold>two|three|four|five|six|seven|eight|nine|ten)fold|"
    # "almost double the 3,802": the bare verb needs a hedge before it or an object after
    r"(?P<bare>double|treble|triple|quadruple)(?=\s+(?:the|that|what|its|their|his|her)\b))\b"
)
_TIMES_AFTER = re.compile(r"^\s*(?:times\b|-?fold\b)")
_SIZE = r"(?:vast\s+|large\s+|overwhelming\s+|clear\s+|slim\s+|narrow\s+|small\s+|tiny\s+)?"
_MAJORITY = re.compile(
    rf"\b(?:(?P<maj>(?:the|a)\s+{_SIZE}majority|most\s+of)|(?P<min>(?:a|the)\s+{_SIZE}minority))\b"
)
_VAGUE = re.compile(r"\b(?:very\s+few|a\s+significant\s+number|a\s+handful|many|a\s+lot\s+of)\b")
_ORDINAL_RANK = r"(?:second|third|fourth|fifth|2nd|3rd|4th|5th)[\s-]+"
_SUPERLATIVE = re.compile(
    rf"\b(?P<word>(?:{_ORDINAL_RANK})?(?:highest|lowest|largest|smallest|biggest|fewest)"
    r"|(?:worst|best)\s+in\s+(?:the\s+)?(?:country|region|uk|britain|england|wales|scotland|"
    r"nation|county|city|force|sector)"
    r"|all-time\s+high|all-time\s+low|record\s+high|record\s+low|most\s+ever|"
    r"(?:more|fewer|higher|lower|less|greater|bigger|worse|better)\s+than\s+ever(?:\s+before)?|"
    r"the\s+most\s+(?:common|frequent|usual|likely)|(?:worst|best)[\s-](?:hit|affected|performing)|"
    r"(?:a|an|the)\s+(?:\w+[\s-])?(?:year|month|decade)\s+(?:high|low)|"
    r"(?:a|an)\s+(?:\w+|\d+)-(?:year|month|decade|week)\s+(?:high|low)|"
    r"on\s+record|since\s+records\s+began|(?<!off\s)(?<!the\s)\ba\s+record)\b"
)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
MAX_AGE = 120
_AGE_BEFORE = re.compile(
    r"\b(?:aged|age|ages)\s+(?:of\s+)?(?:between\s+)?(?:\d+\s*(?:to|-|and)\s*)?$"
)
_UNDER_OVER_BEFORE = re.compile(r"\b(?:under|over)[\s-]+$")
_AGE_AFTER = re.compile(r"^(?:\s*-\s*\d+)?(?:\s*(?:[,.;:)]|$)|s\b)")
_YEAR_OLD_AFTER = re.compile(
    r"^(?:\s*(?:-|to)\s*\d+)?[\s-]+years?[\s-]+olds?\b|^-year\b|^(?:\s*(?:-|to)\s*\d+)?s\b"
)
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
    role: str | None = None  # "before" ("up from 412") or "after" ("to 278") in a change

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
    return _window_and_offset(text, start)[0]


def _window_and_offset(text: str, start: int) -> tuple[str, int]:
    begin = _qualifier_and_start(text, start)[1]
    offset = max(0, begin - 40)
    return text[offset:begin], offset


def _change_before(text: str, start: int) -> tuple[str, int] | None:
    """The verb or noun of change right before a figure ("fell by", "a rise of"): its
    direction and where it starts (the figure's span then includes it)."""
    window, offset = _window_and_offset(text, start)
    match = _CHANGE_BEFORE.search(window.rstrip() + " ")
    if not match:
        return None
    verb = match["verb"] or match["noun"] or match["transitive"]
    begin = offset + match.start()
    article = re.search(r"\b(?:a|an|the)\s+$", text[max(0, begin - 4) : begin])
    if match["noun"] and article:
        begin -= len(article.group(0))
    return _direction_of(verb), begin


def _fraction_region(fraction: Fraction) -> Interval:
    """Values nearer to ``fraction`` than to any other named fraction, in percent."""
    points = sorted(set(policy.NAMED_FRACTIONS) | set(policy.FRACTION_LIMITS) | {fraction})
    index = points.index(fraction)
    low = (points[index - 1] + fraction) / 2 if index > 0 else fraction
    high = (points[index + 1] + fraction) / 2 if index + 1 < len(points) else fraction
    return Interval(low * 100, high * 100)


_MONTH_NAMES = "|".join(sorted((*MONTHS, *(m[:3] for m in MONTHS), "sept"), key=len, reverse=True))
_NUMBERED_THING = (
    r"sections?|ss?\.|schedules?|tables?|figures?|fig\.?|charts?|paragraphs?|paras?\.?|"
    r"annex(?:es)?|appendix|appendices|articles?|regulations?|reg\.|clauses?|parts?|chapters?|"
    r"pages?|pp?\.|questions?|items?|year|years|key\s+stage|level|step|tier|band|grade|"
    r"category|phase|stage|version|room|flat|no\.|route|bus|junction|platform|"
    r"note|footnote|paragraphs|ref\.?|reference"
)
# Numbers that are not figures: what they number, name or address, not how many
_NON_FIGURES = re.compile(
    "|".join(
        (
            # "section 40(2)", "Table 4.2", "Year 9", "Schedule 2", "paragraphs 3 and 4"
            rf"\b(?:{_NUMBERED_THING})\s+\d+(?:\.\d+)*[a-z]?(?:\(\w{{1,4}}\))*"
            rf"(?:\s*(?:,|and|or|to|-)\s*\d+(?:\.\d+)*[a-z]?(?:\(\w{{1,4}}\))*)*",
            # "A38", "COVID-19", "FOI-2023-04417", "M6", "NHS111": digits glued to letters
            r"\b(?!(?:in|of|to|by|per|and|or|out)[-/])[a-z]+[-/]?\d[\w/-]*",
            # emergency and other numbers to ring: "call 999", "dial 111"
            r"\b(?:call|dial|ring|phone|tel\.?|telephone)\s+\d{3}\b(?![,.]?\d)",
            r"\b\d+[a-z]+\d[\w/-]*",
            # URLs, e-mail addresses and file names
            r"\b(?:https?://|www\.)\S+|\S+@\S+\.\w+|\b[\w./-]+\.(?:csv|pdf|xlsx?|ods|docx?|html?|txt|zip)\b",
            # phone numbers: 0121 496 0123, +44 20 7946 0000, 0800 123456
            r"(?<![\d,.])(?:\+44\s?\(?0?\)?\s?|0)\d{2,4}[\s-]?\d{3,4}(?:[\s-]?\d{3,4})?(?![\d,.])",
            # leading zeros: reference numbers, not counts
            r"(?<![\d,.])0\d+(?![\d.,]*\d)",
            # ordinals and decades: "the 3rd", "21st", "the 1990s"
            r"\b\d+(?:st|nd|rd|th)\b",
            r"\b(?:19|20)\d0s\b",
            # days of the month: "March 21", "21 March", "the 3rd of May"
            # ("in March 40 people" is a count: a day needs "on" or punctuation after it)
            rf"\bon\s+(?:{_MONTH_NAMES})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b",
            rf"\b(?:{_MONTH_NAMES})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?=\s*(?:[,.;:)]|$|and\b))",
            rf"\b\d{{1,2}}(?:st|nd|rd|th)?(?:\s*(?:,|and|&|-|to)\s*\d{{1,2}}(?:st|nd|rd|th)?)*"
            rf"\s+(?:of\s+)?(?:{_MONTH_NAMES})\b"
            r"(?!\s+(?:be|been|have|not|also|well|still|need|face|take|lose|get|go|do|see)\b)",
            # compound measures of time or size: "a 24-hour helpline", "a 12-month period"
            r"\b\d+(?:\.\d+)?-(?:hour|day|week|month|year|minute|second|mile|metre|storey|bed|"
            r"seat|page)s?\b",
            # names and idioms: "No 10", "24/7", "9/11", "a 50-50 split", "the top 10",
            # "5G", "3D"
            r"\bno\.?\s+10\b|\b24/7\b|\b9/11\b|\b(\d+)-\1\b|\b(?:top|bottom)\s+\d+\b"
            r"(?!\s*(?:%|per\s*cent))|\b[2-6]g\b(?!\s+of\b)|\b[234]d\b",
            # times of day and scores: "9am", "10.30pm", "3-1"
            r"\b\d{1,2}(?:[.:]\d\d)?\s?(?:am|pm)\b",
        )
    ),
    re.IGNORECASE,
)
# "the first half of 2022/23", "half-term", "half an hour": not a proportion
_NOT_A_FRACTION_BEFORE = re.compile(r"\b(?:first|second|latter|former|other)\s+$")
_NOT_A_FRACTION_AFTER = re.compile(
    rf"^(?:-(?:term|time|day|year|hour)|\s+an?\s+{_TIME_WORDS}|\s+of\s+(?:the\s+)?"
    rf"(?:year|month|decade|century|term|season|(?:19|20)\d\d))"
)


def non_figure_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` holds numbers that are not figures: periods and dates, section and
    table numbers, road and disease names, references, phone numbers, URLs, ordinals."""
    spans = [(p.start, p.end) for p in find_periods(text)]
    spans += [(m.start(), m.end()) for m in _NON_FIGURES.finditer(text)]
    return spans


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _is_age(text: str, number: Number) -> bool:
    """ "aged 16", "aged 18 to 24", "under 18," "over-65s", "18-year-olds": an age."""
    if number.value >= MAX_AGE or not number.is_integer or "," in number.text:
        return False
    before = text[max(0, number.start - 30) : number.start]
    if _AGE_BEFORE.search(before):
        return True
    after = text[number.end :]
    return bool(_YEAR_OLD_AFTER.match(after)) or bool(
        _UNDER_OVER_BEFORE.search(before) and _AGE_AFTER.match(after)
    )


def _is_year(number: Number) -> bool:
    return not number.words and bool(_YEAR.match(number.text))


def _direction_of(verb: str) -> str:
    return "down" if verb in _DOWN_WORDS or verb in _COMPARED_DOWN else "up"


def _percent_figure(text: str, number: Number, end: int, points: bool) -> Figure:
    """A number followed by "%", "per cent" or "percentage points": a proportion, or a
    change when a verb says so ("rose by 8%", "a 30% reduction", "18% lower than")."""
    start = number.start
    before = _change_before(text, number.start)
    after = _CHANGE_AFTER.match(text[end:]) or _COMPARED_AFTER.match(text[end:])
    kind = "change_points" if points else "proportion"
    direction = None
    if before or after:
        kind = "change_points" if points else "change_percent"
        if after:
            word = after.groupdict().get("noun") or after["word"]
            direction = _direction_of(word)
            end += after.end()
        if before:
            direction, start = before if not after else (direction, before[1])
    qualifier = qualifier_before(text, number.start)
    interval, lenient = qualified_interval(number.value, number.unit, qualifier)
    return Figure(
        kind,
        text[start:end],
        start,
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
    """ "three times", "a 3-fold rise", "one and a half times": the ratio after / before."""
    qualifier = qualifier_before(text, number.start)
    interval, lenient = qualified_interval(number.value, number.unit, qualifier)
    if not qualifier and number.unit == 1:  # "three times" reads like "tripled"
        spread = policy.MULTIPLE_TOLERANCE
        interval, lenient = Interval(number.value - spread, number.value + spread), None
    elif not qualifier:  # "1.5 times": R(1.5), no loose band
        lenient = None
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
    """ "one in five", "3 in 10", "roughly one in 270": a hedge applies to N."""
    qualifier = qualifier_before(text, k.start)
    value = k.value / n.value * 100
    note = ""
    lenient = None
    if qualifier in ("about", "nearly", "just_over"):
        interval, lenient = _hedged_k_in_n(k.value, n.value, qualifier)
        note = f"the hedge applies to {n.text}: {format_number(n.value)} give or take " + (
            format_number(tolerance(n.value, n.unit))
        )
    elif qualifier:
        interval, lenient = qualified_interval(value, policy.WORD_UNIT, qualifier)
    elif n.value in policy.PERCENT_IN_DISGUISE:
        interval = Interval(
            (k.value - Fraction(1, 2)) / n.value * 100, (k.value + Fraction(1, 2)) / n.value * 100
        )
        note = f"{k.text} in {n.text} read as a rounded percentage"
    else:
        half = Fraction(1, 2)
        interval = Interval(k.value / (n.value + half) * 100, k.value / (n.value - half) * 100)
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


def _k_over(k: Fraction, n: Fraction) -> Fraction:
    """k / n in percent; 100 when n is 0 or less (the hedge swallowed N)."""
    return Fraction(100) if n <= k or n <= 0 else k / n * 100


def _hedged_k_in_n(k: Fraction, n: Fraction, qualifier: str) -> tuple[Interval, Interval]:
    """ "about one in 270": N is 270 +- t(N); "nearly one in five": N just above 5 (the
    share just under 20%); "just over one in five": N just under 5."""
    t = tolerance(n, Fraction(1))
    intervals = []
    for spread in (t, policy.LOOSE_HEDGE_FACTOR * t):
        if qualifier == "about":
            intervals.append(Interval(_k_over(k, n + spread), _k_over(k, n - spread)))
        elif qualifier == "nearly":
            intervals.append(Interval(_k_over(k, n + spread), _k_over(k, n), high_open=True))
        else:
            intervals.append(Interval(_k_over(k, n), _k_over(k, n - spread), low_open=True))
    return intervals[0], intervals[1]


def _per_n_figure(text: str, x: Number, n: Number) -> Figure:
    """ "45 per 100,000 residents": x / n, as a percentage (45 per 100,000 is 0.045%)."""
    qualifier = qualifier_before(text, x.start)
    interval, lenient = qualified_interval(x.value, x.unit, qualifier)
    scale = 100 / n.value
    return Figure(
        "proportion",
        text[x.start : n.end],
        x.start,
        n.end,
        x.value * scale,
        x.unit * scale,
        qualifier,
        interval.scaled(scale),
        lenient.scaled(scale) if lenient else None,
        words=x.words,
        note=f"{x.text} per {n.text} read as {format_number(x.value * scale, 4)}%",
    )


# "three times the average", "seven times more likely", "1.5 times as many": a multiple;
# "used 11,920 times in the year" is a count of occasions
_MULTIPLE_CONTEXT = re.compile(
    r"^\s+(?:as|the|more|less|fewer|than|over|above|below|that|what|their|its|his|her|"
    r"likely|likelier|average|median|mean|national|normal|usual|expected|[a-z]+er)\b"
)


def _is_multiple(text: str, number: Number, times: re.Match[str], after: str) -> bool:
    return bool(
        "fold" in times.group(0)
        or number.unit < 1
        or (qualifier_before(text, number.start) and number.value < 20)
        or _MULTIPLE_CONTEXT.match(after)
        or _change_before(text, number.start)
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
        if unit_words and _AT_ONE_POINT.search(text[max(0, number.start - 4) : number.end + 7]):
            unit_words = None  # "at one point 300 people queued"
        if unit_words:
            points = unit_words.re is _POINTS_AFTER
            figures.append(_percent_figure(text, number, number.end + unit_words.end(), points))
            continue
        times = _TIMES_AFTER.match(rest)
        if times and _FREQUENCY_AFTER.match(rest[times.end() :]):
            continue  # "four times a day": a frequency, not a figure to check
        if times and _is_multiple(text, number, times, rest[times.end() :]):
            figures.append(_times_figure(text, number, number.end + times.end()))
            continue
        per_n = _PER_N_AFTER.match(rest)
        if (
            per_n
            and following
            and following.start == number.end + per_n.end()
            and following.value >= 100
            and not number.money
        ):
            figures.append(_per_n_figure(text, number, following))
            skip.add(index + 1)
            continue
        k_in_n = _K_IN_N_AFTER.match(rest)
        if (
            k_in_n
            and following
            and following.start == number.end + k_in_n.end()
            and following.value > 0
            and not _is_year(following)
            and not number.money
            and number.unit <= 1
            and not following.money
            and not _TIME_AFTER.match(text[following.end :])
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
    if _is_year(number) or _is_age(text, number):
        return None
    measured = _measured_time(text, number.start, number.end)
    if _TIME_AFTER.match(text[number.end :]) and measured is None:
        return None
    if number.words and number.value == 1 and _PRONOUN_ONE.match(text[number.end :]):
        return None
    if number.words and number.value == 1 and number.text.lower() == "one":
        before = text[max(0, number.start - 30) : number.start]
        if not (qualifier_before(text, number.start) or _FILLER_TAIL.search(before)):
            return None  # "a cell designed for one person": one as a word, not a figure
    window = _window_before(text, number.start)
    qualifier = qualifier_before(text, number.start)
    exact = number.is_integer and number.unit == 1
    interval, lenient = qualified_interval(number.value, number.unit, qualifier, exact=exact)
    if number.region is not None and not qualifier:
        low, high, high_open = number.region
        interval, lenient = Interval(low, high, high_open=high_open), None
    start = number.start
    end = number.end
    change = _change_before(text, number.start) if re.search(r"\b(?:by|of)\s+$", window) else None
    compared = _COMPARED_AFTER.match(text[number.end :])
    if change is None and compared is not None and compared["than"]:
        # "400 fewer than in 2010": the size of a change, down for fewer/less
        change = (_direction_of(compared["word"]), number.start)
        end = number.end + compared.end()
    if change:
        direction, start = change
        return Figure(
            "change_count",
            text[start:end],
            start,
            end,
            number.value,
            number.unit,
            qualifier,
            interval,
            lenient,
            direction=direction,
            words=number.words,
        )
    level = _LEVEL_BEFORE.search(window)
    level_direction = _direction_of(level["verb"]) if level else None
    role: str | None = "before" if _ROLE_BEFORE.search(window) else None
    if role is None and _ROLE_AFTER.search(window):
        role = "after"
    # a measured time carries its measuring words, so the drafted phrase reads back as one
    start = measured if measured is not None and _TIME_AFTER.match(text[number.end :]) else start
    return Figure(
        "count",
        text[start : number.end],
        start,
        number.end,
        number.value,
        number.unit,
        qualifier,
        interval,
        lenient,
        direction=level_direction,
        words=number.words,
        role=role,
    )


# "an average of 19 days", "waited 12 weeks", "up from 12 days": a time that is measured
_MEASURED_TIME_BEFORE = re.compile(
    r"\b(?:average|mean|median|waited|waits?|waiting|took|taking|lasted)\b[^.;]{0,25}$"
    r"|\b(?:up|down|rising|falling|rose|fell)\s+(?:from|to)\s+$"
)
_TIME_BOUND_BEFORE = re.compile(
    r"\b(?:within|more\s+than|longer\s+than|over|under|at\s+least|less\s+than|after|in)\s+$"
)


_FROM_TIME_TO = re.compile(rf"^\s+{_TIME_WORDS}\s+to\s+\d")
_TO_AFTER_FROM_TIME = re.compile(rf"\bfrom\s+[\d,.]+\s+{_TIME_WORDS}\s+to\s+$")


def _measured_time(text: str, start: int, end: int | None = None) -> int | None:
    """Where the words measuring a time start ("an average of 19 days", "lasted 37 days"),
    when the number is a measured figure, not a span ("over the last 12 months") or a
    threshold ("waited more than 12 hours"); None otherwise."""
    offset = max(0, start - 40)
    before = text[offset:start]
    # "from 6 weeks to 14 weeks": two levels of a measured time
    levels = _TO_AFTER_FROM_TIME.search(before)
    if levels or (end is not None and before.endswith("from ") and _FROM_TIME_TO.match(text[end:])):
        return start if levels else offset + len(before) - len("from ")
    match = _MEASURED_TIME_BEFORE.search(before)
    if match is None or _TIME_BOUND_BEFORE.search(before):
        return None
    return offset + match.start()


def _fraction_figures(text: str, excluded: list[tuple[int, int]]) -> list[Figure]:
    """Named fractions: a proportion, or a relative change after a verb ("fell by a third",
    "a drop of more than half")."""
    figures = []
    for named in find_fractions(text):
        if _inside(excluded, named.start, named.end) or _not_a_fraction(
            text, named.start, named.end
        ):
            continue
        qualifier = qualifier_before(text, named.start)
        value = named.value * 100
        change = _change_before(text, named.start)
        kind = "change_percent" if change else "proportion"
        direction, start = change if change else (None, named.start)
        common = {"fraction": named.value, "words": True, "direction": direction}
        if qualifier:
            interval, lenient = qualified_interval(value, policy.WORD_UNIT, qualifier)
            figures.append(
                Figure(
                    kind,
                    text[start : named.end],
                    start,
                    named.end,
                    value,
                    policy.WORD_UNIT,
                    qualifier,
                    interval,
                    lenient,
                    **common,  # type: ignore[arg-type]
                )
            )
            continue
        margin = policy.IMPRECISE_FRACTION_POINTS
        figures.append(
            Figure(
                kind,
                text[start : named.end],
                start,
                named.end,
                value,
                policy.WORD_UNIT,
                "",
                _fraction_region(named.value),
                None,
                Interval(value - margin, value + margin),
                note=f"nearest named fraction: {named.text}",
                **common,  # type: ignore[arg-type]
            )
        )
    return figures


def _not_a_fraction(text: str, start: int, end: int) -> bool:
    """ "the first half of 2022/23", "half-term", "half an hour"."""
    return bool(
        _NOT_A_FRACTION_BEFORE.search(text[max(0, start - 12) : start])
        or _NOT_A_FRACTION_AFTER.match(text[end:])
    )


def _multiple_figure(text: str, match: re.Match[str]) -> Figure:
    """ "doubled" is accurate for a ratio within MULTIPLE_TOLERANCE of 2, loose within
    MULTIPLE_LOOSE of it ("roughly doubled"); "more than doubled" is a bound."""
    word = match["word"]
    factor = (
        Fraction(UNITS[match["fold"]])
        if match["fold"]
        else policy.MULTIPLES[
            {
                "double": "doubled",
                "treble": "trebled",
                "triple": "tripled",
                "quadruple": "quadrupled",
            }.get(word, word)
        ]
    )
    qualifier = qualifier_before(text, match.start())
    if qualifier:
        interval, lenient = qualified_interval(factor, Fraction(0), qualifier)
    else:
        spread = min(factor, Fraction(1)) * policy.MULTIPLE_TOLERANCE
        loose = factor * policy.MULTIPLE_LOOSE
        interval = Interval(factor - spread, factor + spread)
        lenient = Interval(factor - loose, factor + loose)
    return Figure(
        "multiple",
        match.group(0),
        match.start(),
        match.end(),
        factor,
        Fraction(0),
        qualifier,
        interval,
        lenient,
        direction="down" if factor < 1 else "up",
    )


def _keyword_figures(text: str) -> list[Figure]:
    figures = [_multiple_figure(text, match) for match in _MULTIPLE.finditer(text)]
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
    previous_end = -1
    for match in _SUPERLATIVE.finditer(text):
        gap = text[previous_end : match.start()] if previous_end >= 0 else "."
        if len(gap) <= 40 and not re.search(r"[.,;:]", gap):
            continue  # "the lowest proportion since records began": one rank, not two
        previous_end = match.end()
        word = " ".join(match["word"].split())
        figures.append(Figure("superlative", match.group(0), match.start(), match.end(), note=word))
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


def _restated_changes(text: str, figures: list[Figure]) -> list[Figure]:
    """ "rose by 1,240 (8%)": the percentage after a change is a change too, same way."""
    result: list[Figure] = []
    for figure in figures:
        previous = result[-1] if result else None
        if (
            figure.kind == "proportion"
            and previous is not None
            and previous.kind in ("change_count", "change_percent", "change_points")
            and _RESTATED_CHANGE.match(text[previous.end : figure.start])
        ):
            figure = replace(figure, kind="change_percent", direction=previous.direction)
        result.append(figure)
    return result


def _bounded(figure: Figure) -> Figure:
    """No proportion may claim a value below 0 or above 100 per cent."""
    if figure.kind != "proportion":
        return figure
    return replace(
        figure,
        interval=_clamp(figure.interval),
        lenient=_clamp(figure.lenient),
        precise=_clamp(figure.precise),
    )


def _clamp(interval: Interval | None) -> Interval | None:
    if interval is None:
        return None
    low, high = interval.low, interval.high
    low_open, high_open = interval.low_open, interval.high_open
    # an unbounded end stays unbounded ("more than half"); a stated one stays in 0..100
    if low is not None and low < 0:
        low, low_open = Fraction(0), False
    if high is not None and high > 100:
        high, high_open = Fraction(100), False
    return Interval(low, high, low_open, high_open)


def find_figures(text: str) -> list[Figure]:
    """Every figure in ``text``, in order of position; spans index into ``text``."""
    plain = normalise(text)
    excluded = non_figure_spans(plain)
    numbers = [n for n in find_numbers(plain) if not _inside(excluded, n.start, n.end)]
    phrase_numbers = [(n.start, n.end) for n in numbers if n.region or "half" in n.text]
    fractions = _fraction_figures(plain, excluded + phrase_numbers)
    keywords = _keyword_figures(plain)
    taken = [(f.start, f.end) for f in fractions + keywords]
    found = _number_figures(plain, numbers, taken)
    figures = sorted(fractions + keywords + found, key=lambda f: f.start)
    figures = [_bounded(f) for f in _restated_changes(plain, figures)]
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


def rate_figures(text: str) -> list[Figure]:
    """Every proportion a rate could be checked against, in order."""
    return [f for f in find_figures(text) if f.checkable and f.kind in PROPORTION_KINDS]


def describe_figure(figure: Figure) -> str:
    """The claim in a few words: ``3.3 (3.25 to 3.35)``."""
    if figure.interval is None:
        return figure.text
    stated = format_number(figure.value) if figure.value is not None else figure.text
    return f"{stated} ({figure.interval.describe()})"


_TREND = re.compile(rf"(?<!\bmade\s)(?<!\bmake\s)(?<!\bmakes\s)\b(?P<verb>{_UP}|{_DOWN})\b")
_COMPARATIVE = re.compile(
    r"\b(?P<slight>slightly\s+|a\s+little\s+|marginally\s+)?"
    r"(?P<word>higher|greater|more|better|lower|less|fewer|smaller|worse)\b[^.]{0,200}?\bthan\b"
)


# "more than half", "fewer than 10": a bound on a figure, not a comparison
_BOUND_AFTER = re.compile(
    r"^\s+(?:\d|a\s|an\s|half|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|doubled|tripled|"
    r"trebled|quadrupled|halved|twice|once)"
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
