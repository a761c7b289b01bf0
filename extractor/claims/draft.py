"""Draft a claims file from an article: one ``[[claim]]`` per checkable figure.

Sentences are split, then every figure the grammar finds (:func:`find_figures`)
becomes a claim with the sentence, the phrase, the interval it claims, and empty
figure slots for the user to fill. Some figures are grouped into one claim:

- "between 2020 and 2022, 4,214": a ``total`` over the years;
- a superlative ("the highest ... in 2022, with 1,527") or a trend ("1,306 ...
  increased to 1,654 in 2021"): a ``series`` claim holding the counts it states;
- two or more percentages followed by "the remaining ...": ``shares``;
- "P per cent of the N": a ``rate`` whose note gives the feasible counts for N;
- "slightly higher ... than the England average": a ``comparison``.

Years, time spans ("over the last 12 months") and "one of the ..." are not claims.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import FoiError, UsageError
from ..files import require_regular_input
from ..periods import find_periods
from .claimsfile import decode_text, parse_claim_table
from .intervals import as_float
from .numbers import format_number
from .phrases import (
    BETWEEN_YEARS,
    CHANGE_KINDS,
    REMAINDER,
    Figure,
    comparison_span,
    find_figures,
    normalise,
    trend_direction,
)
from .rates import feasible_numerators, feasible_text

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’]?\s+(?=[\"'“‘(]?[A-Z0-9])")
_OF_BASE = re.compile(r"^\s+of\s+(?:the\s+|these\s+|all\s+)?$", re.I)
_LEFT_WORDS = re.compile(
    r"(?:\b(?:just|only|a\s+mere|merely|more\s+than|over|under|fewer\s+than|less\s+than|"
    r"nearly|almost|about|around|roughly|approximately|some|at\s+least|up\s+to|at\s+most|"
    r"no\s+more\s+than|slightly\s+more\s+than|a\s+little\s+over|close\s+to|all)\s+)+$",
    re.I,
)
_RIGHT_WORD = re.compile(r"^\s+(\d{1,3}(?:,\d{3})+|[\w’'/-]+)")
_STOP_WORDS = frozenset(
    (
        "that",
        "which",
        "and",
        "but",
        "were",
        "was",
        "are",
        "is",
        "to",
        "led",
        "will",
        "have",
        "has",
        "had",
        "in",
        "with",
        "while",
        "whereas",
        "as",
        "from",
    )
)
MAX_SENTENCE_CHARS = 2_000  # no news sentence is longer; bounds the work per sentence
MAX_ARTICLE_BYTES = 10 * 1024 * 1024
SLOT_HINT = 'fill in: a number, a cell selector {file = "...", row = [...], column = [...]}'
SLOTS = {
    "rate": ("numerator", "denominator"),
    "count": ("value",),
    "change": ("before", "after"),
    "base": ("base",),
    "comparison": ("numerator", "denominator", "reference"),
}


@dataclass
class DraftClaim:
    """One drafted claim: the sentence, the phrase, what it claims, slots to fill."""

    id: str
    kind: str
    text: str
    phrase: str
    figure: Figure | None = None
    slots: tuple[str, ...] = ()
    series: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    note: str = ""
    figures: list[Figure] = field(default_factory=list)  # every figure the claim stands for

    def __post_init__(self) -> None:
        if not self.figures and self.figure is not None:
            self.figures = [self.figure]

    def to_dict(self) -> dict[str, Any]:
        interval = self.figure.interval if self.figure else None
        return {
            "id": self.id,
            "kind": self.kind,
            "text": self.text,
            "phrase": self.phrase,
            "claimed": interval.describe() if interval else None,
            "claimed_low": as_float(interval.low) if interval else None,
            "claimed_high": as_float(interval.high) if interval else None,
            "slots": list(self.slots)
            + [f"series.{k}" for k in self.series]
            + [f"parts.{p}" for p in self.parts],
            "note": self.note or None,
            "figures": [f.text for f in self.figures],
        }


def split_sentences(text: str) -> list[str]:
    """Sentences of an article; a run-on "sentence" is cut at whitespace into pieces of
    at most MAX_SENTENCE_CHARS so that hostile input stays linear in time."""
    sentences = []
    for paragraph in re.split(r"\n\s*\n|\n", text):
        for sentence in _SENTENCE_END.split(paragraph.strip()):
            sentences += _pieces(sentence.strip())
    return [s for s in sentences if s]


def _pieces(sentence: str) -> list[str]:
    pieces = []
    while len(sentence) > MAX_SENTENCE_CHARS:
        cut = sentence.rfind(" ", 0, MAX_SENTENCE_CHARS)
        cut = cut if cut > 0 else MAX_SENTENCE_CHARS
        pieces.append(sentence[:cut].strip())
        sentence = sentence[cut:].strip()
    return [*pieces, sentence]


def phrase_around(sentence: str, start: int, end: int) -> str:
    """The figure with its qualifiers ("only", "more than") and up to three following
    words ("three per cent chance")."""
    window = max(0, start - 80)  # qualifiers are short: a bounded look-back
    left = _LEFT_WORDS.search(sentence[window:start])
    if left:
        start = window + left.start()
    for _ in range(3):
        match = _RIGHT_WORD.match(sentence[end:])
        if not match or match[1].lower() in _STOP_WORDS:
            break
        end += match.end()
    return sentence[start:end].strip(" ,;:\"'“”‘’")


class _SentenceDrafter:
    """Turns one sentence into drafted claims, consuming the figures it groups."""

    def __init__(self, sentence: str) -> None:
        self.sentence = sentence
        self.figures = [f for f in find_figures(sentence) if f.checkable or f.kind == "superlative"]
        self.used: set[int] = set()
        self.drafts: list[tuple[int, DraftClaim]] = []

    def add(self, position: int, draft: DraftClaim) -> None:
        self.drafts.append((position, draft))

    def free(self, kinds: tuple[str, ...]) -> list[Figure]:
        return [f for f in self.figures if f.kind in kinds and id(f) not in self.used]

    def use(self, *figures: Figure) -> None:
        self.used.update(id(f) for f in figures)

    def run(self) -> list[DraftClaim]:
        self.total()
        self.series()
        self.shares()
        self.comparison()
        self.proportions()
        self.changes()
        self.counts()
        return [draft for _, draft in sorted(self.drafts, key=lambda item: item[0])]

    def total(self) -> None:
        window = BETWEEN_YEARS.search(self.sentence)
        counts = [f for f in self.free(("count",)) if window and f.start > window.end()]
        if not window or not counts:
            return
        count = counts[0]
        self.use(count)
        years = [str(y) for y in range(int(window[1]), int(window[2]) + 1)]
        phrase = self.sentence[window.start() : count.end]
        phrase = phrase_around(self.sentence, window.start(), count.end) if phrase else phrase
        self.add(
            window.start(),
            DraftClaim("", "total", self.sentence, phrase, count, series=years),
        )

    def period_keys(self) -> list[str]:
        """The periods the sentence names, as series keys (2019/20, 2022, latest)."""
        keys = [p.key for p in find_periods(self.sentence) if p.kind != "day"]
        if re.search(r"\b(?:last|this)\s+year\b", self.sentence, re.I):
            keys.append("latest")
        return list(dict.fromkeys(keys))

    def series(self) -> None:
        keys = self.period_keys()
        superlatives = self.free(("superlative",))
        for index, anchor in enumerate(superlatives):
            limit = (
                superlatives[index + 1].start
                if index + 1 < len(superlatives)
                else len(self.sentence)
            )
            counts = [f for f in self.free(("count",)) if anchor.end < f.start < limit][:1]
            self.use(anchor, *counts)
            start = self.sentence.rfind(",", 0, anchor.start) + 1
            end = max([anchor.end] + [c.end for c in counts])
            phrase = phrase_around(self.sentence, start, end).strip()
            draft = DraftClaim(
                "",
                "series",
                self.sentence,
                phrase,
                anchor,
                series=keys or ["latest"],
                note=anchor.note,
                figures=[anchor, *counts],
            )
            self.add(anchor.start, draft)
        self.levels(keys)

    def levels(self, keys: list[str]) -> None:
        """ "fell from 635 in 2019/20 to 278 in 2023/24": a series over the periods named;
        "16,740 calls, up from 15,500": a change from one level to the other."""
        counts = self.free(("count",))
        stated = [f for f in counts if f.direction or f.role]
        moved = trend_direction(self.sentence) or any(f.role == "before" for f in stated)
        if not stated or not moved:  # "from 6 weeks to 14 weeks" moves without a verb
            return
        involved = [f for f in counts if f.start <= stated[-1].start]
        if len(involved) < 2:
            return
        self.use(*involved)
        end = involved[-1].end
        for period in find_periods(self.sentence):  # "to 278 in 2023/24": keep its period
            if 0 <= period.start - end <= 20:
                end = period.end
        phrase = phrase_around(self.sentence, 0, end).strip()
        if len([k for k in keys if k != "latest"]) >= 2 or (keys and len(keys) >= len(involved)):
            draft = DraftClaim(
                "", "series", self.sentence, phrase, involved[0], series=keys, figures=involved
            )
        else:
            draft = DraftClaim(
                "",
                "change",
                self.sentence,
                phrase,
                involved[0],
                slots=SLOTS["change"],
                figures=involved,
            )
        self.add(involved[0].start, draft)

    def shares(self) -> None:
        shares = self.free(("proportion",))
        if len(shares) < 2 or not REMAINDER.search(self.sentence[shares[-1].end :]):
            return
        self.use(*shares)
        parts = [f"part{i}" for i in range(1, len(shares) + 1)]
        end = REMAINDER.search(self.sentence, shares[-1].end).end()  # type: ignore[union-attr]
        phrase = self.sentence[shares[0].start : end]
        self.add(
            shares[0].start,
            DraftClaim(
                "",
                "shares",
                self.sentence,
                phrase,
                shares[0],
                slots=("whole",),
                parts=parts,
                figures=shares,
            ),
        )

    def comparison(self) -> None:
        span = comparison_span(self.sentence)
        if span is None or any(f.start <= span[0] <= f.end + 1 for f in self.figures):
            return  # "18% lower than", "seven times more likely than": a change, drafted as one
        phrase = self.sentence[span[0] : span[1]]
        self.add(
            span[0],
            DraftClaim("", "comparison", self.sentence, phrase, slots=SLOTS["comparison"]),
        )

    def proportions(self) -> None:
        for figure in self.free(("proportion",)):
            self.use(figure)
            note = self._base_note(figure)
            phrase = phrase_around(self.sentence, figure.start, figure.end)
            self.add(
                figure.start,
                DraftClaim(
                    "", "rate", self.sentence, phrase, figure, slots=SLOTS["rate"], note=note
                ),
            )

    def _base_note(self, figure: Figure) -> str:
        """ "11 per cent of the 1,760": the stated base and its feasible counts."""
        for count in self.free(("count",)):
            if count.start > figure.end and _OF_BASE.match(self.sentence[figure.end : count.start]):
                self.use(count)
                base = count.value
                assert base is not None
                feasible = feasible_text(feasible_numerators(figure, base), base)
                return f"base stated in the text: {format_number(base)}; {feasible}"
        return ""

    def changes(self) -> None:
        previous: DraftClaim | None = None
        for figure in self.free(CHANGE_KINDS):
            self.use(figure)
            if previous is not None and _RESTATES.match(
                self.sentence[previous.figures[-1].end : figure.start]
            ):
                previous.figures.append(figure)  # "rose by 1,240 (8%)": one change, two figures
                previous.phrase = _closed(
                    self.sentence,
                    phrase_around(self.sentence, previous.figures[0].start, figure.end),
                )
                continue
            phrase = phrase_around(self.sentence, figure.start, figure.end)
            previous = DraftClaim(
                "", "change", self.sentence, phrase, figure, slots=SLOTS["change"]
            )
            self.add(figure.start, previous)

    def counts(self) -> None:
        for figure in self.free(("count",)):
            self.use(figure)
            phrase = phrase_around(self.sentence, figure.start, figure.end)
            self.add(
                figure.start,
                DraftClaim("", "count", self.sentence, phrase, figure, slots=SLOTS["count"]),
            )


_RESTATES = re.compile(r"^\s*(?:\(|,\s*or\s+)\s*$")


def _closed(sentence: str, phrase: str) -> str:
    """A phrase that opens a bracket closes it, when the sentence does: "(8%)"."""
    at = sentence.find(phrase)
    if (
        phrase.count("(") > phrase.count(")")
        and sentence[at + len(phrase) : at + len(phrase) + 1] == ")"
    ):
        return phrase + ")"
    return phrase


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", normalise(text)).strip("-")[:40].rstrip("-")


def draft_claims(article: str) -> list[DraftClaim]:
    """Every checkable figure of an article, as drafted claims in reading order."""
    drafts: list[DraftClaim] = []
    for sentence in split_sentences(article):
        for draft in _SentenceDrafter(sentence).run():
            draft.id = f"c{len(drafts) + 1:02d}-{_slug(draft.phrase)}"
            drafts.append(draft)
    return drafts


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_string(key)


def draft_to_toml(draft: DraftClaim) -> str:
    lines = [
        "[[claim]]",
        f"id = {_toml_string(draft.id)}",
        f"kind = {_toml_string(draft.kind)}",
        f"text = {_toml_string(draft.text)}",
        f"phrase = {_toml_string(draft.phrase)}",
    ]
    claimed = draft.to_dict()["claimed"]
    if claimed:
        lines.append(f"# claims {claimed}")
    if draft.note:
        lines.append(f"note = {_toml_string(draft.note)}")
    lines += [f'{slot} = ""  # {SLOT_HINT}' for slot in draft.slots]
    for name, keys in (("series", draft.series), ("parts", draft.parts)):
        if keys:
            inner = ", ".join(f'{_toml_key(k)} = ""' for k in keys)
            lines.append(f"{name} = {{ {inner} }}  # {SLOT_HINT}")
    return "\n".join(lines) + "\n"


def drafts_to_toml(drafts: list[DraftClaim], source: str = "") -> str:
    """A claims file `foi check` reads; every figure slot is "" until filled in.

    Every drafted claim is parsed back as `foi check` would read it before the file is
    returned: a draft that does not parse is a bug, reported, never written."""
    for draft in drafts:
        _parse_back(draft)
    header = [
        f"# Claims drafted by `foi claims`{' from ' + source if source else ''}.",
        '# Fill each "" with a number, a cell selector, or a list of them (summed);',
        "# a claim with an empty slot is reported as unclear. Keys: docs/claims.md.",
        "",
    ]
    return "\n".join(header) + "\n" + "\n".join(draft_to_toml(d) for d in drafts)


def _parse_back(draft: DraftClaim) -> None:
    try:
        parse_claim_table(tomllib.loads(draft_to_toml(draft))["claim"][0])
    except (tomllib.TOMLDecodeError, ValueError, KeyError) as exc:
        raise FoiError(
            f"drafted claim {draft.id!r} does not parse back ({exc}); please report this"
        ) from None


def read_article(path: str | Path) -> str:
    """An article's text from a file, or stdin for ``-``; errors name the file."""
    if str(path) == "-":
        return sys.stdin.read()
    require_regular_input(path, " (to read standard input, give -)")
    try:
        if Path(path).stat().st_size > MAX_ARTICLE_BYTES:
            raise UsageError(f"{path}: over {MAX_ARTICLE_BYTES // 2**20} MB, not an article")
        return decode_text(Path(path).read_bytes(), str(path))
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise UsageError(f"{path}: cannot read the article ({reason})") from None
