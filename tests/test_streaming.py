"""Streaming extraction: records reach the store and the output in bounded batches,
all or nothing per document (real files, a real SQLite store, the real CLI)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from extractor import extract
from extractor.cli import app
from extractor.errors import CorruptDocument
from extractor.extract import extract_files
from extractor.records import Cell, write_csv, write_jsonl
from extractor.store import Store
from extractor.streaming import BATCH_CELLS, CollectingSink, RecordWriter
from extractor.tables import read_file

runner = CliRunner()
ROWS = 2 * BATCH_CELLS // 3 + 7  # three columns: about two batches of records and a bit


def big_csv(path: Path, rows: int = ROWS, seed: int = 0) -> Path:
    lines = ["area,2021,2022,2023"]
    lines += [f"Area {i},{i + seed},{2 * i + seed},{3 * i + seed}" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class BatchLog(CollectingSink):
    """Keeps the records, and the size of every batch it was handed."""

    def __init__(self) -> None:
        super().__init__()
        self.batches: list[int] = []
        self.events: list[str] = []

    def begin(self, path: Path) -> None:
        self.events.append(f"begin {path.name}")
        super().begin(path)

    def write(self, cells: list[Cell]) -> None:
        self.batches.append(len(cells))
        super().write(cells)

    def commit(self) -> None:
        self.events.append("commit")
        super().commit()

    def rollback(self) -> None:
        self.events.append("rollback")
        super().rollback()


def test_records_arrive_in_bounded_batches_and_outcomes_hold_none(tmp_path: Path) -> None:
    path = big_csv(tmp_path / "big.csv")
    expected = list(read_file(path))
    sink = BatchLog()
    with Store(tmp_path / "foi.db") as store:
        outcomes = list(extract_files([path], store=store, sink=sink))
        stored = list(store.cells())
    assert len(expected) > 2 * BATCH_CELLS
    assert len(sink.batches) >= 3 and max(sink.batches) <= BATCH_CELLS
    assert outcomes[0].cells == [] and outcomes[0].streamed == len(expected)
    assert sink.cells == expected
    assert stored == expected


def test_a_document_that_fails_half_way_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good, bad = big_csv(tmp_path / "good.csv"), big_csv(tmp_path / "bad.csv", seed=1)
    db = tmp_path / "foi.db"
    with Store(db) as store:  # an earlier, complete import of bad.csv
        list(extract_files([bad], store=store))
        before = list(store.cells("file = ?", ["bad.csv"]))
    real_read = extract.read_file

    def breaks_after_two_batches(path: Path, *args: Any) -> Iterator[Cell]:
        for number, cell in enumerate(real_read(path, *args)):
            if path.name == "bad.csv" and number == 2 * BATCH_CELLS + 1:
                raise CorruptDocument("breaks off half-way", path.name)
            yield cell

    monkeypatch.setattr(extract, "read_file", breaks_after_two_batches)
    out = io.StringIO()
    writer = RecordWriter("jsonl", out)
    sink = BatchLog()

    class Both(BatchLog):
        def begin(self, path: Path) -> None:
            writer.begin(path)
            sink.begin(path)

        def write(self, cells: list[Cell]) -> None:
            writer.write(cells)
            sink.write(cells)

        def commit(self) -> None:
            writer.commit()
            sink.commit()

        def rollback(self) -> None:
            writer.rollback()
            sink.rollback()

    with Store(db) as store:
        outcomes = list(extract_files([bad, good], store=store, force=True, sink=Both()))
        after_bad = list(store.cells("file = ?", ["bad.csv"]))
        after_good = list(store.cells("file = ?", ["good.csv"]))
    assert outcomes[0].error and "breaks off" in outcomes[0].error
    assert sink.events == ["begin bad.csv", "rollback", "begin good.csv", "commit"]
    assert sum(sink.batches[:2]) == 2 * BATCH_CELLS  # two batches had gone out before it broke
    assert after_bad == before  # the earlier import is kept whole
    assert after_good == list(real_read(good))
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert {line["file"] for line in lines} == {"good.csv"}
    assert len(lines) == len(after_good)


@pytest.mark.parametrize(("fmt", "write"), [("jsonl", write_jsonl), ("csv", write_csv)])
def test_streamed_output_is_the_text_of_the_whole_list(
    tmp_path: Path, fmt: str, write: Any
) -> None:
    paths = [big_csv(tmp_path / "a.csv"), big_csv(tmp_path / "b.csv", rows=30, seed=2)]
    expected = io.StringIO()
    write([cell for path in paths for cell in read_file(path)], expected)
    out = tmp_path / f"cells.{fmt}"
    result = runner.invoke(app, ["extract", *map(str, paths), "--no-db", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().decode("utf-8") == expected.getvalue()


def test_stored_documents_stream_back_to_the_output(tmp_path: Path) -> None:
    path = big_csv(tmp_path / "a.csv")
    db = tmp_path / "foi.db"
    with Store(db) as store:
        list(extract_files([path], store=store))
        sink = BatchLog()
        outcomes = list(extract_files([path], store=store, sink=sink))
    assert outcomes[0].skipped and outcomes[0].streamed == len(sink.cells)
    assert max(sink.batches) <= BATCH_CELLS
    assert sink.cells == list(read_file(path))


def test_jobs_two_gives_the_same_records_through_a_sink(tmp_path: Path) -> None:
    paths = [big_csv(tmp_path / f"{i}.csv", rows=200 * (i + 1), seed=i) for i in range(3)]
    one, two = CollectingSink(), CollectingSink()
    list(extract_files(paths, jobs=1, sink=one))
    list(extract_files(paths, jobs=2, sink=two))
    assert one.cells == two.cells == [c for p in paths for c in read_file(p)]
