"""Issue 16: hostile input and output paths, run against the installed ``foi`` command.

Every case runs ``foi`` as a subprocess with a timeout, inside a temporary folder:
device nodes are made there with ``os.mknod`` (only as root; skipped otherwise), FIFOs
with ``os.mkfifo``. Nothing outside the temporary folder is written. Items 16.7 (HTTP
cache), 16.8 (global options) and 16.9 (trickling server) are tested elsewhere.

``FOI_COMMAND`` runs the cases against another build (e.g. ``"python -m extractor"``
with ``PYTHONPATH`` at an older checkout), to check that each fails before its fix.
"""

from __future__ import annotations

import json
import os
import pty
import select
import shlex
import sqlite3
import stat
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CLAIMS = REPO / "fixtures" / "lancashire" / "claims.toml"
PDF = REPO / "fixtures" / "pdfs" / "heldout_zebra.pdf"
TIMEOUT = 60  # seconds for any one command; a hang fails the test instead of the suite
FOI = shlex.split(os.environ.get("FOI_COMMAND", "")) or [str(Path(sys.executable).parent / "foi")]
TABLE_CSV = "Area,2021,2022\nNorth,10,20\nSouth,30,40\n"
ARTICLE = (
    "Police recorded 1,527 rapes in 2022. Only 50 of these led to a conviction, "
    "a rate of 3.3 per cent.\n"
)
needs_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="os.mknod needs root"
)


def foi(
    *args: str | Path,
    cwd: Path,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    umask: int | None = None,
    timeout: float = TIMEOUT,
) -> subprocess.CompletedProcess[str]:
    """Run the installed ``foi`` (no store under the repo: every --db is in ``cwd``)."""
    full_env = {k: v for k, v in os.environ.items() if k != "FOI_DB"}
    full_env.update({"COLUMNS": "200", **(env or {})})
    return subprocess.run(
        [*FOI, *map(str, args)],
        cwd=cwd,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=full_env,
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,
    )


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr


def error_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "table.csv").write_text(TABLE_CSV, encoding="utf-8")
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "none.jsonl").write_text("", encoding="utf-8")  # no records: claims unclear
    return tmp_path


def make_device(folder: Path, name: str, major: int, minor: int) -> Path:
    path = folder / name
    os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(major, minor))
    return path


# Each command that writes a file, as (arguments before the output path, option).
WRITERS = {
    "extract": (["extract", "table.csv", "--no-db", "--format", "csv"], "--out"),
    "claims": (["claims", "article.txt"], "--out"),
    "check": (["check", str(CLAIMS), "--records", "none.jsonl"], "--html"),
}


def write_to(work: Path, command: str, target: str | Path) -> subprocess.CompletedProcess[str]:
    args, option = WRITERS[command]
    return foi(*args, option, target, cwd=work)


def ok(result: subprocess.CompletedProcess[str], command: str) -> bool:
    """The command ran (check exits 3 when claims are unclear: no store here)."""
    return result.returncode in ((0, 3) if command == "check" else (0,))


# --- 16.1 output paths ----------------------------------------------------------------


@needs_root
@pytest.mark.parametrize("command", sorted(WRITERS))
def test_1_output_to_a_device_writes_through_and_keeps_the_device(work: Path, command: str) -> None:
    null = make_device(work, "null", 1, 3)
    result = write_to(work, command, null)
    no_traceback(result)
    assert ok(result, command), result.stderr
    assert stat.S_ISCHR(os.lstat(null).st_mode), "the device was replaced by a regular file"
    assert [p.name for p in work.iterdir() if p.name.startswith(".")] == []  # no temp left


@needs_root
@pytest.mark.parametrize("command", sorted(WRITERS))
def test_1_output_to_a_full_device_is_a_write_error(work: Path, command: str) -> None:
    full = make_device(work, "full", 1, 7)
    result = write_to(work, command, full)
    no_traceback(result)
    assert result.returncode == 1, result.stderr
    assert "No space left on device" in result.stderr
    assert str(full) in result.stderr
    assert stat.S_ISCHR(os.lstat(full).st_mode)


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_1_output_to_a_symlink_writes_its_target_and_keeps_the_link(
    work: Path, command: str
) -> None:
    target = work / "real-output"
    target.write_text("old\n", encoding="utf-8")
    link = work / "link"
    link.symlink_to(target.name)
    result = write_to(work, command, link)
    no_traceback(result)
    assert ok(result, command), result.stderr
    assert link.is_symlink(), "the symlink was replaced by a regular file"
    assert target.read_text(encoding="utf-8") not in ("", "old\n")


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_1_output_to_a_fifo_writes_through(work: Path, command: str) -> None:
    fifo = work / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as handle:  # blocks until foi opens the FIFO to write
            received.append(handle.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    result = write_to(work, command, fifo)
    if reader.is_alive():  # foi never opened it: unblock our reader before failing
        with open(fifo, "wb"):
            pass
    reader.join(timeout=10)
    no_traceback(result)
    assert ok(result, command), result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced by a regular file"
    assert received and received[0].strip(), "nothing was written into the FIFO"


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_1_dash_means_stdout(work: Path, command: str) -> None:
    result = write_to(work, command, "-")
    no_traceback(result)
    assert ok(result, command), result.stderr
    assert not (work / "-").exists(), "wrote a file called '-'"
    expected = {"extract": "North", "claims": "[[claim]]", "check": "<html"}[command]
    assert expected in result.stdout


@pytest.mark.parametrize("umask", [0o022, 0o027])
@pytest.mark.parametrize("command", ["claims", "check", "extract"])
def test_1_new_files_get_the_umask_mode(work: Path, command: str, umask: int) -> None:
    args, option = WRITERS[command]
    result = foi(*args, option, "written", cwd=work, umask=umask)
    assert ok(result, command), result.stderr
    assert stat.S_IMODE((work / "written").stat().st_mode) == 0o666 & ~umask


def test_1_a_regular_file_is_still_replaced_atomically(work: Path) -> None:
    out = work / "cells.csv"
    out.write_text("old", encoding="utf-8")
    before = out.stat().st_ino
    result = write_to(work, "extract", out)
    assert result.returncode == 0, result.stderr
    assert "North" in out.read_text(encoding="utf-8")
    assert out.stat().st_ino != before  # a new file renamed into place, not rewritten


# --- 16.2 one bad file does not abort a batch ------------------------------------------


def broken_docx(path: Path, document_xml: str) -> Path:
    """A zip that python-docx opens but whose main part is not a Word body."""
    import docx

    docx.Document().save(str(path.with_suffix(".tmp")))
    with zipfile.ZipFile(path.with_suffix(".tmp")) as source, zipfile.ZipFile(path, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            out.writestr(info, document_xml if info.filename == "word/document.xml" else data)
    path.with_suffix(".tmp").unlink()
    return path


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
BAD_BODIES = {
    "not-word.docx": '<?xml version="1.0"?><foo/>',
    "no-body.docx": f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:tbl/></w:document>',
}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_2_malformed_docx_is_one_line_and_the_batch_goes_on(work: Path, jobs: str) -> None:
    inbox = work / "inbox"
    inbox.mkdir()
    (inbox / "good.csv").write_text(TABLE_CSV, encoding="utf-8")
    for name, body in BAD_BODIES.items():
        broken_docx(inbox / name, body)
    db = work / "foi.db"
    result = foi("extract", inbox, "--db", db, "--format", "jsonl", "--jobs", jobs, cwd=work)
    no_traceback(result)
    assert result.returncode == 1, result.stderr
    failed = [line for line in error_lines(result) if line.startswith("failed:")]
    assert len(failed) == len(BAD_BODIES)
    for name in BAD_BODIES:
        assert sum(str(inbox / name) in line for line in failed) == 1
    assert len(result.stdout.splitlines()) == 4  # the good file's cells
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from cells where file = 'good.csv'").fetchone() == (4,)


# --- 16.3 no hangs on FIFOs and devices -------------------------------------------------


def test_3_extract_a_fifo_without_a_writer_is_refused(work: Path) -> None:
    fifo = work / "pipe.csv"
    os.mkfifo(fifo)
    result = foi("extract", fifo, "table.csv", "--no-db", "--format", "csv", cwd=work)
    no_traceback(result)
    assert result.returncode == 1
    assert f"{fifo}: is a FIFO" in result.stderr and "give -" in result.stderr
    assert "North" in result.stdout  # the other file was read


@pytest.mark.parametrize("command", ["check", "claims", "check --records"])
def test_3_claims_and_check_refuse_a_fifo(work: Path, command: str) -> None:
    fifo = work / "pipe.toml"
    os.mkfifo(fifo)
    if command == "check --records":
        args: list[str | Path] = ["check", CLAIMS, "--records", fifo]
    else:
        args = [command, fifo]
    result = foi(*args, cwd=work)
    no_traceback(result)
    assert result.returncode == 2, result.stderr
    assert len(error_lines(result)) == 1 and "is a FIFO" in result.stderr


@needs_root
def test_3_extract_a_zero_device_is_refused(work: Path) -> None:
    zero = make_device(work, "zero", 1, 5)
    result = foi("extract", zero, "--no-db", "--format", "csv", cwd=work)
    no_traceback(result)
    assert result.returncode == 1
    assert f"{zero}: is a character device, not a regular file" in result.stderr


def test_3_stdin_is_explicit_with_dash(work: Path) -> None:
    result = foi("extract", "-", "--no-db", "--format", "jsonl", cwd=work, stdin=TABLE_CSV)
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    cells = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(c["row"], c["column"], c["value"]) for c in cells][:2] == [
        (["North"], ["2021"], 10),
        (["North"], ["2022"], 20),
    ]
    assert {c["file"] for c in cells} == {"stdin"}


def test_3_stdin_to_stdout(work: Path) -> None:
    result = foi(
        "extract", "-", "--no-db", "--out", "-", "--format", "csv", cwd=work, stdin=TABLE_CSV
    )
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 1 + 4


def test_3_stdin_that_never_ends_hits_the_time_limit(work: Path) -> None:
    fifo = work / "never-ends"
    os.mkfifo(fifo)
    writer = os.open(fifo, os.O_RDWR)  # keeps a writer open: no end of input, ever
    try:
        with open(fifo, "rb") as stdin:
            started = time.monotonic()
            result = subprocess.run(
                [*FOI, "extract", "-", "--no-db", "--max-seconds", "1", "--format", "csv"],
                cwd=work,
                stdin=stdin,
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
            )
    finally:
        os.close(writer)
    assert time.monotonic() - started < TIMEOUT / 2
    no_traceback(result)
    assert result.returncode == 1
    assert "<stdin>: no end of input after 1s" in result.stderr


# --- 16.4 folders of real attachments -------------------------------------------------


def attachments(folder: Path) -> Path:
    """What a WDTK response folder holds besides tables."""
    folder.mkdir()
    (folder / "data.csv").write_text(TABLE_CSV, encoding="utf-8")
    (folder / "README").write_text("Response to FOI 2023/412.\nSee the attached file.\n")
    (folder / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (folder / "letter.eml").write_text(
        "From: foi@police.example\nTo: requester@example.org\nSubject: FOI 412, response\n"
        "Date: Tue, 1 Dec 2026 10:00:00 +0000\n\nDear Sir, please find attached, regards.\n"
    )
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    (folder / "old.doc").write_bytes(ole + "WordDocument".encode("utf-16-le") + bytes(64))
    return folder


def test_4_files_that_are_not_tables_are_skipped_and_do_not_fail_the_run(work: Path) -> None:
    inbox = attachments(work / "inbox")
    result = foi("extract", inbox, "--no-db", "--format", "csv", cwd=work)
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert "4 skipped (not a table format)" in result.stderr
    assert "1 extracted" in result.stderr and "0 failed" in result.stderr
    assert "skipped (not a table format):" not in result.stderr  # listed only with --verbose


def test_4_verbose_lists_the_skipped_files(work: Path) -> None:
    inbox = attachments(work / "inbox")
    result = foi("--verbose", "extract", inbox, "--no-db", "--format", "csv", cwd=work)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    listed = [line for line in lines if line.startswith("skipped (not a table")]
    assert sorted(line.split(": ")[1] for line in listed) == sorted(
        str(inbox / name) for name in ("README", "scan.png", "letter.eml", "old.doc")
    )


def broken_inputs(folder: Path) -> list[Path]:
    folder.mkdir(parents=True)
    xlsx = folder / "broken.xlsx"
    with zipfile.ZipFile(xlsx, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook><sheets><broken")
    cut = folder / "cut.zip"
    with zipfile.ZipFile(cut, "w") as archive:
        archive.writestr("data.csv", TABLE_CSV * 200)
    cut.write_bytes(cut.read_bytes()[:300])
    huge = folder / "huge-field.csv"
    rows = "".join(f"r{n},{n}\n" for n in range(200))
    huge.write_text(f'a,b\n{rows}x,"' + "y" * (1024 * 1024 + 10) + '"\n', encoding="utf-8")
    return [xlsx, cut, huge]


def test_4_failure_lines_name_the_full_path(work: Path) -> None:
    broken = broken_inputs(work / "deep" / "inbox")
    result = foi("extract", work / "deep", "--no-db", "--format", "csv", cwd=work)
    no_traceback(result)
    assert result.returncode == 1
    failed = [line for line in error_lines(result) if line.startswith("failed:")]
    assert len(failed) == 3, result.stderr
    for path in broken:
        assert any(line.startswith(f"failed: {path}:") for line in failed), (path, failed)


# --- 16.5 numbers -----------------------------------------------------------------------

BIG_NUMERATOR = "12345678901234567890123456789012345678"  # 38 digits
BIG_DENOMINATOR = "12345678901234567890123456789012345678901"  # 41 digits


def test_5_rate_keeps_big_integers_exact(work: Path) -> None:
    result = foi("rate", "--json", BIG_NUMERATOR, BIG_DENOMINATOR, cwd=work)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    from fractions import Fraction

    exact = Fraction(int(BIG_NUMERATOR), int(BIG_DENOMINATOR))
    assert data["rate_exact"] == f"{exact.numerator}/{exact.denominator}"
    assert data["numerator"] == int(BIG_NUMERATOR)
    assert data["denominator"] == int(BIG_DENOMINATOR)


def test_5_a_35_digit_count_in_a_csv_stays_exact(work: Path) -> None:
    count = "12345678901234567890123456789012345"
    (work / "big.csv").write_text(f"Area,Count\nNorth,{count}\nSouth,5\n", encoding="utf-8")
    db = work / "foi.db"
    result = foi("extract", "big.csv", "--db", db, "--format", "jsonl", cwd=work)
    assert result.returncode == 0, result.stderr
    cells = {c["row"][0]: c for c in map(json.loads, result.stdout.splitlines())}
    assert cells["North"]["value"] == int(count) and cells["North"]["column"] == ["Count"]
    with sqlite3.connect(db) as conn:
        stored = conn.execute("select value from cells where raw = ?", [count]).fetchone()
    assert str(stored[0]) == count  # the store keeps every digit
    again = foi("extract", "big.csv", "--db", db, "--format", "jsonl", cwd=work)  # from store
    assert int(count) in [json.loads(line)["value"] for line in again.stdout.splitlines()]


def test_5_an_exponent_row_does_not_start_a_new_table(work: Path) -> None:
    (work / "exp.csv").write_text(
        "Area,2021,2022\nA,10,20\nD,1e308,-1e308\nE,5,6\n", encoding="utf-8"
    )
    result = foi("extract", "exp.csv", "--no-db", "--format", "jsonl", cwd=work)
    assert result.returncode == 0, result.stderr
    cells = [json.loads(line) for line in result.stdout.splitlines()]
    assert {c["table"] for c in cells} == {0}
    assert [(c["row"], c["column"], c["raw"]) for c in cells if c["row"] == ["D"]] == [
        (["D"], ["2021"], "1e308"),
        (["D"], ["2022"], "-1e308"),
    ]
    assert len(cells) == 6


def test_5_a_negative_number_says_to_use_double_dash(work: Path) -> None:
    result = foi("rate", "50", "-10", cwd=work)
    assert result.returncode == 2
    assert "foi rate -- 50 -10" in result.stderr


def test_5_negative_numbers_are_accepted_after_double_dash(work: Path) -> None:
    result = foi("rate", "--", "50", "-10", cwd=work)
    no_traceback(result)
    assert result.returncode == 2
    assert error_lines(result) == ["Error: denominator must be positive, got -10"]


# --- 16.6 conflicting options --------------------------------------------------------

CONFLICTS = {
    "extract --json --format": ["extract", "table.csv", "--no-db", "--json", "--format", "table"],
    "extract --json --out -": ["extract", "table.csv", "--no-db", "--json", "--out", "-"],
    "extract --report-hidden --out": ["extract", "table.csv", "--report-hidden", "--out", "x"],
    "check --json --html -": [
        *("check", str(CLAIMS), "--records", "none.jsonl"),
        *("--json", "--html", "-"),
    ],
    "claims --json --out -": ["claims", "article.txt", "--json", "--out", "-"],
}


@pytest.mark.parametrize("case", sorted(CONFLICTS))
def test_6_conflicting_options_are_one_usage_line(work: Path, case: str) -> None:
    result = foi(*CONFLICTS[case], cwd=work)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert len(error_lines(result)) == 1, result.stderr
    assert result.stdout == ""
    assert not (work / "x").exists()


# --- 16.10 smaller things -------------------------------------------------------------


def test_10_dev_stdin_on_a_pipe_points_to_dash(work: Path) -> None:
    result = foi("extract", "/dev/stdin", "--no-db", "--format", "csv", cwd=work, stdin=TABLE_CSV)
    no_traceback(result)
    assert "is empty" not in result.stderr
    assert result.returncode == 1 and "give -" in result.stderr


def test_10_pages_past_the_end_of_a_pdf_are_reported(work: Path) -> None:
    result = foi("extract", PDF, "--no-db", "--pages", "999", "--format", "csv", cwd=work)
    no_traceback(result)
    assert f"{PDF}: --pages 999 skipped: the PDF has 1 page" in result.stderr


def test_10_report_hidden_on_a_pdf_says_it_was_skipped(work: Path) -> None:
    result = foi("extract", PDF, "--report-hidden", cwd=work)
    no_traceback(result)
    assert result.returncode == 0
    assert f"skipped: {PDF}: not a workbook" in result.stderr


def test_10_byte_identical_copies_are_same_as_the_first(work: Path) -> None:
    (work / "copy.csv").write_text(TABLE_CSV, encoding="utf-8")
    result = foi("extract", "table.csv", "copy.csv", "--db", "foi.db", "--format", "csv", cwd=work)
    assert result.returncode == 0, result.stderr
    assert "copy.csv: same as table.csv" in result.stderr
    assert "1 extracted (4 cells), 1 same as an earlier file" in result.stderr
    assert len(result.stdout.splitlines()) == 1 + 4  # header and the cells, once


def test_10_a_copy_of_stdin_is_same_as_stdin(work: Path) -> None:
    result = foi(
        "extract", "-", "table.csv", "--no-db", "--format", "csv", cwd=work, stdin=TABLE_CSV
    )
    assert result.returncode == 0, result.stderr
    assert "table.csv: same as <stdin>" in result.stderr


def test_10_demo_uses_foi_db(work: Path) -> None:
    db = work / "elsewhere.db"
    result = foi(
        "--quiet", "demo", "--out", work / "out", cwd=work, env={"FOI_DB": str(db)}, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert db.exists() and not (work / "out" / "foi.db").exists()
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from cells").fetchone()[0] > 0
    assert "Report: " in result.stdout


def test_10_check_and_demo_spell_report_the_same_way(work: Path) -> None:
    result = foi("check", CLAIMS, "--records", "none.jsonl", "--html", "r.html", cwd=work)
    assert f"Report: {work / 'r.html'}" in result.stderr or "Report: r.html" in result.stderr
    assert "report:" not in result.stderr


def test_10_verdict_table_keeps_claim_ids_whole_at_80_columns(work: Path) -> None:
    result = foi("check", CLAIMS, "--records", "none.jsonl", cwd=work, env={"COLUMNS": "80"})
    ids = [
        line.split('"')[1] for line in CLAIMS.read_text().splitlines() if line.startswith("id =")
    ]
    table = result.stdout.split("Figures")[0]
    assert max(len(line) for line in table.splitlines()) <= 80
    for claim_id in ids:
        assert claim_id in table, f"{claim_id} broken across lines"


def test_10_a_long_extract_prints_progress_lines_in_a_log(work: Path) -> None:
    inbox = work / "inbox"
    inbox.mkdir()
    for number in range(120):
        (inbox / f"f{number:03d}.csv").write_text(f"Area,Count\nNorth,{number}\n")
    result = foi("extract", inbox, "--no-db", "--format", "csv", cwd=work, timeout=300)
    assert result.returncode == 0, result.stderr
    progress = [line for line in result.stderr.splitlines() if line.startswith("extract: ")]
    assert [line.split(" files")[0] for line in progress] == ["extract: 50/120", "extract: 100/120"]
    assert all("left" in line for line in progress)


def run_on_a_terminal(args: list[str], cwd: Path) -> str:
    """Run foi with its stderr on a pseudo-terminal; returns what it drew there."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [*FOI, *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env={**os.environ, "COLUMNS": "120", "TERM": "xterm"},
    )
    os.close(follower)
    drawn = b""
    deadline = time.monotonic() + TIMEOUT
    for chunk in _read_until_closed(leader, deadline):
        drawn += chunk
    process.wait(timeout=TIMEOUT)
    os.close(leader)
    return drawn.decode("utf-8", "replace")


def _read_until_closed(fd: int, deadline: float) -> Iterator[bytes]:
    while time.monotonic() < deadline:
        if select.select([fd], [], [], 1)[0]:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the other side closed (EIO on Linux)
                return
            if not chunk:
                return
            yield chunk


def test_10_the_terminal_bar_shows_an_eta(work: Path) -> None:
    inbox = work / "inbox"
    inbox.mkdir()
    for number in range(8):
        (inbox / f"f{number}.csv").write_text(f"Area,Count\nNorth,{number}\n")
    drawn = run_on_a_terminal(["extract", str(inbox), "--no-db", "--format", "csv"], work)
    assert "8 files: 8 extracted" in drawn
    assert "eta" in drawn and ("-:--:--" in drawn or "0:00:0" in drawn)
