"""The PDF reader against the hand-checked truth of ../shared/corpus/tables-dev.

Skipped when the corpus is absent. Floors per document guard the rules that lifted
each one (figures in docs/accuracy.md): recall of truth cells, matched as the
corpus scorer does (value, page, and the truth's last row and column labels among the
record's; with ``full`` the whole label paths).
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from extractor.tables import read_file

# document: (floor with last labels, floor with full label paths)
FLOORS = {
    "blaenau-gwent-cipfa-service-points-2017.pdf": (0.95, 0.95),
    "homerton-nhsft-spend-over-25k-2020-04.pdf": (0.99, 0.99),
    "leicestershire-mobile-library-places-2017.pdf": (0.95, 0.95),
    "mhclg-building-safety-release-2018-10.pdf": (0.95, 0.95),
    "ni-dof-foi-2023-0003-epc-ratings.pdf": (0.95, 0.95),
    "nottingham-statement-of-accounts-2017-18.pdf": (0.95, 0.95),
    "nottingham-statement-of-accounts-2018-19.pdf": (0.95, 0.95),
    "scotgov-dpe-income-expenditure-2016-17.pdf": (0.95, 0.95),
    "scotgov-dpe-income-expenditure-2017-18.pdf": (0.95, 0.95),
}


def _norm(text: object) -> str:
    folded = unicodedata.normalize("NFKC", str(text)).casefold()
    return re.sub(r"\s+", " ", folded.replace("–", "-").replace("—", "-")).strip()


def _value(value: object) -> object:
    return round(float(value), 6) if isinstance(value, int | float) else _norm(value)


def _recall(truth: list[dict], records: list[dict], full: bool) -> float:
    found = 0
    for cell in truth:
        for rec in records:
            if rec["page"] != cell["page"] or _value(rec["value"]) != _value(cell["value"]):
                continue
            rows, cols = [_norm(x) for x in rec["row"]], [_norm(x) for x in rec["column"]]
            if full:
                ok = rows == [_norm(x) for x in cell["row"]] and cols == [
                    _norm(x) for x in cell["column"]
                ]
            else:
                ok = _norm(cell["row"][-1]) in rows and _norm(cell["column"][-1]) in cols
            if ok and rec["flag"] == cell["flag"]:
                found += 1
                break
    return found / len(truth)


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_tables_dev_pdf_keeps_its_labels(corpus: Path, name: str) -> None:
    folder = corpus / "tables-dev"
    if not (folder / name).is_file():
        pytest.skip(f"{name} is not in the corpus")
    truth = [
        cell
        for line in (folder / "truth.jsonl").read_text().splitlines()
        if (cell := json.loads(line))["file"] == name
    ]
    pages = {c["page"] for c in truth}
    records = [c.to_dict() for c in read_file(folder / name) if c.page in pages]
    last, full = FLOORS[name]
    assert _recall(truth, records, full=False) >= last
    assert _recall(truth, records, full=True) >= full
