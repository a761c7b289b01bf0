"""The PDF reader on real PDFs in ../shared/corpus (skipped when the corpus is absent).

The expected cells come from the PROVENANCE.md files (copied by
``benchmarks/pdf_accuracy.py --refresh-expected`` into tests/data/corpus_expected.json).
Cells the reader is known to miss are strict xfails: they document the weakness and
fail loudly the day it is fixed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from extractor.errors import NoTextLayer
from extractor.tables import read_file

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
from pdf_accuracy import expected_found  # noqa: E402

EXPECTED = json.loads((REPO / "tests" / "data" / "corpus_expected.json").read_text())
KNOWN_MISSES = {
    # a three-level header drawn as one ruled box
    *(
        ("tables/pr-138-example.pdf", row)
        for row in ("Standard Variable Rate", "1 Year Fixed Rate")
    ),
    # a form laid out in three text columns, not a grid
    *(
        ("tables/la-precinct-bulletin-2014-p1.pdf", row)
        for row in (
            "NEEL KASHKARI REP",
            "EDMUND G BROWN DEM",
            "GAVIN NEWSOM DEM",
            "BALLOTS CAST",
            "REGISTERED VOTERS",
        )
    ),
}
_cache: dict[Path, list] = {}


def _cells(path: Path) -> list:
    if path not in _cache:
        _cache[path] = list(read_file(path))
    return _cache[path]


def _param(item: dict) -> object:
    marks = (
        [pytest.mark.xfail(strict=True, reason="known weakness")]
        if ((item["path"], item["row"]) in KNOWN_MISSES)
        else []
    )
    return pytest.param(item, id=f"{item['path']}:{item['row'][:30]}", marks=marks)


@pytest.mark.corpus
@pytest.mark.parametrize("item", [_param(i) for i in EXPECTED])
def test_expected_cell_is_read(corpus: Path, item: dict) -> None:
    path = corpus / item["path"]
    if not path.is_file():
        pytest.skip(f"{item['path']} is not in the corpus")
    assert expected_found(item, _cells(path))


@pytest.mark.corpus
def test_cumbria_tables_stitched_across_pages(corpus: Path) -> None:
    cells = _cells(corpus / "foi-real" / "Cumbria.pdf")
    grand = [c for c in cells if c.row == ["Grand Total"] and c.column == ["2023/24"]]
    assert [(c.page, c.value, c.total) for c in grand] == [(3, 278, True)]
    damage = next(c for c in cells if c.row == ["Criminal Damage"] and c.column == ["2019/20"])
    assert damage.table == grand[0].table and damage.page == 2
    joined = (
        "Named Suspect identified: victim supports police action but evidential "
        "difficulties prevent further action"
    )  # split across the p4/p5 break
    assert {c.page for c in cells if c.row == [joined]} == {3, 4}
    assert not [c for c in cells if c.row and c.row[-1].startswith("action but")]
    charge = next(c for c in cells if c.row == ["Charge/summons"] and c.page == 3)
    expired = [c for c in cells if c.row[-1].startswith("Prosecution time limit") and c.page == 4]
    assert expired and {c.table for c in expired} == {charge.table}


@pytest.mark.corpus
def test_rotated_page_reads_like_the_upright_one(corpus: Path) -> None:
    upright = _cells(corpus / "tables" / "nics-background-checks-2015-11.pdf")
    rotated = _cells(corpus / "tables" / "nics-background-checks-2015-11-rotated.pdf")

    def pick(cells: list) -> list:
        return [(c.row, c.column, c.value) for c in cells]

    assert pick(rotated) == pick(upright) and len(upright) > 1000


@pytest.mark.corpus
@pytest.mark.parametrize(
    "name",
    [
        "alaveteli/pdf/psni.pdf",
        "alaveteli/pdf/tfl.pdf",
        "alaveteli/pdf/interesting.pdf",
        "alaveteli/derived/2013-040_Decision.pdf",
        "alaveteli/derived/fs_50379341.pdf",
        "alaveteli/derived/FOI_Review_Rights.pdf",
    ],
)
def test_letters_give_no_records(corpus: Path, name: str) -> None:
    assert _cells(corpus / name) == []


@pytest.mark.corpus
def test_image_only_pdf_says_no_text_layer(corpus: Path) -> None:
    with pytest.raises(NoTextLayer, match="cat.pdf: has no text layer"):
        list(read_file(corpus / "alaveteli" / "pdf" / "cat.pdf"))
