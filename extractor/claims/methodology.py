"""Methodology warnings, reported beside the arithmetic verdict, never instead of it.

Numbered as in docs/claims.md:

1. numerator and denominator from different sources: a ratio of two counts, not a rate
2. same period, different stages of the process
3. "conviction rate" used for something other than convictions / completed prosecutions
4. different counting units (offences, victims, suspects, defendants)
5. calendar vs financial year, or different geographies
6. small base
7. suppressed cells
8. shares of a whole that leave an inconsistent remainder
9. a stated total that does not equal the sum of its parts
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Any

from ..periods import find_periods, same_period
from . import policy
from .numbers import format_number

_FINANCIAL_YEAR = re.compile(r"\b(?:fy|financial|(?:19|20)\d\d\s*[/-]\s*\d\d(?:\d\d)?)\b", re.I)


@dataclass(frozen=True)
class MethodWarning:
    """One methodology warning: its number in docs/claims.md, a short code, a sentence."""

    number: int
    code: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        return f"[{self.number}] {self.message}"


def _financial(period: str) -> bool:
    """A financial or academic year (2021/22, FY2021-22, the year to March 2022)."""
    return bool(_FINANCIAL_YEAR.search(period)) or any(
        p.is_split_year for p in find_periods(period)
    )


def _periods_differ(first: str | None, second: str | None) -> bool:
    """Two period labels that name different months (2021-22 and 2021/22 do not)."""
    return _differ(first, second) and not same_period(first or "", second or "")


def _differ(first: str | None, second: str | None) -> bool:
    return bool(first and second and first.strip().lower() != second.strip().lower())


def source_warning(
    numerator: str | None, denominator: str | None, text: str
) -> MethodWarning | None:
    """Warning 1: numerator and denominator from different sources or agencies."""
    if not _differ(numerator, denominator):
        return None
    message = (
        f"the numerator comes from {numerator} and the denominator from {denominator}: "
        "a ratio of two counts, not a rate"
    )
    lowered = text.lower()
    chance = next((w for w in policy.CHANCE_WORDS if re.search(rf"\b{w}\b", lowered)), None)
    if chance:
        message += (
            f'; calling it a "{chance}" treats the two counts as if one followed '
            "from the other, which these data cannot show"
        )
    return MethodWarning(1, "different-sources", message)


def stage_warning(
    numerator_stage: str | None,
    denominator_stage: str | None,
    numerator_period: str | None,
    denominator_period: str | None,
) -> MethodWarning | None:
    """Warning 2: same period, different stages (reports in 2022, convictions in 2022)."""
    if not _differ(numerator_stage, denominator_stage):
        return None
    if _periods_differ(numerator_period, denominator_period):
        return None
    period = f" in {numerator_period}" if numerator_period else ""
    return MethodWarning(
        2,
        "different-stages",
        f"{numerator_stage} and {denominator_stage} counted in the same period{period}: "
        f"{numerator_stage} mostly stem from {denominator_stage} of earlier periods",
    )


def conviction_rate_warning(text: str, denominator_stage: str | None) -> MethodWarning | None:
    """Warning 3: "conviction rate" has a standard meaning."""
    if "conviction rate" not in text.lower():
        return None
    stage = (denominator_stage or "").strip().lower()
    if stage in policy.CONVICTION_RATE_DENOMINATORS:
        return None
    over = f"convictions / {stage}" if stage else "this ratio"
    return MethodWarning(
        3,
        "conviction-rate",
        '"conviction rate" normally means convictions / completed prosecutions (CPS); '
        f"{over} is a measure of attrition, not a conviction rate",
    )


def units_warning(
    numerator_units: str | None, denominator_units: str | None
) -> MethodWarning | None:
    """Warning 4: the two counts use different counting units."""
    if not _differ(numerator_units, denominator_units):
        return None
    return MethodWarning(
        4,
        "different-units",
        f"the numerator counts {numerator_units} and the denominator {denominator_units}: "
        "one does not map onto the other",
    )


def period_area_warnings(
    numerator_period: str | None,
    denominator_period: str | None,
    numerator_area: str | None,
    denominator_area: str | None,
) -> list[MethodWarning]:
    """Warning 5: calendar vs financial year, or different geographies."""
    found = []
    if numerator_period and denominator_period:
        kinds = {_financial(p) for p in (numerator_period, denominator_period)}
        if len(kinds) == 2:
            found.append(
                MethodWarning(
                    5,
                    "calendar-vs-financial",
                    f"one figure covers {numerator_period} and the other {denominator_period}: "
                    "calendar and financial years do not line up",
                )
            )
    if _differ(numerator_area, denominator_area):
        found.append(
            MethodWarning(
                5,
                "different-areas",
                f"the numerator covers {numerator_area} and the denominator {denominator_area}",
            )
        )
    return found


def small_base_warning(denominator: Fraction) -> MethodWarning | None:
    """Warning 6: a base under 20 is unreliable; under 3, no rate is computed."""
    base = format_number(denominator)
    if denominator < policy.SMALL_BASE_DO_NOT_COMPUTE:
        return MethodWarning(
            6, "base-too-small", f"a base of {base} is too small to compute a rate"
        )
    if denominator < policy.SMALL_BASE_UNRELIABLE:
        return MethodWarning(
            6,
            "small-base",
            f"a base of {base} (under {policy.SMALL_BASE_UNRELIABLE}) makes any percentage "
            f"unreliable: one case moves it by {format_number(100 / denominator, 1)} points",
        )
    return None


def suppressed_warning(names: list[str]) -> MethodWarning:
    """Warning 7: suppressed cells enter the figures as intervals."""
    return MethodWarning(
        7,
        "suppressed-cells",
        f"suppressed cells ({', '.join(names)}) were taken as intervals "
        f'([0, n-1] for "<n", [0, {policy.DEFAULT_SUPPRESSION_THRESHOLD - 1}] for "*" '
        'and "[c]"); the verdict holds only if it holds at both ends',
    )
