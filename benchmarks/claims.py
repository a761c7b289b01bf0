"""Speed of the claim checker, against baselines measured in the same run.

1. Drafting (``draft_claims``) on a generated, synthetic article of N sentences and of
   10 x N sentences: the time ratio should be near 10 (linear), not 100.
2. Drafting against a plain baseline: one regex pass that finds every digit run in the
   same text (the least any drafter must do): how many times slower the grammar is.
3. Checking (``check_claims``) 2,000 literal rate claims: claims per second, and the
   ratio against recomputing the same rates with bare ``Fraction`` arithmetic.

    python benchmarks/claims.py [--sentences 200]
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable
from fractions import Fraction

from extractor.claims import check_claims, draft_claims, parse_claims_text

SENTENCES = (
    "In 2020 there were {a:,} reports, which increased to {b:,} in 2021 and then again.",
    "Only {c} of these led to a conviction, a conviction rate of just {p} per cent.",
    "Nearly half of the cases were closed, and more than one in five took over a year.",
    "The synthetic figures show the number of reports doubled since 2019.",
    "Officers said the teams had worked hard over the last 12 months.",
)


def synthetic_article(count: int) -> str:
    lines = []
    for index in range(count):
        template = SENTENCES[index % len(SENTENCES)]
        lines.append(
            template.format(
                a=1000 + index, b=1200 + index, c=40 + index % 20, p=f"{2 + index % 7}.{index % 10}"
            )
        )
    return " ".join(lines)


def seconds(work: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def rate_claims(count: int) -> str:
    return "\n".join(
        f'[[claim]]\nid = "c{i}"\ntext = "just {3 + i % 5}.{i % 10} per cent"\n'
        f"numerator = {50 + i % 9}\ndenominator = {1527 + i}\n"
        for i in range(count)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=200)
    args = parser.parse_args()

    small, large = synthetic_article(args.sentences), synthetic_article(args.sentences * 10)
    t_small = seconds(lambda: draft_claims(small))
    t_large = seconds(lambda: draft_claims(large))
    t_regex = seconds(lambda: re.findall(r"\d[\d,.]*", large))
    drafted = len(draft_claims(small))
    print(f"draft: {args.sentences} sentences -> {drafted} claims in {t_small:.3f}s")
    print(f"draft scaling (10x text): time ratio {t_large / t_small:.1f} (10 = linear)")
    print(f"draft vs one regex pass over the same text: {t_large / t_regex:.0f}x slower")

    claims = parse_claims_text(rate_claims(2000))
    t_check = seconds(lambda: check_claims(claims), repeat=1)
    pairs = [(Fraction(50 + i % 9), Fraction(1527 + i)) for i in range(2000)]
    t_plain = seconds(lambda: [n / d * 100 for n, d in pairs])
    print(f"check: 2,000 rate claims in {t_check:.3f}s ({2000 / t_check:,.0f} claims/s)")
    print(f"check vs bare Fraction rates: {t_check / t_plain:.0f}x slower")


if __name__ == "__main__":
    main()
