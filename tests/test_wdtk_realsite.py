"""The client against a fake rebuilt from Alaveteli's own views and controllers (issue 12).

Each test names the numbered item of the issue it covers. Every test talks to a real HTTP
server on 127.0.0.1 (extractor.testing.fakesite).
"""

from __future__ import annotations

import hashlib
import itertools
import json
from datetime import date
from pathlib import Path
from urllib.parse import unquote

import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.testing.fakesite import FEED_ALLOWED_ROBOTS_TXT, FakeAlaveteli, Faults
from extractor.wdtk import AlaveteliClient, SearchFilters, fetch_requests, harvest, search
from extractor.wdtk.client import parse_listing_page, parse_search_listing
from extractor.wdtk.errors import BadQuery, BadReference, HttpError
from tests.wdtk_sites import build_many, build_mixed_site, build_site, site_config

runner = CliRunner()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """1,100 requests made one a day from 1 January 2020, each answered a year later."""
    root = tmp_path_factory.mktemp("many")
    made = build_many(root, 1100)
    # robots.txt without WhatDoTheyKnow's feed rules, so the feed can be compared with /list
    with FakeAlaveteli(root, robots_txt=FEED_ALLOWED_ROBOTS_TXT) as site:
        site.made = made  # type: ignore[attr-defined]
        yield site


@pytest.fixture
def mixed(tmp_path: Path):
    built = build_mixed_site(tmp_path / "site")
    with FakeAlaveteli(built.root) as site:
        site.expected = built.expected  # type: ignore[attr-defined]
        yield site


def feed_pages(site: FakeAlaveteli, since: int = 0) -> list[str]:
    return [h.path for h in site.hits[since:] if h.path.startswith("/feed/")]


# --- 1, 2: paging, completeness ------------------------------------------------------


def test_1_2_a_search_over_1100_requests_returns_all_1100(many, tmp_path) -> None:
    before = len(many.hits)
    config = site_config(many.url, tmp_path)
    found = search(SearchFilters(body_tag="police"), config=config, via="feed")
    assert found.complete and len(found.hits) == len({h.url_title for h in found.hits}) == 1100
    # 2,200 events, 25 a page: 88 full pages and an empty one that says it is the end
    assert len(feed_pages(many, before)) == 89 == found.enumeration.pages
    assert "read from the search feed: 89 pages" in found.enumeration.line()
    assert found.enumeration.requests == 1100


def test_2_the_list_enumerates_all_1100_in_date_windows_under_the_cap(many, tmp_path) -> None:
    before = len(many.hits)
    config = site_config(many.url, tmp_path, cache_path=None)
    found = search(SearchFilters(body_tag="police"), config=config, via="list")
    assert found.complete and sorted(h.url_title for h in found.hits) == sorted(
        f"bulk_{n}" for n in range(1100)
    )
    windows = found.enumeration.windows
    assert all(count <= 500 for _, _, count in windows) and sum(c for *_, c in windows) == 1100
    assert all(a[1] < b[0] for a, b in itertools.pairwise(windows))  # disjoint
    asked = [unquote(h.path) for h in many.hits[before:] if h.path != "/robots.txt"]
    assert asked[0] == "/body/all-authorities.csv"  # --body-tag checked first
    assert all(p.startswith("/list?query=") and "request_date_after=" in p for p in asked[1:])
    assert not [p for p in asked if "page=21" in p]  # never past the list's last page


def test_2_a_window_over_the_cap_on_one_day_exits_non_zero_saying_so(tmp_path) -> None:
    root = tmp_path / "site"
    build_many(root, 520, per_day=520)  # 520 requests made on one day
    with FakeAlaveteli(root) as site:
        result = runner.invoke(
            app,
            [
                "--quiet",
                "--base-url",
                site.url,
                "search",
                "--body-tag",
                "police",
                "--via",
                "list",
                "--since",
                "2020-01-01",
                "--until",
                "2020-01-01",
                "--rate",
                "100",
                "--cache",
                str(tmp_path / "c.sqlite"),
            ],
        )
    assert result.exit_code == 1
    assert "cut off" in result.stderr and "cap of 500" in result.stderr
    assert "NOT complete" in result.stderr


def test_2_a_runaway_feed_is_reported_not_silently_cut(tmp_path, monkeypatch) -> None:
    import extractor.wdtk.client as client_module

    monkeypatch.setattr(client_module, "MAX_FEED_PAGES", 2)
    built = build_site(tmp_path / "site", requests=40, hostile=False)
    with FakeAlaveteli(built.root, robots_txt=FEED_ALLOWED_ROBOTS_TXT) as site:
        config = site_config(site.url, tmp_path)
        found = search(SearchFilters(body_tag="police"), config=config, via="feed")
    assert not found.complete and "stopped after 2 feed pages" in (found.error or "")
    assert 25 <= len(found.hits) < 41  # what two pages of 25 events named, no more


# --- 12 (since/until): date windows select requests made in the window ----------------


@pytest.mark.parametrize("via", ["feed", "list"])
def test_12_date_windows_return_exactly_the_requests_made_in_them(many, tmp_path, via) -> None:
    window = (date(2021, 2, 1), date(2021, 3, 15))
    filters = SearchFilters(body_tag="police", since=window[0], until=window[1])
    config = site_config(many.url, tmp_path, cache_path=None)
    found = search(filters, config=config, via=via)  # type: ignore[arg-type]
    expected = {
        f"bulk_{n}"
        for n, made in enumerate(many.made)
        if window[0] <= date.fromisoformat(made) <= window[1]
    }
    # requests made in 2020 are answered in the window; they are not "in" it
    assert found.complete and {h.url_title for h in found.hits} == expected
    assert len(expected) == 43


def test_body_and_body_tag_are_checked_against_the_authorities_list(tmp_path) -> None:
    built = build_site(tmp_path / "site", requests=1, hostile=False)
    with FakeAlaveteli(built.root) as site:
        for option, value in (("--body", "synthetic_constabularly"), ("--body-tag", "polise")):
            result = runner.invoke(
                app,
                [
                    "--base-url",
                    site.url,
                    "search",
                    option,
                    value,
                    "--cache",
                    str(tmp_path / "c.sqlite"),
                ],
            )
            assert result.exit_code == 2, result.output
            assert f"{option}: {value}: no authority has this" in result.stderr
            assert "did you mean" in result.stderr
        # asked once (and robots.txt once, first)
        assert [h.path for h in site.hits] == ["/robots.txt", "/body/all-authorities.csv"]


# --- 3: the listing markup of today -------------------------------------------------


def test_3_listing_markup_state_icon_strong_time_and_stems_inside_words(tmp_path) -> None:
    built = build_site(tmp_path / "site", requests=3, hostile=False)
    with FakeAlaveteli(built.root) as site:
        import httpx

        page = httpx.get(f"{site.url}/list", params={"query": "outcomes"}).text
    hits, estimate = parse_listing_page(page, "http://127.0.0.1")
    assert estimate == 4 and len(hits) == 4
    assert '<span class="highlight">outcome</span>s' in page  # the stem inside the word
    hit = next(h for h in hits if h.url_title == "crime_outcomes_1")
    assert hit.title == "Synthetic request 1001 about crime outcomes"  # not "outcome s"
    assert (hit.status, hit.display_status) == ("successful", "Successful")
    assert hit.date and hit.date.startswith("2023-0") and hit.authority == "synthetic_constabulary"


def test_3_the_old_listing_url_is_read_by_alaveteli_as_another_query(tmp_path) -> None:
    # general_controller.rb#search pops "requests", then leaves "<q>/newest" as the query
    built = build_site(tmp_path / "site", requests=2, hostile=False)
    with FakeAlaveteli(built.root) as site:
        import httpx

        wrong = httpx.get(f"{site.url}/search/crime/newest/requests").text
        right = httpx.get(f"{site.url}/search/crime/requests/newest").text
    assert parse_search_listing(wrong, site.url) == []
    assert len(parse_search_listing(right, site.url)) == 3


# --- 4: order ---------------------------------------------------------------------------


def test_4_limit_gives_the_first_in_last_described_order_not_the_newest(tmp_path) -> None:
    built = build_site(tmp_path / "site", requests=3, hostile=False)
    with FakeAlaveteli(built.root, robots_txt=FEED_ALLOWED_ROBOTS_TXT) as site:
        config = site_config(site.url, tmp_path)
        found = search(SearchFilters(body_tag="police"), config=config, via="feed")
        first = search(SearchFilters(body_tag="police"), config=config, limit=1, via="feed")
    # crime_outcomes_2 was made last and described last; the feed's order is by description
    assert [h.url_title for h in first.hits] == [found.hits[0].url_title] == ["crime_outcomes_2"]
    result = runner.invoke(app, ["search", "--help"])
    shown = " ".join(result.stdout.replace("│", " ").split())
    assert "latest status change first" in shown and "not the newest" in shown


# --- 5, store: events, tag pairs, law_used, requester, texts, withheld --------------


def test_5_store_has_events_tag_pairs_texts_and_withheld_attachments(mixed, tmp_path, store):
    summary = fetch_requests(
        ["new_style"], out=tmp_path / "out", store=store, config=site_config(mixed.url, tmp_path)
    )
    assert summary.ok, summary.failures
    assert summary.withheld == 2 and "2 hidden or erased by the site" in summary.line()
    row = store.request_row("new_style")
    assert row is not None and row.law_used == "eir" and row.requester == "synthetic_journalist"
    assert row.display_status == "Partially successful"
    assert row.tags == [("foi_category", "crime"), ("priority", None)]
    assert json.loads(store.get("requests", "new_style")["tags"]) == [
        ["foi_category", "crime"],
        ["priority", None],
    ]
    assert store.request_tags("new_style") == [("foi_category", "crime"), ("priority", None)]
    body_tags = [(r["name"], r["value"]) for r in store.db["body_tags"].rows]
    assert body_tags == [("police", ""), ("region", "north")]
    events = store.events_of("new_style")
    assert [e.event_type for e in events] == ["sent", "response", "comment"]
    assert events[1].described_state == "partially_successful"
    # one record type for both sides (records.RequestEvent): the store gives back exactly
    # what the client read, field for field
    with AlaveteliClient(site_config(mixed.url, tmp_path)) as client:
        assert events == sorted(
            client.request("new_style").events, key=lambda e: (e.created_at or "", e.id)
        )
    texts = {t.kind: t for t in store.correspondence_of("new_style")}
    assert set(texts) == {"incoming", "outgoing", "comment"}
    assert "Section 40(2) applies" in texts["incoming"].text
    assert texts["incoming"].url.endswith("/request/new_style#incoming-14007")
    assert [t.url_title for t in store.search_correspondence('"section 40"')] == ["new_style"]
    statuses = sorted(r.status for r in store.attachment_rows("new_style"))
    assert statuses == ["complete", "complete", "complete", "erased", "hidden"]
    erased = next(r for r in store.attachment_rows("new_style") if r.status == "erased")
    assert erased.filename == "gone.xlsx" and erased.sha256 is None


# --- 6, 7: old-style links, HTML-table .xls, HTML mail in .txt ----------------------


def test_6_7_every_attachment_arrives_with_its_sha256(mixed, tmp_path, store) -> None:
    mixed.faults.masking = {"2000/response/14000/attach/2/": 1}
    summary = harvest(
        "rape",
        out=tmp_path / "out",
        store=store,
        config=site_config(mixed.url, tmp_path, mask_refresh=0.05),
    )
    assert summary.ok, summary.failures
    got = {
        (r.url_title, r.incoming_message_id, r.part): r.sha256
        for title in ("old_style", "new_style")
        for r in store.attachment_rows(title)
        if r.status == "complete"
    }
    assert got == mixed.expected
    for title in ("old_style", "new_style"):
        for row in store.attachment_rows(title):
            if row.status == "complete":
                assert row.path and sha256(Path(row.path)) == row.sha256
    old = [h.path for h in mixed.hits if h.path.startswith("/request/2000/response/")]
    assert old and "wait" in " ".join(h.path for h in mixed.hits)  # by id, and masked
    rows = store.attachment_rows("old_style")
    assert {r.url.split("/request/")[1].split("/")[0] for r in rows} == {"old_style"}


def test_7_an_html_table_xls_is_extracted(mixed, tmp_path, store) -> None:
    fetch_requests(
        ["new_style"], out=tmp_path / "out", store=store, config=site_config(mixed.url, tmp_path)
    )
    xls = next(r for r in store.attachment_rows("new_style") if r.filename == "table.xls")
    assert xls.media_type == "text/html"  # what the bytes are; kept, not thrown away
    result = runner.invoke(app, ["extract", xls.path, "--no-db", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    cells = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    values = {(c["row"][-1], c["column"][-1]): c["raw"] for c in cells}
    assert values[("2021", "Reports")] == "1,527" and values[("2022", "Charged")] == "*"


def test_6_a_page_listing_attachments_none_could_read_warns(tmp_path, store) -> None:
    built = build_site(tmp_path / "site", requests=1, hostile=False)
    with FakeAlaveteli(built.root) as site:
        from extractor.testing import fakesite

        original = fakesite.attachment_href
        fakesite.attachment_href = lambda *a, **k: "/elsewhere/x.pdf"  # type: ignore[assignment]
        try:
            summary = fetch_requests(
                ["crime_outcomes_0"],
                out=tmp_path / "out",
                store=store,
                config=site_config(site.url, tmp_path),
            )
        finally:
            fakesite.attachment_href = original  # type: ignore[assignment]
    assert summary.warnings and "lists 2 attachments but none could be read" in summary.warnings[0]


# --- 9: the bot wall --------------------------------------------------------------------


@pytest.mark.parametrize("command", ["harvest", "fetch", "search"])
def test_9_a_blocked_site_stops_the_run_within_3_requests(tmp_path, command) -> None:
    built = build_site(tmp_path / "site", requests=10, hostile=False)
    with FakeAlaveteli(built.root, faults=Faults(block_everything=True)) as site:
        args = {
            "harvest": ["harvest", "--body-tag", "police", "--out", str(tmp_path / "o")],
            "fetch": ["fetch", *[f"crime_outcomes_{n}" for n in range(10)], "--out", str(tmp_path)],
            "search": ["search", "--body-tag", "police"],
        }[command]
        if command != "search":
            args += ["--db", str(tmp_path / "foi.db"), "--concurrency", "2"]
        result = runner.invoke(
            app,
            [
                "--quiet",
                "--base-url",
                site.url,
                *args,
                "--rate",
                "50",
                "--cache",
                str(tmp_path / "c.sqlite"),
            ],
        )
        hits = len(site.hits)
    assert result.exit_code == 1
    assert hits <= 3
    assert (
        "Cloudflare bot challenge" in result.stderr and "cf-mitigated: challenge" in result.stderr
    )
    assert "foi import" in result.stderr and "Traceback" not in result.output


def test_9_the_library_api_reports_the_block_in_the_summary(tmp_path, store) -> None:
    built = build_site(tmp_path / "site", requests=3, hostile=False)
    for filters in (SearchFilters(body_tag="police"), SearchFilters(text="crime")):
        with FakeAlaveteli(built.root, faults=Faults(block_everything=True)) as site:
            summary = harvest(
                None,
                filters=filters,
                out=tmp_path / "o",
                store=store,
                config=site_config(site.url, tmp_path, cache_path=None),
            )
            assert len(site.hits) == 1
        assert not summary.ok and "cf-mitigated: challenge" in (summary.blocked or "")


def test_9_alaveteli_403_for_a_hidden_request_is_not_a_bot_wall(tmp_path, store) -> None:
    built = build_site(tmp_path / "site", requests=2, hostile=False)
    data = json.loads((built.root / "requests/crime_outcomes_0/request.json").read_text())
    data["prominence"] = "hidden"
    (built.root / "requests/crime_outcomes_0/request.json").write_text(json.dumps(data))
    with FakeAlaveteli(built.root) as site:
        summary = fetch_requests(
            ["crime_outcomes_0", "crime_outcomes_1"],
            out=tmp_path / "out",
            store=store,
            config=site_config(site.url, tmp_path),
        )
    assert summary.blocked is None and summary.downloaded == 2
    assert summary.failed == 1 and "HTTP 403" in summary.failures[0].reason


# --- 10: bad queries ----------------------------------------------------------------------


@pytest.mark.parametrize("query", ["police AND", '"rape conviction', "(police", "OR police"])
def test_10_a_bad_query_is_refused_before_any_request(tmp_path, query) -> None:
    built = build_site(tmp_path / "site", requests=1, hostile=False)
    with FakeAlaveteli(built.root) as site:
        result = runner.invoke(
            app, ["--base-url", site.url, "search", query, "--cache", str(tmp_path / "c")]
        )
        assert result.exit_code == 2 and len(site.hits) == 0
    assert "Error:" in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("via", ["feed", "list"])
def test_10_a_500_from_a_search_costs_at_most_2_requests(tmp_path, via) -> None:
    built = build_site(tmp_path / "site", requests=1, hostile=False)
    with FakeAlaveteli(built.root, robots_txt=FEED_ALLOWED_ROBOTS_TXT) as site:
        site.faults.statuses = {"/feed/search/" if via == "feed" else "/list": [(500, None)] * 5}
        with pytest.raises(HttpError, match="HTTP 500"):
            config = site_config(site.url, tmp_path)
            search(SearchFilters(text="crime"), config=config, via=via)  # type: ignore[arg-type]
        assert len(site.content_hits) == 2


def test_10_the_fake_answers_500_to_bad_syntax_as_alaveteli_does(tmp_path) -> None:
    import httpx

    built = build_site(tmp_path / "site", requests=1, hostile=False)
    with FakeAlaveteli(built.root) as site:
        assert httpx.get(f"{site.url}/feed/search/police AND.json").status_code == 500
        assert httpx.get(f"{site.url}/list", params={"query": '"x'}).status_code == 500


# --- 11: redirects to another host ----------------------------------------------------


def test_11_nothing_is_fetched_from_another_host(tmp_path, store) -> None:
    built = build_site(tmp_path / "site", requests=2, hostile=False)
    evil_root = build_site(tmp_path / "evil", requests=2, hostile=False).root
    with FakeAlaveteli(evil_root) as evil, FakeAlaveteli(built.root) as site:
        target = f"{evil.url}/request/crime_outcomes_0/response/7000/attach/2/outcomes.pdf"
        site.faults.offsite = {"7000/attach/2/": target}
        summary = fetch_requests(
            ["crime_outcomes_0", "crime_outcomes_1"],
            out=tmp_path / "out",
            store=store,
            config=site_config(site.url, tmp_path),
        )
        assert evil.hits == []  # not a byte, not our contact address
    assert summary.downloaded == 3 and summary.failed == 1
    assert "another host" in summary.failures[0].reason
    row = next(r for r in store.attachment_rows("crime_outcomes_0") if r.part == 2)
    assert row.status == "failed" and row.sha256 is None


# --- 12: smaller ------------------------------------------------------------------------


def test_12_awaiting_description_is_not_a_state() -> None:
    with pytest.raises(BadQuery, match="unknown status"):
        SearchFilters(status="awaiting_description").to_query()


def test_12_bare_host_and_cy_urls_are_request_references(tmp_path) -> None:
    config = site_config("https://www.whatdotheyknow.com", tmp_path, cache_path=None)
    with AlaveteliClient(config) as client:
        for ref in (
            "https://whatdotheyknow.com/request/rape_reports",
            "https://www.whatdotheyknow.com/cy/request/rape_reports",
            "whatdotheyknow.com/request/rape_reports#incoming-5",
        ):
            assert client.resolve(ref) == "rape_reports"
        with pytest.raises(BadReference):
            client.resolve("https://evil.example/request/rape_reports")


def test_12_a_json_of_unexpected_shape_is_one_line_per_request(tmp_path, store) -> None:
    built = build_site(tmp_path / "site", requests=3, hostile=False)
    faults = Faults(
        replace_json={
            "/request/crime_outcomes_0.json": "just a string",
            "/request/crime_outcomes_1.json": {"url_title": "x", "info_request_events": ["a"]},
        }
    )
    with FakeAlaveteli(built.root, faults=faults) as site:
        summary = fetch_requests(
            ["crime_outcomes_0", "crime_outcomes_1", "crime_outcomes_2"],
            out=tmp_path / "out",
            store=store,
            config=site_config(site.url, tmp_path),
        )
    assert summary.downloaded == 2 and summary.failed == 2
    assert all("unexpected shape" in f.reason for f in summary.failures)
    assert all("\n" not in f.reason for f in summary.failures)
