"""The house rules of the package, read from its source (docs/design.md draws them).

Layers, top to bottom; a module may import only from its own layer or those below:

    cli        extractor.cli, extractor.cli_help, extractor.__main__
    orchestra  extractor.demo, extractor.extract, extractor.streaming, extractor.confidence,
               extractor.shards
    peers      extractor.wdtk.*, extractor.tables.*, extractor.claims.*  (never one another)
    store      extractor.store
    floor      extractor (the package), errors, records, values, files, periods
    tooling    extractor.testing.*: imports the floor only; only orchestration and the CLI
               import it (the demo serves its case with the fake site)

and the readers (extractor.tables) import no store either. The store is the only module
that runs SQL: nothing else imports sqlite3 or sqlite_utils, touches ``store.db`` or calls
``execute``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "extractor"
RANK = {"floor": 0, "tooling": 0, "store": 1, "peers": 2, "orchestra": 3, "cli": 4}
PEERS = ("extractor.wdtk", "extractor.tables", "extractor.claims")
FLOOR = {
    "extractor",
    "extractor.errors",
    "extractor.records",
    "extractor.values",
    "extractor.files",
    "extractor.periods",
}
ORCHESTRA = {
    "extractor.demo",
    "extractor.extract",
    "extractor.streaming",
    "extractor.confidence",
    "extractor.shards",
    "extractor.browse",
}
SQL_CALLS = {"execute", "executemany", "executescript", "rows_where", "query"}

# SQL still outside the store, to be moved by the engineer named (issue 15 lists them);
# an entry leaves this list when its module is clean.
PENDING_SQL: dict[str, str] = {}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer(name: str) -> str:
    if name in FLOOR:
        return "floor"
    if name == "extractor.store":
        return "store"
    if name.startswith(PEERS):
        return "peers"
    if name.startswith("extractor.testing"):
        return "tooling"
    if name in ORCHESTRA:
        return "orchestra"
    if name in ("extractor.cli", "extractor.cli_help", "extractor.__main__"):
        return "cli"
    raise AssertionError(f"{name}: which layer? add it to tests/test_layers.py and docs/design.md")


def peer(name: str) -> str | None:
    return next((p for p in PEERS if name == p or name.startswith(p + ".")), None)


def imported(path: Path) -> set[str]:
    """Every extractor module the file imports, at the top or inside a function."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    modules = {module_name(p) for p in PACKAGE.rglob("*.py")}
    return {m for m in found if m in modules and m != name}


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(REPO)))
def test_imports_point_down(path: Path) -> None:
    name = module_name(path)
    mine = layer(name)
    for other in imported(path):
        theirs = layer(other)
        where = f"{name} imports {other}"
        if theirs == "tooling":
            assert mine in ("orchestra", "cli", "tooling"), where
            continue
        if mine == "tooling":
            assert theirs == "floor", where
            continue
        assert RANK[theirs] <= RANK[mine], f"{where}: {mine} may not import {theirs}"
        if mine == "peers" and theirs == "peers":
            assert peer(name) == peer(other), f"{where}: peers never import one another"
        if name.startswith("extractor.tables"):
            assert theirs != "store", f"{where}: readers know nothing of the store"


SQL_MODULES = ("sqlite3", "sqlite_utils")


def named_store(node: ast.expr) -> bool:
    """``store``, ``self.store``, ``self._store``: what ``.db`` is read from."""
    name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", "")
    return "store" in name.lower()


def sql_uses(path: Path) -> list[str]:
    uses = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
            uses += [f"imports {n}" for n in names if n.split(".")[0] in SQL_MODULES]
        elif isinstance(node, ast.Attribute) and node.attr == "db" and named_store(node.value):
            uses.append(f"line {node.lineno}: store.db")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in SQL_CALLS
        ):
            uses.append(f"line {node.lineno}: .{node.func.attr}()")
    return uses


def test_only_the_store_runs_sql() -> None:
    offenders = {
        str(path.relative_to(REPO)): uses
        for path in MODULES
        if path.name != "store.py" and (uses := sql_uses(path))
    }
    unexpected = {k: v for k, v in offenders.items() if k not in PENDING_SQL}
    assert not unexpected, f"SQL outside store.py: {unexpected}"


def test_the_store_runs_sql_so_the_check_can_fail() -> None:
    assert sql_uses(PACKAGE / "store.py")


def test_extract_options_are_typed() -> None:
    from dataclasses import fields

    from extractor.tables import ExtractOptions

    for field in fields(ExtractOptions):
        assert "object" not in str(field.type) and "Any" not in str(field.type), field


def test_fixture_generators_do_not_use_the_code_they_test() -> None:
    for path in sorted((REPO / "fixtures").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                assert not any(n.split(".")[0] == "extractor" for n in names), path.name
