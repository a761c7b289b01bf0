"""Every console block of docs/harvest.md is run, and its output must be what the page shows.

The ``console`` blocks and the ``text`` blocks of SQL queries (``<!-- wdtk-docs: run -->``)
run in order in one empty folder, against a fake Alaveteli serving the
synthetic site of ``tests.wdtk_sites.build_mixed_site``; the page writes that site's
address as ``http://127.0.0.1:8000``. A block after ``<!-- fake-site: blocked -->`` talks
to a site that answers every request with a Cloudflare challenge. ``<!-- setup: save -->``
saves the request ``new_style`` as a browser would (page, JSON, attachments) into
``saved/``. Set ``WDTK_DOCS_UPDATE=1`` to rewrite the outputs from a run (then read the
diff: the page must still say what the outputs show).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.testing.fakesite import FakeAlaveteli, Faults
from tests.conftest import REPO
from tests.wdtk_sites import build_mixed_site

PAGE = REPO / "docs" / "harvest.md"
PLACEHOLDER = "http://127.0.0.1:8000"
BLOCK = re.compile(r"((?:<!-- [a-z-]+: [a-z]+ -->\n)*)```(?:console|text)\n(.*?)```", re.S)
# each block also carries tests/test_docs.py's `<!-- console: parse -->` (it parses the
# commands; this module runs them against the synthetic site)
ENV = {"NO_COLOR": "1", "COLUMNS": "100", "TERM": "dumb"}


def run_command(line: str, cwd: Path, url: str) -> str:
    words = shlex.split(line.replace(PLACEHOLDER, url))
    if words[0] == "foi":
        previous = Path.cwd()
        os.chdir(cwd)
        try:
            result = CliRunner().invoke(app, words[1:], env=ENV, terminal_width=100)
        finally:
            os.chdir(previous)
        text = result.output
    else:
        tool = Path(sys.executable).parent / words[0]
        done = subprocess.run(
            [str(tool), *words[1:]], cwd=cwd, capture_output=True, text=True, check=False
        )
        text = done.stdout + done.stderr
    return text.replace(url, PLACEHOLDER)


def save_like_a_browser(site: FakeAlaveteli, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    page = httpx.get(f"{site.url}/request/new_style").text
    (folder / "new_style.html").write_text(page, "utf-8")
    (folder / "new_style.json").write_text(httpx.get(f"{site.url}/request/new_style.json").text)
    for attachment in site.data.requests["new_style"].attachments:
        if attachment.prominence == "normal":
            shutil.copyfile(attachment.path, folder / attachment.display_filename)


def run_page(tmp_path: Path) -> tuple[str, str]:
    """(the page as written, the page with the outputs of this run)."""
    text = PAGE.read_text("utf-8")
    built = build_mixed_site(tmp_path / "site")
    work = tmp_path / "work"
    work.mkdir()
    pieces: list[str] = []
    at = 0
    with (
        FakeAlaveteli(built.root) as site,
        FakeAlaveteli(built.root, faults=Faults(block_everything=True)) as blocked,
    ):
        for match in BLOCK.finditer(text):
            markers = dict(re.findall(r"<!-- ([a-z-]+): ([a-z]+) -->", match.group(1)))
            use = blocked if markers.get("fake-site") == "blocked" else site
            if markers.get("setup") == "save":
                save_like_a_browser(site, work / "saved")
            shown = []
            for line in match.group(2).splitlines():
                if line.startswith("$ "):
                    shown.append(line)
                    shown.extend(run_command(line[2:], work, use.url).rstrip("\n").splitlines())
            pieces.append(text[at : match.start(2)])
            pieces.append("\n".join(line.rstrip() for line in shown) + "\n")
            at = match.end(2)
    pieces.append(text[at:])
    return text, "".join(pieces)


def test_every_console_block_of_the_harvest_guide_shows_real_output(tmp_path) -> None:
    if not PAGE.exists():
        pytest.fail("docs/harvest.md is missing")
    written, actual = run_page(tmp_path)
    if os.environ.get("WDTK_DOCS_UPDATE"):
        PAGE.write_text(actual, "utf-8")
    assert [line.rstrip() for line in written.splitlines()] == [
        line.rstrip() for line in actual.splitlines()
    ]


def test_the_guide_shows_each_thing_the_store_keeps() -> None:
    text = PAGE.read_text("utf-8")
    for table in ("events", "request_tags", "body_tags", "correspondence", "attachments"):
        assert f"from {table}" in text, table
