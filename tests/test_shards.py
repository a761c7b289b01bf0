"""Extraction past one machine: Parquet shards written by dask.distributed workers and
loaded with ``foi load`` give the same cells as ``foi extract`` (real files, a real
LocalCluster with two worker processes, a real SQLite store)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.extract import extract_files
from extractor.records import Cell
from extractor.store import Store

from .conftest import FIXTURES

pytest.importorskip("pyarrow")

from extractor.shards import cell_from_row, cell_rows, load_shards, write_shard

runner = CliRunner()
FILES = [
    FIXTURES / "pdfs" / "ruled_letter.pdf",
    FIXTURES / "pdfs" / "two_tables.pdf",
    FIXTURES / "pdfs" / "truncated.pdf",  # fails: noted as failed, no cells
    FIXTURES / "sheets" / "quirks.xlsx",
    FIXTURES / "sheets" / "stats.xlsx",
    FIXTURES / "sheets" / "semicolon.csv",
]


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for path in FILES:
        shutil.copy(path, folder)
    return folder


def key(cell: Cell) -> tuple[Any, ...]:
    return (cell.sha256, cell.table, cell.cell or "", tuple(cell.row), tuple(cell.column), cell.raw)


def stored(db: Path) -> list[Cell]:
    with Store(db) as store:
        return sorted(store.cells(), key=key)


def failures(db: Path) -> set[str]:
    with Store(db) as store:
        return {d.name for d in store.documents() if d.error}


def single_process(inbox: Path, tmp_path: Path) -> Path:
    db = tmp_path / "single.db"
    result = runner.invoke(app, ["extract", str(inbox), "--db", str(db), "--format", "jsonl"])
    assert result.exit_code == 1  # the truncated PDF fails; the rest is stored
    return db


def test_dask_local_cluster_gives_the_same_cells_as_foi_extract(
    inbox: Path, tmp_path: Path
) -> None:
    distributed = pytest.importorskip("distributed")
    from extractor.shards import extract_to_shards

    expected = stored(single_process(inbox, tmp_path))
    shards = tmp_path / "shards"
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        assert len(client.scheduler_info()["workers"]) == 2
        results = extract_to_shards([inbox], shards, client, files_per_task=2)
    assert len(results) == 3 and sum(r.files for r in results) == len(FILES)
    assert [e for r in results for e in r.errors if "truncated.pdf" in e]
    db = tmp_path / "loaded.db"
    result = runner.invoke(app, ["load", str(shards), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert stored(db) == expected
    assert len(expected) > 50
    assert failures(db) == {"truncated.pdf"}


def test_shard_rows_give_back_the_same_cells() -> None:
    cells = [
        Cell("a.csv", "x" * 64, 0, ["Rape"], ["2022"], 1527, "1,527", cell="B2"),
        Cell("a.csv", "x" * 64, 0, ["Rape"], ["Share"], 3.3, "3.3%", unit="percent"),
        Cell("a.csv", "x" * 64, 1, ["Area", "North"], ["Note"], "see text", "see text"),
        Cell("a.pdf", "y" * 64, 2, [], ["Count"], None, "[c]", page=3, flag="suppressed"),
        Cell("a.pdf", "y" * 64, 2, ["A"], ["B"], -0.5, "(0.5)", bbox=[1.0, 2.0, 3.5, 4.0]),
        Cell("b.xlsx", "z" * 64, 0, ["T"], ["V"], 2, "2", sheet="S", hidden=True, total=True),
    ]
    columns = cell_rows(cells)
    rows = [{name: values[i] for name, values in columns.items()} for i in range(len(cells))]
    assert [cell_from_row(row) for row in rows] == cells
    assert isinstance(cell_from_row(rows[0]).value, int)


def test_a_failed_document_has_no_cells_in_its_shard(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    files = [FIXTURES / "pdfs" / "truncated.pdf", FIXTURES / "sheets" / "semicolon.csv"]
    result = write_shard(files, tmp_path / "shards", 7)
    documents = pq.read_table(result.documents_path).to_pylist()
    assert [(d["name"], bool(d["error"])) for d in documents] == [
        ("truncated.pdf", True),
        ("semicolon.csv", False),
    ]
    cells = pq.read_table(result.cells_path).to_pylist()
    assert cells and {c["file"] for c in cells} == {"semicolon.csv"}
    with Store(tmp_path / "foi.db") as store:
        summary = load_shards([result.cells_path], store)
        same = sorted(store.cells(), key=key)
    assert (summary.documents, summary.failed, summary.cells) == (1, 1, len(cells))
    assert same == sorted(
        (c for o in extract_files([files[1]]) for c in o.cells),
        key=key,
    )


def test_load_refuses_what_is_not_a_shard(tmp_path: Path) -> None:
    stray = tmp_path / "cells.csv"
    stray.write_text("a,b\n", encoding="utf-8")
    result = runner.invoke(app, ["load", str(stray), "--db", str(tmp_path / "foi.db")])
    assert result.exit_code == 2
    assert "not a shard" in result.output
