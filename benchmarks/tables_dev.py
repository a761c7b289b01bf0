"""Cell F1 of the current code on the real documents of ``../shared/corpus/tables-dev``.

Runs the corpus's own scorer (``../shared/tools/score_tables.py``) on ``foi extract``
of this checkout, in both label modes (last label; whole label paths), and prints one
line per document and the overall micro and macro F1. ``docs/accuracy.md`` holds the
figures with their dates. Without ``../shared`` (or ``$FOI_SHARED``) it says so and
exits 0.

    python benchmarks/tables_dev.py                 # every document, both modes
    python benchmarks/tables_dev.py --docs ons-neet-od221-2023-02.xlsx --misses 5
    python benchmarks/tables_dev.py --markdown      # the table for docs/accuracy.md
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def shared_folder() -> Path:
    return Path(os.environ.get("FOI_SHARED") or REPO.parent / "shared")


def corpus_folder() -> Path:
    return shared_folder() / "corpus" / "tables-dev"


def scorer_path() -> Path:
    return shared_folder() / "tools" / "score_tables.py"


def available() -> bool:
    return corpus_folder().is_dir() and scorer_path().is_file()


def extract_command(python: str = sys.executable, root: Path = REPO) -> str:
    """The scorer's --cmd for ``foi extract`` of the checkout at ``root``."""
    return f"env PYTHONPATH={root} {python} -m extractor extract {{file}} --format jsonl --no-db"


def subset(names: list[str], into: Path) -> Path:
    """A folder holding only ``names`` of the corpus (links), with their truth and scope."""
    corpus = corpus_folder()
    for name in names:
        (into / name).symlink_to(corpus / name)
    with open(corpus / "truth.jsonl", encoding="utf-8") as source:
        lines = [line for line in source if json.loads(line)["file"] in names]
    (into / "truth.jsonl").write_text("".join(lines), encoding="utf-8")
    scope = json.loads((corpus / "scope.json").read_text(encoding="utf-8"))
    scope["documents"] = {k: v for k, v in scope["documents"].items() if k in names}
    (into / "scope.json").write_text(json.dumps(scope), encoding="utf-8")
    return into


def score(
    full_paths: bool, docs: list[str] | None = None, misses: int = 0, cmd: str | None = None
) -> dict[str, Any]:
    """The scorer's JSON report for ``docs`` (default: the whole corpus)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = subset(docs, Path(tmp)) if docs else corpus_folder()
        args = [sys.executable, str(scorer_path()), "--cmd", cmd or extract_command()]
        args += ["--docs", str(folder), "--json", "--timeout", "600"]
        if full_paths:
            args.append("--full-paths")
        if misses:
            args += ["--show-misses", str(misses)]
        done = subprocess.run(args, capture_output=True, text=True, check=False)
        try:
            return json.loads(done.stdout)
        except json.JSONDecodeError:
            raise SystemExit(f"the scorer failed: {done.stderr.strip()[-500:]}") from None


@dataclass
class Row:
    doc: str
    truth: int
    last: float
    paths: float
    error: str | None


def rows(last: dict[str, Any], paths: dict[str, Any]) -> list[Row]:
    by_doc = {d["doc"]: d for d in paths["docs"]}
    return [
        Row(d["doc"], d["truth"], d["f1"], by_doc[d["doc"]]["f1"], d.get("error"))
        for d in last["docs"]
    ]


def print_report(last: dict[str, Any], paths: dict[str, Any], markdown: bool) -> None:
    table = rows(last, paths)
    overall = (last["overall"], paths["overall"])
    if markdown:
        print("| document | cells | F1 last label | F1 full paths |")
        print("|---|---:|---:|---:|")
        for row in table:
            print(f"| `{row.doc}` | {row.truth} | {row.last:.3f} | {row.paths:.3f} |")
        print(
            f"| **overall (micro)** | {overall[0]['truth']} | **{overall[0]['f1']:.3f}** "
            f"| **{overall[1]['f1']:.3f}** |"
        )
        print(
            f"| macro (mean of documents) | | {overall[0]['macro_f1']:.3f} "
            f"| {overall[1]['macro_f1']:.3f} |"
        )
        return
    width = max(len(row.doc) for row in table)
    print(f"{'document':<{width}}  cells  F1 last  F1 paths")
    for row in table:
        note = f"  error: {row.error}" if row.error else ""
        print(f"{row.doc:<{width}}  {row.truth:5}  {row.last:7.3f}  {row.paths:8.3f}{note}")
    print(
        f"{'overall (micro)':<{width}}  {overall[0]['truth']:5}  {overall[0]['f1']:7.3f}  "
        f"{overall[1]['f1']:8.3f}"
    )
    print(
        f"{'macro (mean)':<{width}}  {'':5}  {overall[0]['macro_f1']:7.3f}  "
        f"{overall[1]['macro_f1']:8.3f}"
    )


def print_misses(report: dict[str, Any]) -> None:
    for miss in report.get("misses", []):
        print(f"  miss {json.dumps(miss, ensure_ascii=False)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", nargs="*", help="only these documents (file names)")
    parser.add_argument("--misses", type=int, default=0, help="list up to N missed cells a doc")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args(argv)
    if not available():
        print(f"skipped: {corpus_folder()} or {scorer_path()} is not present")
        return 0
    last = score(False, args.docs, args.misses)
    paths = score(True, args.docs, args.misses)
    print_report(last, paths, args.markdown)
    if args.misses:
        print_misses(paths)
    return 0


if __name__ == "__main__":
    sys.exit(main())
