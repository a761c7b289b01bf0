"""Link drafted figures to the cells they came from.

``foi claims ARTICLE --db STORE`` drafts claims (:mod:`.draft`) and fills each figure slot
with the selector of the cell the figure came from, when the cells hold one. A link needs
all three to agree:

- **value**: a stated count equals a cell; a rate is a ratio of two cells within the
  claim's rounding interval (a stated base or stated counts must be those cells); a
  total is the sum of a row's or column's cells over the stated years; a series or trend
  is a row or column holding the stated counts in the stated periods;
- **period**: the years, financial years or months the sentence names (the nearest
  earlier sentence's when it names none; "last year" is the latest period of the row)
  are the cell's periods;
- **labels**: the words of a cell's innermost row and column labels (stems, and the
  synonyms a reader accepts: "reports"/"recorded", "convictions"/"convicted") are in the
  sentence; a cell labelled only by periods or "Total" must share words of its title.

Candidates are scored 0..1; the best at or above ``min_score`` fills the slot, with a
margin over a rival that points elsewhere with a different value; runners-up are listed
as comments. Nothing is linked to a look-alike: a slot with no candidate that agrees on
value, period and labels stays "" (an empty slot costs a minute; a wrong link costs a
wrong verdict stated with confidence).
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..periods import find_periods, parse_period, sort_key
from ..records import Cell
from .draft import SLOT_HINT, DraftClaim, draft_to_toml, split_sentences
from .intervals import Interval
from .selectors import Selector, SelectorBook, normalise_label

DEFAULT_MIN_SCORE = 0.3  # half a cell's innermost label words named, periods agreeing
MAX_RUNNERS_UP = 3
MAX_RATE_CELLS = 4_000  # relevant cells paired for a rate whose counts are not stated

_WORD = re.compile(r"[a-z]+")
_LATEST = re.compile(r"\b(last|this|past|latest|most recent)\s+(year|12 months)\b", re.I)
_TOTALS = frozenset({"total", "all", "overall", "grand", "sum", "totals"})
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "and",
        "or",
        "but",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "that",
        "this",
        "these",
        "those",
        "there",
        "their",
        "they",
        "it",
        "its",
        "which",
        "who",
        "whom",
        "than",
        "then",
        "so",
        "such",
        "into",
        "over",
        "under",
        "per",
        "cent",
        "percent",
        "number",
        "numbers",
        "only",
        "just",
        "more",
        "less",
        "fewer",
        "most",
        "least",
        "had",
        "has",
        "have",
        "do",
        "does",
        "did",
        "not",
        "no",
        "nor",
        "out",
        "up",
        "down",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "year",
        "years",
        "figure",
        "figures",
        "data",
        "show",
        "shows",
        "showed",
        "according",
        "while",
        "whereas",
        "also",
        "since",
        "between",
        "compared",
        "around",
        "about",
        "nearly",
        "almost",
        "some",
        "any",
        "each",
        "every",
        "other",
        "others",
        "what",
        "when",
        "where",
        "how",
        "new",
        "led",
        "lead",
        "leading",
        "result",
        "resulted",
        "table",
        "calendar",
        "count",
        "note",
        "notes",
        "revised",
        "provisional",
        "far",
        "s",
        "t",
    ]
)
# words a reader takes for one another, reduced to one stem
_SYNONYMS = {
    "record": "report",
    "reporting": "report",
    "rapist": "rape",
    "raped": "rape",
    "convicted": "convict",
    "conviction": "convict",
    "women": "female",
    "woman": "female",
    "girl": "female",
    "men": "male",
    "man": "male",
    "boy": "male",
    "crime": "offence",
    "offense": "offence",
    "pupil": "student",
    "people": "person",
    "individual": "person",
    "expenditure": "spend",
    "spending": "spend",
    "cost": "spend",
    "admission": "admit",
    "admitted": "admit",
    "applicant": "apply",
    "application": "apply",
    "acceptance": "accept",
    "accepted": "accept",
    "planted": "plant",
    "planting": "plant",
}


def stem(word: str) -> str:
    word = word.lower()
    if word in _SYNONYMS:
        return _SYNONYMS[word]
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif re.search(r"(?:ss|x|z|ch|sh)es$", word):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        word = word[:-1]
    for suffix in ("ion", "ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return _SYNONYMS.get(word, word)


def words(text: str) -> set[str]:
    return {stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP}


def acronyms(text: str) -> set[str]:
    """Initials of runs of capitalised or plain words, so that a label's "PCN" or "CPS"
    is named by "penalty charge notices" or "Crown Prosecution Service"."""
    tokens = [w for w in _WORD.findall(text.lower()) if w not in ("of", "and", "the", "for")]
    found = set()
    for size in (2, 3, 4):
        for at in range(len(tokens) - size + 1):
            found.add("".join(t[0] for t in tokens[at : at + size]))
    return found


def periods(text: str) -> set[str]:
    """Periods named in a text, as canonical keys (``2022``, ``2019/20``, ``2023-03``)."""
    return {p.key for p in find_periods(text)}


def _period_order(key: str) -> tuple[int, int, str]:
    return sort_key(key)


# --- cells -----------------------------------------------------------------------------
@dataclass
class CellInfo:
    """What linking reads of a cell: its value, its words and its periods."""

    cell: Cell
    value: Fraction
    inner: set[str]  # words of the innermost row and column labels (not periods, totals)
    outer: set[str]  # words of outer labels, the title and the sheet
    periods: set[str]  # periods in its labels
    title_spans: list[tuple[int, int]]  # months its title's periods cover (when labels have none)
    total: bool
    is_rate: bool  # a percentage or rate cell: never a count, nor part of a ratio
    line_keys: tuple[tuple[object, ...], tuple[object, ...]]  # its row and its column


def _cell_info(cell: Cell) -> CellInfo | None:
    if isinstance(cell.value, bool) or not isinstance(cell.value, int | float):
        return None
    if cell.flag or cell.hidden:
        return None
    row_at, column_at = _meaningful(cell.row), _meaningful(cell.column)
    inner_labels = [
        cell.row[row_at] if row_at >= 0 else "",
        cell.column[column_at] if column_at >= 0 else "",
    ]
    outer_labels = [
        *cell.row[: max(row_at, 0)],
        *cell.column[: max(column_at, 0)],
        cell.title or "",
        cell.sheet or "",
    ]
    label_periods = periods(" | ".join([*cell.row, *cell.column]))
    inner = set()
    for label in inner_labels:
        inner |= {w for w in words(_strip_periods(label)) if w not in _TOTALS}
    is_total = cell.total or any(
        normalise_label(x) in _TOTALS or normalise_label(x).startswith("total")
        for x in inner_labels
    )
    file = (cell.file, cell.sha256, cell.table)
    row_key = (*file, "row", tuple(normalise_label(x) for x in cell.row))
    column_key = (*file, "column", tuple(normalise_label(x) for x in cell.column))
    return CellInfo(
        cell=cell,
        value=Fraction(str(cell.value)),
        inner=inner,
        outer=words(_strip_periods(" ".join(outer_labels))) - _TOTALS,
        periods=label_periods,
        title_spans=[]
        if label_periods
        else [(p.first, p.last) for p in find_periods(cell.title or "")],
        total=is_total,
        is_rate=bool(_RATE_WORDS.search(" ".join(inner_labels))),
        line_keys=(row_key, column_key),
    )


def _title_span(title: str) -> list[tuple[int, int]]:
    """The months a title's periods cover, first to last ("Financial Year 2017 - 2018")."""
    found = find_periods(title)
    return [(min(p.first for p in found), max(p.last for p in found))] if found else []


def _meaningful(labels: Sequence[str]) -> int:
    """The innermost label that says something: not blank, a note or only a period."""
    for at in range(len(labels) - 1, -1, -1):
        if words(_strip_periods(labels[at])) - _TOTALS or normalise_label(labels[at]) in _TOTALS:
            return at
    return len(labels) - 1


_RATE_WORDS = re.compile(r"%|\b(?:per\s*cent|percentage|proportion|rate|share|ratio)\b", re.I)


def _strip_periods(text: str) -> str:
    for period in reversed(find_periods(text)):
        text = text[: period.start] + " " + text[period.end :]
    return text


@dataclass
class Context:
    """What the text says around a figure: its words, periods, and whether "last year"."""

    words: set[str]
    periods: set[str]
    latest: bool
    inherited: bool = False  # the periods are an earlier sentence's
    spans: list[tuple[int, int]] = field(default_factory=list)


def _contexts(drafts: Sequence[DraftClaim], article: str) -> dict[int, Context]:
    """Each draft's context; a sentence naming no period takes the nearest earlier one's."""
    by_sentence: dict[str, set[str]] = {}
    last: set[str] = set()
    for sentence in split_sentences(article):
        named = periods(sentence)
        last = named or last
        by_sentence[sentence] = last
    contexts = {}
    for draft in drafts:
        own = find_periods(draft.text)
        named = {p.key for p in own} or by_sentence.get(draft.text, set())
        spans = [(p.first, p.last) for p in own] or [
            (p.first, p.last) for key in named if (p := parse_period(key)) is not None
        ]
        contexts[id(draft)] = Context(
            words=words(draft.text) | acronyms(draft.text),
            periods=named,
            latest=bool(_LATEST.search(draft.text)),
            inherited=not own and bool(named),
            spans=spans,
        )
    return contexts


# --- scoring ---------------------------------------------------------------------------
@dataclass
class Candidate:
    """Cells for a claim's slots, with a score and what agreed."""

    cells: dict[str, CellInfo]
    score: float
    why: str


def label_score(info: CellInfo, context: Context) -> float | None:
    """How well the text names the cell, 0..1; None when the labels contradict it."""
    if info.inner:
        covered = len(info.inner & context.words) / len(info.inner)
        if covered < 0.5:
            return None
        outer = len(info.outer & context.words)
        return 0.7 * covered + 0.3 * min(outer, 3) / 3
    outer = len(info.outer & context.words)  # a cell labelled "2022" / "Total": its title
    if outer == 0:
        return None
    return 0.6 * min(outer, 3) / 3 + 0.1


def period_agrees(info: CellInfo, context: Context, line: Sequence[CellInfo]) -> float | None:
    """1 when the periods agree, 0.8 when neither says, None when they differ."""
    if not info.periods:
        if not context.periods or not info.title_spans:
            return 1.0 if not context.periods else 0.8
        within = any(a <= c1 and c2 <= b for a, b in info.title_spans for c1, c2 in context.spans)
        if within:
            return 1.0
        return 0.8 if context.inherited else None
    if context.periods:
        return 1.0 if info.periods & context.periods else None
    latest = max((p for c in line for p in c.periods), key=_period_order, default=None)
    is_latest = latest is not None and latest in info.periods
    if context.latest:
        return 1.0 if is_latest else None
    return 0.8 if is_latest else None  # no period named: the latest figures, or nothing


class Linker:
    """Links the drafted claims of one article to cells."""

    def __init__(self, cells: Iterable[Cell], min_score: float = DEFAULT_MIN_SCORE) -> None:
        self.all_cells = list(cells)
        self.min_score = min_score
        self.infos = [i for i in (_cell_info(c) for c in self.all_cells) if i is not None]
        self.by_value: dict[Fraction, list[CellInfo]] = {}
        self.lines: dict[tuple[object, ...], list[CellInfo]] = {}
        for info in self.infos:
            self.by_value.setdefault(info.value, []).append(info)
            for key in info.line_keys:
                self.lines.setdefault(key, []).append(info)
        self.values = sorted(self.by_value)
        self._books: dict[str, SelectorBook] = {}
        self._file_cells: dict[str, list[Cell]] = {}
        for cell in self.all_cells:
            self._file_cells.setdefault(cell.file.casefold(), []).append(cell)

    # selectors
    def selector(self, cell: Cell) -> Selector:
        key = cell.file.casefold()
        if key not in self._books:
            self._books[key] = SelectorBook(self._file_cells[key])
        book = self._books[key]
        position = next(i for i, other in enumerate(book.cells) if other is cell)
        return book.selector(position)

    def links_of(self, claim: LinkedClaim) -> dict[str, Any]:
        """Each slot's selector (None when not linked), for --json."""
        slots = {
            **claim.slots,
            **{f"series.{k}": v for k, v in claim.series.items()},
            **{f"parts.{k}": v for k, v in claim.parts.items()},
        }
        return {
            name: [self.selector(i.cell).to_dict() for i in slot.cells] or None
            for name, slot in slots.items()
        }

    # scoring one cell
    def cell_score(
        self, info: CellInfo, context: Context, check_period: bool = True
    ) -> float | None:
        """Labels times period agreement; ``check_period=False`` where the caller has
        matched the periods already (the cells of a series or total)."""
        labels = label_score(info, context)
        if labels is None:
            return None
        if not check_period:
            return labels
        line = self.lines[info.line_keys[0]] if info.periods else []
        if info.periods and not any(
            c.periods - info.periods for c in line
        ):  # periods in the column: the row is the other line
            line = self.lines[info.line_keys[1]]
        when = period_agrees(info, context, line)
        if when is None:
            return None
        tie_break = 0.01 if info.total else 0.0  # the named cell over a total of the same value
        return round(labels * when - tie_break, 4)

    def in_interval(
        self, interval: Interval, low_high: tuple[Fraction, Fraction]
    ) -> list[CellInfo]:
        values = self.values
        start = bisect.bisect_left(values, low_high[0])
        end = bisect.bisect_right(values, low_high[1])
        return [
            i
            for v in values[start:end]
            for i in self.by_value[v]
            if v in interval and not i.is_rate
        ]

    def scored(self, infos: Iterable[CellInfo], context: Context) -> list[Candidate]:
        found = []
        for info in infos:
            score = self.cell_score(info, context)
            if score is not None:
                found.append(Candidate({"value": info}, score, "value, period and labels"))
        return sorted(found, key=lambda c: -c.score)

    def relevant(self, context: Context) -> list[tuple[CellInfo, float]]:
        """Cells the text could be about, best first (rates whose counts are not stated)."""
        found = []
        for info in self.infos:
            score = self.cell_score(info, context)
            if score is not None and score >= self.min_score * 0.8 and not info.is_rate:
                found.append((info, score))
        found.sort(key=lambda item: -item[1])
        return found[:MAX_RATE_CELLS]


def _bounds(interval: Interval) -> tuple[Fraction, Fraction]:
    low = interval.low if interval.low is not None else Fraction(0)
    high = interval.high if interval.high is not None else Fraction(10**15)
    return low, high


# --- claims ----------------------------------------------------------------------------
@dataclass
class SlotLink:
    """What one slot got: a cell (or none) and the runners-up."""

    cell: CellInfo | None = None
    score: float = 0.0
    runners_up: list[tuple[CellInfo, float]] = field(default_factory=list)
    summed: list[CellInfo] = field(default_factory=list)  # a figure that is a sum of cells

    @property
    def cells(self) -> list[CellInfo]:
        return self.summed or ([self.cell] if self.cell else [])


@dataclass
class LinkedClaim:
    draft: DraftClaim
    slots: dict[str, SlotLink] = field(default_factory=dict)
    series: dict[str, SlotLink] = field(default_factory=dict)
    parts: dict[str, SlotLink] = field(default_factory=dict)

    def figures(self) -> int:
        return len(self.draft.slots) + len(self.draft.series) + len(self.draft.parts)

    def linked(self) -> int:
        filled = [*self.slots.values(), *self.series.values(), *self.parts.values()]
        return sum(1 for s in filled if s.cell is not None)


def _pick(candidates: list[Candidate], min_score: float) -> Candidate | None:
    """The best candidate when it is sure enough and no rival with a different value
    (pointing elsewhere) scores as well: then the figure is ambiguous."""
    if not candidates or candidates[0].score < min_score:
        return None
    best = candidates[0]
    for rival in candidates[1:]:
        if rival.score < best.score - 0.05:
            break
        if any(rival.cells[k].value != best.cells[k].value for k in best.cells if k in rival.cells):
            return None
    return best


def _slot(candidate: Candidate | None, name: str, candidates: list[Candidate]) -> SlotLink:
    runners = [(c.cells[name], c.score) for c in candidates if name in c.cells]
    if candidate is None:
        return SlotLink(None, 0.0, runners[:MAX_RUNNERS_UP])
    chosen = candidate.cells[name]
    others = [(i, s) for i, s in runners if i is not chosen]
    return SlotLink(chosen, candidate.score, others[:MAX_RUNNERS_UP])


def link_claims(
    drafts: Sequence[DraftClaim],
    article: str,
    cells: Iterable[Cell],
    min_score: float = DEFAULT_MIN_SCORE,
) -> tuple[list[LinkedClaim], Linker]:
    linker = Linker(cells, min_score)
    contexts = _contexts(drafts, article)
    linked: list[LinkedClaim] = []
    for draft in drafts:
        context = contexts[id(draft)]
        claim = LinkedClaim(draft)
        link_one = _KIND_LINKERS.get(draft.kind)
        if link_one is not None:
            link_one(linker, draft, context, claim, linked)
        linked.append(claim)
    for claim in linked:
        if claim.draft.kind == "comparison":
            _link_comparison(claim, linked)
    return linked, linker


def _link_comparison(claim: LinkedClaim, linked: list[LinkedClaim]) -> None:
    """ "a higher chance ... than the England average, however only 11 per cent of the
    1,760": the local rate is the rate stated in the same sentence; the reference (the
    average) is seldom in an FOI response and stays for the user."""
    rates = [
        c
        for c in linked
        if c.draft.kind == "rate" and c.draft.text == claim.draft.text and c.linked() == 2
    ]
    if len(rates) == 1:
        for name in ("numerator", "denominator"):
            claim.slots[name] = rates[0].slots[name]


def _link_count(
    linker: Linker, draft: DraftClaim, context: Context, claim: LinkedClaim, _: list[LinkedClaim]
) -> None:
    figure = draft.figure
    if figure is None or figure.interval is None or figure.value is None:
        return
    interval = figure.interval
    if (
        interval.low is None
        or interval.high is None
        or interval.high - interval.low > max(abs(figure.value) / 20, Fraction(1))
    ):
        return  # "more than 1,000": too loose to single out a cell
    candidates = linker.scored(linker.in_interval(interval, _bounds(interval)), context)
    claim.slots["value"] = _slot(_pick(candidates, linker.min_score), "value", candidates)


def _stated_counts(claim: LinkedClaim, earlier: list[LinkedClaim]) -> list[CellInfo]:
    """Cells linked to counts of the same sentence ("1,527 reports ... only 50")."""
    found = []
    for other in earlier:
        if other.draft.text != claim.draft.text:
            continue
        for slot in [*other.slots.values(), *other.series.values()]:
            if slot.cell is not None:
                found.append(slot.cell)
    return found


def _base_value(draft: DraftClaim) -> Fraction | None:
    match = re.search(r"base stated in the text: ([\d,]+)", draft.note)
    return Fraction(match[1].replace(",", "")) if match else None


def _link_rate(
    linker: Linker,
    draft: DraftClaim,
    context: Context,
    claim: LinkedClaim,
    earlier: list[LinkedClaim],
) -> None:
    figure = draft.figure
    if figure is None or figure.interval is None:
        return
    interval = figure.interval
    low, high = _bounds(interval)
    if high - low > 10:  # "more than half": no single pair of cells; maybe categories
        _link_category_share(linker, draft, context, claim)
        return
    base = _base_value(draft)
    stated = _stated_counts(claim, earlier)
    pool = [(i, linker.cell_score(i, context) or 0.0) for i in stated]
    pool += linker.relevant(context)
    seen: set[int] = set()
    unique = []
    for info, score in pool:
        if id(info) not in seen:
            seen.add(id(info))
            unique.append((info, score))
    stated_ids = {id(i) for i in stated}
    by_value: dict[Fraction, list[tuple[CellInfo, float]]] = {}
    for info, score in unique:
        if info.value > 0:
            by_value.setdefault(info.value, []).append((info, score))
    values = sorted(by_value)
    candidates: list[Candidate] = []
    for numerator, n_score in unique:
        if numerator.value < 0:
            continue
        # numerator / denominator * 100 within [low, high]
        d_low = numerator.value * 100 / high if high > 0 else Fraction(0)
        d_high = numerator.value * 100 / low if low > 0 else Fraction(10**15)
        start, end = bisect.bisect_left(values, d_low), bisect.bisect_right(values, d_high)
        for value in values[start:end]:
            if base is not None and value != base:
                continue
            ratio = numerator.value / value * 100
            if ratio not in interval:
                continue
            for denominator, d_score in by_value[value]:
                if denominator is numerator:
                    continue
                score = (n_score + d_score) / 2
                if numerator.line_keys[0] in denominator.line_keys or (
                    numerator.line_keys[1] in denominator.line_keys
                ):
                    score += 0.05 if denominator.total else 0.02  # a part of its line's total
                if id(numerator) in stated_ids or id(denominator) in stated_ids:
                    score += 0.1 * ((id(numerator) in stated_ids) + (id(denominator) in stated_ids))
                if numerator.inner == denominator.inner and not denominator.total:
                    continue  # a ratio of two cells that say the same thing
                candidates.append(
                    Candidate(
                        {"numerator": numerator, "denominator": denominator},
                        round(min(score, 1.0), 4),
                        "ratio, periods and labels",
                    )
                )
    candidates.sort(key=lambda c: -c.score)
    chosen = _pick(candidates, linker.min_score)
    for name in ("numerator", "denominator"):
        claim.slots[name] = _slot(chosen, name, candidates)
    if chosen is None:
        _link_category_share(linker, draft, context, claim)


_QUOTED = re.compile(r"[‘“'\"]([^’”'\"]{3,60})[’”'\"]")


def _link_category_share(
    linker: Linker, draft: DraftClaim, context: Context, claim: LinkedClaim
) -> None:
    """ "more than half of the sexual assault and rape reports result in 'no further
    action' due to 'evidential difficulties'": the rows a quoted phrase names, summed over
    the columns the sentence names, against those columns' totals."""
    figure = draft.figure
    quoted = [words(q) for q in _QUOTED.findall(draft.text)]
    quoted = [q for q in quoted if q]
    if figure is None or figure.interval is None or not quoted:
        return
    tables: dict[tuple[object, ...], list[CellInfo]] = {}
    for info in linker.infos:
        tables.setdefault(info.line_keys[0][:3], []).append(info)
    found: list[tuple[list[CellInfo], list[CellInfo]]] = []
    for cells in tables.values():
        rows = {i.line_keys[0] for i in cells if not i.total and any(q <= i.inner for q in quoted)}
        columns = {
            i.line_keys[1]
            for i in cells
            if i.line_keys[0] in rows and _column_words(i) and _column_words(i) <= context.words
        }
        totals = [i for i in cells if i.total and i.line_keys[1] in columns]
        parts = [i for i in cells if i.line_keys[0] in rows and i.line_keys[1] in columns]
        if not rows or len(totals) != len(columns) or not parts:
            continue
        share = Fraction(sum(p.value for p in parts)) / sum(t.value for t in totals) * 100
        if share in figure.interval:
            found.append((parts, totals))
    if len(found) != 1:
        return
    parts, totals = found[0]
    claim.slots["numerator"] = SlotLink(parts[0], 0.6, summed=parts)
    claim.slots["denominator"] = SlotLink(totals[0], 0.6, summed=totals)


def _column_words(info: CellInfo) -> set[str]:
    label = info.cell.column[-1] if info.cell.column else ""
    return words(_strip_periods(label)) - _TOTALS


def _line_of(linker: Linker, info: CellInfo) -> list[CellInfo]:
    """The row or column through a cell along which its periods change."""
    for key in info.line_keys:
        line = linker.lines[key]
        if len({p for c in line for p in c.periods}) > 1:
            return line
    return []


def _by_period(line: Sequence[CellInfo]) -> dict[str, CellInfo]:
    found: dict[str, CellInfo] = {}
    for info in line:
        if len(info.periods) == 1:
            found.setdefault(next(iter(info.periods)), info)
    return found


def _link_series(
    linker: Linker, draft: DraftClaim, context: Context, claim: LinkedClaim, _: list[LinkedClaim]
) -> None:
    """A superlative or trend: the row holding the stated counts in the stated periods."""
    from .phrases import find_figures

    stated = [
        f
        for f in find_figures(draft.text)
        if f.kind == "count" and f.value is not None and draft.text.find(f.text) >= 0
    ]
    stated = [f for f in stated if f.start < draft.text.find(draft.phrase) + len(draft.phrase)]
    if not stated:
        return
    anchor = stated[0]
    named = [k for k in draft.series if k != "latest"]
    candidates: list[Candidate] = []
    for info in linker.by_value.get(Fraction(anchor.value), []):  # type: ignore[arg-type]
        score = linker.cell_score(info, context, check_period=False)
        if score is None:
            continue
        line = _line_of(linker, info)
        periods_of = _by_period(line)
        if not periods_of:
            continue
        # every stated count must sit in the line, in a period the sentence names
        values = {i.value for i in line}
        if not all(Fraction(f.value) in values for f in stated):  # type: ignore[arg-type]
            continue
        if named and not set(named) <= set(periods_of):
            continue
        candidates.append(Candidate({"value": info}, score, "the line holding the counts"))
    candidates.sort(key=lambda c: -c.score)
    chosen = _pick(candidates, linker.min_score)
    if chosen is None:
        for key in draft.series:
            claim.series[key] = _slot(None, "value", candidates)
        return
    periods_of = _by_period(_line_of(linker, chosen.cells["value"]))
    ordered = sorted(periods_of, key=_period_order)
    keys = list(draft.series)
    if draft.note and re.search(r"high|low|most|least|fewest|record", draft.note):
        keys = list(dict.fromkeys([*ordered, *[k for k in keys if k != "latest"]]))
    for key in keys:
        period = ordered[-1] if key == "latest" else key
        member = periods_of.get(period)
        claim.series[key] = SlotLink(member, chosen.score) if member else SlotLink()
    draft.series = keys


def _link_total(
    linker: Linker, draft: DraftClaim, context: Context, claim: LinkedClaim, _: list[LinkedClaim]
) -> None:
    """ "between 2020 and 2022, 4,214": the line whose cells in those years sum to it."""
    figure = draft.figure
    if figure is None or figure.interval is None or not draft.series:
        return
    candidates: list[Candidate] = []
    for line in linker.lines.values():
        periods_of = _by_period(line)
        if not set(draft.series) <= set(periods_of):
            continue
        members = [periods_of[k] for k in draft.series]
        total = sum((m.value for m in members), Fraction(0))
        if total not in figure.interval:
            continue
        scores = [linker.cell_score(m, context, check_period=False) for m in members]
        if any(s is None for s in scores):
            continue
        score = sum(s for s in scores if s is not None) / len(scores)
        candidates.append(
            Candidate(dict(zip(draft.series, members, strict=True)), score, "the sum of a line")
        )
    candidates.sort(key=lambda c: -c.score)
    chosen = _pick(candidates, linker.min_score)
    for key in draft.series:
        claim.series[key] = _slot(chosen, key, candidates)


def _link_shares(
    linker: Linker, draft: DraftClaim, context: Context, claim: LinkedClaim, _: list[LinkedClaim]
) -> None:
    """ "82 per cent ... female, 10 per cent ... male": parts of one line and its total."""
    from .phrases import find_figures

    shares = [f for f in find_figures(draft.phrase) if f.kind == "proportion" and f.interval]
    if len(shares) != len(draft.parts):
        return
    # the words after each share name its part ("82 per cent ... are female")
    pieces = []
    for i, share in enumerate(shares):
        end = shares[i + 1].start if i + 1 < len(shares) else len(draft.phrase)
        pieces.append(words(draft.phrase[share.end : end]))
    candidates: list[Candidate] = []
    for whole in linker.infos:
        if not whole.total or whole.value <= 0:
            continue
        for key in whole.line_keys:
            line = linker.lines[key]
            chosen: dict[str, CellInfo] = {"whole": whole}
            scores = []
            for name, share, piece in zip(draft.parts, shares, pieces, strict=True):
                fits = [
                    i
                    for i in line
                    if i is not whole
                    and i.value / whole.value * 100 in share.interval  # type: ignore[operator]
                    and i.inner & piece
                ]
                if len(fits) != 1:
                    break
                chosen[name] = fits[0]
                scores.append(linker.cell_score(fits[0], context) or 0.5)
            else:
                whole_score = linker.cell_score(whole, context)
                if whole_score is None:
                    continue
                score = (sum(scores) + whole_score) / (len(scores) + 1) + 0.1
                candidates.append(Candidate(chosen, round(min(score, 1.0), 4), "shares of a total"))
    candidates.sort(key=lambda c: -c.score)
    chosen_candidate = _pick(candidates, linker.min_score)
    claim.slots["whole"] = _slot(chosen_candidate, "whole", candidates)
    for name in draft.parts:
        claim.parts[name] = _slot(chosen_candidate, name, candidates)


def _change_holds(
    kind: str, direction: str | None, before: Fraction, after: Fraction, interval: Interval
) -> bool:
    if (direction == "up" and after <= before) or (direction == "down" and after >= before):
        return False
    if kind == "direction":  # both levels stated: only the direction is left to agree
        return True
    if kind == "change_percent":
        return before != 0 and abs(after - before) / before * 100 in interval
    if kind == "change_count":
        return abs(after - before) in interval
    if kind == "multiple":
        low, high = sorted((before, after))
        return low != 0 and high / low in interval
    return False


def _counts_in(text: str) -> list[Fraction]:
    from .phrases import find_figures

    return [
        Fraction(f.value) for f in find_figures(text) if f.kind == "count" and f.value is not None
    ]


def _change_pair(
    periods_of: dict[str, CellInfo], named: list[str], counts: list[Fraction], context: Context
) -> tuple[CellInfo, CellInfo] | None:
    """The cells before and after: the first and last periods the sentence names; or, when
    it states both counts ("125,505 in 2017/18, down from 133,901 the year before"), the
    cells holding them, one in a period the sentence names."""
    ordered = sorted(periods_of, key=_period_order)
    if len(counts) == 2:
        holding = [p for p in ordered if periods_of[p].value in counts]
        if len(holding) != 2 or {periods_of[p].value for p in holding} != set(counts):
            return None
        if named and not set(holding) & set(named):
            return None
        return periods_of[holding[0]], periods_of[holding[1]]
    if len(named) >= 2 and named[0] in periods_of and named[-1] in periods_of:
        return periods_of[named[0]], periods_of[named[-1]]
    return None


def _link_change(
    linker: Linker, draft: DraftClaim, context: Context, claim: LinkedClaim, _: list[LinkedClaim]
) -> None:
    """ "fell by 73 per cent between 2009 and 2021": two cells of one row or column, in
    the first and last periods the sentence names, whose change is the stated one."""
    figure = draft.figure
    if figure is None or figure.interval is None:
        return
    named = sorted(context.periods, key=_period_order)
    counts = _counts_in(draft.text)
    candidates: list[Candidate] = []
    for line in linker.lines.values():
        periods_of = _by_period(line)
        if len(periods_of) < 2:
            continue
        pair = _change_pair(periods_of, named, counts, context)
        if pair is None:
            continue
        before, after = pair
        if before.is_rate or not _change_holds(
            figure.kind if len(counts) != 2 else "direction",
            figure.direction,
            before.value,
            after.value,
            figure.interval,
        ):
            continue
        scores = [linker.cell_score(c, context, check_period=False) for c in (before, after)]
        if scores[0] is None or scores[1] is None:
            continue
        candidates.append(
            Candidate(
                {"before": before, "after": after},
                round((scores[0] + scores[1]) / 2, 4),
                "a change",
            )
        )
    candidates.sort(key=lambda c: -c.score)
    chosen = _pick(candidates, linker.min_score)
    for name in ("before", "after"):
        claim.slots[name] = _slot(chosen, name, candidates)


_KIND_LINKERS = {
    "change": _link_change,
    "count": _link_count,
    "rate": _link_rate,
    "series": _link_series,
    "total": _link_total,
    "shares": _link_shares,
}


# --- the claims file -------------------------------------------------------------------
def _describe(info: CellInfo) -> str:
    cell = info.cell
    row, column = " > ".join(cell.row), " > ".join(cell.column)
    return f"{cell.where} table {cell.table}: {row} / {column} = {cell.raw}"


def _slot_lines(name: str, slot: SlotLink | None, linker: Linker) -> list[str]:
    lines = []
    if slot is not None and slot.summed:
        lines.append(f"# {name}: the sum of {len(slot.summed)} cells")
        lines.append(f"{name} = [")
        lines += [f"    {linker.selector(i.cell).to_toml()}," for i in slot.summed]
        lines.append("]")
    elif slot is None or slot.cell is None:
        lines.append(f'{name} = ""  # {SLOT_HINT}')
    else:
        lines.append(f"# {name}: {_describe(slot.cell)} (score {slot.score:.2f})")
        lines.append(f"{name} = {linker.selector(slot.cell.cell).to_toml()}")
    for info, score in (slot.runners_up if slot else [])[:MAX_RUNNERS_UP]:
        lines.append(f"#   or {linker.selector(info.cell).to_toml()}  # score {score:.2f}")
    return lines


def _group_lines(
    group: str, keys: list[str], slots: dict[str, SlotLink], linker: Linker
) -> list[str]:
    if not any(slots.get(k) and slots[k].cell for k in keys):
        inner = ", ".join(f'{json.dumps(k)} = ""' for k in keys)
        return [f"{group} = {{ {inner} }}  # {SLOT_HINT}"]
    lines = [f"[claim.{group}]"]
    for key in keys:
        lines += _slot_lines(json.dumps(key), slots.get(key), linker)
    return lines


def linked_to_toml(claim: LinkedClaim, linker: Linker) -> str:
    """The drafted claim with its slots filled; runners-up as comments."""
    draft = claim.draft
    text = draft_to_toml(draft)
    lines = [
        line
        for line in text.splitlines()
        if not line.startswith(tuple(f"{s} = " for s in (*draft.slots, "series", "parts")))
    ]
    for name in draft.slots:
        lines += _slot_lines(name, claim.slots.get(name), linker)
    # sub-tables last: every key after [claim.series] belongs to it
    if draft.series:
        lines += _group_lines("series", list(draft.series), claim.series, linker)
    if draft.parts:
        lines += _group_lines("parts", list(draft.parts), claim.parts, linker)
    return "\n".join(lines) + "\n"


@dataclass
class LinkSummary:
    claims: int
    figures: int
    linked: int
    claims_linked: int

    def describe(self) -> str:
        return (
            f"{self.linked} of {self.figures} figures linked to cells; "
            f"{self.claims_linked} of {self.claims} claims fully linked"
        )


def summarise(linked: Sequence[LinkedClaim]) -> LinkSummary:
    return LinkSummary(
        claims=len(linked),
        figures=sum(c.figures() for c in linked),
        linked=sum(c.linked() for c in linked),
        claims_linked=sum(1 for c in linked if c.figures() and c.linked() == c.figures()),
    )


def linked_file(linked: Sequence[LinkedClaim], linker: Linker, source: str = "") -> str:
    """A claims file `foi check` reads at once: linked slots hold selectors."""
    summary = summarise(linked)
    header = [
        f"# Claims drafted by `foi claims`{' from ' + source if source else ''}, "
        "linked to the cells they came from.",
        f"# {summary.describe()}. Check each link (the cell is named above it, runners-up",
        '# below it); fill each "" with a number, a cell selector or a list of them.',
        "# Keys: docs/claims.md.",
        "",
    ]
    return "\n".join(header) + "\n" + "\n".join(linked_to_toml(c, linker) for c in linked)
