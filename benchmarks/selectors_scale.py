"""Benchmark: `foi check` with 100 cell selectors on a store of N and of 10N documents.

Builds two SQLite stores in a temporary folder (synthetic documents of 20 x 16 = 320
cells each, like a typical FOI table) and times checking one claims file of 100 count
claims, each with a selector naming a document (by its stored name in a different case,
so the lookup must be case-insensitive), a table and labels. Prints the median of 3
interleaved rounds for each store and the ratio 10N / N (target: under 1.5: a
selector's cost does not grow with the store). For contrast it also times the lookup
0.1.0 ran (``lower(file) = lower(?)``, a full scan of ``cells``) on the same stores.

    python benchmarks/selectors_scale.py            # N = 300 (96k and 960k cells)
    python benchmarks/selectors_scale.py --n 50     # a quick look
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from extractor.claims import check_claims
from extractor.records import Cell
from extractor.store import Document, Store

ROWS, COLUMNS = 20, 16
SELECTORS = 100


def document_cells(number: int) -> tuple[Document, list[Cell]]:
    sha = f"{number:064x}"
    name = f"FOI-{number:06d} response.pdf"
    cells = [
        Cell(
            file=name,
            sha256=sha,
            table=0,
            page=1,
            row=[f"Offence {r}"],
            column=[f"Month {c}"],
            value=number + r * COLUMNS + c,
            raw=str(number + r * COLUMNS + c),
        )
        for r in range(ROWS)
        for c in range(COLUMNS)
    ]
    return Document(sha, name), cells


def build_store(path: Path, documents: int) -> None:
    with Store(path) as store:
        for number in range(documents):
            document, cells = document_cells(number)
            store.add_document(document, cells)


def claims_text(documents: int) -> str:
    lines = []
    step = max(documents // SELECTORS, 1)
    for i in range(SELECTORS):
        number = (i * step) % documents
        value = number + 3 * COLUMNS + 5
        lines += [
            "[[claim]]",
            f'id = "c{i}"',
            f'text = "There were {value:,} offences."',
            f'phrase = "{value:,}"',
            f'value = {{ file = "foi-{number:06d} RESPONSE.pdf", table = 0, '
            'row = ["Offence 3"], column = ["Month 5"] }',
            "",
        ]
    return "\n".join(lines)


def time_check(db: Path, claims: Path) -> float:
    with Store(db) as store:
        start = time.perf_counter()
        report = check_claims(claims, store=store)
        elapsed = time.perf_counter() - start
    verdicts = report.counts()
    assert verdicts.get("accurate") == SELECTORS, verdicts
    return elapsed


def time_old_lookup(db: Path, documents: int) -> float:
    """The 0.1.0 query, for contrast: one full scan of cells per selector."""
    with Store(db) as store:
        start = time.perf_counter()
        for i in range(SELECTORS):
            name = f"foi-{(i * max(documents // SELECTORS, 1)) % documents:06d} RESPONSE.pdf"
            store.db.execute("select * from cells where lower(file) = lower(?)", [name]).fetchall()
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="documents in the smaller store")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    sizes = {"N": args.n, "10N": 10 * args.n}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for label, documents in sizes.items():
            print(
                f"building the {label} store: {documents} documents, "
                f"{documents * ROWS * COLUMNS:,} cells"
            )
            build_store(folder / f"{label}.db", documents)
            (folder / f"{label}.toml").write_text(claims_text(documents), encoding="utf-8")
        time_check(folder / "N.db", folder / "N.toml")  # warm-up: imports, compiled patterns
        times: dict[str, list[float]] = {label: [] for label in sizes}
        old: dict[str, list[float]] = {label: [] for label in sizes}
        for _ in range(args.rounds):  # interleaved: the machine is shared and noisy
            for label, documents in sizes.items():
                times[label].append(time_check(folder / f"{label}.db", folder / f"{label}.toml"))
                old[label].append(time_old_lookup(folder / f"{label}.db", documents))
    median = {label: statistics.median(values) for label, values in times.items()}
    old_median = {label: statistics.median(values) for label, values in old.items()}
    for label in sizes:
        print(
            f"{label:>3}: foi check, {SELECTORS} selectors: {median[label] * 1000:8.1f} ms"
            f"   (0.1.0 lookup alone: {old_median[label] * 1000:8.1f} ms)"
        )
    ratio = median["10N"] / median["N"]
    print(f"ratio 10N / N: {ratio:.2f} (target < 1.5)")
    print(f"0.1.0 lookup ratio 10N / N: {old_median['10N'] / old_median['N']:.2f}")


if __name__ == "__main__":
    main()
