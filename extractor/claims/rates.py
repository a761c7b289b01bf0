"""Exact rate arithmetic, verdicts and feasible numerators.

Everything is a :class:`fractions.Fraction`; rounding is exact half-up
(:func:`extractor.claims.numbers.round_half_up`), never Python's ``round``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..errors import UsageError
from ..values import parse_exact
from . import policy
from .intervals import Interval, as_float
from .methodology import MethodWarning, small_base_warning
from .numbers import format_fixed, format_number
from .phrases import Figure, parse_claim, rate_figures

ACCURATE, LOOSE, INACCURATE, UNCLEAR = "accurate", "loose", "inaccurate", "unclear"
VERDICTS = (ACCURATE, LOOSE, INACCURATE, UNCLEAR)


def to_fraction(value: int | float | str | Fraction, name: str = "number") -> Fraction:
    """A number from the command line or a claims file, exactly: ``1,527``, ``3.3``."""
    if isinstance(value, bool):
        raise UsageError(f"{name}: expected a number, got {value!r}")
    if isinstance(value, Fraction | int):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise UsageError(f"{name}: {value!r} is not a finite number")
        return Fraction(str(value))  # the decimal as written, not the binary float
    parsed = parse_exact(str(value))  # exact: a 40-digit count keeps every digit
    if parsed is None:
        raise UsageError(f"{name}: {value!r} is not a number")
    if parsed[1] is not None:
        # "5%" or "£5" is not a count: a rate is worked out from counts
        raise UsageError(f"{name}: {value!r} is not a plain number (it carries a unit)")
    return parsed[0]


def judge(value: Fraction, figure: Figure) -> str:
    """The verdict for a true ``value`` against a figure's intervals."""
    if figure.interval is None:
        return UNCLEAR
    if value in figure.interval:
        if figure.precise is not None and value not in figure.precise:
            return LOOSE
        return ACCURATE
    if figure.lenient is not None and value in figure.lenient:
        return LOOSE
    return INACCURATE


def relation(value: Fraction, figure: Figure, verdict: str) -> str:
    """Why ``value`` meets or misses the claim, as a clause: "which rounds to 3.3 (...)"."""
    interval = figure.interval
    assert interval is not None
    span = interval.describe()
    stated = format_number(figure.value) if figure.value is not None else figure.text
    if verdict == LOOSE and figure.kind == "multiple" and not figure.qualifier:
        assert figure.lenient is not None
        return (
            f"outside the strict {span} for {figure.text!r} but within 10% of it "
            f"({figure.lenient.describe()}): roughly {figure.text}"
        )
    if figure.fraction is not None and not figure.qualifier:
        if verdict == ACCURATE:
            return f"nearest to {figure.text} ({span})"
        if verdict == LOOSE:
            off = format_number(abs(value - figure.value), 1)  # type: ignore[operator]
            return f"nearest to {figure.text} ({span}) but {off} points from it, imprecise"
        return f"not nearest to {figure.text}, which needs {span}"
    if not figure.qualifier and figure.lenient is not None:
        if verdict == ACCURATE:
            return f"which rounds to {stated} ({span})"
        if verdict == LOOSE:
            return f"which truncates to {stated} but does not round to it ({span})"
        return f"which does not round to {stated} (that needs {span})"
    if verdict == ACCURATE:
        return f"within the claimed {span}"
    if verdict == LOOSE:
        assert figure.lenient is not None
        return f"outside the claimed {span} but within the lenient {figure.lenient.describe()}"
    return f"outside the claimed {span}"


def feasible_numerators(figure: Figure, denominator: Fraction) -> tuple[int, int] | None:
    """Every whole count k with k / denominator in the claimed percentage interval."""
    if figure.interval is None or figure.kind != "proportion" or denominator.denominator != 1:
        return None
    return figure.interval.scaled(denominator / 100).integers(0, int(denominator))


@dataclass
class RateResult:
    """A rate and, when a claim was given, its verdict.

    ``rate`` is numerator / denominator in percent (exact); ``figure`` the parsed
    claim; ``feasible`` the whole numerators that would have made the claim true for
    this denominator; ``verdict`` None when no claim was given.
    """

    numerator: Fraction
    denominator: Fraction
    claim: str | None = None
    figure: Figure | None = None
    verdict: str | None = None
    reason: str = ""
    feasible: tuple[int, int] | None = None
    warnings: list[MethodWarning] = field(default_factory=list)

    @property
    def rate(self) -> Fraction:
        return self.numerator / self.denominator * 100

    @property
    def interval(self) -> Interval | None:
        return self.figure.interval if self.figure else None

    def to_dict(self) -> dict[str, Any]:
        interval = self.interval
        return {
            "numerator": as_float(self.numerator),
            "denominator": as_float(self.denominator),
            "rate": as_float(self.rate, 6),
            "rate_exact": f"{self.numerator / self.denominator}",
            "rate_2dp": format_fixed(self.rate),
            "claim": self.claim,
            "phrase": self.figure.text if self.figure and self.figure.checkable else None,
            "claimed_low": as_float(interval.low) if interval else None,
            "claimed_high": as_float(interval.high) if interval else None,
            "claimed": interval.describe() if interval else None,
            "claimed_interval": interval.bracketed() if interval else None,
            "verdict": self.verdict,
            "reason": self.reason,
            "feasible_numerators": list(self.feasible) if self.feasible else None,
            "warnings": [w.to_dict() for w in self.warnings],
        }


def rate_sentence(numerator: Fraction, denominator: Fraction) -> str:
    rate = numerator / denominator * 100
    return f"{format_number(numerator)} / {format_number(denominator)} = {format_fixed(rate)}%"


def check_rate(
    numerator: int | float | str | Fraction,
    denominator: int | float | str | Fraction,
    claim: str | None = None,
) -> RateResult:
    """Compute numerator / denominator and judge ``claim`` (e.g. "just 3.3 per cent").

    Raises :class:`UsageError` for a zero or negative denominator, a negative
    numerator, or non-numeric input.
    """
    if claim is not None and len(claim) > policy.MAX_TEXT_CHARS:
        raise UsageError(
            f"over {policy.MAX_TEXT_CHARS:,} characters: quote the sentence", setting="claim"
        )
    num = to_fraction(numerator, "numerator")
    den = to_fraction(denominator, "denominator")
    if den <= 0:
        raise UsageError(f"denominator must be positive, got {format_number(den)}")
    if num < 0:
        raise UsageError(f"numerator must not be negative, got {format_number(num)}")
    result = RateResult(num, den, claim)
    base = small_base_warning(den)
    if base:
        result.warnings.append(base)
    if claim is None:
        result.reason = f"{rate_sentence(num, den)}."
        return result
    candidates = rate_figures(claim)
    if len(candidates) < 2:
        return judge_rate(result, parse_claim(claim))
    figure = best_figure(candidates, result.rate)
    judge_rate(result, figure)
    listed = ", ".join(repr(f.text) for f in candidates)
    result.reason = (
        f"the claim states {len(candidates)} proportions ({listed}); judged {figure.text!r}, "
        f"the one nearest {format_fixed(result.rate)}% (quote just the phrase "
        f"to choose another): {result.reason}"
    )
    return result


def best_figure(figures: list[Figure], rate: Fraction) -> Figure:
    """The figure a rate fits best: accurate before loose before inaccurate, then the one
    whose interval is nearest the rate."""
    order = {ACCURATE: 0, LOOSE: 1, INACCURATE: 2, UNCLEAR: 3}

    def distance(figure: Figure) -> Fraction:
        interval = figure.interval
        if interval is None:
            return Fraction(10**9)
        if interval.low is not None and rate < interval.low:
            return interval.low - rate
        if interval.high is not None and rate > interval.high:
            return rate - interval.high
        return Fraction(0)

    return min(figures, key=lambda f: (order[judge(rate, f)], distance(f)))


def judge_rate(result: RateResult, figure: Figure) -> RateResult:
    """Fill in the verdict, reason and feasible numerators of ``result`` for ``figure``."""
    num, den = result.numerator, result.denominator
    result.figure = figure
    sentence = rate_sentence(num, den)
    if figure.kind != "proportion" or not figure.checkable:
        result.verdict = UNCLEAR
        said = "nothing checkable" if not figure.checkable else f"a {figure.kind}"
        result.reason = f"{sentence}, but the claim states {said}, not a proportion: unclear."
        return result
    result.feasible = feasible_numerators(figure, den)
    if den < policy.SMALL_BASE_DO_NOT_COMPUTE:
        result.verdict = UNCLEAR
        result.reason = f"{sentence}, but a base of {format_number(den)} is too small: unclear."
        return result
    result.verdict = judge(result.rate, figure)
    result.reason = f"{sentence}, {relation(result.rate, figure, result.verdict)}: {result.verdict}"
    if result.verdict == INACCURATE:
        result.reason += f"; {feasible_text(result.feasible, den)}"
    result.reason += "."
    return result


def feasible_text(feasible: tuple[int, int] | None, denominator: Fraction) -> str:
    if feasible is None:
        return f"no whole count out of {format_number(denominator)} fits the claim"
    low, high = feasible
    counts = f"{low:,}" if low == high else f"{low:,} to {high:,}"
    return f"the claim needs {counts} out of {format_number(denominator)}"


def rate_exact_text(result: RateResult) -> str:
    """The exact rate: ``50/1527 = 3.2743942371...%``."""
    proportion = result.numerator / result.denominator
    digits = format_fixed(result.rate, 10)
    if result.rate == Fraction(digits):
        return f"{proportion} = {format_number(result.rate, 10)}%"
    return f"{proportion} = {digits}...%"
