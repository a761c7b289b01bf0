import sqlite3
import subprocess
import sys
import textwrap

import pytest

from extractor.errors import StoreError
from extractor.records import Cell
from extractor.store import Document, Store


def cell(value, row="Rape") -> Cell:
    return Cell(
        file="a.pdf",
        sha256="s1",
        table=0,
        row=["Sexual offences", row],
        column=["2022"],
        value=value,
        raw=str(value),
        page=1,
    )


def test_cells_come_back_exactly_as_stored(store):
    cells = [cell(1527), cell(48.0), cell("Common"), cell(None)]
    assert store.add_document(Document("s1", "a.pdf", "application/pdf", 10), cells) == 4
    assert [c.value for c in store.cells_of("a.pdf")] == [1527, 48.0, "Common", None]
    assert store.has_document("s1")


def test_reimport_replaces_cells(store):
    store.add_document(Document("s1", "a.pdf"), [cell(1), cell(2)])
    store.add_document(Document("s1", "a.pdf"), [cell(3)])
    assert [c.value for c in store.cells_of("s1")] == [3]


def test_failed_import_leaves_previous_import_intact(store):
    store.add_document(Document("s1", "a.pdf"), [cell(1), cell(2)])
    bad = [cell(3), cell(object())]  # sqlite cannot bind an object: fails mid-insert
    with pytest.raises(StoreError, match="a.pdf"):
        store.add_document(Document("s1", "a.pdf"), bad)
    assert [c.value for c in store.cells_of("s1")] == [1, 2]


def test_record_failure_does_not_hide_a_good_import(store):
    store.add_document(Document("s1", "a.pdf"), [cell(1)])
    store.record_failure(Document("s1", "a.pdf"), "corrupt")
    assert store.has_document("s1")
    store.record_failure(Document("s2", "b.pdf"), "encrypted")
    assert not store.has_document("s2")
    assert store.document("s2").error == "encrypted"


def test_store_is_plain_sqlite(store):
    store.add_document(Document("s1", "a.pdf"), [cell(1527)])
    with sqlite3.connect(store.path) as conn:
        row = conn.execute("select row_key, column_key, value from cells").fetchone()
    assert row == ("Sexual offences > Rape", "2022", 1527)


def test_unopenable_store_is_a_store_error(tmp_path):
    path = tmp_path / "not-a-db.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not-a-db.db"):
        Store(path)


def test_kill_during_import_leaves_all_or_nothing(tmp_path):
    db = tmp_path / "foi.db"
    script = textwrap.dedent(f"""
        from extractor.records import Cell
        from extractor.store import Document, Store
        store = Store({str(db)!r})
        print("ready", flush=True)
        cells = (Cell(file="big.pdf", sha256="big", table=0, row=[str(i)], column=["c"],
                      value=i, raw=str(i)) for i in range(400000))
        store.add_document(Document("big", "big.pdf"), cells)
        print("done", flush=True)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    import time

    time.sleep(1.5)
    proc.kill()
    proc.wait()
    with Store(db) as store:
        count = store.count("cells")
        assert count in (0, 400000)
        assert store.has_document("big") == (count == 400000)
