"""docs/cli.md is generated from every command's --help; fail when it is out of date."""

import re

import pytest

from tests.conftest import REPO

cogapp = pytest.importorskip("cogapp")


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
