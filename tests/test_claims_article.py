"""The seed article end to end: `foi claims` drafts its claims, `foi check` judges the
article's own figures (fixtures/lancashire/claims-article.toml)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.claims import check_claims, draft_claims, load_claims, parse_claims_text
from extractor.claims.draft import drafts_to_toml, split_sentences
from extractor.cli import app
from extractor.values import normalise_space

from .conftest import FIXTURES

runner = CliRunner()
ARTICLE_CLAIMS = FIXTURES / "lancashire" / "claims-article.toml"

# Every numeric claim of the seed article, as `foi claims` should draft it.
EXPECTED_DRAFTS = [
    ("rate", "three per cent chance"),
    ("total", "between 2020 and 2022, 4,214 reports of rape"),
    ("series", "The highest number of rape reports made were made in 2022, with 1,527 reports"),
    ("count", "only 50 of these"),
    ("rate", "just 3.3 per cent"),
    (
        "shares",
        "82 per cent of the rape reports are female, 10 per cent are male, and the remaining",
    ),
    ("count", "50 convicted rapists"),
    ("count", "47"),
    ("count", "three"),
    ("rate", "94 per cent of convicted rapists"),
    (
        "comparison",
        "slightly higher chance their report will lead to a conviction than the England average",
    ),
    ("rate", "only 11 per cent of the 1,760"),
    # the phrase keeps the period of its last level, so the count is matched to 2021
    (
        "series",
        "In 2020 there were 1,306 reports of sexual assault, which increased to 1,654 in 2021",
    ),
    ("rate", "more than half of the sexual"),
    ("rate", "just one per cent of rapes recorded"),
    (
        "series",
        "The number of rapes being reported to the police nationally are at an all-time high",
    ),
    ("count", "14 forces"),
    ("count", "all 43 Home Office forces"),
]

ARTICLE_VERDICTS = {
    "headline-chance": "accurate",
    "reports-2020-2022": "unclear",
    "highest-2022": "unclear",
    "convictions-2022": "accurate",
    "conviction-rate": "accurate",
    "victim-gender": "unclear",
    "offender-gender-counts": "accurate",
    "offender-gender-share": "accurate",
    "sexual-assault-vs-england": "unclear",
    "sexual-assault-11pc": "unclear",
    "sexual-assault-trend": "accurate",
    "no-further-action": "unclear",
    "national-charge-rate-2021": "unclear",
    "national-all-time-high": "unclear",
    "soteria-14-forces": "accurate",
    "home-office-43-forces": "accurate",
}


def test_draft_finds_every_numeric_claim_and_no_prose(seed_article: Path) -> None:
    drafts = draft_claims(seed_article.read_text(encoding="utf-8"))
    # the article has no-break spaces in places; compare the words
    assert [(d.kind, normalise_space(d.phrase)) for d in drafts] == EXPECTED_DRAFTS


def test_draft_notes_the_feasible_counts_of_a_stated_base(seed_article: Path) -> None:
    drafts = draft_claims(seed_article.read_text(encoding="utf-8"))
    eleven = next(d for d in drafts if "11 per cent" in d.phrase)
    assert "185 to 202 out of 1,760" in eleven.note


def test_prose_without_figures_gives_no_claims() -> None:
    prose = (
        "Over the last 12 months we have implemented dedicated teams. Rape is one of the most "
        "complex crimes. A number of measures were introduced over the past few years, and "
        "there are few signs anything is improving. In 2021 the scheme began."
    )
    assert draft_claims(prose) == []


def test_drafted_file_round_trips_and_checks_as_unclear() -> None:
    article = "Only 50 of the 1,527 reports led to a conviction, just 3.3 per cent. Cases doubled."
    drafts = draft_claims(article)
    claims = parse_claims_text(drafts_to_toml(drafts))
    assert (
        [c.kind for c in claims] == [d.kind for d in drafts] == ["count", "count", "rate", "change"]
    )
    report = check_claims(claims)
    assert {r.verdict for r in report.results} == {"unclear"}


def test_sentences_split_at_full_stops_not_decimals() -> None:
    assert split_sentences("It was 3.3 per cent. Then “more”. Mr Smith said so!") == [
        "It was 3.3 per cent.",
        "Then “more”.",
        "Mr Smith said so!",
    ]


def test_foi_claims_then_foi_check(seed_article: Path, tmp_path: Path) -> None:
    out = tmp_path / "drafted.toml"
    drafted = runner.invoke(app, ["claims", str(seed_article), "--out", str(out)])
    assert drafted.exit_code == 0, drafted.output
    assert len(load_claims(out)) == len(EXPECTED_DRAFTS)
    checked = runner.invoke(app, ["check", str(out), "--json", "--db", str(tmp_path / "x.db")])
    # every slot is empty: all unclear, none inaccurate, so exit 3 (it used to be 0)
    assert checked.exit_code == 3
    assert json.loads(checked.stdout)["summary"]["unclear"] == len(EXPECTED_DRAFTS)
    strict = runner.invoke(app, ["check", str(out), "--strict", "--db", str(tmp_path / "x.db")])
    assert strict.exit_code == 1


def test_foi_claims_json_and_missing_file(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Nearly half of them, some 1,500 people, left.", encoding="utf-8")
    result = runner.invoke(app, ["claims", str(article), "--json"])
    data = json.loads(result.stdout)
    assert [(d["kind"], d["claimed"]) for d in data] == [
        ("rate", "45 to under 50"),
        ("count", "1,350 to 1,650"),
    ]
    missing = runner.invoke(app, ["claims", str(tmp_path / "absent.txt")])
    assert missing.exit_code == 2 and "absent.txt" in missing.output


def test_the_article_figures_check(tmp_path: Path) -> None:
    report = check_claims(ARTICLE_CLAIMS)
    assert {r.id: r.verdict for r in report.results} == ARTICLE_VERDICTS
    warnings = {r.id: {w.number for w in r.warnings} for r in report.results}
    assert {1, 2, 3, 4} <= warnings["conviction-rate"]
    assert 3 not in warnings["headline-chance"] and 1 in warnings["headline-chance"]
    assert 8 in warnings["victim-gender"]


def test_the_main_claims_file_is_valid_and_the_article_copy_kept() -> None:
    main = load_claims(FIXTURES / "lancashire" / "claims.toml")
    article = load_claims(ARTICLE_CLAIMS)
    assert {c.id for c in main} == {c.id for c in article}


def test_claim_texts_are_quoted_from_the_article(seed_article: Path) -> None:
    text = normalise_space(seed_article.read_text(encoding="utf-8"))
    for claim in load_claims(ARTICLE_CLAIMS):
        assert normalise_space(claim.text) in text, claim.id


def test_foi_check_on_the_article_claims() -> None:
    result = runner.invoke(app, ["check", str(ARTICLE_CLAIMS), "--db", "/nonexistent/foi.db"])
    # literal figures need no store; 8 claims are unclear and none inaccurate: exit 3
    assert result.exit_code == 3, result.output
    assert "8 accurate" in result.stdout and "8 unclear" in result.stdout
    assert "Methodology warnings" in result.stdout


@pytest.mark.parametrize("strict", [True])
def test_foi_check_strict_on_the_article_claims(strict: bool) -> None:
    args = ["check", str(ARTICLE_CLAIMS), "--db", "/nonexistent/foi.db", "--strict"]
    assert runner.invoke(app, args).exit_code == 1


def test_a_run_on_sentence_is_cut_into_bounded_pieces() -> None:
    from extractor.claims.draft import MAX_SENTENCE_CHARS

    pieces = split_sentences("12 per cent and 1,500 " * 400)
    assert len(pieces) > 1 and all(len(p) <= MAX_SENTENCE_CHARS for p in pieces)


def test_draft_of_another_article() -> None:
    article = (
        "Knife crime rose by 12 per cent last year. Police recorded 2,345 offences in 2023, "
        "up from 2,094 in 2022. More than one in five victims were under 18, and arrests "
        "have more than doubled since 2019. Around a third of cases were closed, 4 "
        "percentage points lower than the national average of 38 per cent. Officers seized "
        "hundreds of weapons over the past three years."
    )
    kinds = [(d.kind, normalise_space(d.phrase)) for d in draft_claims(article)]
    # the change phrase holds its verb (so the checker reads a change back); "4 points lower
    # than" is that change, not a second comparison; "hundreds of" is a bound (issue 13)
    assert kinds == [
        ("change", "rose by 12 per cent last year"),
        ("series", "Police recorded 2,345 offences in 2023, up from 2,094 in 2022"),
        ("rate", "More than one in five victims"),
        ("change", "more than doubled since 2019"),
        ("rate", "Around a third of cases"),
        ("change", "4 percentage points lower than the national"),
        ("rate", "38 per cent"),
        ("count", "hundreds of weapons over"),
    ]
