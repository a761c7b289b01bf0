"""Cell-level precision and recall of the spreadsheet, CSV and Word readers.

The labelled set is every ``fixtures/sheets/*.key.json`` answer key (written by
``fixtures/make_sheets.py`` from what it put in the files) plus the expected cells
that ``../shared/corpus/foi-real/PROVENANCE.md`` lists for the workbooks and CSV
(when that folder is present). A true cell counts as found when a record has the
same ``cell`` reference, value, flag and the expected row and column labels.
Predictions are scored for precision only on the fixture files, whose keys list
every data cell.

    python benchmarks/sheets_accuracy.py
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

from scoring import Score

from extractor.records import Cell
from extractor.tables import read_file

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures" / "sheets"
CORPUS = Path(os.environ.get("FOI_SHARED") or REPO.parent / "shared") / "corpus" / "foi-real"

# From PROVENANCE.md: (file, cell, a word of the row label, a word of the column label, value)
CORPUS_EXPECTED: list[tuple[str, str, str, str, float]] = [
    ("Bolton.xlsx", "Section 2!E15", "Total Book Stock at 31 March", "Number of Volumes", 246421),
    ("Bolton.xlsx", "Section 11!G5", "Employees", "Outturn", 2129807),
    ("Bolton.xlsx", "Section 11!H5", "Employees", "2017-18 Est", 2291029),
    ("Bolton.xlsx", "Sections 4 & 5!H7", "Total Staff", "In Post", 64.2),
    ("Bolton.xlsx", "Section 6!H21", "GRAND TOTAL", "2016-17", 566058),
    ("AberdeenCity.xls", "Questionnaire!H29", "Total", "Statutory", 18),
    ("AberdeenCity.xls", "Questionnaire!L70", "Reference Books", "Number of Volumes", 31353),
    ("AberdeenCity.xls", "Questionnaire!L80", "Total Book Stock", "Number of Volumes", 360344),
    ("tbij-no-refuge-foi.csv", "B3", "Manchester City Council", "2010/11", 960253),
    ("tbij-no-refuge-foi.csv", "D3", "Manchester City Council", "Difference", -335699),
    ("tbij-no-refuge-foi.csv", "E3", "Manchester City Council", "% change", -34.96),
    ("tbij-no-refuge-foi.csv", "C86", "TOTAL", "2016/17", 24160105),
]


def same_value(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def matches(record: Cell, truth: dict[str, Any]) -> bool:
    return (
        same_value(record.value, truth["value"])
        and record.flag == truth.get("flag")
        and record.row == truth["row"]
        and record.column == truth["column"]
        and record.hidden == bool(truth.get("hidden", False))
        and (truth.get("unit") is None or record.unit == truth["unit"])
        and (truth.get("raw") is None or record.raw == truth["raw"])
    )


def score_key(key_path: Path) -> tuple[Score, list[str]]:
    """Score one fixture file against its answer key; return the misses too."""
    key = json.loads(key_path.read_text(encoding="utf-8"))
    records = {c.cell: c for c in read_file(key_path.parent / key["file"])}
    score = Score(expected=len(key["cells"]), predicted=len(records))
    misses = []
    for truth in key["cells"]:
        record = records.get(truth["cell"])
        if record is not None and same_value(record.value, truth["value"]):
            score.values_right += 1
        if record is not None and matches(record, truth):
            score.true_positive += 1
        else:
            misses.append(f"{key['file']} {truth['cell']}: want {truth}, got {record}")
    return score, misses


def score_corpus() -> tuple[Score, list[str]]:
    score, misses = Score(), []
    by_file: dict[str, dict[str | None, Cell]] = {}
    for name, ref, row_word, column_word, value in CORPUS_EXPECTED:
        if name not in by_file:
            by_file[name] = {c.cell: c for c in read_file(CORPUS / name)}
        record = by_file[name].get(ref)
        score.expected += 1
        score.predicted += 1
        found = (
            record is not None
            and same_value(record.value, value)
            and any(row_word.lower() in label.lower() for label in record.row)
            and any(column_word.lower() in label.lower() for label in record.column)
        )
        score.values_right += bool(record is not None and same_value(record.value, value))
        score.true_positive += found
        if not found:
            misses.append(
                f"{name} {ref}: want {row_word!r} × {column_word!r} = {value}, "
                f"got {record and (record.row, record.column, record.value)}"
            )
    return score, misses


def main() -> None:
    total = Score()
    for key_path in sorted(FIXTURES.glob("*.key.json")):
        score, misses = score_key(key_path)
        print(f"{key_path.name[:-9]:24} P={score.precision:.3f} R={score.recall:.3f}")
        for miss in misses:
            print("   miss:", miss)
        total.add(score)
    print(
        f"fixtures: {total.expected} true cells, precision {total.precision:.3f}, "
        f"recall {total.recall:.3f}, F1 {total.f1:.3f}, values right "
        f"{total.values_right}/{total.expected}"
    )
    if CORPUS.is_dir():
        corpus, misses = score_corpus()
        print(
            f"corpus PROVENANCE cells: {corpus.true_positive}/{corpus.expected} with labels, "
            f"{corpus.values_right}/{corpus.expected} values at the right cell"
        )
        for miss in misses:
            print("   miss:", miss)


if __name__ == "__main__":
    main()
