"""Issue 15: library messages name settings (keyword arguments), never command-line flags;
the CLI shows the same messages with its flags.

A usage error carries ``setting=`` (the CLI prefixes ``--flag: ``); a setting named inside
a message is written in backquotes (`pages`) and the CLI shows it as its flag (``--pages``).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.browse import CellFilter
from extractor.cli import app, error_text, with_flags
from extractor.errors import FoiError, UsageError
from extractor.extract import check_options, output_format, parse_pages, refuse_conflicts
from extractor.tables import ExtractOptions
from extractor.wdtk import AlaveteliClient, ClientConfig, SearchFilters
from extractor.wdtk.config import check_cache
from extractor.wdtk.importer import import_saved

ROOT = Path(__file__).resolve().parent.parent
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]+")
CLI_MODULES = {"cli.py", "cli_help.py", "__main__.py"}
runner = CliRunner()


def flags_in_strings(source: str) -> list[tuple[int, str]]:
    """String literals (docstrings aside) of a module that name a command-line flag."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and FLAG.search(node.value)
    ]


def test_the_flag_finder_finds_a_flag_in_a_message() -> None:
    source = 'def f():\n    """--docs are fine"""\n    raise ValueError(f"--pages: {x}")\n'
    assert [line for line, _ in flags_in_strings(source)] == [3]


def test_no_library_module_names_a_command_line_flag() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in sorted((ROOT / "extractor").rglob("*.py"))
        if path.name not in CLI_MODULES
        for line, text in flags_in_strings(path.read_text(encoding="utf-8"))
    ]
    assert not found, "\n".join(found)


def _raises(call: Callable[[], object]) -> FoiError:
    with pytest.raises(FoiError) as raised:
        call()
    return raised.value


def _offline_miss(tmp_path: Path) -> object:
    config = ClientConfig(base_url="http://127.0.0.1:9", offline=True, cache_path=None)
    with AlaveteliClient(config) as client:
        return client.get_page("/request/x.json")


def _other_site(tmp_path: Path) -> object:
    config = ClientConfig(base_url="http://127.0.0.1:9", cache_path=None)
    with AlaveteliClient(config) as client:
        return client.resolve("https://elsewhere.example/request/some_request")


LIBRARY_CALLS: dict[str, tuple[Callable[[Path], object], str | None]] = {
    "pages": (lambda tmp: parse_pages("a-b"), "pages"),
    "base_url": (lambda tmp: ClientConfig(base_url="ftp://example.org"), "base_url"),
    "cache_path folder": (lambda tmp: check_cache(tmp), "cache_path"),
    "since after until": (
        lambda tmp: SearchFilters(since=date(2021, 3, 1), until=date(2021, 1, 1)).terms(),
        "since",
    ),
    "status": (lambda tmp: SearchFilters(status="won").terms(), "status"),
    "as_json with fmt": (
        lambda tmp: refuse_conflicts(True, "csv", None, report_hidden=False, pages=None),
        "as_json",
    ),
    "report_hidden with out": (
        lambda tmp: refuse_conflicts(False, None, tmp / "x", report_hidden=True, pages=None),
        "report_hidden",
    ),
    "jobs": (lambda tmp: check_options(ExtractOptions(), jobs=0), "jobs"),
    "max_seconds": (lambda tmp: check_options(ExtractOptions(max_seconds=0)), "max_seconds"),
    "fmt": (lambda tmp: output_format("xml", None), "fmt"),
    "value": (lambda tmp: CellFilter(value="lots").number(), "value"),
    "url": (lambda tmp: import_saved(tmp, url="ftp://x/request/y", out=tmp, store=None), "url"),
    "no saved page": (lambda tmp: import_saved(tmp, out=tmp, store=None), "url"),
    "offline": (_offline_miss, None),
    "another site": (_other_site, None),
}


@pytest.mark.parametrize("case", sorted(LIBRARY_CALLS))
def test_a_library_message_names_the_setting_not_a_flag(case: str, tmp_path: Path) -> None:
    call, setting = LIBRARY_CALLS[case]
    error = _raises(lambda: call(tmp_path))
    assert "--" not in str(error), str(error)
    if setting is not None:
        assert isinstance(error, UsageError) and error.setting == setting
    else:
        assert "`" in str(error)  # the setting it points to, named in the library's words
    assert "--" in error_text(error)  # and the CLI shows it as a flag


def test_a_warning_about_the_cache_names_the_setting(tmp_path: Path) -> None:
    cache = tmp_path / "ro" / "cache.sqlite"
    cache.parent.mkdir()
    cache.write_bytes(b"SQLite format 3\x00")
    cache.chmod(0o444)
    path, warning = check_cache(cache)
    if warning is None:  # root writes read-only files: nothing to say
        assert path == cache
        return
    assert "--" not in warning and with_flags(warning).startswith("--cache: ")


CLI_CASES: dict[str, tuple[list[str], str]] = {
    "pages": (["extract", "t.csv", "--no-db", "--pages", "a-b"], "--pages: 'a-b' is not a page"),
    "base-url": (["--base-url", "ftp://example.org", "search", "x"], "--base-url: 'ftp://"),
    "cache": (["fetch", "some_request", "--cache", "."], "--cache: . is a folder"),
    "since": (
        ["search", "x", "--since", "2021-03-01", "--until", "2021-01-01"],
        "--since: 2021-03-01 is after --until 2021-01-01",
    ),
    "json": (
        ["extract", "t.csv", "--no-db", "--json", "--format", "csv"],
        "--json: prints the counts on stdout: records in a --format need an --out file",
    ),
    "filetype": (
        ["search", "x", "--via", "list", "--filetype", "pdf", "--offline"],
        "--filetype: matches responses, not requests: use --via feed, not list",
    ),
    "url": (["import", ".", "--url", "ftp://x/request/y"], "--url: 'ftp://x/request/y'"),
    "no page": (["import", "."], "--url: cannot tell which request this is"),
    "other site": (
        ["--offline", "fetch", "https://elsewhere.example/request/some_request"],
        "(set --base-url)",
    ),
    "value": (["cells", "--records", "r.jsonl", "--value", "lots"], "--value: 'lots' is not a"),
}


@pytest.mark.parametrize("case", sorted(CLI_CASES))
def test_the_cli_names_the_flag(case: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.csv").write_text("Name,Count\nsynthetic,5\n", encoding="utf-8")
    (tmp_path / "r.jsonl").write_text("", encoding="utf-8")
    args, expected = CLI_CASES[case]
    result = runner.invoke(app, args)
    assert result.exit_code in (1, 2), result.output
    assert expected in " ".join(result.stderr.split()), result.stderr
    assert "`" not in result.stderr and "Traceback" not in result.output
