"""Cell-level precision, recall and F1 of the PDF reader over the labelled set.

The labelled set:

- the synthetic PDFs in ``fixtures/pdfs`` with their answer keys (``*.truth.json``):
  a cell counts as right when page, row path, column path, value, flag and unit all match;
- the expected cells listed in the PROVENANCE.md files of ``../shared/corpus`` (copied
  into ``tests/data/corpus_expected.json`` by ``--refresh-expected``): recall only,
  since those lists are samples, matched on row label, column label and printed value.

- with ``--random N``: N freshly generated documents of six tables each in random
  styles (fonts, sizes, widths, alignment, stripes, boxes, wrapped headings, sections;
  ``fixtures/make_pdfs.py random_table``), seeds from ``--seed``, as a held-out check
  on layouts no rule was tuned on.

Usage: python benchmarks/pdf_accuracy.py [--verbose] [--refresh-expected] [--random N --seed S]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from scoring import Score

from extractor.errors import ReadError
from extractor.records import Cell
from extractor.tables import read_file

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures" / "pdfs"
CORPUS = REPO.parent / "shared" / "corpus"
EXPECTED = REPO / "tests" / "data" / "corpus_expected.json"
PROVENANCE_FOLDERS = ("tables", "foi-real")


def _number(value: Any) -> Any:
    return round(float(value), 6) if isinstance(value, int | float) else value


def cell_key(data: dict[str, Any]) -> tuple[Any, ...]:
    return (
        data["page"],
        tuple(data["row"]),
        tuple(data["column"]),
        _number(data["value"]),
        data["flag"],
        data["unit"],
    )


def score_synthetic(truth_path: Path, verbose: bool = False) -> Score:
    """Precision and recall of one synthetic PDF against its answer key."""
    truth = json.loads(truth_path.read_text())
    pdf = truth_path.with_name(truth["file"])
    try:
        found = [c.to_dict() for c in read_file(pdf)]
    except ReadError as exc:
        expected_error = truth.get("error")
        ok = expected_error is not None and type(exc).__name__ == expected_error
        if verbose and not ok:
            print(f"  {pdf.name}: unexpected error {exc}")
        return Score(0, 0 if ok else 1, len(truth["cells"]))
    wanted = Counter(cell_key(c) for c in truth["cells"])
    got = Counter(cell_key(c) for c in found)
    hits = sum((wanted & got).values())
    if verbose:
        for key in list((wanted - got).elements())[:5]:
            print(f"  {pdf.name} missed: {key}")
        for key in list((got - wanted).elements())[:5]:
            print(f"  {pdf.name} extra:  {key}")
    return Score(hits, sum(got.values()), sum(wanted.values()))


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _label_matches(label: str, path: list[str]) -> bool:
    want = _norm(re.sub(r"\s*\((?:first group[^)]*|votes|[^)]*no group label[^)]*)\)", "", label))
    if want in ("", "—", "-"):
        return True
    joined = _norm(" ".join(path))
    parts = [_norm(p) for p in want.split(" > ")]
    if all(part.rstrip(" …") in joined for part in parts) or (bool(joined) and joined in want):
        return True
    # as values: spaces aside, since text layers disagree on gaps the PDF has no space for
    # ("BAIN,JMATTHEW" in pdfplumber's own expectations is printed "BAIN, J MATTHEW")
    compact = joined.replace(" ", "")
    return all(part.rstrip(" …").replace(" ", "") in compact for part in parts)


def _value_matches(printed: str, cell: Cell) -> bool:
    raw = _norm(cell.raw)
    want = _norm(printed)
    return raw == want or raw.replace(" ", "") == want.replace(" ", "")


def expected_found(item: dict[str, Any], cells: list[Cell]) -> bool:
    return any(
        (item["page"] is None or cell.page == item["page"])
        and _value_matches(item["value"], cell)
        and _label_matches(item["row"], cell.row)
        and _label_matches(item["column"], cell.column)
        for cell in cells
    )


def score_corpus(verbose: bool = False) -> tuple[int, int]:
    """How many of the PROVENANCE expected cells the reader finds (found, expected)."""
    if not EXPECTED.is_file() or not CORPUS.is_dir():
        return 0, 0
    items = json.loads(EXPECTED.read_text())
    found = 0
    by_file: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        by_file.setdefault(item["path"], []).append(item)
    for path, wanted in by_file.items():
        try:
            cells = list(read_file(CORPUS / path))
        except ReadError as exc:
            cells = []
            if verbose:
                print(f"  {path}: {exc}")
        for item in wanted:
            hit = expected_found(item, cells)
            found += hit
            if verbose and not hit:
                print(
                    f"  {path} missed: p{item['page']} {item['row']!r} x {item['column']!r}"
                    f" = {item['value']!r}"
                )
    return found, len(items)


def _provenance_rows(text: str) -> list[list[str]]:
    """Rows of the "Expected cells" markdown table of a PROVENANCE.md."""
    start = text.find("## Expected cells")
    rows = []
    for line in text[start:].splitlines()[1:]:
        if line.startswith("## "):
            break
        if line.startswith("|") and not line.startswith("|---"):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
    return rows[1:]  # without the header row


def refresh_expected() -> int:
    """Copy the PDF expected cells of the PROVENANCE tables into tests/data."""
    items = []
    for folder in PROVENANCE_FOLDERS:
        text = (CORPUS / folder / "PROVENANCE.md").read_text()
        for cells in _provenance_rows(text):
            name, where, row, column, value = cells[:5]
            if not name.endswith(".pdf") or not (CORPUS / folder / name).is_file():
                continue
            page = re.match(r"p?(\d+)", where)
            items.append(
                {
                    "path": f"{folder}/{name}",
                    "page": int(page.group(1)) if page else None,
                    "row": row,
                    "column": column,
                    "value": value.split(" (")[0].strip(),
                }
            )
    EXPECTED.parent.mkdir(parents=True, exist_ok=True)
    EXPECTED.write_text(json.dumps(items, indent=1, ensure_ascii=False) + "\n")
    return len(items)


def score_random(count: int, first_seed: int, verbose: bool = False) -> Score:
    """Precision and recall over freshly generated random-style documents."""
    sys.path.insert(0, str(REPO / "fixtures"))
    from make_pdfs import make_heldout_random

    total = Score()
    with tempfile.TemporaryDirectory() as folder:
        for seed in range(first_seed, first_seed + count):
            out = Path(folder) / str(seed)
            out.mkdir()
            make_heldout_random(out, seed=seed, pages=6)
            total.add(score_synthetic(out / "heldout_random.truth.json", verbose))
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description="PDF reader accuracy over the labelled set.")
    parser.add_argument("--verbose", "-v", action="store_true", help="list misses and extras")
    parser.add_argument(
        "--refresh-expected",
        action="store_true",
        help="rewrite tests/data/corpus_expected.json from PROVENANCE.md",
    )
    parser.add_argument(
        "--random",
        type=int,
        default=0,
        metavar="N",
        help="also score N generated random-style documents",
    )
    parser.add_argument("--seed", type=int, default=1000, help="first seed for --random")
    args = parser.parse_args()
    if args.refresh_expected:
        print(f"wrote {refresh_expected()} expected cells to {EXPECTED}")
    total = Score()
    for truth in sorted(FIXTURES.glob("*.truth.json")):
        score = score_synthetic(truth, args.verbose)
        total.add(score)
        print(
            f"{truth.name[:-11]:34} P={score.precision:.3f} R={score.recall:.3f} "
            f"F1={score.f1:.3f} ({score.true_positive}/{score.expected})"
        )
    print(
        f"synthetic: precision {total.precision:.3f}  recall {total.recall:.3f}  "
        f"F1 {total.f1:.3f}  ({total.true_positive} of {total.expected} true cells, "
        f"{total.predicted} predicted)"
    )
    if args.random:
        fresh = score_random(args.random, args.seed, args.verbose)
        print(
            f"random styles (seeds {args.seed}-{args.seed + args.random - 1}): precision "
            f"{fresh.precision:.3f}  recall {fresh.recall:.3f}  F1 {fresh.f1:.3f}  "
            f"({fresh.true_positive} of {fresh.expected} true cells, "
            f"{fresh.predicted} predicted)"
        )
    found, expected = score_corpus(args.verbose)
    if expected:
        print(f"corpus PROVENANCE cells: recall {found / expected:.3f} ({found}/{expected})")
    else:
        print("corpus PROVENANCE cells: skipped (../shared/corpus absent)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
