"""Pages and JSON are read whole, so their size is capped: a clear error, nothing cached."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from extractor.testing.fakesite import FakeAlaveteli, Faults, write_body
from extractor.wdtk import AlaveteliClient, fetch_requests
from extractor.wdtk.errors import TooLarge
from tests.wdtk_sites import build_site, site_config

JSON_PATH = "/request/crime_outcomes_0.json"
BIG_PAGE = "/request/long_thread"


@pytest.fixture(
    params=[
        Faults(),
        Faults(chunked_pages=True),
        Faults(gzip_pages=True),
    ],
    ids=["sized", "chunked", "gzip"],
)
def fake(request, tmp_path: Path):
    built = build_site(tmp_path / "site", requests=1, hostile=False)
    police = write_body(built.root, "synthetic_constabulary", "Synthetic Constabulary", ["police"])
    built.add("long_thread", 1500, police, [f"annex_{n}.pdf" for n in range(40)])
    with FakeAlaveteli(built.root, faults=request.param) as site:
        yield site


def hits_of(site: FakeAlaveteli, path: str) -> int:
    return sum(1 for hit in site.hits if hit.path == path)


def size_of(site: FakeAlaveteli, path: str) -> int:
    """A page's size as served (asked directly, outside any cache)."""
    return len(httpx.get(site.url + path).content)


def test_a_page_over_the_cap_is_refused_naming_the_url(fake, tmp_path) -> None:
    size = size_of(fake, JSON_PATH)
    small = site_config(fake.url, tmp_path, max_page_bytes=size - 1)
    with AlaveteliClient(small) as client, pytest.raises(TooLarge) as caught:
        client.request("crime_outcomes_0")
    assert str(caught.value) == f"{fake.url}{JSON_PATH}: a page over {size - 1} bytes (not read)"
    with AlaveteliClient(site_config(fake.url, tmp_path, max_page_bytes=size)) as client:
        assert client.request("crime_outcomes_0").id == 1000
        assert client.request("crime_outcomes_0").id == 1000  # now cached
    assert hits_of(fake, JSON_PATH) == 3  # measure, refuse, read: the refused page was not cached


def test_a_fetch_reports_an_oversized_page_and_carries_on(fake, tmp_path, store) -> None:
    cap = size_of(fake, BIG_PAGE) - 1
    assert size_of(fake, "/request/crime_outcomes_0") < cap
    summary = fetch_requests(
        ["long_thread", "crime_outcomes_0"],
        out=tmp_path / "out",
        store=store,
        config=site_config(fake.url, tmp_path, max_page_bytes=cap),
    )
    assert summary.downloaded == 2 and summary.failed == 1
    [failure] = summary.failures
    assert failure.item == "long_thread"
    assert failure.reason == f"{fake.url}{BIG_PAGE}: a page over {cap} bytes (not read)"
