"""`foi --help` reads well at 80 columns, and global options work after the command too."""

import re
import shlex

import pytest
import typer
from typer.testing import CliRunner

from extractor import cli
from extractor.cli import app

runner = CliRunner()
GROUP = typer.main.get_command(app)
COMMANDS = sorted(GROUP.commands)
ENV = {"NO_COLOR": "1", "COLUMNS": "80", "TERM": "dumb"}


def help_text(*args: str) -> str:
    result = runner.invoke(app, [*args, "--help"], terminal_width=80, env=ENV)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("args", [[], *[[name] for name in COMMANDS]])
def test_help_fits_80_columns_with_readable_metavars(args):
    text = help_text(*args)
    assert max(len(line) for line in text.splitlines()) <= 80
    usage = next(line for line in text.splitlines() if "Usage:" in line)
    assert "{" not in usage and "_" not in usage, usage
    # Typer's own type labels (<bool>, <str>, <list[str]>, <path>) never show
    assert not re.search(r"<\w[\w\[\], ]*>", text), text


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_an_example_that_parses(name):
    """The example is one unwrapped line at 80 columns and names real options."""
    command = GROUP.commands[name]
    example = re.search(r"^Example: (foi .*)$", command.help or "", re.M)
    assert example, f"foi {name} --help has no 'Example: foi ...' line"
    assert f"Example: {example.group(1)}" in help_text(name)
    words = shlex.split(example.group(1))
    assert words[1] == name
    parent = typer.Context(GROUP, info_name="foi")
    command.make_context(name, words[2:], parent=parent)  # raises on an unknown option


def test_brackets_are_shown_as_written():
    for text in (help_text(), help_text("claims")):
        assert "one [[claim]] per checkable" in text


def test_flags_show_no_value_placeholder():
    text = help_text("extract")
    assert re.search(r"--no-db\s+Do not write to the store", text), text


@pytest.mark.parametrize(
    "args",
    [
        ["-v", "-q", "--contact", "me@example.org", "--base-url", "http://127.0.0.1:9/", "rate"],
        ["rate", "-v", "-q", "--contact", "me@example.org", "--base-url", "http://127.0.0.1:9/"],
        [
            "rate",
            "--verbose",
            "--quiet",
            "--contact=me@example.org",
            "--base-url=http://127.0.0.1:9",
        ],
    ],
)
def test_global_options_before_or_after_the_command(args):
    command = args.index("rate")
    args = [*args[: command + 1], "50", "1527", *args[command + 1 :]]
    result = runner.invoke(app, args, env=ENV)
    assert result.exit_code == 0, result.output
    assert cli.state.verbose and cli.state.quiet
    assert cli.state.contact == "me@example.org"
    assert cli.state.base_url == "http://127.0.0.1:9"


def test_global_option_before_the_command_is_not_reset_after_it():
    result = runner.invoke(app, ["--contact", "me@example.org", "rate", "50", "1527"], env=ENV)
    assert result.exit_code == 0, result.output
    assert cli.state.contact == "me@example.org"
    assert not cli.state.quiet


def test_global_options_are_listed_in_every_command_help():
    for name in COMMANDS:
        text = help_text(name)
        assert "Global options" in text and "--contact" in text, name


def test_library_usage_errors_name_no_flag_and_the_cli_adds_it(tmp_path):
    from extractor.errors import UsageError
    from extractor.tables.delimited import resolve_delimiter

    with pytest.raises(UsageError) as raised:
        resolve_delimiter("::")
    assert "--" not in str(raised.value) and raised.value.setting == "delimiter"
    path = tmp_path / "a.csv"
    path.write_text("Name,Count\nsynthetic,5\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path), "--no-db", "--delimiter", "::"], env=ENV)
    assert result.exit_code == 2
    assert "--delimiter: a delimiter is one character or 'tab'" in result.output
