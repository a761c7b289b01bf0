"""What a check says: the typed contract every renderer reads.

:func:`extractor.claims.check_claims` returns a :class:`CheckReport` of
:class:`CheckResult`, each with its :class:`FigureResult`. The terminal table (``foi check``,
``foi demo``), the JSON (``--json``, :meth:`CheckReport.to_dict`) and the HTML report
(:mod:`extractor.claims.report`) all read these objects; none of them rebuilds a result from
a dict. Numbers are exact (:class:`~fractions.Fraction`); the ``*_text`` properties give
them as printed everywhere (:func:`~extractor.claims.numbers.format_number`: half-up to two
places, thousands separated).

The exit-code policy of the checking commands lives here too (:func:`rate_exit_code`,
:func:`check_exit_code`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..records import Cell
from .intervals import Interval, as_float
from .methodology import MethodWarning
from .numbers import format_number
from .rates import INACCURATE, UNCLEAR, VERDICTS

# --- exit codes ---------------------------------------------------------------------------
EXIT_OK = 0  # accurate, loose, or nothing to judge (and foi demo, whatever the verdicts)
EXIT_INACCURATE = 1  # some claim is inaccurate (foi check --strict: or unclear)
EXIT_USAGE = 2  # bad input: a usage error, a malformed claims file
EXIT_UNCLEAR = 3  # a claim could not be judged (foi check: and none is inaccurate)


def rate_exit_code(verdict: str | None) -> int:
    """``foi rate``: 0 accurate, loose or no claim; 1 inaccurate; 3 unclear."""
    return {INACCURATE: EXIT_INACCURATE, UNCLEAR: EXIT_UNCLEAR}.get(verdict or "", EXIT_OK)


def check_exit_code(verdicts: Iterable[str], strict: bool = False) -> int:
    """``foi check``: 1 when any claim is inaccurate (``strict``: or unclear); 3 when any
    is unclear and none inaccurate; else 0. A claims file that cannot be read is 2."""
    seen = set(verdicts)
    failing = {INACCURATE, UNCLEAR} if strict else {INACCURATE}
    if failing & seen:
        return EXIT_INACCURATE
    return EXIT_UNCLEAR if UNCLEAR in seen else EXIT_OK


# --- results ------------------------------------------------------------------------------
@dataclass
class FigureResult:
    """One figure of a claim as resolved: an exact value or, with suppressed cells, an
    interval ``low``..``high``; ``cells`` are the records it came from (none for a
    literal), each with full provenance (file, sha256, page/sheet, table, labels,
    raw, bbox, cell ref). ``error`` says why it has no value."""

    name: str
    low: Fraction | None = None
    high: Fraction | None = None
    cells: list[Cell] = field(default_factory=list)
    error: str | None = None
    suppressed: list[str] = field(default_factory=list)

    @property
    def known(self) -> bool:
        return self.low is not None and self.high is not None

    @property
    def exact(self) -> bool:
        return self.known and self.low == self.high

    @property
    def value(self) -> Fraction:
        assert self.low is not None
        return self.low

    @property
    def literal(self) -> bool:
        """A number written in the claims file, not read from a cell."""
        return not self.cells

    @property
    def value_text(self) -> str | None:
        """``1,527``, or ``45 to 49`` with suppressed cells; None without a value."""
        if self.low is None or self.high is None:
            return None
        if self.low == self.high:
            return format_number(self.low)
        return f"{format_number(self.low)} to {format_number(self.high)}"

    def provenance(self) -> str:
        """``numerator: 50 (literal)`` or ``numerator: 50 from x.pdf p2 t0 Rape / 2022``."""
        if self.value_text is None:
            return f"{self.name}: {self.error}"
        if self.literal:
            return f"{self.name}: {self.value_text} (literal)"
        places = "; ".join(
            f"{c.where} t{c.table} {' > '.join(c.row)} / {' > '.join(c.column)}" for c in self.cells
        )
        return f"{self.name}: {self.value_text} from {places}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": as_float(self.low) if self.exact else None,
            "low": as_float(self.low),
            "high": as_float(self.high),
            "literal": self.literal,
            "cells": [c.to_dict() for c in self.cells],
            "error": self.error,
            "provenance": self.provenance(),
        }


UNIT_SUFFIX = {"percent": "%", "points": " percentage points", "ratio": " times"}


@dataclass
class CheckResult:
    """The verdict on one claim.

    ``value`` is what the data give (a percentage for rate, base, shares and
    comparison claims; a count, a change or a ratio otherwise, see ``unit``);
    ``interval`` what the claim allows; ``feasible`` the whole numerators that
    would have made a proportion true; ``figures`` each figure with provenance;
    ``details`` one line per sub-check (series, shares); ``warnings`` the
    methodology warnings (docs/claims.md).
    """

    id: str
    text: str
    kind: str
    verdict: str
    reason: str
    phrase: str | None = None
    value: Fraction | None = None
    unit: str | None = None
    interval: Interval | None = None
    feasible: tuple[int, int] | None = None
    figures: list[FigureResult] = field(default_factory=list)
    warnings: list[MethodWarning] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    line: int | None = None

    @property
    def value_text(self) -> str | None:
        """What the data give, as printed: ``3.27``; None when nothing was computed."""
        return format_number(self.value) if self.value is not None else None

    @property
    def unit_suffix(self) -> str:
        """``%`` for a percentage, `` percentage points``, `` times``; else nothing."""
        return UNIT_SUFFIX.get(self.unit or "", "")

    @property
    def claimed(self) -> str | None:
        """What the claim allows, in words: ``3.25 to 3.35``, ``at least 50``."""
        return self.interval.describe() if self.interval else None

    @property
    def cells(self) -> list[Cell]:
        """Every cell record the claim's figures were read from."""
        return [cell for figure in self.figures for cell in figure.cells]

    def to_dict(self) -> dict[str, Any]:
        interval = self.interval
        return {
            "id": self.id,
            "text": self.text,
            "phrase": self.phrase,
            "kind": self.kind,
            "verdict": self.verdict,
            "reason": self.reason,
            "value": as_float(self.value),
            "value_text": self.value_text,
            "unit": self.unit,
            "claimed_low": as_float(interval.low) if interval else None,
            "claimed_high": as_float(interval.high) if interval else None,
            "claimed": self.claimed,
            "claimed_interval": interval.bracketed() if interval else None,
            "feasible_numerators": list(self.feasible) if self.feasible else None,
            "figures": [f.to_dict() for f in self.figures],
            "warnings": [w.to_dict() for w in self.warnings],
            "details": self.details,
            "line": self.line,
        }


@dataclass
class CheckReport:
    """Every claim's result, in file order."""

    path: str
    results: list[CheckResult]

    def counts(self) -> dict[str, int]:
        """Claims per verdict, every verdict present (zero when none)."""
        return {v: sum(r.verdict == v for r in self.results) for v in VERDICTS}

    def exit_code(self, strict: bool = False) -> int:
        return check_exit_code((r.verdict for r in self.results), strict)

    def used_shas(self) -> set[str]:
        """The documents the figures were read from."""
        return {cell.sha256 for r in self.results for cell in r.cells if cell.sha256}

    def to_dict(self) -> dict[str, Any]:
        return {
            "claims_file": self.path,
            "summary": self.counts(),
            "results": [r.to_dict() for r in self.results],
        }
