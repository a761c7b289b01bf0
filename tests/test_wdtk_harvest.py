"""Harvesting from a real local fake Alaveteli server: right bytes, right place, once."""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import pytest

from extractor.testing.fakesite import FEED_ALLOWED_ROBOTS_TXT, FakeAlaveteli, Faults
from extractor.wdtk import SearchFilters, fetch_requests, harvest
from tests.wdtk_sites import build_site, site_config

POLICE = SearchFilters(body_tag="police")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def row_by_url(store, url: str) -> dict:
    [row] = store.db["attachments"].rows_where("url = ?", [url])
    return row


def attachment_hits(site: FakeAlaveteli) -> list[str]:
    return [hit.path for hit in site.hits if "/attach/" in hit.path]


@pytest.fixture
def fake(tmp_path: Path):
    built = build_site(tmp_path / "site")
    with FakeAlaveteli(built.root) as site:
        site.expected = built.expected  # type: ignore[attr-defined]
        yield site


def run(fake: FakeAlaveteli, tmp_path: Path, store, out: Path | None = None, **config):
    return harvest(
        None,
        filters=SearchFilters(body_tag="police"),
        out=out or tmp_path / "jail" / "out",
        store=store,
        config=site_config(fake.url, tmp_path, **config),
    )


def test_every_attachment_arrives_intact_and_inside_out(fake, tmp_path, store) -> None:
    summary = run(fake, tmp_path, store)
    police = {k: v for k, v in fake.expected.items() if k[0] != "council_request"}
    assert summary.ok, summary.failures
    assert summary.downloaded == len(police) and summary.requests_seen == 4
    rows = list(store.db["attachments"].rows)
    got = {(r["url_title"], r["incoming_message_id"], r["part"]): r["sha256"] for r in rows}
    assert got == police
    for row in rows:
        assert sha256(Path(row["path"])) == row["sha256"]
    jail = tmp_path / "jail"
    assert [p.name for p in jail.iterdir()] == ["out"]  # nothing escaped --out
    files = [p for p in (jail / "out").rglob("*") if p.is_file()]
    assert len(files) == len(police)  # both "same.csv" survive
    assert not [p for p in files if p.name.endswith(".part")]


def test_store_records_requests_messages_attachments_and_documents(fake, tmp_path, store):
    run(fake, tmp_path, store)
    request = store.get("requests", "hostile_names")
    assert request["authority"] == "synthetic_constabulary" and request["id"] == 998
    assert request["url"] == f"{fake.url}/request/hostile_names"
    message = store.get("messages", 998 * 7)
    assert message["url_title"] == "hostile_names"
    row = next(r for r in store.db["attachments"].rows if r["filename"] == "../../x.pdf")
    assert row["media_type"] == "application/pdf" and row["status"] == "complete"
    assert row["size"] == Path(row["path"]).stat().st_size
    document = store.get("documents", row["sha256"])
    assert document["source_url"] == row["url"] and document["path"] == row["path"]


def test_existing_documents_rows_are_not_overwritten(fake, tmp_path, store) -> None:
    known = fake.expected[("crime_outcomes_0", 1000 * 7, 2)]
    store.db["documents"].insert({"sha256": known, "name": "extracted.pdf", "pages": 3})
    run(fake, tmp_path, store)
    assert store.get("documents", known)["pages"] == 3
    assert store.get("documents", known)["name"] == "extracted.pdf"


def test_second_run_makes_no_request_at_all(fake, tmp_path, store) -> None:
    run(fake, tmp_path, store)
    first = len(fake.hits)
    again = run(fake, tmp_path, store)
    assert again.downloaded == 0 and again.present == 12 and again.ok
    assert fake.hits[first:] == []  # attachments are known; pages come from the cache


def test_a_damaged_file_is_fetched_again_and_only_it(fake, tmp_path, store) -> None:
    run(fake, tmp_path, store)
    row = next(iter(store.db["attachments"].rows))
    damaged = Path(row["path"])
    damaged.write_bytes(b"x" * damaged.stat().st_size)
    first = len(fake.hits)
    again = run(fake, tmp_path, store)
    assert again.downloaded == 1 and sha256(damaged) == row["sha256"]
    assert len(attachment_hits(fake)[first - len(fake.hits) :]) <= 1
    assert [h.path.split("?")[0] for h in fake.hits[first:]] == [row["url"].split(fake.url)[1]]


def test_a_file_renamed_before_the_store_was_written_is_kept(fake, tmp_path, store) -> None:
    run(fake, tmp_path, store)
    store.db.execute("delete from attachments")
    store.db.conn.commit()
    first = len(fake.hits)
    again = run(fake, tmp_path, store)
    assert again.present == 12 and again.downloaded == 0 and fake.hits[first:] == []
    assert store.count("attachments") == 12


def test_dry_run_lists_and_downloads_nothing(fake, tmp_path, store) -> None:
    summary = harvest(
        None,
        filters=POLICE,
        out=tmp_path / "out",
        store=store,
        dry_run=True,
        config=site_config(fake.url, tmp_path),
    )
    assert len(summary.planned) == 12 and summary.downloaded == 0
    assert all(item.display_size for item in summary.planned)
    assert attachment_hits(fake) == [] and not (tmp_path / "out").exists()
    assert store.count("attachments") == 0


def test_fetch_by_id_url_and_url_title(fake, tmp_path, store) -> None:
    refs = ["1000", f"{fake.url}/request/crime_outcomes_1#incoming-7007", "council_request"]
    summary = fetch_requests(
        [*refs, "no/such/thing"],
        out=tmp_path / "out",
        store=store,
        config=site_config(fake.url, tmp_path),
    )
    assert summary.requests_seen == 3 and summary.downloaded == 5
    assert summary.failed == 1 and summary.failures[0].item == "no/such/thing"


def test_missing_request_is_reported_and_the_batch_carries_on(fake, tmp_path, store) -> None:
    summary = fetch_requests(
        ["crime_outcomes_0", "does_not_exist"],
        out=tmp_path / "out",
        store=store,
        config=site_config(fake.url, tmp_path),
    )
    assert summary.downloaded == 2 and summary.failed == 1
    assert "404" in summary.failures[0].reason


def test_offline_replays_pages_from_the_cache(fake, tmp_path, store) -> None:
    run(fake, tmp_path, store)
    first = len(fake.hits)
    again = run(fake, tmp_path, store, offline=True)
    assert again.ok and again.present == 12
    elsewhere = run(fake, tmp_path, store, out=tmp_path / "other", offline=True)
    assert elsewhere.failed == 12 and "`offline`" in elsewhere.failures[0].reason
    assert fake.hits[first:] == []


# faults ---------------------------------------------------------------------


def test_retry_after_is_honoured_on_429_and_503(fake, tmp_path, store) -> None:
    fake.faults.statuses = {
        "/request/crime_outcomes_0.json": [(429, "1")],
        "crime_outcomes_1/response/7007/attach/2/": [(503, "1")],
    }
    summary = run(fake, tmp_path, store)
    assert summary.ok and summary.downloaded == 12
    for key in fake.faults.statuses:
        tries = [h for h in fake.hits if key in h.path]
        assert [h.status for h in tries] in ([429, 200], [503, 200])
        assert tries[1].time - tries[0].time >= 0.95  # waited as told, not the 0.02 s back-off


def test_server_errors_are_retried_then_reported(fake, tmp_path, store) -> None:
    fake.faults.statuses = {"crime_outcomes_2/response/7014/attach/3/": [(500, None)] * 10}
    summary = run(fake, tmp_path, store)
    assert summary.failed == 1 and summary.downloaded == 11
    assert "HTTP 500" in summary.failures[0].reason
    tries = [h for h in fake.hits if "7014/attach/3/" in h.path]
    assert len(tries) == 4  # max_tries, then give up
    row = row_by_url(store, summary.failures[0].item)
    assert row["status"] == "failed" and row["sha256"] is None


def big_site(tmp_path: Path):
    return build_site(tmp_path / "site", requests=1, hostile=False, sizes=[600_000, 3000])


def test_dropped_connection_is_resumed_with_range(tmp_path, store) -> None:
    built = big_site(tmp_path)
    faults = Faults(drop_after={"7000/attach/2/": 250_000})
    with FakeAlaveteli(built.root, faults=faults) as fake:
        summary = run(fake, tmp_path, store)
    assert summary.ok and summary.downloaded == 2
    tries = [h for h in fake.hits if "7000/attach/2/" in h.path]
    assert [h.status for h in tries] == [200, 206] and tries[0].range is None
    resumed_at = int(tries[1].range.removeprefix("bytes=").removesuffix("-"))
    assert 0 < resumed_at <= 250_000  # what had arrived before the drop
    row = row_by_url(store, fake.url + tries[0].path.split("?")[0])
    assert row["sha256"] == built.expected[("crime_outcomes_0", 7000, 2)]


def test_a_server_without_range_restarts_the_download(tmp_path, store) -> None:
    built = big_site(tmp_path)
    faults = Faults(drop_after={"7000/attach/2/": 250_000}, no_range=True)
    with FakeAlaveteli(built.root, faults=faults) as fake:
        summary = run(fake, tmp_path, store)
    assert summary.ok
    tries = [h for h in fake.hits if "7000/attach/2/" in h.path]
    assert [h.status for h in tries] == [200, 200]
    got = {r["sha256"] for r in store.db["attachments"].rows}
    assert got == {v for k, v in built.expected.items() if k[0] != "council_request"}


def test_masking_wait_is_followed_and_its_page_never_stored(fake, tmp_path, store) -> None:
    # attachments_controller.rb#ensure_masked -> attachment_masks#wait (meta refresh) -> done
    fake.faults.masking = {"7000/attach/2/": 2}
    summary = run(fake, tmp_path, store, mask_refresh=0.05)
    assert summary.ok and summary.downloaded == 12
    paths = [h.path.split("?")[0] for h in fake.hits]
    first = paths.index("/request/crime_outcomes_0/response/7000/attach/2/outcomes.pdf")
    mine = [p for p in paths[first:] if "7000/attach/2/" in p or p.startswith("/attachments/")]
    # two wait pages shown, the third visit redirected to done, then the file
    assert [p.rsplit("/", 1)[-1] for p in mine] == [
        "outcomes.pdf",
        "wait",
        "wait",
        "wait",
        "done",
        "outcomes.pdf",
    ]
    for row in store.db["attachments"].rows:
        assert row["media_type"] != "text/html"
        assert sha256(Path(row["path"])) == row["sha256"]


def test_an_attachment_still_being_prepared_is_its_own_failure(fake, tmp_path, store) -> None:
    fake.faults.masking = {"7000/attach/2/": 1000}
    summary = run(fake, tmp_path, store, mask_refresh=0.05, mask_wait=0.5)
    assert summary.downloaded == 11 and summary.failed == 1
    assert "still being prepared" in summary.failures[0].reason
    waits = [h for h in fake.hits if h.path.startswith("/attachments/")]
    assert 3 <= len(waits) <= 12  # polled at the page's pace, for a bounded time


def test_html_served_as_text_html_for_a_pdf_name_is_not_the_file(fake, tmp_path, store):
    from extractor.testing import fakesite

    original = fakesite.filename_to_mimetype
    fakesite.filename_to_mimetype = lambda name: (  # type: ignore[assignment]
        "text/html" if name == "outcomes.pdf" else original(name)
    )
    try:
        summary = run(fake, tmp_path, store)
    finally:
        fakesite.filename_to_mimetype = original  # type: ignore[assignment]
    assert summary.failed == 3 and all("text/html" in f.reason for f in summary.failures)


@pytest.mark.parametrize("rate", [20, 7.5])
def test_never_more_than_the_rate_in_any_second(tmp_path, store, rate) -> None:
    built = build_site(tmp_path / "site", requests=12, hostile=False)
    faults = Faults(statuses={"/attach/3/": [(503, None)] * 3}, masking={"/attach/2/": 3})
    with FakeAlaveteli(built.root, faults=faults) as fake:
        summary = run(fake, tmp_path, store, rate=rate, concurrency=4)
    assert summary.ok
    times = sorted(hit.time for hit in fake.hits)
    assert len(times) > 2 * rate  # long enough for the windows to mean something
    busiest = max(sum(1 for t in times[i:] if t < start + 1.0) for i, start in enumerate(times))
    assert busiest <= math.ceil(rate)  # 7.5 a second: 7 or 8 in any one second


@pytest.mark.parametrize("via", ["feed", "list"])
def test_a_failing_search_page_keeps_what_was_found(tmp_path, store, via) -> None:
    built = build_site(tmp_path / "site", requests=30, hostile=False)
    with FakeAlaveteli(built.root, robots_txt=FEED_ALLOWED_ROBOTS_TXT) as fake:
        fake.faults.statuses = {"page=2": [(404, None)]}
        summary = harvest(
            None,
            filters=SearchFilters(body_tag="police"),
            out=tmp_path / "out",
            store=store,
            config=site_config(fake.url, tmp_path),
            via=via,
        )
    assert summary.requests_seen == 25 and summary.downloaded == 50
    assert summary.failed == 1 and summary.failures[0].item == "search"


def test_a_partial_longer_than_the_file_starts_again(fake, tmp_path, store) -> None:
    out = tmp_path / "jail" / "out"
    stale = out / "synthetic_constabulary" / "crime_outcomes_0" / ".7000-2-outcomes.pdf.part"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"x" * 5000)  # the file is 2000 bytes: the server answers 416
    summary = run(fake, tmp_path, store)
    assert summary.ok and not stale.exists()
    tries = [h.status for h in fake.hits if "7000/attach/2/" in h.path]
    assert tries == [416, 200]
    assert (
        sha256(stale.with_name("7000-2-outcomes.pdf"))
        == fake.expected[("crime_outcomes_0", 7000, 2)]
    )


def test_files_over_the_size_limit_are_refused(fake, tmp_path, store) -> None:
    summary = run(fake, tmp_path, store, max_attachment_bytes=1000)
    assert summary.failed == 12 and summary.downloaded == 0
    assert "over 1000 bytes" in summary.failures[0].reason
    assert not [p for p in (tmp_path / "jail" / "out").rglob("*") if p.is_file()]


def test_a_partial_of_an_older_version_is_not_spliced_onto_the_new_one(tmp_path, store) -> None:
    built = big_site(tmp_path)
    faults = Faults(drop_after={"7000/attach/2/": 250_000})
    with FakeAlaveteli(built.root, faults=faults) as fake:
        first = run(fake, tmp_path, store, max_tries=1)  # the drop is final: a .part stays
        assert first.failed == 1 and list((tmp_path / "jail").rglob(".*.part"))
        served = next((built.root / "requests").rglob("outcomes.pdf"))
        new_version = b"%PDF-1.4\n% synthetic, version 2\n" + bytes(600_000)
        served.write_bytes(new_version)
        second = run(fake, tmp_path, store)
    assert second.ok
    tries = [h for h in fake.hits if "7000/attach/2/" in h.path]
    assert tries[-1].range and tries[-1].status == 200  # If-Range said: start again
    row = row_by_url(store, fake.url + tries[-1].path.split("?")[0])
    assert row["sha256"] == hashlib.sha256(new_version).hexdigest()
    assert not list((tmp_path / "jail").rglob(".*"))  # no .part or .validator left


def test_a_stalled_answer_times_out_and_is_retried(fake, tmp_path, store) -> None:
    fake.faults.stall = {"/request/crime_outcomes_0.json": 1.5}
    summary = run(fake, tmp_path, store, timeout=0.5)
    assert summary.ok and summary.downloaded == 12
    assert len([h for h in fake.hits if h.path == "/request/crime_outcomes_0.json"]) == 2
