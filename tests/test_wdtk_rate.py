"""The rate limiter on a simulated clock: exact fractional rates, and the one-second rule."""

from __future__ import annotations

import math
from itertools import pairwise

import pytest

from extractor.wdtk.config import WINDOW_SLACK
from extractor.wdtk.transport import RateLimiter


class SimulatedClock:
    """A clock that only moves when the limiter sleeps: send times are exact."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def send_times(rate: float, sends: int) -> list[float]:
    clock = SimulatedClock()
    limiter = RateLimiter(rate, clock=clock, sleep=clock.sleep)
    times = []
    for _ in range(sends):
        limiter.wait()
        times.append(clock.now)
    return times


def busiest(times: list[float], span: float) -> int:
    """The most sends in any window [t, t + span)."""
    return max(sum(1 for t in times[i:] if t < start + span) for i, start in enumerate(times))


@pytest.mark.parametrize("rate", [2.5, 0.5, 1.5, 0.3])
def test_fractional_rates_are_kept_exactly(rate) -> None:
    times = send_times(rate, 40)
    gaps = [later - earlier for earlier, later in pairwise(times)]
    assert gaps == pytest.approx([1 / rate] * len(gaps))


@pytest.mark.parametrize("rate", [0.5, 1, 2.5, 2.99, 7, 20])
def test_no_second_holds_more_than_the_rate_rounded_up(rate) -> None:
    times = send_times(rate, 120)
    assert busiest(times, 1.0 + WINDOW_SLACK) <= math.ceil(rate)
    # sends exactly 1/rate apart may land a float's rounding inside a span's far end
    assert busiest(times, 2.0 - 1e-9) <= math.ceil(2 * rate)
    achieved = (len(times) - 1) / (times[-1] - times[0])
    assert 0.97 * rate <= achieved <= rate + 1e-9


@pytest.mark.parametrize("rate", [0, -1, math.inf, math.nan])
def test_a_rate_must_be_a_positive_number(rate) -> None:
    with pytest.raises(ValueError):
        RateLimiter(rate)
