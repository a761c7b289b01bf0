"""The Alaveteli client: request JSON, page parsing, search feed paging, refs, cache."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from extractor import __version__
from extractor.errors import UsageError
from extractor.testing.fakesite import (
    FEED_ALLOWED_ROBOTS_TXT,
    FakeAlaveteli,
    QueryParser,
    SiteData,
)
from extractor.wdtk import AlaveteliClient, SearchFilters, search
from extractor.wdtk.client import parse_attachments
from extractor.wdtk.errors import BadQuery, BadReference, NotFound, OfflineMiss, SearchCutOff
from extractor.wdtk.transport import retry_after_seconds
from tests.wdtk_sites import build_site, site_config


@pytest.fixture
def fake(tmp_path: Path):
    # an Alaveteli site whose robots.txt lets programs read its search feed (WhatDoTheyKnow's
    # does not: see test_wdtk_robots.py)
    site_root = build_site(tmp_path / "site", requests=30).root
    with FakeAlaveteli(site_root, robots_txt=FEED_ALLOWED_ROBOTS_TXT) as site:
        yield site


@pytest.fixture
def client(fake, tmp_path):
    with AlaveteliClient(site_config(fake.url, tmp_path)) as opened:
        yield opened


def test_request_metadata_and_messages(client, fake) -> None:
    info = client.request("crime_outcomes_3")
    assert (info.id, info.authority, info.status) == (1003, "synthetic_constabulary", "successful")
    assert [m.id for m in info.messages] == [1003 * 7]
    assert info.url == f"{fake.url}/request/crime_outcomes_3"


def test_attachments_are_read_from_the_request_page(client, fake) -> None:
    links = client.attachments("hostile_names")
    assert [(a.incoming_message_id, a.part) for a in links] == [(6986, p) for p in range(2, 8)]
    assert [a.filename for a in links][:3] == ["../../x.pdf", "..\\evil.xlsx", "CON.pdf"]
    path = "/request/hostile_names/response/6986/attach/2/..%2F..%2Fx.pdf"
    assert links[0].url == fake.url + path
    assert links[0].download_url.endswith("?cookie_passthrough=1")
    assert links[0].display_size == "2K"


def test_page_parsing_ignores_links_to_other_hosts_and_other_requests() -> None:
    page = """<div class="incoming" id="incoming-5"><ul>
      <li class="attachment"><a href="https://evil.example/request/r/response/5/attach/2/a.pdf">x</a>
        <p class="attachment__name">a.pdf</p></li>
      <li class="attachment"><a href="/request/other/response/5/attach/3/b.pdf">x</a></li>
      <li class="attachment"><a href="/request/r/response/5/attach/html/4/c.pdf.html">view</a>
        <a href="/request/r/response/5/attach/4/c.pdf?cookie_passthrough=1">get</a>
        <p class="attachment__name"> c.pdf </p><p class="attachment__meta">12K Download</p></li>
    </ul></div>"""
    links = parse_attachments(page, "r", "https://www.whatdotheyknow.com")
    assert [(a.part, a.filename, a.display_size) for a in links] == [(4, "c.pdf", "12K")]


def test_search_pages_through_the_feed_and_lists_each_request_once(client, fake) -> None:
    hits = list(client.search(SearchFilters(body_tag="police")))
    # 31 police requests, two events each: 62 events on three feed pages
    assert len(hits) == len({h.url_title for h in hits}) == 31
    assert [h.path.split("?")[1] for h in fake.content_hits] == ["page=1", "page=2", "page=3"]


def test_search_limit_stops_paging_early(client, fake) -> None:
    hits = list(client.search(SearchFilters(text="crime"), limit=5))
    assert len(hits) == 5 and len(fake.content_hits) == 1


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (SearchFilters(status="not_held"), {"council_request"}),
        (SearchFilters(body="synthetic_council"), {"council_request"}),
        (SearchFilters(filetype="xlsx"), {"hostile_names"}),
        # requests made in the window (crime_outcomes_27 was made on 28 January, answered
        # on 28 February): not requests with some event in it
        (SearchFilters(text="crime", since=date(2023, 1, 28)), {"crime_outcomes_27"}),
        (SearchFilters(text="crime", since=date(2023, 2, 1)), set()),
        (
            SearchFilters(text="crime", since=date(2023, 1, 27), until=date(2023, 1, 27)),
            {"crime_outcomes_26"},
        ),
        (SearchFilters(text="crime NOT latest_status:successful"), {"council_request"}),
        (
            SearchFilters(text="requested_from:synthetic_council OR filetype:xlsx"),
            {"council_request", "hostile_names"},
        ),
    ],
)
def test_filters_become_alaveteli_query_terms(client, filters, expected) -> None:
    assert {hit.url_title for hit in client.search(filters)} == expected


def test_query_text_uses_the_xapian_prefixes() -> None:
    filters = SearchFilters(
        "rape",
        body="x_police",
        body_tag="police",
        status="successful",
        since=date(2022, 1, 1),
        until=date(2022, 12, 31),
        filetype=".XLSX",
    )
    # the date range reaches to today: every event of a request made since 1/1/2022 is in
    # it; --until is applied to each request's creation date, which no event carries
    assert filters.to_query(today=date(2026, 12, 1)) == (
        "rape requested_from:x_police request_public_body_tag:police "
        "latest_status:successful filetype:xlsx 01/01/2022..01/12/2026"
    )


@pytest.mark.parametrize(
    "filters",
    [
        SearchFilters(),
        SearchFilters(status="great"),
        SearchFilters(body="a b"),
    ],
)
def test_bad_filters_are_usage_errors(filters) -> None:
    with pytest.raises(BadQuery) as caught:
        filters.to_query()
    assert isinstance(caught.value, UsageError)


def test_fake_query_language(tmp_path) -> None:
    site = SiteData(build_site(tmp_path / "s", requests=2).root)

    def titles(query: str) -> set[str]:
        match = QueryParser(query).parse()
        return {r.url_title for e, r in site.events if match(e, r, site)}

    assert titles("requested_from:synthetic_council OR filetype:xlsx") == {
        "council_request",
        "hostile_names",
    }
    assert titles("variety:response AND NOT (latest_status:successful)") == {"council_request"}
    assert titles('"request 1000"') == {"crime_outcomes_0"}
    assert titles("..31/01/2023 requested_from:synthetic_council") == {"council_request"}


def test_references_resolve_to_url_titles(client, fake) -> None:
    assert client.resolve("1004") == "crime_outcomes_4"
    url = f"{fake.url}/request/crime_outcomes_5/response/7035"
    assert client.resolve(url) == "crime_outcomes_5"
    assert client.resolve("crime_outcomes_6") == "crime_outcomes_6"
    for bad in ("https://elsewhere.example/request/x", "../etc", "/body/x", "a b"):
        with pytest.raises(BadReference):
            client.resolve(bad)
    with pytest.raises(NotFound):
        client.resolve("424242")


def test_user_agent_is_honest_and_carries_the_contact(client, fake) -> None:
    client.request("crime_outcomes_1")
    agent = fake.content_hits[0].user_agent
    assert agent.startswith(f"foi-extractor/{__version__} (+https://")
    assert agent.endswith("tests@example.org") and "Mozilla" not in agent


def test_pages_come_from_the_cache_and_offline_needs_it(fake, tmp_path) -> None:
    filters = SearchFilters(body="synthetic_council")
    first = search(filters, config=site_config(fake.url, tmp_path)).hits
    count = len(fake.content_hits)
    assert search(filters, config=site_config(fake.url, tmp_path)).hits == first
    assert search(filters, config=site_config(fake.url, tmp_path, offline=True)).hits == first
    assert len(fake.content_hits) == count
    with pytest.raises(OfflineMiss):
        search(SearchFilters(text="other"), config=site_config(fake.url, tmp_path, offline=True))


def test_bodies_and_authorities_csv(client) -> None:
    assert client.body("synthetic_council")["name"] == "Synthetic Council"
    table = client.get_page("/body/all-authorities.csv").text.splitlines()
    # lib/public_body_csv.rb#default_headers
    assert table[0].startswith("Internal ID,Name,Short name,URL name,Tags")
    assert len(table) == 3
    authorities = {a.url_name: a for a in client.authorities()}
    assert authorities["synthetic_constabulary"].tags == [("police", None)]


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("7", 7.0),
        (None, None),
        ("soon", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
    ],
)
def test_retry_after_header(header, seconds) -> None:
    assert retry_after_seconds(header) == seconds


def test_serve_yields_a_base_url_and_stops(tmp_path) -> None:
    import httpx

    from extractor.testing.fakesite import serve

    with serve(build_site(tmp_path / "s", requests=1).root) as url:
        assert url.startswith("http://127.0.0.1:")
        assert httpx.get(f"{url}/request/crime_outcomes_0.json").json()["id"] == 1000
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/request/crime_outcomes_0.json")


def test_a_feed_that_ignores_paging_is_reported_as_cut_off(client, fake) -> None:
    fake.faults.feed_ignores_page = True  # as Alaveteli before 0.39 did
    with pytest.raises(SearchCutOff, match="ignores"):
        list(client.search(SearchFilters(body_tag="police")))
    assert [h.path.split("?")[1] for h in fake.content_hits] == ["page=1", "page=2"]
    assert client.enumeration is not None and not client.enumeration.complete


def test_feed_stops_when_a_page_repeats_even_if_full(client, fake) -> None:
    fake.faults.feed_ignores_page = True
    list(client.search(SearchFilters(text="crime"), limit=3))
    assert len(fake.content_hits) == 1
