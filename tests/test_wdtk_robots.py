"""robots.txt: the fake serves Alaveteli's (which WhatDoTheyKnow serves), and the client
honours it before every request, so the default route is /list, not the search feed."""

from __future__ import annotations

import urllib.robotparser
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest
from protego import Protego

from extractor.testing.fakesite import ALAVETELI_ROBOTS_TXT, FakeAlaveteli, Faults
from extractor.wdtk import SearchFilters, fetch_requests, harvest, search
from extractor.wdtk.errors import Disallowed
from tests.wdtk_sites import build_mixed_site, build_site, site_config

AGENT = "foi-extractor"
ALLOWED = [
    "/list?query=police&request_date_after=01/01/2022&page=1",
    "/request/new_style",
    "/request/new_style.json",
    "/request/new_style/response/14007/attach/2/outcomes.pdf",
    "/request/2000/response/14000/attach/2/table.xls",  # the numeric-id form
    "/body/all-authorities.csv",
    "/attachments/abc123/wait?referer=/request/x",
]
DISALLOWED = [
    "/feed/search/rape.json?page=1",
    "/cy/feed/search/rape.json",
    "/search/rape/newest/requests",
    "/request/new_style/response/14007",
    "/request/new_style/track",
]


@pytest.fixture
def mixed(tmp_path: Path):
    built = build_mixed_site(tmp_path / "site")
    with FakeAlaveteli(built.root) as site:
        yield site


def test_the_fake_serves_alaveteli_robots_txt_and_its_rules_say_what_the_docs_say(
    mixed,
) -> None:
    served = httpx.get(f"{mixed.url}/robots.txt")
    assert served.status_code == 200 and served.text == ALAVETELI_ROBOTS_TXT
    rules = Protego.parse(served.text)
    assert [p for p in ALLOWED if not rules.can_fetch(f"{mixed.url}{p}", AGENT)] == []
    assert [p for p in DISALLOWED if rules.can_fetch(f"{mixed.url}{p}", AGENT)] == []


def test_the_standard_library_parser_would_miss_the_wildcards() -> None:
    """Why Protego: urllib.robotparser reads ``*/feed/*`` as a literal prefix."""
    stdlib = urllib.robotparser.RobotFileParser()
    stdlib.parse(ALAVETELI_ROBOTS_TXT.splitlines())
    assert stdlib.can_fetch(AGENT, "https://www.whatdotheyknow.com/feed/search/rape.json")


def test_the_feed_is_refused_before_any_search_request(mixed, tmp_path) -> None:
    with pytest.raises(Disallowed, match="robots.txt disallows its search feed"):
        search(SearchFilters(text="rape"), config=site_config(mixed.url, tmp_path), via="feed")
    assert [h.path for h in mixed.hits] == ["/robots.txt"]


def test_a_default_harvest_asks_only_for_what_robots_txt_allows(mixed, tmp_path, store) -> None:
    """Search (by default /list), request JSON and pages, attachments in both link forms
    and the masking wait: every request the client made is allowed by the real rules."""
    mixed.faults.masking = {"2000/response/14000/attach/2/": 1}
    summary = harvest(
        None,
        filters=SearchFilters(body_tag="police", text="rape"),
        out=tmp_path / "out",
        store=store,
        config=site_config(mixed.url, tmp_path, mask_refresh=0.05),
    )
    assert summary.ok and summary.requests_seen == 2 and summary.downloaded == 6
    assert summary.enumeration is not None and summary.enumeration.method == "list"
    rules = Protego.parse(ALAVETELI_ROBOTS_TXT)
    asked = [unquote(h.path) for h in mixed.hits]
    assert asked[0] == "/robots.txt" and asked.count("/robots.txt") == 1  # read once
    assert any("/attachments/" in p for p in asked)  # the masking wait was followed
    assert [p for p in asked if not rules.can_fetch(f"{mixed.url}{p}", AGENT)] == []


def test_a_redirect_into_a_disallowed_path_is_not_followed(tmp_path, store) -> None:
    built = build_site(tmp_path / "site", requests=1, hostile=False)
    with FakeAlaveteli(built.root) as site:
        site.faults.offsite = {"7000/attach/2/": f"{site.url}/request/crime_outcomes_0/track"}
        summary = fetch_requests(
            ["crime_outcomes_0"],
            out=tmp_path / "out",
            store=store,
            config=site_config(site.url, tmp_path),
        )
        asked = [h.path for h in site.hits]
    assert summary.failed == 1 and "disallowed by the site's robots.txt" in (
        summary.failures[0].reason
    )
    assert "/request/crime_outcomes_0/track" not in asked


def test_no_robots_txt_means_no_rules(tmp_path) -> None:
    built = build_site(tmp_path / "site", requests=3, hostile=False)
    with FakeAlaveteli(built.root, robots_txt=None) as site:
        found = search(
            SearchFilters(body_tag="police"), config=site_config(site.url, tmp_path), via="feed"
        )
    assert found.complete and len(found.hits) == 3


def test_a_robots_txt_that_answers_5xx_stops_everything(tmp_path, store) -> None:
    """RFC 9309 2.3.1.4: an unreachable robots.txt means assume nothing is allowed."""
    built = build_site(tmp_path / "site", requests=1, hostile=False)
    faults = Faults(statuses={"/robots.txt": [(503, None)] * 9})
    with FakeAlaveteli(built.root, faults=faults) as site:
        summary = fetch_requests(
            ["crime_outcomes_0"],
            out=tmp_path / "out",
            store=store,
            config=site_config(site.url, tmp_path, max_tries=2),
        )
        asked = {h.path for h in site.hits}
    assert summary.failed == 1 and "RFC 9309" in summary.failures[0].reason
    assert asked == {"/robots.txt"}
