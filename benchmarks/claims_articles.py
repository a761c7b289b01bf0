"""Drafting recall and precision, and check agreement, on the hand-marked test articles.

Every ``tests/data/articles/NN-name.txt`` has a sidecar ``NN-name.marks.toml`` written by
hand (see the README there): the figures a careful reader would check, each with its kind
and the interval it claims, and for some of them data and the verdict docs/claims.md gives.

- recall: marked figures that some drafted claim covers (its figure overlaps the mark);
- precision: drafted figures that overlap a marked figure (the rest are dates, years,
  section numbers, ages, ... drafted as if they were figures);
- reading: covered marks whose drafted kind and interval equal the hand-marked ones;
- check agreement: marks with a ``check`` whose drafted claim, with its slots filled in
  from the check's data, gets the hand verdict from ``check_claim``.

    python benchmarks/claims_articles.py [--verbose] [--json]

It uses only the public library API, so it also runs against an older checkout
(``PYTHONPATH=/path/to/old/checkout python benchmarks/claims_articles.py``) to measure
before and after.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from extractor.claims import check_claim, draft_claims, drafts_to_toml, find_figures, read_article
from extractor.claims.claimsfile import parse_claim_table

ARTICLES = Path(__file__).resolve().parent.parent / "tests" / "data" / "articles"
KIND_NAMES = {"superlative": "rank", "rank": "rank"}


@dataclass
class Mark:
    phrase: str
    kind: str
    start: int
    end: int
    low: Fraction | None
    high: Fraction | None
    check: dict[str, Any] | None


@dataclass
class Drafted:
    """One figure a draft stands for, located in the article."""

    start: int
    end: int
    kind: str
    low: Fraction | None
    high: Fraction | None
    draft: Any


@dataclass
class Score:
    marks: int = 0
    recalled: int = 0
    drafted: int = 0
    precise: int = 0
    read_right: int = 0
    checks: int = 0
    agreed: int = 0
    misses: list[str] = field(default_factory=list)


def _fraction(value: Any) -> Fraction | None:
    return None if value is None else Fraction(str(value))


def load_marks(article: str, path: Path) -> list[Mark]:
    marks = []
    for item in tomllib.loads(path.read_text(encoding="utf-8"))["figure"]:
        pattern = re.compile(rf"(?<![\w,.]){re.escape(item['phrase'])}(?![\w]|[.,]\d)")
        found = list(pattern.finditer(article))
        if len(found) < item.get("nth", 1):
            raise SystemExit(f"{path.name}: {item['phrase']!r} is not in the article")
        match = found[item.get("nth", 1) - 1]
        marks.append(
            Mark(
                item["phrase"],
                item["kind"],
                match.start(),
                match.end(),
                _fraction(item.get("low")),
                _fraction(item.get("high")),
                item.get("check"),
            )
        )
    return marks


def drafted_figures(article: str) -> list[Drafted]:
    """Every figure the drafts stand for, with spans in the article."""
    found = []
    cursor = 0
    for draft in draft_claims(article):
        offset = article.find(draft.text, max(0, cursor - len(draft.text)))
        if offset < 0:
            offset = article.find(draft.text)
        cursor = offset + len(draft.text)
        figures = list(getattr(draft, "figures", None) or ([draft.figure] if draft.figure else []))
        if not getattr(draft, "figures", None) and draft.kind in ("series", "total", "shares"):
            at = draft.text.find(draft.phrase)
            for figure in find_figures(draft.phrase):
                if figure.checkable and figure not in figures:
                    figures.append(_shifted(figure, at))
        if not figures:  # a comparison with no figure of its own: its phrase
            at = draft.text.find(draft.phrase)
            found.append(
                Drafted(offset + at, offset + at + len(draft.phrase), "rank", None, None, draft)
            )
            continue
        for figure in figures:
            interval = figure.interval
            found.append(
                Drafted(
                    offset + figure.start,
                    offset + figure.end,
                    KIND_NAMES.get(figure.kind, figure.kind),
                    interval.low if interval else None,
                    interval.high if interval else None,
                    draft,
                )
            )
    return found


def _shifted(figure: Any, by: int) -> Any:
    from dataclasses import replace

    return replace(figure, start=figure.start + by, end=figure.end + by)


def _overlaps(a: Mark | Drafted, b: Mark | Drafted) -> bool:
    return a.start < b.end and b.start < a.end


def _near(a: Fraction | None, b: Fraction | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= Fraction(5, 1000) + abs(b) / 10**6


def _reads_right(mark: Mark, drafted: Drafted) -> bool:
    if mark.kind == "rank":
        return drafted.kind == "rank"
    low = drafted.low
    if mark.low == 0 and drafted.low is None:
        low = Fraction(0)  # "up to a third": unbounded below and from 0 are the same claim
    return drafted.kind == mark.kind and _near(low, mark.low) and _near(drafted.high, mark.high)


def _check(mark: Mark, drafted: Drafted) -> str:
    """The verdict of the drafted claim with its slots filled from the mark's data."""
    try:
        data = tomllib.loads(drafts_to_toml([drafted.draft]))["claim"][0]
    except tomllib.TOMLDecodeError as exc:
        return f"an invalid draft ({exc})"
    given = mark.check or {}
    for key in ("numerator", "denominator", "value", "before", "after", "whole", "base"):
        if key in data:
            data[key] = given.get(key, "")
    if "series" in data:
        data["series"] = {k: given.get("series", {}).get(k, "") for k in data["series"]}
    return str(check_claim(parse_claim_table(data)).verdict)


def score_article(path: Path, score: Score, verbose: bool) -> None:
    article = read_article(path)
    marks = load_marks(article, path.with_suffix(".marks.toml"))
    try:
        drafted = drafted_figures(article)
    except Exception as exc:  # an older checkout may fail on an article: nothing drafted
        score.misses.append(f"{path.name}: drafting failed ({type(exc).__name__}: {exc})")
        drafted = []
    score.marks += len(marks)
    score.drafted += len(drafted)
    for item in drafted:
        if any(_overlaps(item, m) for m in marks):
            score.precise += 1
        elif verbose:
            score.misses.append(f"{path.name}: drafted {article[item.start : item.end]!r}")
    for mark in marks:
        covering = [d for d in drafted if _overlaps(d, mark)]
        if not covering:
            if verbose:
                score.misses.append(f"{path.name}: missed {mark.phrase!r}")
            continue
        score.recalled += 1
        if any(_reads_right(mark, d) for d in covering):
            score.read_right += 1
        elif verbose:
            got = [(d.kind, d.low, d.high) for d in covering]
            score.misses.append(f"{path.name}: read {mark.phrase!r} as {got}")
    for mark in marks:
        if mark.check is None:
            continue
        score.checks += 1
        covering = [d for d in drafted if _overlaps(d, mark)]
        verdict = _check(mark, covering[0]) if covering else "not drafted"
        if verdict == mark.check["verdict"]:
            score.agreed += 1
        elif verbose:
            score.misses.append(
                f"{path.name}: check {mark.phrase!r} gave {verdict}, hand {mark.check['verdict']}"
            )


def run(verbose: bool = False, pattern: str = "*.txt") -> tuple[Score, int]:
    score = Score()
    articles = sorted(ARTICLES.glob(pattern))
    for path in articles:
        try:
            score_article(path, score, verbose)
        except Exception as exc:  # an older checkout cannot read the article: count its marks
            figures = tomllib.loads(path.with_suffix(".marks.toml").read_text("utf-8"))["figure"]
            score.marks += len(figures)
            score.checks += sum("check" in f for f in figures)
            score.misses.append(f"{path.name}: unreadable ({type(exc).__name__}: {exc})")
    return score, len(articles)


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--only", default="*.txt", help="articles to score, as a glob (default: all, *.txt)"
    )
    args = parser.parse_args()
    score, articles = run(args.verbose, args.only)
    figures = {
        "articles": articles,
        "marked_figures": score.marks,
        "drafted_figures": score.drafted,
        "recall": _percent(score.recalled, score.marks),
        "precision": _percent(score.precise, score.drafted),
        "read_right": _percent(score.read_right, score.recalled),
        "checks": score.checks,
        "check_agreement": _percent(score.agreed, score.checks),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(
            f"{articles} articles, {score.marks} marked figures, {score.drafted} drafted\n"
            f"recall     {figures['recall']} ({score.recalled}/{score.marks} marked figures "
            "drafted)\n"
            f"precision  {figures['precision']} ({score.precise}/{score.drafted} drafted figures "
            "are marked)\n"
            f"reading    {figures['read_right']} ({score.read_right}/{score.recalled} drafted with "
            "the hand-marked kind and interval)\n"
            f"check      {figures['check_agreement']} ({score.agreed}/{score.checks} verdicts "
            "agree with the hand verdict)"
        )
    for miss in score.misses:
        print("  " + miss, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
