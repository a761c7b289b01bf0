"""Promises every command keeps: --help with an example, and a place in the README."""

import re
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from extractor import __version__
from extractor.cli import app
from tests.conftest import REPO

runner = CliRunner()


def command_names() -> list[str]:
    click_group = typer.main.get_command(app)
    return sorted(click_group.commands)


def test_top_level_help_lists_every_command():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in command_names():
        assert name in result.output


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


@pytest.mark.parametrize("name", command_names() or ["(none yet)"])
def test_every_command_has_help_with_an_example(name):
    if name == "(none yet)":
        pytest.skip("no commands registered")
    result = runner.invoke(app, [name, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert re.search(r"Example", result.output), f"foi {name} --help shows no example"


@pytest.mark.parametrize("name", command_names() or ["(none yet)"])
def test_every_command_is_documented_in_the_readme(name):
    if name == "(none yet)":
        pytest.skip("no commands registered")
    # README, or the topic guides it links in docs/ (the README + docs/ split)
    pages = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    text = "\n".join(page.read_text(encoding="utf-8") for page in pages if page.name != "cli.md")
    assert re.search(rf"\bfoi {name}\b", text), f"README and docs/ do not show `foi {name}`"


def test_unknown_command_is_a_usage_error():
    result = runner.invoke(app, ["no-such-command"])
    assert result.exit_code == 2


def test_code_is_ruff_clean():
    pytest.importorskip("ruff")
    folders = [
        d
        for d in ("extractor", "tests", "benchmarks", "fixtures", "scripts")
        if (REPO / d).is_dir()
    ]
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", *folders], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-3000:]
