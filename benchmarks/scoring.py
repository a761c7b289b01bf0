"""Cell-level precision, recall and F1, shared by the accuracy scripts."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass
class Score:
    true_positive: int = 0
    predicted: int = 0
    expected: int = 0
    values_right: int = 0  # right value at the right cell, labels aside

    @property
    def precision(self) -> float:
        return self.true_positive / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positive / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        for item in fields(self):
            setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))
