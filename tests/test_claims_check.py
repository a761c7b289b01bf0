"""Claims files, cell selectors (real SQLite store and JSONL file), every claim kind,
the methodology warnings, and `foi check` exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.claims import check_claims, load_claims, parse_claims_text
from extractor.claims.check import check_claim
from extractor.claims.selectors import RecordCells, Selector, StoreCells, resolve
from extractor.cli import app
from extractor.errors import ClaimsFileError, SelectorError
from extractor.records import Cell, write_jsonl
from extractor.store import Document, Store

runner = CliRunner()
SHA = "a" * 64
OTHER_SHA = "b" * 64


def cell(row: list[str], column: list[str], raw: str, value: float | int | None, **extra) -> Cell:
    base = {"file": "crime.pdf", "sha256": SHA, "table": 0, "page": 2}
    base.update(extra)
    return Cell(row=row, column=column, raw=raw, value=value, **base)


CELLS = [
    cell(["Sexual offences", "Rape¹"], ["Calendar year", "2020"], "1,306", 1306),
    cell(["Sexual offences", "Rape¹"], ["Calendar year", "2021"], "1,381", 1381),
    cell(["Sexual offences", "Rape¹"], ["Calendar year", "2022"], "1,527", 1527, bbox=[1, 2, 3, 4]),
    cell(["Sexual offences", "Sexual assault"], ["Calendar year", "2022"], "1,760", 1760),
    cell(["Outcomes", "Convicted"], ["Calendar year", "2022"], "50", 50, table=1),
    cell(
        ["Outcomes", "Withdrawn"], ["Calendar year", "2022"], "<5", None, table=1, flag="suppressed"
    ),
    cell(
        ["Outcomes", "Other"], ["Calendar year", "2022"], "[x]", None, table=1, flag="not_available"
    ),
    # the same labels in a second table of the same page: ambiguous without `table`
    cell(["Outcomes", "Convicted"], ["Calendar year", "2022"], "48", 48, table=2),
]


@pytest.fixture
def filled(store: Store) -> Store:
    store.add_document(Document(SHA, "crime.pdf"), CELLS)
    other = cell(["Rape"], ["2022"], "999", 999, file="crime.pdf", sha256=OTHER_SHA, table=5)
    store.add_document(Document(OTHER_SHA, "crime.pdf"), [other])
    store.upsert(
        "attachments", {"url": "https://example.org/a", "url_title": "rape_reports", "sha256": SHA}
    )
    return store


@pytest.fixture
def records(tmp_path: Path) -> Path:
    path = tmp_path / "cells.jsonl"
    with path.open("w", encoding="utf-8") as out:
        write_jsonl(CELLS, out)
    return path


def claims_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "claims.toml"
    path.write_text(body, encoding="utf-8")
    return path


def one(body: str, store: Store | None = None):
    claims = parse_claims_text(body)
    source = StoreCells(store) if store is not None else None
    return check_claim(claims[0], source)


# --- selectors -------------------------------------------------------------------------------
def test_selector_matches_case_footnotes_and_outer_labels(filled: Store) -> None:
    selector = Selector("CRIME.pdf", ("rape",), ("2022",), page=2, table=0)
    found = resolve(selector, StoreCells(filled))
    assert (found.value, found.raw, found.bbox) == (1527, "1,527", [1, 2, 3, 4])


def test_selector_with_no_match_lists_nearest(filled: Store) -> None:
    with pytest.raises(SelectorError) as error:
        resolve(Selector("crime.pdf", ("Rapes",), ("2022",), table=0), StoreCells(filled))
    assert "no cell matches" in str(error.value) and "Rape¹" in str(error.value)


def test_selector_with_several_matches_fails(filled: Store) -> None:
    with pytest.raises(SelectorError, match="2 cells match"):
        resolve(Selector("crime.pdf", ("Convicted",), ("2022",), page=2), StoreCells(filled))
    found = resolve(Selector("crime.pdf", ("Convicted",), ("2022",), table=2), StoreCells(filled))
    assert found.value == 48


def test_selector_for_an_unknown_file_suggests_files(filled: Store) -> None:
    with pytest.raises(SelectorError, match="nearest files: crime.pdf"):
        resolve(Selector("crimes.pdf", ("Rape",), ("2022",)), StoreCells(filled))


def test_request_restricts_to_documents_of_that_request(filled: Store) -> None:
    selector = Selector("crime.pdf", ("Rape",), ("2022",), request="rape_reports")
    assert resolve(selector, StoreCells(filled)).sha256 == SHA
    with pytest.raises(SelectorError):
        resolve(Selector("crime.pdf", ("Rape",), ("2022",), request="other"), StoreCells(filled))


def test_selectors_from_a_jsonl_file(records: Path) -> None:
    source = RecordCells(records)
    assert resolve(Selector("crime.pdf", ("Rape",), ("2022",), table=0), source).value == 1527
    with pytest.raises(SelectorError, match="needs the store"):
        resolve(Selector("crime.pdf", ("Rape",), ("2022",), request="x"), source)


RATE_WITH_SELECTORS = """
[[claim]]
id = "rate"
text = "only 50 of these led to a conviction, a conviction rate of just 3.3 per cent"
numerator = {file = "crime.pdf", table = 1, row = ["Convicted"], column = ["2022"]}
denominator = {file = "crime.pdf", page = 2, table = 0, row = ["Rape"], column = ["2022"]}
"""


def test_rate_claim_from_the_store_carries_provenance(filled: Store, tmp_path: Path) -> None:
    report = check_claims(claims_file(tmp_path, RATE_WITH_SELECTORS), store=filled)
    data = report.results[0].to_dict()
    assert data["verdict"] == "accurate" and data["value"] == pytest.approx(3.2744, abs=1e-4)
    denominator = data["figures"][1]
    assert denominator["name"] == "denominator" and not denominator["literal"]
    provenance = denominator["cells"][0]
    assert (provenance["sha256"], provenance["page"], provenance["table"]) == (SHA, 2, 0)
    assert provenance["row"] == ["Sexual offences", "Rape¹"] and provenance["raw"] == "1,527"
    assert "crime.pdf p2" in denominator["provenance"]


def test_rate_claim_from_records_matches_the_store(records: Path, tmp_path: Path) -> None:
    report = check_claims(claims_file(tmp_path, RATE_WITH_SELECTORS), records=records)
    assert report.results[0].verdict == "accurate"


def test_a_failing_selector_makes_the_claim_unclear(filled: Store) -> None:
    result = one(RATE_WITH_SELECTORS.replace('["Convicted"]', '["Acquitted"]'), filled)
    assert result.verdict == "unclear" and "no cell matches" in result.reason


def test_lists_are_summed(filled: Store) -> None:
    body = """
[[claim]]
id = "sum"
text = "between 2021 and 2022, 2,908 reports"
value = [{file = "crime.pdf", table = 0, row = ["Rape"], column = ["2021"]},
         {file = "crime.pdf", table = 0, row = ["Rape"], column = ["2022"]}]
"""
    result = one(body, filled)
    assert result.verdict == "accurate" and len(result.figures[0].cells) == 2


# --- suppressed cells (warning 7) ----------------------------------------------------------------
SUPPRESSED = """
[[claim]]
id = "withdrawn"
text = "{text}"
numerator = {{file = "crime.pdf", table = 1, row = ["Withdrawn"], column = ["2022"]}}
denominator = 1000
"""


def test_suppressed_cell_holds_at_both_ends(filled: Store) -> None:
    result = one(SUPPRESSED.format(text="under 1 per cent were withdrawn"), filled)
    assert result.verdict == "accurate"  # [0, 4] / 1000 is under 1% at both ends
    assert 7 in [w.number for w in result.warnings]


def test_suppressed_cell_that_decides_the_verdict_is_unclear(filled: Store) -> None:
    # [0, 4] / 1000 = 0% to 0.4%: 0.3 per cent is possible (3 withdrawn) but not certain
    result = one(SUPPRESSED.format(text="0.3 per cent were withdrawn"), filled)
    assert result.verdict == "unclear"
    assert "0% to 0.4%" in result.reason


def test_suppressed_cell_that_cannot_reach_the_claim_is_inaccurate(filled: Store) -> None:
    result = one(SUPPRESSED.format(text="2 per cent were withdrawn"), filled)
    assert result.verdict == "inaccurate"


def test_a_not_available_cell_is_not_a_number(filled: Store) -> None:
    body = SUPPRESSED.format(text="1 per cent").replace("Withdrawn", "Other")
    result = one(body, filled)
    assert result.verdict == "unclear" and "not a number" in result.reason


# --- kinds -----------------------------------------------------------------------------------
def kind_result(body: str) -> tuple[str, str]:
    result = one(body)
    return result.verdict, result.reason


@pytest.mark.parametrize(
    ("figures", "text", "expected"),
    [
        ("before = 100\nafter = 120", "rose by 20 per cent", "accurate"),
        ("before = 100\nafter = 119.4", "rose by 20 per cent", "inaccurate"),
        ("before = 100\nafter = 120.9", "rose by 20 per cent", "loose"),
        ("before = 120\nafter = 100", "rose by about 17 per cent", "inaccurate"),
        ("before = 30\nafter = 35", "rose by 5 percentage points", "accurate"),
        ("before = 30\nafter = 35", "fell by 5 percentage points", "inaccurate"),
        ("before = 100\nafter = 195", "doubled", "accurate"),
        ("before = 100\nafter = 194", "doubled", "loose"),
        ("before = 100\nafter = 180", "doubled", "loose"),
        ("before = 100\nafter = 179", "doubled", "inaccurate"),
        ("before = 100\nafter = 205", "doubled", "accurate"),
        ("before = 100\nafter = 206", "doubled", "loose"),
        ("before = 100\nafter = 220", "doubled", "loose"),
        ("before = 100\nafter = 221", "doubled", "inaccurate"),
        ("before = 100\nafter = 300", "trebled", "accurate"),
        ("before = 100\nafter = 320", "tripled", "loose"),
        ("before = 100\nafter = 340", "tripled", "inaccurate"),
        ("before = 100\nafter = 210", "doubles", "loose"),
        ("before = 100\nafter = 150", "one and a half times", "accurate"),
        ("before = 100\nafter = 160", "1.5 times", "inaccurate"),
        ("before = 100\nafter = 200", "more than doubled", "inaccurate"),
        ("before = 100\nafter = 201", "more than doubled", "accurate"),
        ("before = 100\nafter = 47.5", "halved", "accurate"),
        ("before = 100\nafter = 47.4", "halved", "loose"),
        ("before = 100\nafter = 52.6", "halved", "loose"),
        ("before = 100\nafter = 44.9", "halved", "inaccurate"),
        ("before = 100\nafter = 55.1", "halves", "inaccurate"),
        ("before = 1306\nafter = 1654", "rose by 348", "accurate"),
        ("before = 30\nafter = 20", "fell from 30 to 20", "accurate"),
        ("before = 30\nafter = 20", "rose from 30 to 20", "inaccurate"),
        ("before = 30\nafter = 21", "fell from 30 to 20", "inaccurate"),
    ],
)
def test_change_claims(figures: str, text: str, expected: str) -> None:
    body = f'[[claim]]\nid = "c"\ntext = "{text}"\n{figures}\n'
    assert kind_result(body)[0] == expected


def test_roughly_doubled_is_loose_and_says_so() -> None:
    body = '[[claim]]\nid = "c"\ntext = "doubled"\nbefore = 410\nafter = 790\n'
    verdict, reason = kind_result(body)
    assert verdict == "loose" and "roughly doubled" in reason and "1.8 to 2.2" in reason


def test_points_reported_as_per_cent_is_named() -> None:
    body = '[[claim]]\nid = "c"\ntext = "rose by 20 per cent"\nbefore = 10\nafter = 30\n'
    verdict, reason = kind_result(body)
    assert verdict == "inaccurate" and "percentage points, reported as per cent" in reason


def test_per_cent_reported_as_points_is_named() -> None:
    body = '[[claim]]\nid = "c"\ntext = "up 5 percentage points"\nbefore = 20\nafter = 21\n'
    verdict, reason = kind_result(body)
    assert verdict == "inaccurate" and "reported as percentage points" in reason


SERIES = '[[claim]]\nid = "s"\ntext = "{text}"\nseries = {{ {series} }}\n'


@pytest.mark.parametrize(
    ("text", "series", "expected"),
    [
        ("the highest number was in 2022", "2020 = 5, 2021 = 6, 2022 = 7", "accurate"),
        ("the highest number was in 2022", "2020 = 5, 2021 = 7, 2022 = 7", "inaccurate"),
        ("the lowest number was in 2020", "2020 = 5, 2021 = 6, 2022 = 7", "accurate"),
        ("the highest number was in 2022", '2020 = 5, 2021 = "", 2022 = 7', "unclear"),
        ("at an all-time high", "2020 = 5, 2021 = 6, latest = 9", "accurate"),
        ("at an all-time high", "latest = 9", "unclear"),
        ("the highest number was in 2023", "2020 = 5, 2021 = 6, 2022 = 7", "unclear"),
        ("the number rose again", "2022 = 7", "unclear"),
        ("the number rose again", "2021 = 6, 2022 = 7", "accurate"),
        (
            "In 2020 there were 1,306, which increased to 1,654 in 2021 and then again last year",
            "2020 = 1306, 2021 = 1654, 2022 = 1760",
            "accurate",
        ),
        (
            "In 2020 there were 1,306, which increased to 1,654 in 2021 and then again last year",
            "2020 = 1306, 2021 = 1654, 2022 = 1654",
            "inaccurate",
        ),
        (
            "In 2020 there were 1,306, which increased to 1,654 in 2021 and then again last year",
            "2020 = 1306, 2021 = 1655, 2022 = 1760",
            "inaccurate",
        ),
    ],
)
def test_series_claims(text: str, series: str, expected: str) -> None:
    assert kind_result(SERIES.format(text=text, series=series))[0] == expected


def test_a_false_superlative_names_the_period_that_beats_it() -> None:
    series = "2020 = 1120, 2021 = 1567, 2022 = 1527"
    verdict, reason = kind_result(SERIES.format(text="the highest was in 2022", series=series))
    assert verdict == "inaccurate"
    assert "2021 (1,567) is at least as high" in reason and "2020 (" not in reason.split(":")[1]


def test_totals_and_warning_9() -> None:
    body = (
        '[[claim]]\nid = "t"\ntext = "between 2020 and 2022, 4,214 reports"\n'
        "series = {{ 2019 = 1, 2020 = 1306, 2021 = 1381, 2022 = {last} }}\n"
    )
    accurate = one(body.format(last=1527))
    assert (accurate.verdict, accurate.value) == ("accurate", 4214)  # 2019 is outside the window
    wrong = one(body.format(last=1528))
    assert wrong.verdict == "inaccurate" and 9 in [w.number for w in wrong.warnings]
    missing = one(body.format(last=1527).replace("2021 = 1381, ", ""))
    assert missing.verdict == "unclear" and "2021" in missing.reason


SHARES = '[[claim]]\nid = "g"\ntext = "{text}"\nwhole = {whole}\nparts = {{ {parts} }}\n'


def test_shares_of_a_whole() -> None:
    text = "82 per cent are female, 10 per cent are male, and the remaining are unknown"
    ok = one(SHARES.format(text=text, whole=1000, parts="female = 820, male = 100"))
    assert ok.verdict == "accurate"
    assert any(w.code == "shares-of-what" for w in ok.warnings)
    wrong = one(SHARES.format(text=text, whole=1000, parts="female = 800, male = 100"))
    assert wrong.verdict == "inaccurate"
    open_ = one(SHARES.format(text=text, whole=1527, parts='female = "", male = ""'))
    assert open_.verdict == "unclear" and "1,245 to 1,259" in open_.reason


def test_warning_8_shares_that_cannot_add_up() -> None:
    over = one(
        SHARES.format(
            text="60 per cent female, 50 per cent male", whole=100, parts='female = "", male = ""'
        )
    )
    assert any(w.number == 8 for w in over.warnings)
    short = one(
        SHARES.format(
            text="60 per cent female, 30 per cent male", whole=100, parts='female = "", male = ""'
        )
    )
    assert any(w.code == "shares-leave-remainder" for w in short.warnings)
    whole = one(
        SHARES.format(
            text="60 per cent female, 40 per cent male", whole=100, parts='female = "", male = ""'
        )
    )
    assert not any(w.number == 8 and w.code != "shares-of-what" for w in whole.warnings)


def test_warning_9_parts_and_whole() -> None:
    text = "47 were male and the other three unknown"
    good = one(SHARES.format(text=text, whole=50, parts="male = 47, unknown = 3"))
    assert good.verdict == "accurate" and not any(w.number == 9 for w in good.warnings)
    bad = one(SHARES.format(text=text, whole=51, parts="male = 47, unknown = 3"))
    assert any(w.number == 9 for w in bad.warnings)


def test_base_claims() -> None:
    body = '[[claim]]\nid = "b"\ntext = "{text}"\nbase = {base}\n'
    possible = one(body.format(text="11 per cent of the 1,760", base=1760))
    assert possible.verdict == "unclear" and possible.feasible == (185, 202)
    impossible = one(body.format(text="33 per cent of the 2", base=2))
    assert impossible.verdict == "inaccurate"


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("a slightly higher chance than the England average", 9.0, "accurate"),
        ("a slightly higher chance than the England average", 8.0, "inaccurate"),  # 3 points
        ("a slightly higher chance than the England average", 11.0, "inaccurate"),  # equal
        ("a higher chance than the England average", 5.0, "accurate"),
        ("a lower rate than the England average", 12.0, "accurate"),
    ],
)
def test_comparison_claims(text: str, reference: float, expected: str) -> None:
    body = (
        f'[[claim]]\nid = "c"\ntext = "{text}"\nnumerator = 11\ndenominator = 100\n'
        f"reference = {reference}\n"
    )
    assert one(body).verdict == expected


def test_count_claims() -> None:
    body = '[[claim]]\nid = "n"\ntext = "{text}"\nvalue = {value}\n'
    assert one(body.format(text="4,214 reports", value=4214)).verdict == "accurate"
    assert one(body.format(text="4,214 reports", value=4213)).verdict == "inaccurate"
    assert one(body.format(text="about 1,500 reports", value=1350)).verdict == "accurate"
    assert one(body.format(text="about 1,500 reports", value=1349)).verdict == "loose"


# --- methodology warnings 1-6 ------------------------------------------------------------------
def warnings_for(meta: str, text: str = "a conviction rate of 3.3 per cent", den: int = 1527):
    body = f'[[claim]]\nid = "w"\ntext = "{text}"\nnumerator = 50\ndenominator = {den}\n{meta}\n'
    return {w.number: w for w in one(body).warnings}


def test_warning_1_sources_and_chance() -> None:
    meta = 'numerator_source = "CPS"\ndenominator_source = "Lancashire Constabulary"'
    assert 1 in warnings_for(meta)
    assert "chance" in warnings_for(meta, "a three per cent chance").get(1).message
    assert 1 not in warnings_for('numerator_source = "CPS"\ndenominator_source = "cps"')


def test_warning_2_same_period_different_stages() -> None:
    meta = (
        'numerator_stage = "convictions"\ndenominator_stage = "reports"\n'
        'numerator_period = "2022"\ndenominator_period = "2022"'
    )
    assert 2 in warnings_for(meta)
    assert 2 not in warnings_for(
        meta.replace('numerator_period = "2022"', 'numerator_period = "2023"')
    )


def test_warning_3_conviction_rate() -> None:
    assert 3 in warnings_for('denominator_stage = "reports"')
    assert 3 not in warnings_for('denominator_stage = "completed prosecutions"')
    assert 3 not in warnings_for('denominator_stage = "reports"', text="3.3 per cent")


def test_warning_4_and_5() -> None:
    found = warnings_for(
        'numerator_units = "defendants"\ndenominator_units = "offences"\n'
        'numerator_period = "2022"\ndenominator_period = "2021/22"\n'
        'numerator_area = "CPS North West"\ndenominator_area = "Lancashire"'
    )
    assert {4, 5} <= set(found)
    assert 5 not in warnings_for('numerator_period = "2022"\ndenominator_period = "2022"')


def test_warning_6_small_base() -> None:
    body = '[[claim]]\nid = "w"\ntext = "about 50 per cent"\nnumerator = 9\ndenominator = {d}\n'
    assert 6 in [w.number for w in one(body.format(d=19)).warnings]
    assert 6 not in [w.number for w in one(body.format(d=20)).warnings]


# --- claims files ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[[claim]\nid = 1", "not valid TOML"),
        ('title = "x"', "unknown top-level key"),
        (
            '[[claim]]\nid = "a"\ntext = "3 per cent"\nnumerator = 1\ndenominator = 2\ncolour = 1',
            ":6: claim 'a': unknown key 'colour'",
        ),
        ('[[claim]]\nid = "a"\ntext = "3 per cent"\nnumerator = 1', "needs denominator"),
        ('[[claim]]\nid = "a"\ntext = "3 per cent"', "no figures"),
        ('[[claim]]\ntext = "3 per cent"\nvalue = 3', "'id' is missing"),
        ('[[claim]]\nid = "a"\ntext = "3"\nvalue = "three"', ":4: claim 'a': value: 'three' is"),
        (
            '[[ claim ]]\nid = "a"\ntext = "3"\n[claim.series]\n2020 = "x"',
            ":4: claim 'a': series.2020",
        ),
        (
            '[[claim]]\nid = "a"\ntext = "3"\nvalue = {file = "x.pdf", row = ["a"]}',
            "needs 'column'",
        ),
        (
            '[[claim]]\nid = "a"\ntext = "3"\nvalue = {file = "x", row = ["a"], column = ["b"], '
            "pgae = 2}",
            "unknown selector key 'pgae'",
        ),
        ('[[claim]]\nid = "a"\ntext = "3"\nphrase = "4"\nvalue = 3', "not part of the text"),
        (
            '[[claim]]\nid = "a"\ntext = "3"\nvalue = 3\n\n[[claim]]\nid = "a"\ntext = "3"\n'
            "value = 3",
            ":6: claim 'a': duplicate id",
        ),
        ('[[claim]]\nid = "a"\ntext = "3"\nkind = "vibes"\nvalue = 3', "unknown kind"),
    ],
)
def test_bad_claims_files(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ClaimsFileError, match=None) as error:
        load_claims(claims_file(tmp_path, body))
    assert message in str(error.value)


def test_missing_claims_file(tmp_path: Path) -> None:
    with pytest.raises(ClaimsFileError, match="cannot read"):
        load_claims(tmp_path / "absent.toml")


# --- foi check -------------------------------------------------------------------------------
def test_check_exit_codes(tmp_path: Path) -> None:
    accurate = '[[claim]]\nid = "a"\ntext = "3.3 per cent"\nnumerator = 50\ndenominator = 1527\n'
    unclear = '[[claim]]\nid = "u"\ntext = "3.3 per cent"\nnumerator = ""\ndenominator = 1527\n'
    wrong = '[[claim]]\nid = "w"\ntext = "4 per cent"\nnumerator = 50\ndenominator = 1527\n'
    db = ["--db", str(tmp_path / "none.db")]
    assert runner.invoke(app, ["check", str(claims_file(tmp_path, accurate)), *db]).exit_code == 0
    path = claims_file(tmp_path, accurate + "\n" + unclear)
    # unclear and none inaccurate: 3, as the docs always said (it used to be 0)
    assert runner.invoke(app, ["check", str(path), *db]).exit_code == 3
    assert runner.invoke(app, ["check", str(path), "--strict", *db]).exit_code == 1
    path = claims_file(tmp_path, accurate + "\n" + wrong)
    result = runner.invoke(app, ["check", str(path), *db])
    assert result.exit_code == 1 and "inaccurate" in result.stdout


def test_check_json_and_bad_file(tmp_path: Path) -> None:
    body = '[[claim]]\nid = "a"\ntext = "3.3 per cent"\nnumerator = 50\ndenominator = 1527\n'
    result = runner.invoke(
        app,
        ["check", str(claims_file(tmp_path, body)), "--json", "--db", str(tmp_path / "none.db")],
    )
    data = json.loads(result.stdout)
    assert data["summary"]["accurate"] == 1 and data["results"][0]["verdict"] == "accurate"
    bad = runner.invoke(app, ["check", str(claims_file(tmp_path, body + "oops = 1\n"))])
    # a broken claims file is bad input, 2 (it used to be 1, the code for "inaccurate")
    assert bad.exit_code == 2 and "claim 'a'" in bad.output and "Traceback" not in bad.output


def test_check_with_db_and_records(filled: Store, records: Path, tmp_path: Path) -> None:
    path = claims_file(tmp_path, RATE_WITH_SELECTORS)
    via_db = runner.invoke(app, ["check", str(path), "--db", str(filled.path), "--json"])
    via_records = runner.invoke(app, ["check", str(path), "--records", str(records), "--json"])
    for result in (via_db, via_records):
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["results"][0]["verdict"] == "accurate"


def test_check_table_lists_where_each_figure_came_from(filled: Store, tmp_path: Path) -> None:
    path = claims_file(tmp_path, RATE_WITH_SELECTORS)
    result = runner.invoke(app, ["check", str(path), "--db", str(filled.path)], terminal_width=200)
    assert result.exit_code == 0, result.output
    figures = result.stdout.split("Figures", 1)[1]
    assert "numerator" in figures and "denominator" in figures
    stored = list(filled.cells())
    assert any(cell.file in figures for cell in stored)


def test_shares_without_stated_figures_are_unclear() -> None:
    result = one(SHARES.format(text="most were women", whole=100, parts="female = 60"))
    assert result.verdict == "unclear" and "no shares" in result.reason


@pytest.mark.parametrize(
    ("raw", "high"), [("<5", 4), ("< 10", 9), ("fewer than 3", 2), ("*", 4), ("[c]", 4)]
)
def test_suppressed_cell_bounds(raw: str, high: int) -> None:
    from extractor.claims.selectors import cell_bounds

    suppressed = cell(["x"], ["y"], raw, None, flag="suppressed")
    assert cell_bounds(suppressed) == (0, high)
