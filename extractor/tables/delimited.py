"""CSV, TSV and delimited ``.txt`` files to cell records.

The encoding (UTF-8 with or without BOM, UTF-16 with BOM, else cp1252) and the
delimiter (``,`` ``;`` tab ``|``) are detected from a sample of the bytes, unless
``ExtractOptions.encoding`` / ``.delimiter`` override them. Rows stream through
the same table finder as spreadsheets (:mod:`extractor.tables.layout`), so a title
line above the header, notes under the table and several tables separated by blank
lines read the same way. ``cell`` is a spreadsheet-style reference (``C7`` is the
third field of the seventh record).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import CorruptDocument, UnsupportedFormat, UsageError
from ..records import Cell
from ..values import Parsed
from . import ExtractOptions, Source, register
from .grid import GridCell
from .layout import (
    Deadline,
    Row,
    check_file_size,
    column_letters,
    layout_grids,
    table_records,
    text_cell,
)

_SEP_LINE = re.compile(r"^sep=(.)$")
SAMPLE_BYTES = 256 * 1024
SAMPLE_LINES = 60
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
MAX_FIELD_BYTES = 1024 * 1024


def detect_encoding(sample: bytes) -> str:
    """utf-8-sig, utf-16, utf-8 or cp1252, from a sample of the file's first bytes."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"  # a character cut by the end of the sample
    return "cp1252"


def _field_counts(lines: list[str], delimiter: str) -> list[int]:
    try:
        return [len(row) for row in csv.reader(lines, delimiter=delimiter) if row]
    except csv.Error:
        return []


def detect_delimiter(text: str) -> tuple[str, int]:
    """The delimiter that splits most sample lines into the same number (>1) of fields,
    and the table's width: the widest field count that several lines share (a statistics
    export's metadata block of two-field lines does not narrow its table). Excel's
    ``sep=;`` first line says the delimiter outright."""
    lines = [line for line in text.splitlines()[:SAMPLE_LINES] if line.strip()]
    hint = _SEP_LINE.match(lines[0].lstrip("\ufeff")) if lines else None
    if hint:
        counts = [n for n in _field_counts(lines[1:], hint[1]) if n > 1]
        return hint[1], _table_width(counts)
    best, best_score, best_counts = ",", (0, 1), list[int]()
    for delimiter in DELIMITERS:
        counts = [n for n in _field_counts(lines, delimiter) if n > 1]
        if not counts:
            continue
        width, rows = Counter(counts).most_common(1)[0]
        score = (rows, width)
        if score > best_score:
            best, best_score, best_counts = delimiter, score, counts
    # most lines must split (titles, notes and blank lines aside), or it is prose
    if best_score[0] < 1 or len(best_counts) * 2 < len(lines):
        raise UnsupportedFormat("is plain text, not delimited (CSV) data")
    return best, _table_width(best_counts)


def _table_width(counts: list[int]) -> int:
    """The widest field count shared by at least three lines (or the commonest one)."""
    if not counts:
        return 1
    tally = Counter(counts)
    shared = [width for width, rows in tally.items() if rows >= 3]
    return max(shared) if shared else tally.most_common(1)[0][0]


def resolve_delimiter(option: str | None) -> str | None:
    if option is None:
        return None
    delimiter = DELIMITER_NAMES.get(option.lower(), option)
    if len(delimiter) != 1:
        raise UsageError(
            f"a delimiter is one character or 'tab', not {option!r}", setting="delimiter"
        )
    return delimiter


def check_encoding(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise UsageError(
            f"unknown encoding {name!r} (try utf-8 or cp1252)", setting="encoding"
        ) from None


_LEGEND_SYMBOL = re.compile(r"^(?:[^\w\s]{1,3}|\[\w{1,2}\]|[a-z])$", re.I)
_LEGEND_FLAGS = (
    (re.compile(r"\bnot\s+applicable\b", re.I), "not_applicable"),
    (
        re.compile(r"\bnot\s+(?:available|known|collected)\b|\bunavailable\b|\bno\s+data\b", re.I),
        "not_available",
    ),
    (re.compile(r"suppress|disclos|confidential|\b(?:less|fewer)\s+than\b", re.I), "suppressed"),
    (re.compile(r"\bredact", re.I), "redacted"),
)


def legend_entry(fields: list[str]) -> tuple[str, str] | None:
    """``(symbol, flag)`` from a legend line such as ``".","The data item is not applicable."``."""
    filled = [f.strip() for f in fields if f.strip()]
    if len(filled) != 2 or not _LEGEND_SYMBOL.match(filled[0]):
        return None
    for pattern, flag in _LEGEND_FLAGS:
        if pattern.search(filled[1]):
            return filled[0], flag
    return None


def find_legend(lines: Iterable[str], delimiter: str) -> dict[str, str]:
    """The markers a file defines in its own legend (the legend decides their flag)."""
    legend: dict[str, str] = {}
    candidates = [line for line in lines if len(line) < 500 and line.count(delimiter) >= 1]
    try:
        for fields in csv.reader(candidates, delimiter=delimiter):
            entry = legend_entry(fields)
            if entry is not None:
                legend.setdefault(*entry)
    except csv.Error:
        return legend
    return legend


def _rows(
    reader: Iterator[list[str]], width: int, delimiter: str, legend: dict[str, str] | None = None
) -> Iterator[Row]:
    letters: list[str] = []
    in_preamble = True
    for number, fields in enumerate(reader, start=1):
        if number == 1 and len(fields) == 1 and _SEP_LINE.match(fields[0]):
            continue  # Excel's "sep=;" hint line
        if in_preamble and len(fields) >= width:
            in_preamble = False
        elif in_preamble and len(fields) > 1:
            fields = [delimiter.join(fields)]  # a title line with a comma in it is one line
        while len(letters) < len(fields):
            letters.append(column_letters(len(letters)))
        suffix = str(number)
        row: Row = [text_cell(value, letters[j] + suffix) for j, value in enumerate(fields)]
        if legend and legend_entry(fields) is None:
            for j, value in enumerate(fields):
                flag = legend.get(value.strip())
                if flag is not None and row[j] is not None:
                    row[j] = GridCell(value, Parsed(None, None, flag), None, letters[j] + suffix)
        while row and row[-1] is None:
            row.pop()
        yield row


@register("csv")
def read_delimited(path: Path, source: Source, options: ExtractOptions) -> Iterator[Cell]:
    check_file_size(path, source.name, options)
    with open(path, "rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    encoding = check_encoding(options.encoding) if options.encoding else detect_encoding(sample)
    text_sample = sample.decode(encoding, errors="replace")
    try:
        delimiter, width = detect_delimiter(text_sample)
    except UnsupportedFormat as exc:
        if not options.delimiter:
            raise UnsupportedFormat(str(exc.args[0]), source.name) from None
        delimiter, width = ",", 1
    if options.delimiter:
        delimiter = resolve_delimiter(options.delimiter)  # type: ignore[assignment]
        width = 1
    legend = find_legend(_edges(path, sample, encoding), delimiter)
    csv.field_size_limit(MAX_FIELD_BYTES)
    deadline = Deadline(options.max_seconds, source.name)
    with open(path, encoding=encoding, errors="replace", newline="") as handle:
        reader = csv.reader(_strip_nul(handle), delimiter=delimiter)
        try:
            rows = _rows(reader, width, delimiter, legend)
            yield from table_records(layout_grids(rows, deadline=deadline), source)
        except csv.Error as exc:
            raise CorruptDocument(
                f"is not valid CSV near record {reader.line_num} ({exc}); "
                "give its delimiter or encoding",
                source.name,
            ) from None


def _edges(path: Path, head: bytes, encoding: str) -> list[str]:
    """The lines of a file's first and last ``SAMPLE_BYTES``, where legends are printed."""
    with open(path, "rb") as handle:
        handle.seek(0, io.SEEK_END)
        size = handle.tell()
        handle.seek(max(len(head), size - SAMPLE_BYTES))
        tail = handle.read()
    text = head.decode(encoding, errors="replace") + "\n" + tail.decode(encoding, errors="replace")
    return text.splitlines()


def _strip_nul(handle: io.TextIOBase) -> Iterator[str]:
    for line in handle:
        yield line.replace("\x00", "") if "\x00" in line else line
