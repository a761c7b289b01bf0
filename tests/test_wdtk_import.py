"""foi import: a request saved in a browser is recorded exactly as a harvest records it."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.store import Store
from extractor.testing.fakesite import FakeAlaveteli
from extractor.wdtk import fetch_requests
from extractor.wdtk.importer import import_saved
from tests.wdtk_sites import build_mixed_site, site_config

runner = CliRunner()


def save_like_a_browser(site: FakeAlaveteli, url_title: str, folder: Path, json_too: bool) -> None:
    """What a person does: save the page, maybe its JSON, and download each attachment."""
    folder.mkdir(parents=True)
    page = httpx.get(f"{site.url}/request/{url_title}").text
    saved = f"<!-- saved from url=(0050){site.url}/request/{url_title} -->\n{page}"
    (folder / f"{url_title}.html").write_text(saved, "utf-8")
    if json_too:
        data = httpx.get(f"{site.url}/request/{url_title}.json").text
        (folder / f"{url_title}.json").write_text(data, "utf-8")
    request = site.data.requests[url_title]
    for attachment in request.attachments:
        if attachment.prominence == "normal":
            shutil.copyfile(attachment.path, folder / attachment.display_filename)


def rows(store: Store, url_title: str) -> dict:
    attachments = sorted(
        (r.url.split("/request/")[1], r.status, r.sha256, r.filename, Path(r.path or "").name)
        for r in store.attachment_rows(url_title)
    )
    texts = sorted((t.kind, t.message_id, t.text) for t in store.correspondence_of(url_title))
    events = [(e.id, e.event_type, e.described_state) for e in store.events_of(url_title)]
    request = store.request_row(url_title)
    assert request is not None
    summary = (request.id, request.title, request.authority, request.law_used, request.tags)
    return {"attachments": attachments, "texts": texts, "events": events, "request": summary}


@pytest.fixture
def mixed(tmp_path: Path):
    with FakeAlaveteli(build_mixed_site(tmp_path / "site").root) as site:
        yield site


@pytest.mark.parametrize("url_title", ["new_style", "old_style"])
def test_import_records_what_a_harvest_records(mixed, tmp_path, url_title) -> None:
    with Store(tmp_path / "harvested.db") as store:
        fetch_requests(
            [url_title], out=tmp_path / "h", store=store, config=site_config(mixed.url, tmp_path)
        )
        harvested = rows(store, url_title)
    save_like_a_browser(mixed, url_title, tmp_path / "saved", json_too=True)
    with Store(tmp_path / "imported.db") as store:
        summary = import_saved(tmp_path / "saved", out=tmp_path / "i", store=store)
        imported = rows(store, url_title)
        assert store.request_row(url_title).source == "import"  # type: ignore[union-attr]
    assert summary.ok and summary.downloaded == 3 and summary.withheld == 2
    assert imported == harvested
    for path in (tmp_path / "i").rglob("*"):
        if path.is_file():
            twin = tmp_path / "h" / path.relative_to(tmp_path / "i")
            assert (
                hashlib.sha256(path.read_bytes()).digest()
                == hashlib.sha256(twin.read_bytes()).digest()
            )


def test_import_without_the_json_still_records_page_texts_and_files(mixed, tmp_path, store):
    save_like_a_browser(mixed, "new_style", tmp_path / "saved", json_too=False)
    result = runner.invoke(
        app,
        [
            "import",
            str(tmp_path / "saved" / "new_style.html"),
            "--out",
            str(tmp_path / "o"),
            "--db",
            str(tmp_path / "foi.db"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "1 request imported: 3 attachments recorded, 0 missing" in result.stdout
    with Store(tmp_path / "foi.db") as opened:
        assert len(opened.correspondence_of("new_style")) == 3
        done = [r for r in opened.attachment_rows("new_style") if r.status == "complete"]
        assert len(done) == 3 and all(Path(r.path or "").is_file() for r in done)


def test_a_missing_attachment_is_recorded_and_exits_1(mixed, tmp_path) -> None:
    save_like_a_browser(mixed, "new_style", tmp_path / "saved", json_too=True)
    (tmp_path / "saved" / "table.xls").unlink()
    result = runner.invoke(
        app,
        [
            "import",
            str(tmp_path / "saved"),
            "--out",
            str(tmp_path / "o"),
            "--db",
            str(tmp_path / "foi.db"),
        ],
    )
    assert result.exit_code == 1
    assert "missing:" in result.stderr and "table.xls" in result.stderr


def test_a_folder_of_attachments_plus_the_url(tmp_path) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "14007-2-outcomes.pdf").write_bytes(b"%PDF-1.4 synthetic")
    (folder / "figures.csv").write_bytes(b"a,b\n1,2\n")
    result = runner.invoke(
        app,
        [
            "import",
            str(folder),
            "--url",
            "https://www.whatdotheyknow.com/cy/request/some_request",
            "--out",
            str(tmp_path / "o"),
            "--db",
            str(tmp_path / "foi.db"),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["downloaded"] == 2
    with Store(tmp_path / "foi.db") as store:
        got = {
            r.url.rsplit("/request/", 1)[1]: r.part for r in store.attachment_rows("some_request")
        }
    assert got == {
        "some_request/response/14007/attach/2/outcomes.pdf": 2,
        "some_request/imported/figures.csv": None,
    }


def test_a_folder_without_a_page_needs_the_url(tmp_path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "x.pdf").write_bytes(b"%PDF-1.4")
    result = runner.invoke(app, ["import", str(tmp_path / "d"), "--db", str(tmp_path / "f.db")])
    assert result.exit_code == 2 and "--url" in result.stderr
