"""`foi claims ARTICLE --db STORE`: figures linked to the cells they came from.

On the bundled Lancashire case (the demo's store), the drafted file links at least as
many figures as fixtures/lancashire/claims.toml selects by hand, to the same cells, and
`foi check` gives the same verdicts for them. Smaller cases show what must stay empty.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.claims import check_claims, draft_claims, load_claims
from extractor.claims.link import link_claims, linked_file, periods, stem, summarise
from extractor.claims.selectors import Selector, StoreCells, resolve
from extractor.cli import app
from extractor.demo import run_demo
from extractor.records import Cell
from extractor.store import Store

runner = CliRunner()
REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FOI_SHARED") or REPO.parent / "shared")
HAND = REPO / "fixtures" / "lancashire" / "claims.toml"

# hand-written claim id and slot -> (words of the drafted claim's phrase, its slot)
HAND_TO_DRAFT = {
    ("headline-chance", "numerator"): ("three per cent chance", "numerator"),
    ("headline-chance", "denominator"): ("three per cent chance", "denominator"),
    **{
        ("reports-2020-2022", f"series.{y}"): ("4,214 reports", f"series.{y}")
        for y in ("2020", "2021", "2022")
    },
    **{
        ("highest-2022", f"series.{y}"): ("highest number", f"series.{y}")
        for y in ("2020", "2021", "2022")
    },
    ("convictions-2022", "value"): ("only 50 of these", "value"),
    ("conviction-rate", "numerator"): ("just 3.3 per cent", "numerator"),
    ("conviction-rate", "denominator"): ("just 3.3 per cent", "denominator"),
    ("victim-gender", "whole"): ("82 per cent", "whole"),
    ("victim-gender", "parts.female"): ("82 per cent", "parts.part1"),
    ("victim-gender", "parts.male"): ("82 per cent", "parts.part2"),
    ("offender-gender-counts", "whole"): ("50 convicted rapists", "value"),
    ("offender-gender-counts", "parts.male"): ("47", "value"),
    ("offender-gender-counts", "parts.unknown"): ("three", "value"),
    ("offender-gender-share", "numerator"): ("94 per cent", "numerator"),
    ("offender-gender-share", "denominator"): ("94 per cent", "denominator"),
    ("sexual-assault-vs-england", "numerator"): ("slightly higher chance", "numerator"),
    ("sexual-assault-vs-england", "denominator"): ("slightly higher chance", "denominator"),
    ("sexual-assault-11pc", "numerator"): ("11 per cent", "numerator"),
    ("sexual-assault-11pc", "denominator"): ("11 per cent", "denominator"),
    ("sexual-assault-trend", "series.2020"): ("1,306", "series.2020"),
    ("sexual-assault-trend", "series.2021"): ("1,306", "series.2021"),
    ("sexual-assault-trend", "series.2022"): ("1,306", "series.latest"),
    ("no-further-action", "numerator"): ("more than half", "numerator"),
    ("no-further-action", "denominator"): ("more than half", "denominator"),
}


@pytest.fixture(scope="module")
def seed() -> Path:
    path = SHARED / "seed-article.txt"
    if not path.is_file():
        pytest.skip("../shared/seed-article.txt is not present")
    return path


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    run_demo(out)
    return out / "foi.db"


def _figure_cells(claim, slot: str, store: Store) -> list[tuple]:
    """The cells (as comparable tuples) a claim's slot selects, summed lists included."""
    group, _, key = slot.partition(".")
    spec = getattr(claim, group)[key] if key else claim.figures.get(slot)
    if spec is None:
        return []
    cells = []
    for item in spec.items:
        if isinstance(item, Selector):
            c = resolve(item, StoreCells(store))
            cells.append((c.sha256, c.table, tuple(c.row), tuple(c.column), c.raw))
    return sorted(cells)


def _drafted(claims, words: str):
    found = [c for c in claims if c.phrase == words] or [
        c for c in claims if words in (c.phrase or c.text)
    ]
    assert found, words
    return found[0]


def test_lancashire_links_what_the_hand_file_selects_with_the_same_verdicts(
    seed: Path, demo_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "claims.toml"
    result = runner.invoke(app, ["claims", str(seed), "--db", str(demo_db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "figures linked to cells" in result.output
    tomllib.loads(out.read_text(encoding="utf-8"))  # valid TOML
    hand, drafted = load_claims(HAND), load_claims(out)
    hand_by_id = {c.id: c for c in hand}
    same, hand_selected = 0, 0
    with Store(demo_db) as store:
        for (hand_id, hand_slot), (words, slot) in HAND_TO_DRAFT.items():
            expected = _figure_cells(hand_by_id[hand_id], hand_slot, store)
            if not expected:
                continue
            hand_selected += 1
            got = _figure_cells(_drafted(drafted, words), slot, store)
            assert got in ([], expected), (hand_id, hand_slot, got)  # never another cell
            same += got == expected
        assert same >= hand_selected, f"{same} of {hand_selected} hand-selected figures"
        hand_report = check_claims(HAND, store=store)
        drafted_report = check_claims(out, store=store)
    verdicts = {r.id: r.verdict for r in hand_report.results}
    drafted_verdicts = {r.id: r.verdict for r in drafted_report.results}
    drafted_ids = {c.id: c for c in drafted}
    for hand_id in {h for h, _ in HAND_TO_DRAFT}:
        if hand_id == "offender-gender-counts":
            continue  # drafted as three counts, not one claim with parts
        words = next(w for (h, _), (w, _) in HAND_TO_DRAFT.items() if h == hand_id)
        draft = _drafted(list(drafted_ids.values()), words)
        if hand_id == "sexual-assault-vs-england":
            continue  # its reference (the England average) is in neither file
        assert drafted_verdicts[draft.id] == verdicts[hand_id], hand_id


def test_figures_the_documents_do_not_hold_stay_empty(seed: Path, demo_db: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    drafts = draft_claims(text)
    with Store(demo_db) as store:
        linked, linker = link_claims(drafts, text, store.cells())
    by_phrase = {c.draft.phrase: c for c in linked}
    for phrase in ("14 forces", "all 43 Home Office forces", "of rapes recorded", "all-time high"):
        claim = next(c for p, c in by_phrase.items() if phrase in p)
        assert claim.linked() == 0, phrase
    assert summarise(linked).linked >= 26
    drafted = linked_file(linked, linker)
    assert "#   or { file" in drafted  # runners-up listed under the slot
    assert 'value = ""' in drafted


def cell(row: str, column: str, value: int, table: int = 0, title: str = "") -> Cell:
    return Cell(
        file="stops.pdf",
        sha256="f" * 64,
        table=table,
        page=1,
        row=[row],
        column=[column],
        value=value,
        raw=f"{value:,}",
        title=title,
    )


STOPS = [
    cell("Stop and search", "2021/22", 4_120, title="Stop and search by financial year"),
    cell("Stop and search", "2022/23", 4_480, title="Stop and search by financial year"),
    cell("Arrests", "2021/22", 512, title="Stop and search by financial year"),
    cell("Arrests", "2022/23", 530, title="Stop and search by financial year"),
    cell("Cautions", "2022/23", 61, title="Stop and search by financial year"),
]


def link_text(text: str, cells: list[Cell]):
    drafts = draft_claims(text)
    linked, linker = link_claims(drafts, text, cells)
    return linked, linker


def test_a_count_links_only_when_period_and_labels_agree() -> None:
    linked, _ = link_text("Officers made 530 arrests after stop and search in 2022/23.", STOPS)
    assert linked[0].slots["value"].cell.cell.row == ["Arrests"]
    # the same number in another year, or with other words, is not this figure
    for text in (
        "Officers made 530 arrests in 2021/22.",
        "The force issued 530 fines in 2022/23.",
        "Officers made 531 arrests in 2022/23.",
    ):
        linked, _ = link_text(text, STOPS)
        assert linked[0].linked() == 0, text


def test_a_rate_with_no_count_stated_links_two_cells_of_the_table() -> None:
    linked, linker = link_text(
        "About 12 per cent of stop and searches led to an arrest in 2022/23.", STOPS
    )
    rate = linked[0]
    assert rate.slots["numerator"].cell.value == 530
    assert rate.slots["denominator"].cell.value == 4_480
    toml = linked_file(linked, linker)
    assert 'numerator = { file = "stops.pdf", row = ["Arrests"], column = ["2022/23"] }' in toml


def test_periods_and_stems() -> None:
    assert periods("in 2019-20 and March 2023") == {"2019/20", "2023-03"}
    assert stem("convictions") == stem("convicted") == "convict"
    assert stem("recorded") == stem("reports") == "report"


def test_the_documented_claims_file_example_checks(demo_db: Path, tmp_path: Path) -> None:
    guide = (REPO / "docs" / "claims.md").read_text(encoding="utf-8")
    section = guide[guide.index("## The claims file") :]
    example = section[section.index("```toml\n") + 8 : section.index("```\n", 10)]
    path = tmp_path / "claims.toml"
    path.write_text(example, encoding="utf-8")
    with Store(demo_db) as store:
        report = check_claims(path, store=store)
    assert [r.verdict for r in report.results] == ["accurate"]


def test_records_link_as_the_store_does_and_min_score_holds_back(
    seed: Path, demo_db: Path, tmp_path: Path
) -> None:
    import json

    from extractor.records import write_jsonl

    records = tmp_path / "cells.jsonl"
    with Store(demo_db) as store, records.open("w", encoding="utf-8") as out:
        write_jsonl(store.cells(), out)
    by_store = runner.invoke(app, ["claims", str(seed), "--db", str(demo_db), "--json"])
    by_records = runner.invoke(app, ["claims", str(seed), "--records", str(records), "--json"])
    assert by_store.exit_code == by_records.exit_code == 0
    store_links = [c["links"] for c in json.loads(by_store.stdout)]
    assert store_links == [c["links"] for c in json.loads(by_records.stdout)]
    linked = sum(1 for links in store_links for v in links.values() if v)
    assert linked >= 26
    strict = runner.invoke(
        app, ["claims", str(seed), "--db", str(demo_db), "--json", "--min-score", "1"]
    )
    strict_linked = sum(1 for c in json.loads(strict.stdout) for v in c["links"].values() if v)
    assert strict_linked < linked
