"""Intervals of values a claim allows, with open or closed ends, in exact arithmetic."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .numbers import format_number, round_half_up


@dataclass(frozen=True)
class Interval:
    """``low``..``high`` (None is unbounded); ``*_open`` excludes that end."""

    low: Fraction | None = None
    high: Fraction | None = None
    low_open: bool = False
    high_open: bool = False

    def __contains__(self, value: Fraction) -> bool:
        if self.low is not None and (value < self.low or (self.low_open and value == self.low)):
            return False
        return not (
            self.high is not None and (value > self.high or (self.high_open and value == self.high))
        )

    def overlaps(self, low: Fraction, high: Fraction) -> bool:
        """Whether some value in the closed range [low, high] lies in the interval."""
        if self.low is not None and (high < self.low or (self.low_open and high == self.low)):
            return False
        return not (
            self.high is not None and (low > self.high or (self.high_open and low == self.high))
        )

    @classmethod
    def point(cls, value: Fraction) -> Interval:
        return cls(value, value)

    def describe(self, places: int = 2) -> str:
        """Plain words: ``3.25 to 3.35``, ``more than 50``, ``45 to under 50``."""
        low = format_number(self.low, places) if self.low is not None else None
        high = format_number(self.high, places) if self.high is not None else None
        if low is not None and low == high:
            return f"exactly {low}"
        if high is None:
            return f"more than {low}" if self.low_open else f"at least {low}"
        if low is None:
            return f"less than {high}" if self.high_open else f"at most {high}"
        left = "over " if self.low_open else ""
        right = "under " if self.high_open else ""
        return f"{left}{low} to {right}{high}"

    def bracketed(self, places: int = 2) -> str:
        """Mathematical notation: ``[45, 50)``."""
        low = format_number(self.low, places) if self.low is not None else "-inf"
        high = format_number(self.high, places) if self.high is not None else "inf"
        return f"{'(' if self.low_open else '['}{low}, {high}{')' if self.high_open else ']'}"

    def scaled(self, factor: Fraction) -> Interval:
        """The interval multiplied by a positive factor."""
        return Interval(
            self.low * factor if self.low is not None else None,
            self.high * factor if self.high is not None else None,
            self.low_open,
            self.high_open,
        )

    def integers(self, floor: int, ceiling: int) -> tuple[int, int] | None:
        """The integers inside the interval and inside [floor, ceiling], as (first, last)."""
        first = floor
        if self.low is not None:
            first = max(first, _ceil(self.low))
            if self.low_open and Fraction(first) == self.low:
                first += 1
        last = ceiling
        if self.high is not None:
            last = min(last, _floor(self.high))
            if self.high_open and Fraction(last) == self.high:
                last -= 1
        return (first, last) if first <= last else None


def _floor(value: Fraction) -> int:
    return value.numerator // value.denominator


def _ceil(value: Fraction) -> int:
    return -((-value.numerator) // value.denominator)


def as_float(value: Fraction | None, places: int = 4) -> int | float | None:
    """A JSON-friendly number: an int when whole, else a float rounded half-up."""
    if value is None:
        return None
    if value.denominator == 1:
        return int(value)
    return float(round_half_up(value, places))
