"""Check a whole claims file: resolve each figure, judge each claim, add warnings.

:func:`check_claims` returns a :class:`~extractor.claims.results.CheckReport`: the typed
contract (``results.py``) that the terminal table, ``--json`` and the HTML report all read.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path

from ..errors import SelectorError, UsageError
from ..files import require_regular_input
from ..periods import find_periods, same_period, sort_key
from ..store import Store
from . import policy
from .claimsfile import Claim, FigureSpec, load_claims
from .methodology import (
    MethodWarning,
    conviction_rate_warning,
    period_area_warnings,
    small_base_warning,
    source_warning,
    stage_warning,
    suppressed_warning,
    units_warning,
)
from .numbers import format_number
from .phrases import (
    BETWEEN_YEARS,
    CHANGE_KINDS,
    REMAINDER,
    Figure,
    comparison_in,
    find_figures,
    trend_direction,
)
from .rates import (
    ACCURATE,
    INACCURATE,
    LOOSE,
    UNCLEAR,
    RateResult,
    feasible_numerators,
    feasible_text,
    judge,
    judge_rate,
    relation,
)
from .results import CheckReport, CheckResult, FigureResult
from .selectors import CellSource, RecordCells, StoreCells, cell_bounds, resolve


# --- resolving figures ----------------------------------------------------------------------
def resolve_figure(name: str, spec: FigureSpec, source: CellSource | None) -> FigureResult:
    """Sum a figure's literals and cells; suppressed cells widen it into an interval."""
    result = FigureResult(name)
    if spec.placeholder:
        result.error = "not filled in"
        return result
    low = high = Fraction(0)
    for item in spec.items:
        if isinstance(item, Fraction):
            low, high = low + item, high + item
            continue
        if source is None:
            result.error = "a cell selector needs a store or a records file"
            return result
        try:
            cell = resolve(item, source)
            cell_low, cell_high = cell_bounds(cell)
        except SelectorError as exc:
            result.error = str(exc)
            return result
        result.cells.append(cell)
        if cell.flag == "suppressed":
            result.suppressed.append(f"{cell.where} {cell.raw!r}")
        low, high = low + cell_low, high + cell_high
    result.low, result.high = low, high
    return result


def _missing(figures: Sequence[FigureResult]) -> str | None:
    absent = [f"{f.name} ({f.error})" for f in figures if not f.known]
    return "; ".join(absent) if absent else None


def _judge_range(low: Fraction, high: Fraction, figure: Figure) -> str:
    """One verdict for a value known only to lie in [low, high] (suppressed cells)."""
    first, last = judge(low, figure), judge(high, figure)
    if low == high or (first == last == ACCURATE):
        return first  # the claim's intervals are convex: both ends in, all in
    readings = [i for i in (figure.interval, figure.lenient) if i is not None]
    if not any(i.overlaps(low, high) for i in readings):
        return INACCURATE
    return UNCLEAR


def _first(text: str, kinds: Sequence[str]) -> Figure | None:
    return next((f for f in find_figures(text) if f.kind in kinds and f.checkable), None)


def _combine(verdicts: Sequence[str]) -> str:
    for verdict in (INACCURATE, UNCLEAR, LOOSE):
        if verdict in verdicts:
            return verdict
    return ACCURATE if verdicts else UNCLEAR


def _number_range(figure: FigureResult) -> str:
    if figure.exact:
        return format_number(figure.value)
    return f"{format_number(figure.low)} to {format_number(figure.high)}"  # type: ignore[arg-type]


# --- one function per kind of claim ---------------------------------------------------------
def _unclear(result: CheckResult, reason: str) -> CheckResult:
    result.verdict = UNCLEAR
    result.reason = reason if reason.endswith(".") else f"{reason}: unclear."
    return result


def check_rate_claim(
    claim: Claim, result: CheckResult, figs: dict[str, FigureResult]
) -> CheckResult:
    num, den = figs["numerator"], figs["denominator"]
    figure = _first(claim.checked_text, ("proportion",))
    result.unit = "percent"
    if figure is None:
        return _unclear(result, "the text states no proportion to check")
    result.phrase, result.interval = figure.text, figure.interval
    missing = _missing([num, den])
    if missing:
        return _unclear(result, f"needs {missing}")
    if den.low is not None and den.low <= 0:
        return _unclear(result, f"the denominator can be {format_number(den.low)}: no rate")
    if num.exact and den.exact:
        rate = judge_rate(RateResult(num.value, den.value, claim.text), figure)
        result.verdict, result.reason, result.feasible = (
            rate.verdict or UNCLEAR,
            rate.reason,
            rate.feasible,
        )
        result.value = rate.rate
        return result
    low = num.low / den.high * 100  # type: ignore[operator]
    high = num.high / den.low * 100  # type: ignore[operator]
    result.verdict = _judge_range(low, high, figure)
    result.reason = (
        f"{_number_range(num)} / {_number_range(den)} = {format_number(low)}% to "
        f"{format_number(high)}% with suppressed cells; the claim allows "
        f"{figure.interval.describe()}: {result.verdict}."  # type: ignore[union-attr]
    )
    return result


def check_count_claim(
    claim: Claim, result: CheckResult, figs: dict[str, FigureResult]
) -> CheckResult:
    value = figs["value"]
    figure = _first(claim.checked_text, ("count",))
    if figure is None:
        return _unclear(result, "the text states no count to check")
    result.phrase, result.interval = figure.text, figure.interval
    if not value.known:
        return _unclear(result, f"needs {_missing([value])}")
    result.verdict = _judge_range(value.low, value.high, figure)  # type: ignore[arg-type]
    result.value = value.low if value.exact else None
    result.reason = (
        f"the data give {_number_range(value)}; {figure.text!r} claims "
        f"{figure.interval.describe()}: {result.verdict}."  # type: ignore[union-attr]
    )
    return result


def _change_measure(figure: Figure, before: Fraction, after: Fraction) -> Fraction:
    if figure.kind == "multiple":
        return after / before
    if figure.kind == "change_percent":
        return abs(after - before) / before * 100
    return abs(after - before)


def _confusion(figure: Figure, before: Fraction, after: Fraction) -> str | None:
    """Percentage points reported as per cent, or the reverse."""
    if figure.kind == "change_percent":
        other = abs(after - before)
        if judge(other, figure) == ACCURATE:
            return "the difference is in percentage points, reported as per cent"
    if figure.kind == "change_points" and before:
        other = abs(after - before) / before * 100
        if judge(other, figure) == ACCURATE:
            return "the relative change in per cent, reported as percentage points"
    return None


def check_change_claim(
    claim: Claim, result: CheckResult, figs: dict[str, FigureResult]
) -> CheckResult:
    """Every change the text states ("rose by 1,240 (8%)" states two) is checked: its size
    and its direction; with none, the levels ("fell from 30 to 20")."""
    before, after = figs["before"], figs["after"]
    missing = _missing([before, after])
    if missing:
        return _unclear(result, f"needs {missing}")
    if not (before.exact and after.exact):
        return _unclear(result, "the change depends on suppressed cells")
    changes = [
        f for f in find_figures(claim.checked_text) if f.kind in CHANGE_KINDS and f.checkable
    ]
    if not changes:
        return _check_levels(claim, result, before.value, after.value)
    checks = [_check_one_change(figure, before.value, after.value) for figure in changes]
    first = changes[0]
    result.phrase, result.interval = first.text, first.interval
    result.value, result.unit = checks[0][2], _CHANGE_UNITS.get(first.kind, "count")
    result.verdict = _combine([verdict for verdict, _, _ in checks])
    if len(checks) == 1:
        result.reason = checks[0][1]
        return result
    result.details = [reason for _, reason, _ in checks]
    result.reason = "; ".join(r.rstrip(".") for r in result.details) + f": {result.verdict}."
    return result


_CHANGE_UNITS = {"change_percent": "percent", "change_points": "points", "multiple": "ratio"}


def _check_one_change(
    figure: Figure, before: Fraction, after: Fraction
) -> tuple[str, str, Fraction | None]:
    """(verdict, reason, measure) for one stated change."""
    if figure.kind in ("change_percent", "multiple") and before == 0:
        return UNCLEAR, "the before figure is 0: no relative change: unclear.", None
    measure = _change_measure(figure, before, after)
    went = "up" if after > before else "down" if after < before else "flat"
    verdict = judge(measure, figure)
    sentence = f"{format_number(before)} to {format_number(after)} is {format_number(measure)}"
    if figure.kind == "change_percent":
        sentence += "%"
    if figure.direction and figure.direction != went:
        reason = (
            f"{sentence} but the figures went {went}, not {figure.direction} "
            f"({figure.text!r}): inaccurate."
        )
        return INACCURATE, reason, measure
    confusion = _confusion(figure, before, after) if verdict == INACCURATE else None
    clause = relation(measure, figure, verdict)
    reason = f"{sentence}, {clause}: {verdict}" + (f"; {confusion}." if confusion else ".")
    return verdict, reason, measure


def _check_levels(
    claim: Claim, result: CheckResult, before: Fraction, after: Fraction
) -> CheckResult:
    """ "fell from 30 to 20": each stated level in its interval, and the direction."""
    counts = [f for f in find_figures(claim.checked_text) if f.kind == "count" and f.checkable]
    pairs = _level_pairs(counts, before, after)
    verdicts = [judge(value, figure) for value, figure in pairs]
    result.details = [
        f"{figure.text}: data {format_number(value)}, {verdict}"
        for (value, figure), verdict in zip(pairs, verdicts, strict=True)
    ]
    direction = trend_direction(claim.checked_text)
    went = "up" if after > before else "down" if after < before else "flat"
    if direction:
        verdicts.append(ACCURATE if direction == went else INACCURATE)
        result.details.append(f"claimed {direction}, the data went {went}")
    result.verdict = _combine(verdicts)
    result.value = after
    result.reason = f"{format_number(before)} to {format_number(after)}: " + "; ".join(
        result.details
    )
    if not verdicts:
        return _unclear(result, "the text states no change or level to check")
    result.reason += f": {result.verdict}."
    return result


def _level_pairs(
    counts: list[Figure], before: Fraction, after: Fraction
) -> list[tuple[Fraction, Figure]]:
    """Which stated level is the before and which the after: "up from 15,500" is the
    before, "to 278" the after; otherwise in the order written."""
    if not counts:
        return []
    roles = {f.role for f in counts if f.role}
    if roles and len(counts) <= 2:
        pairs = []
        for figure in counts:
            role = figure.role or ("after" if "before" in roles else "before")
            pairs.append((before if role == "before" else after, figure))
        return pairs
    return list(zip([before, after][-len(counts) :], counts, strict=False))


def _series_key(key: str) -> tuple[int, int, str]:
    """Periods in time order (2019/20 before 2020/21), then other keys ("latest")."""
    return sort_key(key)


def _nearest_key(text: str, figure: Figure, keys: Sequence[str]) -> str | None:
    """The series key (a period: 2022, 2019/20, Q3 2022/23) written nearest to a count."""
    spots = []
    for period in find_periods(text):
        key = next((k for k in keys if k == period.key or same_period(k, period)), None)
        if key is not None:
            spots.append((abs(period.start - figure.start), key))
    return min(spots)[1] if spots else None


def check_series_claim(
    claim: Claim, result: CheckResult, figs: dict[str, FigureResult]
) -> CheckResult:
    keys = sorted(claim.series, key=_series_key)
    series = [figs[f"series.{k}"] for k in keys]
    text = claim.checked_text
    checks: list[tuple[str, str]] = []
    checks += _stated_counts(text, keys, figs)
    superlative = _first_superlative(text)
    if superlative:
        checks.append(_superlative_check(text, superlative, keys, series))
    direction = trend_direction(text)
    if direction:
        checks.append(_trend_check(direction, keys, series))
    result.details = [sentence for _, sentence in checks]
    if not checks:
        return _unclear(result, "the text states no level, superlative or trend to check")
    result.verdict = _combine([verdict for verdict, _ in checks])
    result.reason = "; ".join(result.details) + f": {result.verdict}."
    return result


def _first_superlative(text: str) -> Figure | None:
    return next((f for f in find_figures(text) if f.kind == "superlative"), None)


def _stated_counts(
    text: str, keys: Sequence[str], figs: dict[str, FigureResult]
) -> list[tuple[str, str]]:
    checks = []
    for figure in find_figures(text):
        if figure.kind != "count" or not figure.checkable:
            continue
        key = _nearest_key(text, figure, keys)
        if key is None:
            continue
        data = figs[f"series.{key}"]
        if not data.known:
            checks.append((UNCLEAR, f"{key}: {figure.text} stated, data {data.error}"))
            continue
        verdict = _judge_range(data.low, data.high, figure)  # type: ignore[arg-type]
        checks.append((verdict, f"{key}: {figure.text} stated, data {_number_range(data)}"))
    return checks


# "second highest", "the most common", "the worst in the country": a rank among places or
# categories, not a claim about one series over time
_ACROSS_PLACES = re.compile(
    r"^(?:second|third|fourth|fifth|2nd|3rd|4th|5th)|most\s+(?:common|frequent|usual|likely)"
    r"|worst|best"
)


def _superlative_check(
    text: str, figure: Figure, keys: Sequence[str], series: Sequence[FigureResult]
) -> tuple[str, str]:
    periods = [p for p in find_periods(text) if p.kind != "day"]
    mentioned = [p.key for p in periods]
    years = [
        next(k for k in keys if k == p.key or same_period(k, p))
        for p in periods
        if any(k == p.key or same_period(k, p) for k in keys)
    ]
    target = years[0] if years else keys[-1]
    word = figure.note
    if _ACROSS_PLACES.search(word):
        return UNCLEAR, (
            f"{word!r} ranks against other areas or categories, which one series over time "
            "cannot show"
        )
    if mentioned and not years:
        return UNCLEAR, f"{word} in {mentioned[0]}: the series has no {mentioned[0]}"
    if len(keys) < 2:
        return UNCLEAR, f"{word} in {target} needs the other periods to compare with"
    if any(not f.known for f in series):
        missing = ", ".join(k for k, f in zip(keys, series, strict=True) if not f.known)
        return UNCLEAR, f"{word} in {target} needs {missing}"
    if any(not f.exact for f in series):
        return UNCLEAR, f"{word} in {target} depends on suppressed cells"
    values = {k: f.value for k, f in zip(keys, series, strict=True)}
    highest = not re.search(r"low|small|fewest|fewer|less", word)
    others = [v for k, v in values.items() if k != target]
    holds = all(values[target] > v if highest else values[target] < v for v in others)
    listing = ", ".join(f"{k}: {format_number(v)}" for k, v in values.items())
    if holds:
        return ACCURATE, f"{word} in {target} ({listing})"
    rivals = [
        f"{k} ({format_number(v)})"
        for k, v in values.items()
        if k != target and (v >= values[target] if highest else v <= values[target])
    ]
    verb = "is" if len(rivals) == 1 else "are"
    side = "high" if highest else "low"
    return INACCURATE, f"not the {word} in {target}: {', '.join(rivals)} {verb} at least as {side}"


def _trend_check(
    direction: str, keys: Sequence[str], series: Sequence[FigureResult]
) -> tuple[str, str]:
    if len(series) < 2:
        return UNCLEAR, f"a trend {direction} needs at least two periods"
    if any(not f.exact for f in series):
        missing = ", ".join(k for k, f in zip(keys, series, strict=True) if not f.exact)
        return UNCLEAR, f"a trend {direction} needs exact figures for {missing}"
    values = [f.value for f in series]
    steps = list(itertools.pairwise(values))
    holds = all(b > a for a, b in steps) if direction == "up" else all(b < a for a, b in steps)
    listing = " -> ".join(format_number(v) for v in values)
    word = "increasing" if direction == "up" else "decreasing"
    return (ACCURATE if holds else INACCURATE), f"strictly {word} claimed: {listing}"


def check_total_claim(
    claim: Claim, result: CheckResult, figs: dict[str, FigureResult]
) -> CheckResult:
    text = claim.checked_text
    keys = sorted(claim.series, key=_series_key)
    window = BETWEEN_YEARS.search(text)
    if window:
        first, last = int(window[1]), int(window[2])
        keys = [str(y) for y in range(first, last + 1)]
    stated = _first(text, ("count",))
    if stated is None:
        return _unclear(result, "the text states no total to check")
    result.phrase, result.interval = stated.text, stated.interval
    parts = [figs.get(f"series.{k}") or FigureResult(k, error="not in the series") for k in keys]
    missing = [f"{k} ({p.error})" for k, p in zip(keys, parts, strict=True) if not p.known]
    if missing:
        return _unclear(result, f"the total over {keys[0]}-{keys[-1]} needs {', '.join(missing)}")
    low = sum((p.low or Fraction(0) for p in parts), Fraction(0))
    high = sum((p.high or Fraction(0) for p in parts), Fraction(0))
    result.value = low if low == high else None
    result.verdict = _judge_range(low, high, stated)
    total = format_number(low) if low == high else f"{format_number(low)} to {format_number(high)}"
    claimed = stated.interval.describe() if stated.interval else stated.text
    result.reason = (
        f"the sum over {keys[0]}-{keys[-1]} is {total}; {stated.text!r} claims "
        f"{claimed}: {result.verdict}."
    )
    if result.verdict == INACCURATE:
        result.warnings.append(
            MethodWarning(
                9,
                "total-mismatch",
                f"the stated total {stated.text} is not the sum of its parts ({total})",
            )
        )
    return result


def check_base_claim(
    claim: Claim, result: CheckResult, figs: dict[str, FigureResult]
) -> CheckResult:
    base = figs["base"]
    figure = _first(claim.checked_text, ("proportion",))
    result.unit = "percent"
    if figure is None:
        return _unclear(result, "the text states no proportion to check")
    result.phrase, result.interval = figure.text, figure.interval
    if not base.exact:
        return _unclear(result, f"needs an exact base ({base.error or 'suppressed'})")
    result.feasible = feasible_numerators(figure, base.value)
    needs = feasible_text(result.feasible, base.value)
    if result.feasible is None:
        result.verdict, result.reason = (
            INACCURATE,
            f"{figure.text} of {format_number(base.value)}: {needs}: inaccurate.",
        )
        return result
    return _unclear(
        result,
        f"{figure.text} of {format_number(base.value)}: {needs}; "
        "the count itself is not given, so the claim is possible but unverified.",
    )


def check_shares_claim(
    claim: Claim, result: CheckResult, figs: dict[str, FigureResult]
) -> CheckResult:
    whole = figs["whole"]
    names = list(claim.parts)
    text = claim.checked_text
    stated = [f for f in find_figures(text) if f.kind in ("proportion", "count") and f.checkable]
    result.unit = "percent"
    if not whole.exact:
        return _unclear(result, f"needs an exact whole ({whole.error or 'suppressed'})")
    if not stated:
        return _unclear(result, "the text states no shares or counts to check")
    checks = [
        _share_check(name, figs[f"parts.{name}"], figure, whole.value)
        for name, figure in zip(names, stated, strict=False)
    ]
    result.details = [sentence for _, sentence in checks]
    result.warnings += _share_warnings(text, names, stated, figs, whole.value)
    result.verdict = _combine([verdict for verdict, _ in checks])
    result.reason = "; ".join(result.details) + f": {result.verdict}."
    return result


def _share_check(name: str, part: FigureResult, figure: Figure, whole: Fraction) -> tuple[str, str]:
    if figure.kind == "proportion":
        if not part.known:
            needs = feasible_text(feasible_numerators(figure, whole), whole)
            verdict = INACCURATE if needs.startswith("no whole") else UNCLEAR
            return verdict, f"{name}: {figure.text} of {format_number(whole)}: {needs}"
        low, high = part.low / whole * 100, part.high / whole * 100  # type: ignore[operator]
        verdict = _judge_range(low, high, figure)
        return (
            verdict,
            f"{name}: {_number_range(part)} / {format_number(whole)} = "
            f"{format_number(low)}%, {figure.text} claimed",
        )
    if not part.known:
        return UNCLEAR, f"{name}: {figure.text} stated, data {part.error}"
    verdict = _judge_range(part.low, part.high, figure)  # type: ignore[arg-type]
    return verdict, f"{name}: {figure.text} stated, data {_number_range(part)}"


def _share_warnings(
    text: str,
    names: Sequence[str],
    stated: Sequence[Figure],
    figs: dict[str, FigureResult],
    whole: Fraction,
) -> list[MethodWarning]:
    """Warnings 8 (shares leave a consistent remainder) and 9 (parts add up to the whole)."""
    found = []
    remainder = bool(REMAINDER.search(text[stated[-1].end :])) if stated else False
    shares = [f.interval for f in stated if f.kind == "proportion" and f.interval]
    if shares and len(shares) == len(stated):
        low = sum((s.low or Fraction(0) for s in shares), Fraction(0))
        high = sum((s.high or Fraction(100) for s in shares), Fraction(0))
        rest = f"{format_number(max(Fraction(0), 100 - high))} to {format_number(100 - low)}%"
        if low > 100 or (remainder and low >= 100):
            found.append(
                MethodWarning(
                    8, "shares-exceed-whole", f"the shares add to at least {format_number(low)}%"
                )
            )
        elif not remainder and not (low <= 100 <= high):
            found.append(
                MethodWarning(
                    8,
                    "shares-leave-remainder",
                    f"the shares add to {format_number(low)}-{format_number(high)}%, "
                    f"leaving {rest} unaccounted for",
                )
            )
        else:
            found.append(
                MethodWarning(
                    8,
                    "shares-of-what",
                    f"the remainder is {rest}; say whether each share is of all "
                    f"cases or only of those with a known value",
                )
            )
    parts = [figs[f"parts.{n}"] for n in names]
    if parts and all(p.exact for p in parts):
        total = sum((p.value for p in parts), Fraction(0))
        if total > whole or (not remainder and len(stated) >= len(parts) and total != whole):
            found.append(
                MethodWarning(
                    9,
                    "parts-do-not-add-up",
                    f"the parts add to {format_number(total)}, the whole is {format_number(whole)}",
                )
            )
    return found


def check_comparison_claim(
    claim: Claim, result: CheckResult, figs: dict[str, FigureResult]
) -> CheckResult:
    num, den, ref = figs["numerator"], figs["denominator"], figs["reference"]
    result.unit = "percent"
    comparison = comparison_in(claim.checked_text)
    if comparison is None:
        return _unclear(result, "the text states no comparison (higher/lower ... than)")
    missing = _missing([num, den, ref])
    if missing:
        return _unclear(result, f"needs {missing}")
    if not (num.exact and den.exact and ref.exact) or den.value <= 0:
        return _unclear(result, "the comparison depends on suppressed cells or a zero base")
    rate = num.value / den.value * 100
    word, slightly = comparison
    gap = rate - ref.value if word == "higher" else ref.value - rate
    holds = gap > 0 and (not slightly or gap <= policy.SLIGHTLY_POINTS)
    result.value = rate
    result.verdict = ACCURATE if holds else INACCURATE
    claimed = f"{'slightly ' if slightly else ''}{word}"
    result.reason = (
        f"{format_number(rate)}% against {format_number(ref.value)}%: "
        f"a gap of {format_number(gap)} points, claimed {claimed}: {result.verdict}."
    )
    return result


CHECKERS: dict[str, Callable[[Claim, CheckResult, dict[str, FigureResult]], CheckResult]] = {
    "rate": check_rate_claim,
    "count": check_count_claim,
    "change": check_change_claim,
    "series": check_series_claim,
    "total": check_total_claim,
    "shares": check_shares_claim,
    "base": check_base_claim,
    "comparison": check_comparison_claim,
}


# --- warnings ------------------------------------------------------------------------------
def method_warnings(claim: Claim, figs: dict[str, FigureResult]) -> list[MethodWarning]:
    """Warnings 1-7 from the claim's metadata and its resolved figures."""
    meta = claim.meta
    found = [
        source_warning(
            meta.get("numerator_source"), meta.get("denominator_source"), claim.checked_text
        ),
        stage_warning(
            meta.get("numerator_stage"),
            meta.get("denominator_stage"),
            meta.get("numerator_period"),
            meta.get("denominator_period"),
        ),
        conviction_rate_warning(
            claim.checked_text if claim.kind in ("rate", "base") else "",
            meta.get("denominator_stage"),
        ),
        units_warning(meta.get("numerator_units"), meta.get("denominator_units")),
    ]
    found += period_area_warnings(
        meta.get("numerator_period"),
        meta.get("denominator_period"),
        meta.get("numerator_area"),
        meta.get("denominator_area"),
    )
    base = figs.get("denominator") or figs.get("base") or figs.get("whole")
    if base and base.exact and claim.kind in ("rate", "base", "shares", "comparison"):
        found.append(small_base_warning(base.value))
    suppressed = [s for f in figs.values() for s in f.suppressed]
    if suppressed:
        found.append(suppressed_warning(suppressed))
    return [w for w in found if w is not None]


# --- the whole file --------------------------------------------------------------------------
def resolve_figures(claim: Claim, source: CellSource | None) -> dict[str, FigureResult]:
    figs = {name: resolve_figure(name, spec, source) for name, spec in claim.figures.items()}
    for group, specs in (("series", claim.series), ("parts", claim.parts)):
        for key, spec in specs.items():
            figs[f"{group}.{key}"] = resolve_figure(f"{group}.{key}", spec, source)
    return figs


def check_claim(claim: Claim, source: CellSource | None = None) -> CheckResult:
    """Judge one claim; never raises for data problems (they make it unclear)."""
    figs = resolve_figures(claim, source)
    result = CheckResult(
        claim.id, claim.text, claim.kind, UNCLEAR, "", line=claim.line, figures=list(figs.values())
    )
    result = CHECKERS[claim.kind](claim, result, figs)
    result.warnings = method_warnings(claim, figs) + result.warnings
    if result.phrase is None:
        result.phrase = claim.phrase  # series and shares state several figures: show the span
    return result


def uses_cells(claims: Sequence[Claim]) -> bool:
    """Whether any figure of any claim is a cell selector (and so needs a store)."""
    specs = [spec for c in claims for spec in (*c.figures.values(), *c.series.values())]
    specs += [spec for c in claims for spec in c.parts.values()]
    return any(not isinstance(item, Fraction) for spec in specs for item in spec.items)


def check_claims(
    claims: str | Path | Sequence[Claim],
    store: Store | None = None,
    records: str | Path | None = None,
    missing_store: str | Path | None = None,
) -> CheckReport:
    """Check every claim of a claims file (a path, or already loaded claims).

    Selectors resolve against ``store`` or, when given, the JSONL ``records``.
    ``missing_store`` names a store that does not exist: claims with cell selectors are
    then a usage error ("no store at PATH"), not a file of unclear claims.
    """
    path = str(claims) if isinstance(claims, str | Path) else "<claims>"
    for given in (claims, records):  # a FIFO with no writer would block for ever
        if isinstance(given, str | Path) and str(given) != "-":
            require_regular_input(given, " (to read standard input, give -)")
    loaded = load_claims(claims) if isinstance(claims, str | Path) else list(claims)
    if store is None and records is None and missing_store is not None and uses_cells(loaded):
        raise UsageError(f"no store at {missing_store}; run foi extract first or pass `records`")
    source: CellSource | None = None
    if records is not None:
        source = RecordCells(records)
    elif store is not None:
        source = StoreCells(store)
    return CheckReport(path, [check_claim(claim, source) for claim in loaded])
