"""Linking on cases written for this project from real documents in ../shared/corpus
(tests/data/link/): at least 85% of figures link to the right cell, at most 5% to a
wrong one, and every figure the documents do not hold stays unlinked. The same scoring
prints the figures in benchmarks/link_accuracy.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
import link_accuracy  # noqa: E402


def test_cases_reference_corpus_files_by_path_only() -> None:
    cases = link_accuracy.load_cases()
    assert len(cases) >= 3
    for case in cases:
        assert (link_accuracy.CASES / case["article"]).is_file()
        assert all(not Path(d).is_absolute() for d in case["documents"])
        assert any(link["cell"] == "" for link in case["link"])  # a figure not held


def test_linking_accuracy_on_the_corpus_cases(tmp_path: Path) -> None:
    if not link_accuracy.CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    score = link_accuracy.run(tmp_path)
    assert len(score.outcomes) >= 25
    assert score.share("right") >= 0.85, [o for o in score.outcomes if o.verdict != "right"]
    assert score.share("wrong") <= 0.05, [o for o in score.outcomes if o.verdict == "wrong"]
    not_held = [o for o in score.outcomes if o.expected == '""']
    assert not_held and all(o.verdict == "right" for o in not_held)
