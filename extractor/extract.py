"""The batch runner behind ``foi extract``: many files → cell records → store and stream.

``expand_paths`` turns files, directories (recursively) and globs into a file list;
``extract_files`` reads them (in ``jobs`` worker processes when asked), skips
documents already in the store (same sha256) unless ``force``, writes each
document and its cells to the store in one transaction (the parent process alone
writes), and yields one :class:`FileOutcome` per file, in input order, so the
caller can stream records and show progress. A file that cannot be read gives an
outcome with ``error`` set and the run carries on.
"""

from __future__ import annotations

import glob
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .errors import (
    FoiError,
    LimitExceeded,
    ReadError,
    StoreError,
    UnsupportedFormat,
    UsageError,
)
from .files import MEDIA_TYPES, detect_format, is_stdout, non_regular_kind, sha256_file
from .records import Cell
from .store import Document, Store
from .streaming import CellSink, batched
from .tables import LAST_PAGE, ExtractOptions, Source, read_file

_PAGE_RANGE = re.compile(r"^\s*(\d+|end)\s*(?:-\s*(\d+|end)\s*)?$", re.IGNORECASE)
MAX_PAGE = 20_000  # "3-end" reads pages 3 to this
_GLOB_CHARS = re.compile(r"[*?\[]")


@dataclass
class FileOutcome:
    """What happened to one file."""

    path: Path
    sha256: str = ""
    cells: list[Cell] = field(default_factory=list)
    error: str | None = None
    skipped: bool = False  # already in the store; ``cells`` are the stored ones
    not_table: str | None = None  # why it is not a table format: passed over, not failed
    same_as: Path | None = None  # a byte-identical copy of this earlier file of the run
    notes: list[str] = field(default_factory=list)  # what was passed over inside the file
    read_from: Path | None = None  # where the bytes are, when not ``path`` (standard input)
    streamed: int | None = None  # records sent to a CellSink (``cells`` then stays empty)

    @property
    def cell_count(self) -> int:
        return self.streamed if self.streamed is not None else len(self.cells)


@dataclass
class ExtractSummary:
    files: int = 0
    extracted: int = 0
    skipped: int = 0
    failed: int = 0
    cells: int = 0
    not_tables: int = 0
    copies: int = 0

    def add(self, outcome: FileOutcome) -> None:
        self.files += 1
        if outcome.skipped:
            self.skipped += 1
        elif outcome.error:
            self.failed += 1
        elif outcome.not_table:
            self.not_tables += 1
        elif outcome.same_as is not None:
            self.copies += 1
        else:
            self.extracted += 1
            self.cells += outcome.cell_count

    def __str__(self) -> str:
        parts = [f"{self.extracted} extracted ({self.cells:,} cells)"]
        if self.copies:
            parts.append(f"{self.copies} same as an earlier file")
        if self.not_tables:
            parts.append(f"{self.not_tables} skipped (not a table format)")
        parts += [f"{self.skipped} skipped (already stored)", f"{self.failed} failed"]
        return f"{self.files} file{'s' if self.files != 1 else ''}: " + ", ".join(parts)


def parse_pages(spec: str | None) -> set[int] | None:
    """``"1-3,7,end"`` → {1, 2, 3, 7, LAST_PAGE}; None or empty → None (all pages)."""
    if not spec:
        return None
    pages: set[int] = set()
    for part in spec.split(","):
        match = _PAGE_RANGE.match(part)
        if not match:
            raise UsageError(
                f"'{part.strip()}' is not a page or range like 1-3,7,end", setting="pages"
            )
        first, last = match[1].lower(), (match[2] or match[1]).lower()
        if first == "end":
            if last != "end":
                raise UsageError(f"'{part.strip()}' is not a valid range", setting="pages")
            pages.add(LAST_PAGE)
            continue
        stop = MAX_PAGE if last == "end" else int(last)
        if int(first) < 1 or stop < int(first):
            raise UsageError(
                f"'{part.strip()}' is not a valid range (pages start at 1)", setting="pages"
            )
        pages.update(range(int(first), min(stop, MAX_PAGE) + 1))  # "1-99999999999" stays small
        if last == "end":
            pages.add(LAST_PAGE)
    return pages


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, directories walked recursively, globs expanded; sorted, no repeats."""
    found: list[Path] = []
    for given in paths:
        text = str(given)
        if _GLOB_CHARS.search(text) and not Path(text).exists():
            matches = [Path(m) for m in sorted(glob.glob(text, recursive=True))]
            if not matches:
                raise UsageError(f"{text}: no file matches this pattern")
        else:
            matches = [Path(text)]
        for path in matches:
            if path.is_dir():
                found.extend(
                    sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
                )
            else:
                found.append(path)  # a missing file fails on its own line; the batch goes on
    seen: set[Path] = set()
    unique = []
    for path in found:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


@contextmanager
def time_limit(seconds: float, path: Path) -> Iterator[None]:
    """Stop reading a file after ``seconds``, even inside one slow page (a hostile
    content stream). Uses SIGALRM, so only in a main thread (workers are processes);
    elsewhere the readers' own per-page checks remain."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable or seconds <= 0:
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise LimitExceeded(f"took longer than {seconds:g}s", str(path))

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


STDIN = Path("-")  # ``foi extract -`` reads standard input

# Formats FOI Extractor does not read tables from: such files are passed over, not failed.
NOT_TABLE_FORMATS = {
    "image": "an image",
    "email": "an e-mail message",
    "doc": "an old Word .doc file",
    "odt": "an OpenDocument text file",
    "ole": "an Office file that is not a workbook",
    "unknown": "not a format FOI Extractor reads",
}


def extract_one(
    path: Path,
    options: ExtractOptions,
    sha256: str = "",
    collect: Callable[[Iterable[Cell]], list[Cell]] = list,
    read_from: Path | None = None,
) -> FileOutcome:
    """Read one file completely; errors become ``outcome.error`` (safe in a worker process).

    ``collect`` receives the reader's records (by default they are kept in a list);
    ``read_from`` is where the bytes are when that is not ``path`` (standard input is
    first copied to a temporary file)."""
    outcome = FileOutcome(path, sha256, read_from=read_from)
    source_path = read_from or path
    name = "stdin" if path == STDIN else path.name
    fmt = ""
    try:
        size = source_path.stat().st_size
        if size > options.max_file_bytes:
            raise LimitExceeded(
                f"is {size:,} bytes, over the {options.max_file_bytes:,}-byte limit", name
            )
        outcome.sha256 = sha256 or sha256_file(source_path)
        fmt = _format(source_path)
        if fmt in NOT_TABLE_FORMATS:
            outcome.not_table = NOT_TABLE_FORMATS[fmt]
            return outcome
        source = Source(name, outcome.sha256)
        with time_limit(options.max_seconds, path):
            outcome.cells = collect(read_file(source_path, options, source))
        if fmt == "pdf" and options.pages:
            outcome.notes = pages_not_in(source_path, options.pages)
    except UnsupportedFormat as exc:
        if fmt in ("csv", "html"):  # text or a page with no table in it: a README, a letter
            outcome.not_table, outcome.cells = str(exc.args[0]), []
        else:
            outcome.error, outcome.cells = _with_full_path(exc, path, name), []
    except FoiError as exc:
        outcome.error, outcome.cells = _with_full_path(exc, path, name), []
    except (OSError, MemoryError, RecursionError) as exc:
        outcome.error, outcome.cells = (
            f"{shown(path)}: cannot be read ({type(exc).__name__}: {exc})",
            [],
        )
    except _NotTheFile:
        raise  # the store or the output failed, not this file
    except Exception as exc:  # a reader library failing on hostile bytes
        # (python-docx on a document.xml that is not a Word body): one line, the batch goes on
        reader = f"the {fmt} reader" if fmt else "its reader"
        outcome.error = (
            f"{shown(path)}: is damaged or not what it seems: {reader} failed on it "
            f"({type(exc).__name__}: {exc})"
        )
        outcome.cells = []
    return outcome


def shown(path: Path) -> str:
    """How a file is named in messages: as given, or ``<stdin>``."""
    return "<stdin>" if path == STDIN else str(path)


def _with_full_path(exc: FoiError, path: Path, name: str) -> str:
    """The error with the file named as the user gave it (readers know only the basename;
    a zip member is ``archive.zip/member.csv``)."""
    if isinstance(exc, ReadError) and exc.path and (exc.path + "/").startswith(name + "/"):
        exc.path = shown(path) + exc.path[len(name) :]
    message = str(exc)
    return message if message.startswith(shown(path)) else f"{shown(path)}: {message}"


def pages_not_in(path: Path, pages: set[int]) -> list[str]:
    """A note when ``pages`` asks for pages past the end of a PDF (they are skipped)."""
    if LAST_PAGE in pages:
        return []  # "3-end" asks for everything after 3, however many there are
    try:
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            total = len(pdf.pages)
    except Exception:  # only a courtesy: the reader reports real errors
        return []
    missing = sorted(p for p in pages if p > total)
    if not missing:
        return []
    listed = _ranges(missing)
    return [f"`pages` {listed} skipped: the PDF has {total} page{'s' if total != 1 else ''}"]


def _ranges(numbers: list[int]) -> str:
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def _document(outcome: FileOutcome) -> Document:
    path = outcome.read_from or outcome.path
    fmt = _format(path)
    return Document(
        sha256=outcome.sha256,
        name="stdin" if outcome.path == STDIN else path.name,
        media_type=MEDIA_TYPES.get(fmt, fmt),
        size=path.stat().st_size if path.exists() else None,
        path=str(outcome.path),
    )


def _format(path: Path) -> str:
    try:
        return detect_format(path)
    except OSError:
        return "unknown"


def _store_outcome(store: Store, outcome: FileOutcome) -> None:
    if not outcome.sha256 or outcome.not_table or outcome.same_as is not None:
        return  # nothing to key on, nothing to keep, or already stored under the first name
    if outcome.error:
        store.record_failure(_document(outcome), outcome.error)
    elif outcome.streamed is None:  # a streamed document was stored as it was read
        store.add_document(_document(outcome), outcome.cells)


def _hash_or_error(path: Path) -> tuple[str, str | None]:
    kind = non_regular_kind(path)
    if kind:  # reading a FIFO, /dev/zero or a terminal could block or never end
        return "", f"{path}: is {kind}, not a regular file (to read standard input, give -)"
    try:
        return sha256_file(path), None
    except FileNotFoundError:
        return "", f"{path}: no such file or directory"
    except IsADirectoryError:
        return "", f"{path}: is a folder"
    except OSError as exc:
        return "", f"{path}: cannot be read ({exc.strerror or exc})"


def not_saved_files(paths: list[Path]) -> dict[Path, str]:
    """The paths that are standard input, a FIFO or a device, with what each is."""
    kinds = {path: "standard input" if path == STDIN else non_regular_kind(path) for path in paths}
    return {path: kind for path, kind in kinds.items() if kind}


def spool_stdin(folder: Path, limit: int, seconds: float) -> tuple[Path | None, str | None]:
    """Copy standard input to ``folder/stdin`` under the size limit and the time limit;
    returns the copy, or why it could not be made."""
    import select
    import sys
    import time

    if sys.stdin is None or sys.stdin.isatty():
        return None, "<stdin>: standard input is a terminal; pipe a file in (foi extract - < file)"
    fd = sys.stdin.fileno()
    target = folder / "stdin"
    deadline = time.monotonic() + seconds
    size = 0
    with open(target, "wb") as out:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return None, f"<stdin>: no end of input after {seconds:g}s"
            chunk = os.read(fd, 1024 * 1024)
            if not chunk:
                return target, None
            size += len(chunk)
            if size > limit:
                return None, f"<stdin>: is over the {limit:,}-byte limit"
            out.write(chunk)


def extract_files(
    paths: list[Path],
    options: ExtractOptions | None = None,
    store: Store | None = None,
    force: bool = False,
    jobs: int = 1,
    sink: CellSink | None = None,
) -> Iterator[FileOutcome]:
    """Extract every file; yields one outcome per file, in order, after storing it.

    With a ``sink``, each document's records go to it (and to the store) in bounded
    batches as they are read, all or nothing per document, and outcomes carry only
    their count (``streamed``): memory no longer grows with the size of a document.
    Bad options raise :class:`UsageError` here, before any file is read or output written."""
    options = options or ExtractOptions()
    check_options(options, jobs)
    return _extract_all(paths, options, store, force, jobs, sink)


def check_output(out: Path | None, files: list[Path]) -> None:
    """Refuse an ``out`` that is one of the inputs: writing it would destroy what is read."""
    if out is None or is_stdout(out):
        return
    target = out.resolve()
    for path in files:
        if path.resolve() == target:
            raise UsageError(f"{out} is also an input file; choose another name", setting="out")


def refuse_conflicts(
    as_json: bool, fmt: str | None, out: Path | None, report_hidden: bool, pages: str | None
) -> None:
    """One usage error for options that cannot work together (rather than one silently
    winning, or two outputs mixed on one stdout)."""
    to_stdout = out is None or is_stdout(out)
    if as_json and fmt and to_stdout:
        raise UsageError(
            "prints the counts on stdout: records in a `fmt` need an `out` file", setting="as_json"
        )
    if as_json and is_stdout(out):
        raise UsageError("and `out` - both write to stdout: choose one", setting="as_json")
    if report_hidden:
        for name, given in (("fmt", fmt), ("out", out), ("pages", pages)):
            if given is not None:
                raise UsageError(
                    f"lists what workbooks hide; it takes no `{name}`", setting="report_hidden"
                )


def check_options(options: ExtractOptions, jobs: int = 1) -> None:
    """Raise UsageError for an option no file could be read with (rather than failing each file)."""
    from .tables.delimited import check_encoding, resolve_delimiter

    if jobs < 1:
        raise UsageError("must be at least 1", setting="jobs")
    if not options.max_seconds > 0:
        raise UsageError(f"must be more than 0, not {options.max_seconds:g}", setting="max_seconds")
    resolve_delimiter(options.delimiter)
    if options.encoding is not None:
        check_encoding(options.encoding)
    if options.debug_images is not None:
        try:
            options.debug_images.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(
                f"{options.debug_images}: cannot create the folder ({exc.strerror or exc})",
                setting="debug_images",
            ) from None


def _extract_all(
    paths: list[Path],
    options: ExtractOptions,
    store: Store | None,
    force: bool,
    jobs: int,
    sink: CellSink | None = None,
) -> Iterator[FileOutcome]:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="foi-stdin-") as spool:
        todo: list[tuple[Path, str, Path | None]] = []
        ready: dict[int, FileOutcome] = {}
        first_of: dict[str, Path] = {}  # sha256 -> the first file of this run with those bytes
        for index, path in enumerate(paths):
            prepared = _prepare(path, options, store, force, first_of, Path(spool))
            if isinstance(prepared, FileOutcome):
                ready[index] = prepared
            else:
                todo.append(prepared)
        results = _run(todo, options, jobs, store, sink)
        for index, path in enumerate(paths):
            outcome = ready.get(index) or next(results)
            if outcome.path != path:  # defensive: results come back in submission order
                raise RuntimeError(f"internal error: result for {outcome.path}, expected {path}")
            if store is not None and not outcome.skipped:
                _store_outcome(store, outcome)
            if outcome.skipped and store is not None:
                _deliver_stored(outcome, store, sink)
            elif sink is not None and outcome.streamed is None and _has_records(outcome):
                _deliver(outcome, sink)
            yield outcome


def _has_records(outcome: FileOutcome) -> bool:
    return not (outcome.error or outcome.not_table or outcome.same_as is not None)


def _prepare(
    path: Path,
    options: ExtractOptions,
    store: Store | None,
    force: bool,
    first_of: dict[str, Path],
    spool: Path,
) -> FileOutcome | tuple[Path, str, Path | None]:
    """The outcome of a file that needs no reading (missing, a copy, already stored), or
    the job to read it: (path, sha256, where its bytes are when not at ``path``)."""
    read_from: Path | None = None
    if path == STDIN:
        read_from, error = spool_stdin(spool, options.max_file_bytes, options.max_seconds)
        sha256 = sha256_file(read_from) if read_from else ""
    else:
        sha256, error = _hash_or_error(path)
    if error:
        return FileOutcome(path, error=error)
    if sha256 in first_of:
        return FileOutcome(path, sha256, same_as=first_of[sha256])
    first_of[sha256] = path
    if store is not None and not force and store.has_document(sha256):
        # not read again, but its stored records still go to the output (read when due)
        return FileOutcome(path, sha256, skipped=True, read_from=read_from)
    return path, sha256, read_from


def _run(
    todo: list[tuple[Path, str, Path | None]],
    options: ExtractOptions,
    jobs: int,
    store: Store | None = None,
    sink: CellSink | None = None,
) -> Iterator[FileOutcome]:
    if sink is not None and (jobs == 1 or len(todo) < 2):
        for path, sha256, read_from in todo:
            yield stream_one(path, options, sha256, store, sink, read_from)
        return
    if jobs == 1 or len(todo) < 2:
        for path, sha256, read_from in todo:
            yield extract_one(path, options, sha256, read_from=read_from)
        return
    workers = min(jobs, len(todo), os.cpu_count() or jobs)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_extract_job, [(p, options, s, r) for p, s, r in todo], chunksize=1)


def _extract_job(job: tuple[Path, ExtractOptions, str, Path | None]) -> FileOutcome:
    path, options, sha256, read_from = job
    return extract_one(path, options, sha256, read_from=read_from)


class _NotTheFile(Exception):
    """An error of the store or the output met while reading a file: not the file's fault,
    so it must not become that file's error (it is raised again, as itself, by stream_one)."""


class _Streamer:
    """``collect`` for :func:`extract_one` that sends the records on in batches: into the
    store inside the document's transaction, and to the sink."""

    def __init__(
        self,
        path: Path,
        sha256: str,
        store: Store | None,
        sink: CellSink,
        read_from: Path | None = None,
    ) -> None:
        self.path, self.sha256, self.store, self.sink = path, sha256, store, sink
        self.read_from = read_from
        self.count = 0

    def __call__(self, cells: Iterable[Cell]) -> list[Cell]:
        self.count = 0
        if self.store is None:
            self._send(cells, None)
            return []
        document = _document(FileOutcome(self.path, self.sha256, read_from=self.read_from))
        try:
            with self.store.document_writer(document) as write:
                self._send(cells, write)
        except StoreError as exc:  # the commit failed
            raise _NotTheFile() from exc
        return []

    def _send(self, cells: Iterable[Cell], write: Callable[[list[Cell]], int] | None) -> None:
        for batch in batched(cells):
            try:
                if write is not None:
                    write(batch)
                self.sink.write(batch)
            except (StoreError, OSError) as exc:
                raise _NotTheFile() from exc
            self.count += len(batch)


def stream_one(
    path: Path,
    options: ExtractOptions,
    sha256: str,
    store: Store | None,
    sink: CellSink,
    read_from: Path | None = None,
) -> FileOutcome:
    """Read one file, its records going to the store and ``sink`` in batches as they are
    read; a file that fails leaves nothing in either (the store keeps an earlier import)."""
    streamer = _Streamer(path, sha256, store, sink, read_from)
    sink.begin(path)
    try:
        outcome = extract_one(path, options, sha256, streamer, read_from)
    except _NotTheFile as exc:
        sink.rollback()
        raise exc.__cause__ from None  # type: ignore[misc]
    except BaseException:
        sink.rollback()
        raise
    if outcome.error:
        sink.rollback()
    else:
        sink.commit()
        outcome.streamed = streamer.count
    return outcome


def _deliver(outcome: FileOutcome, sink: CellSink) -> None:
    """Send the records of a document read whole (by a worker process) to the sink."""
    if outcome.error:
        return
    sink.begin(outcome.path)
    for batch in batched(outcome.cells):
        sink.write(batch)
    sink.commit()
    outcome.streamed, outcome.cells = len(outcome.cells), []


def _deliver_stored(outcome: FileOutcome, store: Store, sink: CellSink | None) -> None:
    """The records of a document already in the store: to the sink in batches, or kept."""
    stored = store.cells("sha256 = ?", [outcome.sha256])
    if sink is None:
        outcome.cells = list(stored)
        return
    sink.begin(outcome.path)
    count = 0
    for batch in batched(stored):
        sink.write(batch)
        count += len(batch)
    sink.commit()
    outcome.streamed = count


def progress_lines(
    outcomes: Iterable[FileOutcome],
    total: int,
    write: Callable[[str], None],
    every_files: int = 50,
    every_seconds: float = 10.0,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[FileOutcome]:
    """Pass outcomes through, writing ``extract: 50/200 files, 12s, about 36s left`` every
    ``every_files`` files or ``every_seconds`` seconds: progress for a log, not a terminal."""
    start = last = clock()
    for done, outcome in enumerate(outcomes, start=1):
        yield outcome
        now = clock()
        if done < total and (done % every_files == 0 or now - last >= every_seconds):
            last = now
            left = (now - start) / done * (total - done)
            write(f"extract: {done}/{total} files, {now - start:.0f}s, about {left:.0f}s left")


def output_format(fmt: str | None, out: Path | None) -> str | None:
    """The record format: as given, else from the ``out`` extension (.csv, .jsonl, .txt)."""
    if fmt:
        if fmt not in ("jsonl", "csv", "table"):
            raise UsageError(f"must be jsonl, csv or table, not '{fmt}'", setting="fmt")
        return fmt
    if out is None:
        return None
    suffix = out.suffix.lower()
    return {
        ".csv": "csv",
        ".jsonl": "jsonl",
        ".ndjson": "jsonl",
        ".json": "jsonl",
        ".txt": "table",
    }.get(suffix, "jsonl")


__all__ = [
    "ExtractSummary",
    "FileOutcome",
    "expand_paths",
    "extract_files",
    "extract_one",
    "output_format",
    "parse_pages",
]
