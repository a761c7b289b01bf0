"""The docs cannot go stale: every console block runs, or is at least parsed, in a test.

docs/cli.md is generated from every command's --help (cog); a test fails when it is out of
date. Every ```console block in README.md and docs/*.md carries a marker on the line
before it saying how it is checked:

``<!-- console: run [demo] [site] [needs=TOOL] -->``
    The ``$`` commands run, in order, in one bash shell, in a fresh folder holding a link
    to ``fixtures/``; ``demo``: the folder also holds ``data/`` as ``foi demo`` left it
    (store, raw files, report); ``site``: ``FOI_BASE_URL`` points at the bundled fixture
    site (``fixtures/lancashire/wdtk``) served on 127.0.0.1; ``needs=jq``: skipped when the
    tool is not installed. ``COLUMNS`` is 80. The lines shown under a command must appear in
    its output, in order (stdout and stderr together): a line that starts with ``…`` stands
    for any number of lines left out, and ``…`` inside a line for any text; port numbers
    of 127.0.0.1 are ignored.
``<!-- console: parse -->``
    For commands that need the real WhatDoTheyKnow: each ``$ foi ...`` command must parse
    (the command and every option exist, arguments fit); its output is not checked.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO

cogapp = pytest.importorskip("cogapp")

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
MARKER = re.compile(r"<!--\s*console:\s*(.*?)\s*-->")
PORT = re.compile(r"127\.0\.0\.1:\d+")
GAP = "…"
SEPARATOR = "@@@ command {} @@@"
BIN = Path(sys.executable).parent


def normalise(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


def test_cli_reference_is_current():
    path = REPO / "docs" / "cli.md"
    current = path.read_text(encoding="utf-8")
    regenerated = cogapp.Cog().process_string(current)
    assert normalise(regenerated) == normalise(current), (
        "docs/cli.md is out of date: run `cog -r docs/cli.md`"
    )


def test_cli_reference_documents_every_command():
    import typer

    from extractor.cli import app

    text = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in typer.main.get_command(app).commands:
        assert re.search(rf"^## foi {name}$", text, re.M), f"docs/cli.md lacks foi {name}"


# --- console blocks -------------------------------------------------------------------------
@dataclass
class Step:
    command: str
    shown: list[str]


@dataclass
class Block:
    doc: Path
    line: int
    how: list[str]
    steps: list[Step]

    @property
    def name(self) -> str:
        return f"{self.doc.relative_to(REPO)}:{self.line}"


def console_blocks(doc: Path) -> list[Block]:
    lines = doc.read_text(encoding="utf-8").splitlines()
    blocks = []
    for number, line in enumerate(lines):
        if line.strip() != "```console":
            continue
        marker = MARKER.search(lines[number - 1]) if number else None
        end = lines.index("```", number + 1)
        steps: list[Step] = []
        for body in lines[number + 1 : end]:
            if body.startswith("$ "):
                steps.append(Step(body[2:], []))
            elif steps:
                steps[-1].shown.append(body)
        how = marker.group(1).split() if marker else []
        blocks.append(Block(doc, number + 1, how, steps))
    return blocks


BLOCKS = [block for doc in DOCS for block in console_blocks(doc)]


def test_every_console_block_says_how_it_is_checked():
    unmarked = [b.name for b in BLOCKS if not b.how or b.how[0] not in ("run", "parse")]
    assert not unmarked, f"console blocks without <!-- console: run|parse -->: {unmarked}"
    assert all(block.steps for block in BLOCKS)


def matches(pattern: str, line: str) -> bool:
    pieces = [re.escape(piece) for piece in PORT.sub("127.0.0.1:PORT", pattern).split(GAP)]
    return re.fullmatch(".*".join(pieces), PORT.sub("127.0.0.1:PORT", line)) is not None


def missing_lines(shown: list[str], output: list[str]) -> list[str]:
    """The shown lines that are not in the output in order (gaps allowed at `…` lines)."""
    position = 0
    for index, expected in enumerate(shown):
        if expected.lstrip().startswith(GAP):
            continue
        gap_before = index > 0 and shown[index - 1].lstrip().startswith(GAP)
        found = next(
            (i for i in range(position, len(output)) if matches(expected, output[i])), None
        )
        if found is None or (found != position and not gap_before and index > 0):
            return shown[index:]
        position = found + 1
    return []


def split_output(text: str, count: int) -> list[list[str]]:
    parts = re.split(r"^@@@ command \d+ @@@$\n?", text, flags=re.M)
    assert len(parts) == count + 1, text
    return [normalise(part) for part in parts[1:]]


@pytest.fixture(scope="session")
def demo_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder where `foi demo` has run: data/foi.db, data/raw, data/report.html."""
    folder = tmp_path_factory.mktemp("demo")
    (folder / "fixtures").symlink_to(REPO / "fixtures")
    subprocess.run(
        [str(BIN / "foi"), "-q", "demo"], cwd=folder, check=True, capture_output=True, timeout=300
    )
    return folder


def workspace(block: Block, tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    if "demo" in block.how:
        source = request.getfixturevalue("demo_workspace")
        shutil.copytree(source, tmp_path / "w", symlinks=True)
        return tmp_path / "w"
    (tmp_path / "fixtures").symlink_to(REPO / "fixtures")
    return tmp_path


def run_block(block: Block, folder: Path, base_url: str | None) -> list[list[str]]:
    script = ["set +e"]
    for number, step in enumerate(block.steps):
        script += [f"echo '{SEPARATOR.format(number)}'", step.command]
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "COLUMNS": "80",
        "NO_COLOR": "1",
        "TERM": "dumb",
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("FOI_DB", "FOI_CACHE", "FOI_CONTACT", "FOI_VERBOSE", "FOI_BASE_URL"):
        env.pop(name, None)
    if base_url:
        env["FOI_BASE_URL"] = base_url
    done = subprocess.run(
        ["bash", "-c", "\n".join(script)],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    return split_output(done.stdout, len(block.steps))


@pytest.mark.parametrize("block", [b for b in BLOCKS if b.how[:1] == ["run"]], ids=lambda b: b.name)
def test_console_block_output_is_real(block: Block, tmp_path: Path, request) -> None:
    for word in block.how:
        if word.startswith("needs=") and shutil.which(word[6:]) is None:
            pytest.skip(f"{word[6:]} is not installed")
    folder = workspace(block, tmp_path, request)
    if "site" in block.how:
        from extractor.testing.fakesite import serve

        with serve(REPO / "fixtures" / "lancashire" / "wdtk") as base_url:
            outputs = run_block(block, folder, base_url)
    else:
        outputs = run_block(block, folder, None)
    for step, output in zip(block.steps, outputs, strict=True):
        missing = missing_lines(step.shown, output)
        assert not missing, (
            f"{block.name}: `$ {step.command}` did not print (in order):\n"
            + "\n".join(missing[:5])
            + "\n--- it printed:\n"
            + "\n".join(output)
        )


@pytest.mark.parametrize(
    "block", [b for b in BLOCKS if b.how[:1] == ["parse"]], ids=lambda b: b.name
)
def test_console_block_commands_parse(block: Block) -> None:
    import typer

    from extractor.cli import app

    group = typer.main.get_command(app)
    for step in block.steps:
        words = shlex.split(step.command.split("|")[0])
        words = words[words.index("foi") :] if "foi" in words else []
        assert words, f"{block.name}: not a foi command: {step.command}"
        at = next((i for i, w in enumerate(words) if w in group.commands), None)
        assert at is not None, f"{block.name}: no foi command in {step.command}"
        name, rest = words[at], words[at + 1 :]
        ctx = group.make_context("foi", [*words[1:at], name])  # global options before it
        command = group.commands[name]
        command.make_context(name, rest, parent=ctx)


def test_relative_links_in_the_docs_resolve():
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if re.match(r"[a-z]+:", target):
                continue
            assert (doc.parent / target).exists(), f"{doc.name}: broken link {target}"


# --- python blocks in docs/ (README's is checked by tests/test_readme.py) ----------------------
def python_blocks() -> list[tuple[str, str]]:
    found = []
    for doc in DOCS[1:]:
        text = doc.read_text(encoding="utf-8")
        for match in re.finditer(r"```python\n(.*?)```", text, re.S):
            line = text[: match.start()].count("\n") + 1
            found.append((f"{doc.relative_to(REPO)}:{line}", match.group(1)))
    return found


@pytest.mark.parametrize(("name", "code"), python_blocks(), ids=[n for n, _ in python_blocks()])
def test_python_block_prints_what_it_shows(name, code, tmp_path, demo_workspace, monkeypatch):
    """Run in a copy of the demo folder; the lines starting with '# ' are what it prints."""
    import contextlib
    import io

    shown = [line[2:] for line in code.splitlines() if line.startswith("# ")]
    folder = tmp_path / "w"
    shutil.copytree(demo_workspace, folder, symlinks=True)
    monkeypatch.chdir(folder)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, name, "exec"), {"__name__": "__doc_example__"})
    assert printed.getvalue().splitlines() == shown
