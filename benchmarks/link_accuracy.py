"""Benchmark: how many drafted figures `foi claims --db` links to the right cell.

The cases are in tests/data/link/: an article written for this project (in our own
words, quoting figures of real documents in ../shared/corpus) and a hand-written file of
expected links, one per figure: the selector of the cell the figure came from, or ""
for a figure the documents do not hold (it must stay unlinked). The documents of all
cases are extracted into ONE store (so every case meets the other cases' look-alikes),
each article is drafted and linked, and every expected link is scored:

- right: linked to the expected cell (or left empty when the documents do not hold it);
- wrong: linked to another cell (or linked when the documents do not hold the figure);
- empty: not linked though the documents hold it.

    python benchmarks/link_accuracy.py          # targets: right >= 85%, wrong <= 5%
    python benchmarks/link_accuracy.py -v       # every figure
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractor.claims import draft_claims
from extractor.claims.link import LinkedClaim, link_claims
from extractor.claims.selectors import Selector, StoreCells, resolve
from extractor.extract import extract_files
from extractor.records import Cell
from extractor.store import Store

REPO = Path(__file__).resolve().parents[1]
CASES = REPO / "tests" / "data" / "link"
SHARED = Path(os.environ.get("FOI_SHARED") or REPO.parent / "shared")
CORPUS = SHARED / "corpus"


@dataclass
class Outcome:
    case: str
    phrase: str
    slot: str
    verdict: str  # right, wrong, empty
    got: str
    expected: str


@dataclass
class Score:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, verdict: str) -> int:
        return sum(1 for o in self.outcomes if o.verdict == verdict)

    def share(self, verdict: str) -> float:
        return self.count(verdict) / len(self.outcomes) if self.outcomes else 0.0

    @property
    def not_held(self) -> int:
        return sum(1 for o in self.outcomes if o.expected == '""')


def load_cases() -> list[dict[str, Any]]:
    return [tomllib.loads(p.read_text(encoding="utf-8")) for p in sorted(CASES.glob("*.toml"))]


def build_store(path: Path, cases: list[dict[str, Any]]) -> Store:
    files = sorted({CORPUS / d for case in cases for d in case["documents"]})
    missing = [f for f in files if not f.is_file()]
    if missing:
        raise FileNotFoundError(f"{missing[0]}: not in ../shared/corpus")
    store = Store(path)
    for outcome in extract_files(files, store=store):
        if outcome.error:
            raise RuntimeError(outcome.error)
    return store


def _key(cell: Cell) -> tuple[Any, ...]:
    return (cell.sha256, cell.table, tuple(cell.row), tuple(cell.column), cell.raw, cell.cell)


def _describe(cell: Cell | None) -> str:
    if cell is None:
        return '""'
    return f"{cell.where} t{cell.table} {' > '.join(cell.row)} / {' > '.join(cell.column)}"


def _slot_cell(claim: LinkedClaim, slot: str) -> Cell | None:
    group, _, key = slot.partition(".")
    slots = {"series": claim.series, "parts": claim.parts}.get(group, claim.slots)
    link = slots.get(key if key else slot)
    return link.cell.cell if link is not None and link.cell is not None else None


def score_case(case: dict[str, Any], store: Store, cells: list[Cell]) -> list[Outcome]:
    text = (CASES / case["article"]).read_text(encoding="utf-8")
    drafts = draft_claims(text)
    linked, _ = link_claims(drafts, text, cells)
    outcomes = []
    for expected in case["link"]:
        found = [c for c in linked if expected["phrase"] in c.draft.phrase]
        got = _slot_cell(found[0], expected["slot"]) if found else None
        want = (
            resolve(Selector.from_dict(expected["cell"]), StoreCells(store))
            if expected["cell"]
            else None
        )
        if (got is None and want is None) or (got and want and _key(got) == _key(want)):
            verdict = "right"
        elif got is None:
            verdict = "empty"
        else:
            verdict = "wrong"
        outcomes.append(
            Outcome(
                case["article"],
                expected["phrase"],
                expected["slot"],
                verdict,
                _describe(got),
                _describe(want),
            )
        )
    return outcomes


def run(folder: Path) -> Score:
    cases = load_cases()
    score = Score()
    with build_store(folder / "cases.db", cases) as store:
        cells = list(store.cells())
        for case in cases:
            score.outcomes += score_case(case, store, cells)
    return score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="print every figure")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        sys.exit("../shared/corpus is not present (set FOI_SHARED to the shared folder)")
    with tempfile.TemporaryDirectory() as tmp:
        score = run(Path(tmp))
    by_case: dict[str, list[Outcome]] = {}
    for outcome in score.outcomes:
        by_case.setdefault(outcome.case, []).append(outcome)
        if args.verbose or outcome.verdict != "right":
            print(
                f"{outcome.verdict:5}  {outcome.case}: {outcome.phrase!r} {outcome.slot}: "
                f"got {outcome.got}; expected {outcome.expected}"
            )
    for case, outcomes in by_case.items():
        right = sum(1 for o in outcomes if o.verdict == "right")
        print(f"{case:20} {right}/{len(outcomes)} right")
    total = len(score.outcomes)
    print(
        f"figures: {total} ({score.not_held} not in the documents); "
        f"right {score.count('right')} ({score.share('right'):.0%}), "
        f"wrong {score.count('wrong')} ({score.share('wrong'):.0%}), "
        f"empty {score.count('empty')} ({score.share('empty'):.0%})"
    )
    print("targets: right >= 85%, wrong <= 5%")


if __name__ == "__main__":
    main()
