"""Readers that turn the tables in FOI attachments into :class:`~extractor.records.Cell` records.

``read_file(path)`` detects the format from the bytes and dispatches to the reader
registered for it in :data:`READERS`. Every reader has the signature
``reader(path, source, options) -> Iterator[Cell]``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UnsupportedFormat
from ..files import detect_format, sha256_file
from ..records import Cell

if TYPE_CHECKING:
    from .pdf import PdfSettings

LAST_PAGE = -1  # "end" in ExtractOptions.pages; the PDF reader resolves it


@dataclass(frozen=True)
class Source:
    """What a record says about the file it came from."""

    name: str  # basename, or "archive.zip/member.csv" for a zip member
    sha256: str


@dataclass
class ExtractOptions:
    """Settings shared by every reader; readers read only the fields they need."""

    pages: set[int] | None = None  # 1-based page numbers to read (PDF); None = all
    debug_images: Path | None = None  # write PNGs of what was detected (PDF)
    include_hidden: bool = True  # extract hidden sheets/rows/columns, marked hidden
    max_file_bytes: int = 500 * 1024 * 1024
    max_seconds: float = 600.0  # per file
    zip_max_members: int = 1000
    zip_max_total_bytes: int = 2 * 1024 * 1024 * 1024
    zip_max_ratio: float = 200.0
    encoding: str | None = None  # override detection (CSV)
    delimiter: str | None = None  # override detection (CSV)
    sheets: frozenset[str] | None = None  # worksheets to read (workbooks); None = all
    pdf: PdfSettings | None = None  # PDF table-finding knobs; None = the defaults
    xlsx_values: str = "calamine"  # what reads .xlsx cell values: calamine, or openpyxl alone
    zip_depth: int = 0  # how deep inside nested zip archives this file is


Reader = Callable[[Path, Source, ExtractOptions], Iterator[Cell]]
READERS: dict[str, Reader] = {}


def register(*formats: str) -> Callable[[Reader], Reader]:
    def decorate(reader: Reader) -> Reader:
        for fmt in formats:
            READERS[fmt] = reader
        return reader

    return decorate


# Which module registers the reader of each format; imported on first use so that
# reading a CSV never pays for importing pdfplumber.
READER_MODULES: dict[str, str] = {
    "pdf": "pdf",
    "xlsx": "sheets",
    "xlsm": "sheets",
    "xls": "sheets",
    "encrypted": "sheets",
    "ods": "ods",
    "csv": "delimited",
    "docx": "docx",
    "zip": "archive",
    "corrupt-zip": "archive",
    "html": "html",  # HTML tables, e.g. ".xls" exports that are HTML (tables/html.py)
}


def reader_for(fmt: str) -> Reader | None:
    if fmt not in READERS and fmt in READER_MODULES:
        importlib.import_module(f"{__name__}.{READER_MODULES[fmt]}")
    return READERS.get(fmt)


def read_file(
    path: str | Path,
    options: ExtractOptions | None = None,
    source: Source | None = None,
) -> Iterator[Cell]:
    """Yield the cell records of every table in one file, whatever its format."""
    path = Path(path)
    options = options or ExtractOptions()
    source = source or Source(path.name, sha256_file(path))
    fmt = detect_format(path)
    reader = reader_for(fmt)
    if reader is None:
        raise UnsupportedFormat(_unsupported_reason(fmt), str(path))
    yield from reader(path, source, options)


def _unsupported_reason(fmt: str) -> str:
    return {
        "html": "is an HTML page, not a data file (an error or challenge page?)",
        "image": "is an image: no text layer to read tables from",
        "empty": "is empty",
        "unknown": "is not a format FOI Extractor reads (PDF, XLSX, XLS, ODS, CSV, DOCX, ZIP)",
    }.get(fmt, f"has format '{fmt}', which FOI Extractor does not read")


__all__ = [
    "LAST_PAGE",
    "READERS",
    "ExtractOptions",
    "Source",
    "detect_format",
    "read_file",
    "register",
    "sha256_file",
]
