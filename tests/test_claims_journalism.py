"""Claims as real journalism writes them (issue 13): one test (or more) per numbered row.

Every sentence here was written for this project; the figures are invented.
"""

from __future__ import annotations

import tomllib
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.claims import (
    check_claim,
    check_rate,
    draft_claims,
    drafts_to_toml,
    find_figures,
    load_claims,
    parse_claims_text,
    read_article,
)
from extractor.cli import app

runner = CliRunner()


def one_claim(body: str) -> tuple[str, str]:
    result = check_claim(parse_claims_text(body)[0])
    return result.verdict, result.reason


def claim_toml(text: str, figures: str, kind: str = "") -> str:
    kind_line = f'kind = "{kind}"\n' if kind else ""
    return f'[[claim]]\nid = "c"\ntext = "{text}"\n{kind_line}{figures}\n'


def interval(text: str) -> tuple[str, str, str]:
    """(kind, low, high) of the only checkable figure in ``text``; '' for an open end."""
    figures = [f for f in find_figures(text) if f.checkable]
    assert len(figures) == 1, figures
    figure = figures[0]
    assert figure.interval is not None

    def end(value: Fraction | None) -> str:
        return "" if value is None else f"{float(value):.4f}".rstrip("0").rstrip(".")

    return figure.kind, end(figure.interval.low), end(figure.interval.high)


# --- 1. financial and academic years ----------------------------------------------------------
FELL = "Crimes fell from 635 in 2019/20 to 278 in 2023/24."


def test_financial_years_are_periods_in_a_change_claim() -> None:
    # the "20" of 2019/20 was read as the new level: inaccurate
    assert one_claim(claim_toml(FELL, "before = 635\nafter = 278", "change"))[0] == "accurate"


def test_financial_years_are_not_drafted_and_key_the_series() -> None:
    drafts = draft_claims(FELL)
    figures = [f.text for d in drafts for f in d.figures]
    assert figures == ["635", "278"]
    assert drafts[0].kind == "series" and drafts[0].series == ["2019/20", "2023/24"]


@pytest.mark.parametrize("written", ["2019-20", "2019/2020", "FY2019/20", "FY 2019-20"])
def test_a_series_key_matches_the_period_however_written(written: str) -> None:
    text = f"The highest number was in {written}, with 1,527 reports."
    body = claim_toml(text, 'series = { "2018/19" = 1200, "2019/20" = 1527 }', "series")
    verdict, reason = one_claim(body)
    assert verdict == "accurate", reason


def test_quarters_and_years_to_march_are_periods() -> None:
    text = "In Q3 2022/23 there were 64 burglaries, and 301 in the year to March 2023."
    assert [f.text for f in find_figures(text) if f.checkable] == ["64", "301"]


# --- 2. changes -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "figures", "verdict"),
    [
        ("Complaints saw a 30% reduction.", "before = 300\nafter = 210", "accurate"),
        ("Complaints saw a 30% reduction.", "before = 210\nafter = 300", "inaccurate"),
        ("Admissions reached 530, up from 412.", "before = 412\nafter = 530", "accurate"),
        ("Admissions reached 530, up from 412.", "before = 412\nafter = 531", "inaccurate"),
        ("Calls rose by 120 (25%).", "before = 480\nafter = 600", "accurate"),
        ("Calls rose by 120 (25%).", "before = 400\nafter = 520", "inaccurate"),
        ("Delays were 18% lower than in 2022.", "before = 500\nafter = 410", "accurate"),
        ("Delays were 18% lower than in 2022.", "before = 410\nafter = 500", "inaccurate"),
        ("Delays were 18% lower than in 2022.", "before = 500\nafter = 450", "inaccurate"),
        ("Costs were 14% more than in 2021.", "before = 2132\nafter = 2431", "accurate"),
        ("Costs fell by a drop of more than half.", "before = 635\nafter = 301", "accurate"),
        ("Costs fell by a drop of more than half.", "before = 635\nafter = 320", "inaccurate"),
    ],
)
def test_direction_and_size_of_changes(text: str, figures: str, verdict: str) -> None:
    assert one_claim(claim_toml(text, figures, "change"))[0] == verdict


def test_per_cent_higher_than_a_percentage_is_checked_for_size() -> None:
    text = "29 per cent were seen, five per cent higher than the 24 per cent a year earlier."
    verdict, reason = one_claim(claim_toml(text, "before = 24\nafter = 29", "change"))
    assert verdict == "inaccurate" and "percentage points, reported as per cent" in reason
    assert one_claim(claim_toml(text, "before = 24\nafter = 25.2", "change"))[0] == "accurate"


@pytest.mark.parametrize(
    ("sentence", "phrase", "kind", "direction"),
    [
        ("Calls rose by 1,240 (8%), the trust said.", "8%", "change_percent", "up"),
        ("Delays were 18% lower than in 2022.", "18% lower", "change_percent", "down"),
        ("Complaints saw a 30% reduction.", "30% reduction", "change_percent", "down"),
        ("In FY2022/23 there was a drop of more than half.", "a drop of more than half", "", ""),
    ],
)
def test_changes_are_drafted_as_changes(
    sentence: str, phrase: str, kind: str, direction: str
) -> None:
    drafts = draft_claims(sentence)
    assert [d.kind for d in drafts] == ["change"]
    figures = {f.text: f for f in drafts[0].figures}
    figure = next(f for text, f in figures.items() if phrase in text or text in phrase)
    assert figure.kind == (kind or "change_percent")
    assert figure.direction == (direction or "down")


def test_the_drafted_phrase_reads_back_as_the_same_change() -> None:
    drafts = draft_claims("Crimes fell, a drop of more than half on the 2019/20 total.")
    (draft,) = drafts
    read_back = [f for f in find_figures(draft.phrase) if f.checkable]
    assert [(f.kind, f.interval) for f in read_back] == [
        (f.kind, f.interval) for f in draft.figures
    ]
    body = drafts_to_toml(drafts).replace('before = ""', "before = 635")
    body = body.replace('after = ""', "after = 301")
    assert check_claim(parse_claims_text(body)[0]).verdict == "accurate"


# --- 3. number grammar ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The council spent half a million pounds.", ("count", "450000", "550000")),
        ("Fees were one and a half times the average.", ("multiple", "1.45", "1.55")),
        ("Fees were one and half times the average.", ("multiple", "1.45", "1.55")),
        ("A further £1m in five years was set aside.", ("count", "500000", "1500000")),
        ("It spent almost £400,000 on agency staff.", ("count", "360000", "400000")),
        ("A rate of 45 per 100,000 residents.", ("proportion", "0.0445", "0.0455")),
        ("A quarter of a million people live there.", ("count", "225000", "275000")),
        ("Services cost 1.2bn overall.", ("count", "1150000000", "1250000000")),
        ("The bill reached £3.4m.", ("count", "3350000", "3450000")),
        ("Officers made 2.5k searches.", ("count", "2450", "2550")),
        ("Tens of thousands of hours were lost.", ("count", "20000", "100000")),
    ],
)
def test_number_grammar(text: str, expected: tuple[str, str, str]) -> None:
    assert interval(text) == expected


def test_a_hedge_before_money_is_kept() -> None:
    (figure,) = [f for f in find_figures("almost £400,000") if f.checkable]
    assert figure.qualifier == "nearly" and figure.interval is not None
    assert figure.interval.high_open


def test_four_times_a_day_is_not_a_multiple() -> None:
    assert [f for f in find_figures("Officers were called four times a day.") if f.checkable] == []


def test_tens_of_thousands_is_a_bound() -> None:
    (figure,) = [f for f in find_figures("Tens of thousands of hours") if f.checkable]
    assert figure.interval is not None and figure.interval.high_open


# --- 4. non-figures ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "sentence",
    [
        "The request was refused on 14 March 2023.",
        "A second request, made on March 21, was answered.",
        "Inspectors visited on 6 and 7 March.",
        "Figures were published in 2022.",
        "Call handlers were busiest in the first half of 2022/23.",
        "It was withheld under section 40(2) of the Act.",
        "See Table 4.2 and Schedule 2 of the guidance, paragraph 12.",
        "The victims were aged 18 to 24.",
        "The charity runs a 24-hour helpline.",
        "Cases rose after the COVID-19 lockdown.",
        "Collisions happened on the A38.",
        "Ring 0121 496 0123 for help.",
        "Call 999 in an emergency.",
        "Data are at www.example.gov.uk/data/2023/collisions-17.csv today.",
        "The reference is FOI-2023-04417, or FOI/23/0917.",
        "Year 9 pupils were excluded.",
        "Over the last 12 months the teams were trained.",
        "A cell designed for one person.",
        "He left No 10 in 2022.",
        "The helpline is open 24/7.",
        "The top 10 schools were in the south.",
        "A 50-50 split was agreed.",
        "The 5G mast was built.",
    ],
)
def test_non_figures_are_not_drafted(sentence: str) -> None:
    assert draft_claims(sentence) == []


# --- 5. words for change and rank -------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "word", "kind"),
    [
        ("Fly-tipping doubles in a year.", "doubles", "multiple"),
        ("Fines trebles as councils act.", "trebles", "multiple"),
        ("Crime halves in the city centre.", "halves", "multiple"),
        ("Reports reached 4,310, more than ever before.", "more than ever before", "superlative"),
        ("Household waste was the most common type.", "the most common", "superlative"),
        ("It has the second highest rate in the region.", "second highest", "superlative"),
        ("Its waits are the worst in the country.", "worst in the country", "superlative"),
        ("A record 1,204 patients waited.", "a record", "superlative"),
        ("Sickness fell to a five-year low.", "a five-year low", "superlative"),
    ],
)
def test_words_for_change_and_rank(sentence: str, word: str, kind: str) -> None:
    found = [f for f in find_figures(sentence) if f.kind == kind]
    assert [f.text.lower() for f in found] == [word]


def test_a_rank_among_places_is_unclear_not_checked_over_time() -> None:
    text = "It has the second highest number in the region, with 1,527 in 2022."
    body = claim_toml(text, 'series = { "2021" = 1600, "2022" = 1527 }', "series")
    verdict, reason = one_claim(body)
    assert verdict == "unclear" and "other areas or categories" in reason


def test_a_record_is_checked_against_the_series() -> None:
    text = "A record 1,204 patients waited in 2023."
    body = claim_toml(text, 'series = { "2022" = 1100, "2023" = 1204 }', "series")
    assert one_claim(body)[0] == "accurate"
    body = claim_toml(text, 'series = { "2022" = 1300, "2023" = 1204 }', "series")
    assert one_claim(body)[0] == "inaccurate"


# --- 6. multiples (the loose band) are in test_claims_check.test_change_claims -------------------
# --- 7. several figures in one foi rate --claim -------------------------------------------------
SEVERAL = "Of the 1,527 reports, 82 per cent were female, and just 3.3 per cent led to a conviction"


def test_rate_with_several_figures_judges_the_best_fitting_and_says_which() -> None:
    result = check_rate(50, 1527, SEVERAL)
    assert result.verdict == "accurate"
    assert result.figure is not None and result.figure.text == "3.3 per cent"
    assert "judged '3.3 per cent'" in result.reason and "2 proportions" in result.reason


def test_foi_rate_with_several_figures_on_the_command_line() -> None:
    result = runner.invoke(app, ["rate", "50", "1527", "--claim", SEVERAL])
    assert result.exit_code == 0 and "judged '3.3 per cent'" in result.stdout


# --- 8. invalid drafts ------------------------------------------------------------------------
def test_a_draft_with_two_latest_slots_is_valid_toml() -> None:
    text = drafts_to_toml(draft_claims("Last year the total jumped to 4,812."))
    tomllib.loads(text)
    assert parse_claims_text(text)


# --- 9. hedged "one in N" ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("roughly one in 270", ("proportion", "0.3367", "0.4115")),
        ("about one in 270", ("proportion", "0.3367", "0.4115")),
        ("around 3 in 10", ("proportion", "27.2727", "33.3333")),
        ("approximately one in eight", ("proportion", "11.1111", "14.2857")),
        ("nearly one in five", ("proportion", "16.6667", "20")),
        ("almost one in five", ("proportion", "16.6667", "20")),
        ("just over one in five", ("proportion", "20", "25")),
        ("slightly more than one in five", ("proportion", "20", "25")),
        ("more than one in five", ("proportion", "20", "")),
        ("about a third", ("proportion", "30", "36.6667")),
        ("nearly half", ("proportion", "45", "50")),
        ("about 0.4 per cent", ("proportion", "0.3", "0.5")),
        ("around 1 per cent", ("proportion", "0", "2")),
        ("about one in two", ("proportion", "33.3333", "100")),
        ("about 98 per cent", ("proportion", "88.2", "100")),
    ],
)
def test_hedges_on_k_in_n_fractions_and_small_rates(
    text: str, expected: tuple[str, str, str]
) -> None:
    assert interval(text) == expected


def test_roughly_one_in_270_is_not_anything_below_1_37_per_cent() -> None:
    assert check_rate(1, 1000, "roughly one in 270").verdict == "inaccurate"  # 0.1%
    assert check_rate(37, 10000, "roughly one in 270").verdict == "accurate"


# --- exit codes and missing data --------------------------------------------------------------
SELECTOR_CLAIM = (
    '[[claim]]\nid = "s"\ntext = "just 3.3 per cent"\n'
    'numerator = {file = "x.pdf", row = ["Rape"], column = ["2022"]}\ndenominator = 1527\n'
)


def test_check_with_no_store_at_db_is_a_usage_error(tmp_path: Path) -> None:
    claims = tmp_path / "claims.toml"
    claims.write_text(SELECTOR_CLAIM, encoding="utf-8")
    missing = tmp_path / "nowhere.db"
    result = runner.invoke(app, ["check", str(claims), "--db", str(missing)])
    assert result.exit_code == 2
    assert f"no store at {missing}; run foi extract first or pass --records" in result.output
    assert not missing.exists()


def test_literal_claims_need_no_store_even_from_stdin(tmp_path: Path) -> None:
    body = claim_toml("just 3.3 per cent", "numerator = 50\ndenominator = 1527")
    result = runner.invoke(app, ["check", "-", "--db", str(tmp_path / "x.db")], input=body)
    assert result.exit_code == 0 and "1 accurate" in result.stdout


def test_check_exits_3_when_unclear_and_none_inaccurate(tmp_path: Path) -> None:
    claims = tmp_path / "claims.toml"
    claims.write_text(claim_toml("just 3.3 per cent", 'numerator = ""\ndenominator = 1527'))
    assert runner.invoke(app, ["check", str(claims), "--db", str(tmp_path / "x.db")]).exit_code == 3


def test_an_unparseable_claims_file_is_exit_2(tmp_path: Path) -> None:
    claims = tmp_path / "claims.toml"
    claims.write_text("[[claim]\nid = ", encoding="utf-8")
    result = runner.invoke(app, ["check", str(claims)])
    assert result.exit_code == 2 and "not valid TOML" in result.output


# --- encodings --------------------------------------------------------------------------------
def test_claims_files_in_cp1252_and_utf8_bom_are_read(tmp_path: Path) -> None:
    body = claim_toml("It cost £3.4m, the trust’s lawyers said", "value = 3400000", "count")
    for name, data in (
        ("cp1252.toml", body.encode("cp1252")),
        ("bom.toml", b"\xef\xbb\xbf" + body.encode("utf-8")),
    ):
        (tmp_path / name).write_bytes(data)
        (claim,) = load_claims(tmp_path / name)
        assert "£3.4m" in claim.text and "trust’s" in claim.text


def test_articles_in_cp1252_and_utf8_bom_are_read(tmp_path: Path) -> None:
    text = "Nearly £2.3m was paid to 148 patients, the trust’s lawyers said."
    (tmp_path / "a.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "b.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    for name in ("a.txt", "b.txt"):
        assert read_article(tmp_path / name) == text
        result = runner.invoke(app, ["claims", str(tmp_path / name)])
        assert result.exit_code == 0 and "£2.3m" in result.stdout


def test_text_that_is_neither_utf8_nor_cp1252_names_the_encodings(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_bytes(b"[[claim]]\nid = '\x81\xff'\n")
    result = runner.invoke(app, ["check", str(tmp_path / "bad.toml")])
    assert result.exit_code == 2 and "neither UTF-8 nor cp1252" in result.output


# --- found on the second held-out batch (articles 22-26) ----------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Potholes rose to almost double the previous level.", ("multiple", "1.8", "2")),
        ("Library visits halved.", ("multiple", "0.475", "0.525")),
        ("E-book loans rose fivefold.", ("multiple", "4.95", "5.05")),
        ("Searches were used 11,920 times in the year.", ("count", "11920", "11920")),
        ("The average sanction lasted 37 days.", ("count", "37", "37")),
        ("Patients waited an average of 19 days.", ("count", "19", "19")),
        ("Searches ran at 21.4 per 1,000 residents.", ("proportion", "2.135", "2.145")),
    ],
)
def test_held_out_phrases(text: str, expected: tuple[str, str, str]) -> None:
    assert interval(text) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Nearly 600 claimants were sanctioned more than once.",
        "In the worst-hit ward, residents complained.",
        "Inspectors said it was within 28 days.",
        "A scheme set up by 12 volunteers.",
    ],
)
def test_held_out_readings_that_are_not_extra_claims(sentence: str) -> None:
    kinds = [d.kind for d in draft_claims(sentence)]
    assert "comparison" not in kinds and "change" not in kinds


# --- found on a last spot check of sentences outside the corpus -------------------------------
def test_n_times_average_earnings_is_a_multiple() -> None:
    text = "House prices are nine times average earnings."
    assert interval(text) == ("multiple", "8.95", "9.05")


def test_n_fewer_than_is_the_size_of_a_fall() -> None:
    text = "The force employs 3,200 officers, 400 fewer than in 2010."
    (change,) = [f for f in find_figures(text) if f.kind == "change_count"]
    assert change.direction == "down" and change.text == "400 fewer"
    assert one_claim(claim_toml(text, "before = 3600\nafter = 3200", "change"))[0] == "accurate"
    assert one_claim(claim_toml(text, "before = 3200\nafter = 3600", "change"))[0] == "inaccurate"


@pytest.mark.parametrize(
    "sentence",
    ["Waiting times went from 6 weeks to 14 weeks.", "Prices went from 300 to 450."],
)
def test_from_x_to_y_is_a_change_even_without_a_verb(sentence: str) -> None:
    drafts = [d for d in draft_claims(sentence) if d.kind == "change"]
    assert len(drafts) == 1 and len(drafts[0].figures) == 2
    body = (
        drafts_to_toml(drafts)
        .replace('before = ""', "before = 6")
        .replace('after = ""', "after = 14")
    )
    if "300" in sentence:
        body = body.replace("before = 6", "before = 300").replace("after = 14", "after = 450")
    assert check_claim(parse_claims_text(body)[0]).verdict == "accurate"
