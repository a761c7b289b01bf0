"""Identity across hosts and ports: attachments by URL path, request ids offline."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from extractor.store import SCHEMA, Store
from extractor.testing.fakesite import FakeAlaveteli
from extractor.wdtk import SearchFilters, fetch_requests, harvest
from tests.wdtk_sites import build_site, site_config

ATTACH = "/request/r/response/7/attach/{}/a.pdf"


def harvest_from(site: FakeAlaveteli, tmp_path: Path, store: Store):
    return harvest(
        None,
        filters=SearchFilters(body_tag="police"),
        out=tmp_path / "out",
        store=store,
        config=site_config(site.url, tmp_path),
    )


def test_the_same_site_on_another_port_adds_no_rows_and_fetches_nothing(tmp_path, store):
    built = build_site(tmp_path / "site")
    # both servers up at once, so the two ports surely differ (as two `foi demo` runs)
    with FakeAlaveteli(built.root) as first, FakeAlaveteli(built.root) as second:
        assert harvest_from(first, tmp_path, store).downloaded == 12
        store.db.execute("update attachments set fetched_at = '2020-01-01T00:00:00+00:00'")
        store.db.conn.commit()
        again = harvest_from(second, tmp_path, store)
    assert (again.downloaded, again.present, again.failed) == (0, 12, 0)
    assert [h for h in second.hits if "/attach/" in h.path] == []
    rows = list(store.db["attachments"].rows)
    assert len(rows) == 12
    assert all(row["url"].startswith(second.url + "/request/") for row in rows)
    assert {row["fetched_at"] for row in rows} == {"2020-01-01T00:00:00+00:00"}  # kept
    assert {row["sha256"] for row in rows} == {
        sha for key, sha in built.expected.items() if key[0] != "council_request"
    }


def old_store(path: Path) -> None:
    """A store as made before the compound key: attachments keyed by their full URL."""
    db = sqlite_utils.Database(path)
    db["attachments"].create(SCHEMA["attachments"]["columns"], pk="url")
    db["attachments"].create_index(["url_title"])
    for port, part, status, fetched in [
        (8001, 2, "complete", "2024-01-01"),
        (8003, 2, "complete", "2024-03-01"),
        (8002, 2, "failed", "2024-02-01"),
        (8001, 3, "failed", "2024-01-01"),
    ]:
        db["attachments"].insert(
            {
                "url": f"http://127.0.0.1:{port}" + ATTACH.format(part),
                "url_title": "r",
                "incoming_message_id": 7,
                "part": part,
                "status": status,
                "fetched_at": fetched,
                "sha256": f"{port}-{part}" if status == "complete" else None,
            }
        )
    db.close()


def test_an_old_store_is_rekeyed_keeping_the_latest_complete_row(tmp_path) -> None:
    old_store(tmp_path / "old.db")
    with Store(tmp_path / "old.db") as store:
        assert store.db["attachments"].pks == ["url_path"]
        assert store.count("attachments") == 2
        assert store.get("attachments", ATTACH.format(2))["sha256"] == "8003-2"
        assert store.get("attachments", ATTACH.format(3))["status"] == "failed"
        indexed = {tuple(index.columns) for index in store.db["attachments"].indexes}
        assert {("url_title",), ("sha256",)} <= indexed
        assert store.db.table_names().count("attachments_by_url") == 0
    with Store(tmp_path / "old.db") as reopened:  # a second open changes nothing
        assert reopened.get("attachments", ATTACH.format(2))["url"].startswith(
            "http://127.0.0.1:8003"
        )
        assert reopened.count("attachments") == 2


def test_rows_are_keyed_by_the_url_path(store) -> None:
    assert store.db["attachments"].pks == ["url_path"]
    for host in ("http://127.0.0.1:8001", "https://www.whatdotheyknow.com"):
        store.upsert("attachments", {"url": host + ATTACH.format(2), "url_title": "r"})
    row = store.get("attachments", ATTACH.format(2))
    assert store.count("attachments") == 1 and row["url"].startswith("https://www.")


def test_offline_fetch_by_numeric_id_uses_the_store(tmp_path, store) -> None:
    built = build_site(tmp_path / "site", requests=2, hostile=False)
    with FakeAlaveteli(built.root) as site:

        def fetch(*refs: str, **changes: object):
            return fetch_requests(
                list(refs),
                out=tmp_path / "out",
                store=store,
                config=site_config(site.url, tmp_path, **changes),
            )

        assert fetch("1000").downloaded == 2
        online = len(site.hits)
        again = fetch("1000", offline=True)
        unknown = fetch("1001", offline=True)
    assert (again.requests_seen, again.present, again.failed) == (1, 2, 0)
    assert unknown.failed == 1 and unknown.failures[0].item == "1001"
    assert "not in the store (working `offline`)" in unknown.failures[0].reason
    assert len(site.hits) == online  # offline never reached the site
