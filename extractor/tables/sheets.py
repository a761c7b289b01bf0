"""Excel workbooks (.xlsx/.xlsm with openpyxl, .xls with xlrd) to cell records.

Every sheet is streamed row by row (openpyxl read-only mode), so memory stays flat
on big sheets. What read-only mode does not give (merged ranges, hidden rows and
columns, formulas with no cached value) comes from a quick scan of the sheet's XML
(:func:`scan_sheet_xml`). Cached formula results are read (``data_only``); a formula
with no cached value becomes a record with ``flag="formula_no_value"``.

Typed values become records as the sheet displays them (:mod:`.numfmt` applies the
number format): 226843 formatted ``#,##0,`` is 227, ``0.123`` formatted ``0.0%`` is
12.3 with unit ``percent``, a ``£`` format gives unit ``gbp``, a date formatted
``mmm-yy`` is the text ``Jan-21``, and a format that shows only a literal (``"*"``,
``"-"``) reads as that marker. The stored value, where it differs, is kept in the
record's ``extra["stored"]``.
Tables on each sheet are found by :mod:`extractor.tables.layout`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any, TypeVar

from ..errors import CorruptDocument, EncryptedDocument, ReadError, UnsupportedFormat
from ..records import Cell
from ..values import Parsed
from . import ExtractOptions, Source, numfmt, register
from .archive import check_zip_limits, open_zip
from .grid import GridCell
from .layout import (
    Deadline,
    Row,
    cached_parse,
    check_file_size,
    column_letters,
    layout_grids,
    relaxed_gc,
    table_records,
    text_cell,
)

EXCEL_ERRORS = frozenset(
    {"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
)
MAX_MERGE_CELLS = 100_000  # cells filled from merged ranges per sheet; beyond that, anchors only

_CELL_REF = re.compile(r"([A-Z]{1,3})(\d+)")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+\d+):([A-Z]+\d+)"')
# hidden, or squeezed to zero height: both keep their data out of sight
_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\b(?:hidden="(?:1|true)"|ht="0(?:\.0*)?")[^>]*>')
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_COL = re.compile(rb"<(?:\w+:)?col\b[^>]*>")
_COL_ATTRS = re.compile(rb'\b(min|max|hidden|width)="([^"]*)"')
# a cell holding a formula and no <v> value (an empty <v/> counts as none)
_FORMULA_NO_VALUE = re.compile(
    rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+\d+)"[^>]*>\s*'
    rb"<(?:\w+:)?f\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?f>)\s*(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v></(?:\w+:)?v>)?\s*"
    rb"</(?:\w+:)?c>"
)


def split_ref(ref: str) -> tuple[int, int]:
    """``"C7"`` → (row 7, column 3), both 1-based."""
    match = _CELL_REF.fullmatch(ref)
    if not match:
        raise ValueError(ref)
    column = 0
    for letter in match[1]:
        column = column * 26 + ord(letter) - 64
    return int(match[2]), column


@dataclass
class SheetScan:
    """What read-only mode does not tell: merges, hidden rows/columns, formulas without values."""

    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1
    hidden_rows: set[int] = field(default_factory=set)  # 1-based
    hidden_cols: set[int] = field(default_factory=set)  # 1-based
    formulas_no_value: dict[str, str] = field(default_factory=dict)  # ref → formula


SCAN_CHUNK = 4 * 1024 * 1024


def scan_sheet_xml(data: bytes, scan: SheetScan | None = None) -> SheetScan:
    """Add what one piece of sheet XML says about merges, hidden rows/columns and formulas."""
    scan = scan if scan is not None else SheetScan()
    if (
        b"mergeCell" not in data
        and b'hidden="' not in data
        and b"<f" not in data
        and b":f" not in data
        and b'ht="0' not in data
        and b'width="0' not in data
    ):
        return scan  # the common case, decided without a regex pass over the sheet
    for match in _MERGE.finditer(data):
        (r0, c0), (r1, c1) = split_ref(match[1].decode()), split_ref(match[2].decode())
        scan.merges.append((r0, c0, r1, c1))
    for match in _HIDDEN_ROW.finditer(data):
        number = _ROW_NUMBER.search(match[0])
        if number:
            scan.hidden_rows.add(int(number[1]))
    for match in _COL.finditer(data):
        attrs = {k.decode(): v.decode() for k, v in _COL_ATTRS.findall(match[0])}
        zero_width = attrs.get("width", "1").strip("0.") == ""
        if (attrs.get("hidden") in ("1", "true") or zero_width) and "min" in attrs:
            low, high = int(attrs["min"]), int(attrs.get("max", attrs["min"]))
            scan.hidden_cols.update(range(low, min(high, 16384) + 1))
    if b"<f" in data or b":f" in data:
        for match in _FORMULA_NO_VALUE.finditer(data):
            formula = (match[2] or b"").decode("utf-8", "replace")
            scan.formulas_no_value[match[1].decode()] = "=" + formula if formula else "="
    return scan


def _safe_cut(data: bytes) -> int:
    """Where a piece of sheet XML may be cut without splitting a cell: after a row's end,
    or after any tag outside the rows; inside one long row, wait for more (up to a limit)."""
    end = data.rfind(b"</row>")
    if end >= 0:
        return end + len(b"</row>")
    in_a_row = b"<row" in data or b":row" in data
    if not in_a_row or len(data) > 16 * SCAN_CHUNK:
        return data.rfind(b">") + 1
    return 0


def scan_sheet_part(archive: zipfile.ZipFile, part: str | None) -> SheetScan:
    """Scan a sheet's XML in chunks cut at row ends, so a huge sheet is never held whole."""
    scan = SheetScan()
    if not part:
        return scan
    try:
        stream = archive.open(part.lstrip("/"))
    except KeyError:
        return scan
    with stream:
        tail = b""
        while chunk := stream.read(SCAN_CHUNK):
            data = tail + chunk
            cut = _safe_cut(data)
            scan_sheet_xml(data[:cut], scan)
            tail = data[cut:]
        scan_sheet_xml(tail, scan)
    return scan


# ---------------------------------------------------------------------------
# typed values → shown text and parsed value
# ---------------------------------------------------------------------------


def as_number(value: float) -> int | float:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def plain_number_text(value: int | float) -> str:
    number = as_number(value)
    return str(number) if isinstance(number, int) else repr(number)


@functools.lru_cache(maxsize=65536, typed=True)
def general_number(value: int | float) -> tuple[str, Parsed]:
    """Text and parsed value of a number in the General format; cached, as sheets repeat
    numbers (typed, so 1 and 1.0 stay apart; 0.0 and -0.0 both show as 0)."""
    shown = numfmt.general(value)
    return shown.text, Parsed(shown.value)


_SYMBOLS = str.maketrans("", "", "£$€ ")


def number_cell(value: float, fmt: str | None) -> tuple[str, Parsed]:
    """The text a number is shown as, and the value, unit and flag read from that text
    (a format that shows only a literal, such as ``"-"`` for zero, reads as that marker)."""
    if not fmt or fmt == "General":
        return general_number(value)
    shown = numfmt.format_number(value, fmt)
    if shown.value is None:
        marker = cached_parse(shown.text.translate(_SYMBOLS) or shown.text)
        return shown.text, marker if marker.flag else cached_parse(shown.text)
    return shown.text, Parsed(shown.value, shown.unit)


def excel_format(fmt_id: int, code: str | None) -> str | None:
    """A cell's format code, with locale-dependent built-ins as a UK copy of Excel shows them."""
    return numfmt.LOCALE_FORMATS.get(fmt_id, code)


def typed_cell(value: Any, fmt: str | None, ref: str, hidden: bool) -> GridCell | None:
    """A GridCell for a typed spreadsheet value, or None when the cell is blank."""
    if value is None:
        return None
    if isinstance(value, str):
        if value in EXCEL_ERRORS:  # a formula that failed: no value to report
            return GridCell(
                text=value, parsed=Parsed(None, None, "not_available"), ref=ref, hidden=hidden
            )
        return text_cell(value, ref, hidden)
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
        return GridCell(text=text, parsed=Parsed(text), ref=ref, hidden=hidden)
    if isinstance(value, int | float):
        text, parsed = number_cell(value, fmt)
        stored = None if parsed.value == value and parsed.unit != "percent" else value
        return GridCell(text=text, parsed=parsed, ref=ref, hidden=hidden, stored=stored)
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        text = numfmt.format_date(value, fmt)
        iso = str(value) if isinstance(value, dt.timedelta) else value.isoformat()
        iso = iso.removesuffix("T00:00:00")
        return GridCell(
            text=text,
            parsed=Parsed(text),
            ref=ref,
            hidden=hidden,
            stored=iso if iso != text else None,
        )
    return text_cell(str(value), ref, hidden)


# ---------------------------------------------------------------------------
# merged ranges: covered cells repeat a label anchor's text
# ---------------------------------------------------------------------------


class MergeFiller:
    """Fill the cells covered by a merged range with the anchor's text (labels only)."""

    def __init__(
        self, merges: list[tuple[int, int, int, int]], max_col: int, first_col: int = 1
    ) -> None:
        self.covered: dict[int, list[tuple[int, tuple[int, int]]]] = {}
        self.anchors: set[tuple[int, int]] = set()
        budget = MAX_MERGE_CELLS
        for r0, c0, r1, c1 in merges:
            if r0 == r1 and c0 <= first_col:
                continue  # a row label or title spanning the first columns reads once
            self.anchors.add((r0, c0))
            for r in range(r0, r1 + 1):
                for c in range(c0, min(c1, max_col) + 1):
                    if (r, c) != (r0, c0) and budget > 0:
                        self.covered.setdefault(r, []).append((c, (r0, c0)))
                        budget -= 1
        self.seen: dict[tuple[int, int], GridCell] = {}

    def fill(self, r: int, row: Row, ref_prefix: str, hidden_cols: set[int]) -> None:
        """``row`` is indexed by 0-based column; ``r`` is the 1-based row number."""
        if not self.anchors:
            return
        for j, cell in enumerate(row):
            if cell is not None and (r, j + 1) in self.anchors:
                self.seen[(r, j + 1)] = cell
        for c, anchor_at in self.covered.pop(r, ()):
            if c <= len(row) and row[c - 1] is not None:
                row[c - 1] = None  # a value under a merge is not shown: only the anchor's is
            anchor = self.seen.get(anchor_at)
            if anchor is None or not _is_label(anchor):
                continue
            if len(row) < c:
                row.extend([None] * (c - len(row)))
            row[c - 1] = GridCell(
                text=anchor.text,
                parsed=anchor.parsed,
                ref=f"{ref_prefix}{column_letters(c - 1)}{r}",
                hidden=anchor.hidden or c in hidden_cols,
                merged=True,
            )

    def width(self) -> int:
        return max((c for cells in self.covered.values() for c, _ in cells), default=0)


def _is_label(cell: GridCell) -> bool:
    return cell.parsed is not None and isinstance(cell.parsed.value, str) and not cell.parsed.flag


# ---------------------------------------------------------------------------
# .xlsx / .xlsm
# ---------------------------------------------------------------------------


T = TypeVar("T")


def chosen_sheets(
    sheets: Iterable[T], name_of: Callable[[T], str], options: ExtractOptions, file: str
) -> list[T]:
    """The sheets asked for (``options.sheets``), or all of them."""
    wanted = options.sheets or frozenset()
    everything = list(sheets)
    if not wanted:
        return everything
    chosen = [sheet for sheet in everything if name_of(sheet) in wanted]
    if not chosen:
        names = ", ".join(repr(name_of(sheet)) for sheet in everything)
        asked = ", ".join(repr(name) for name in sorted(wanted))
        raise ReadError(f"has no sheet named {asked} (it has {names})", file)
    return chosen


def _open_xlsx(handle: Any, name: str) -> Any:
    """A read-only workbook; given a file object, so openpyxl never judges by the extension."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return openpyxl.load_workbook(handle, read_only=True, data_only=True, keep_links=False)
    except (InvalidFileException, KeyError, zipfile.BadZipFile, ValueError, TypeError) as exc:
        raise CorruptDocument(f"is not a readable Excel workbook ({exc})", name) from None
    except Exception as exc:  # openpyxl raises bare exceptions on damaged XML
        if type(exc).__name__ in ("ParseError", "DefusedXmlException", "EntitiesForbidden"):
            raise CorruptDocument(f"has unsafe or damaged XML ({exc})", name) from None
        raise


def _sheet_cells(ws: Any) -> Iterator[tuple[int, list[tuple[int, Any, str]]]]:
    """``(row number, [(column, value, number format)])`` from openpyxl's own sheet parser.

    On big sheets the read-only cell objects cost more than the values themselves, so
    we read the parser's rows (dates already converted) and look formats up once per style.
    """
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
    from openpyxl.worksheet._reader import WorkSheetParser

    wb = ws.parent
    formats: dict[int, str] = {}

    def number_format(style_id: int) -> str:
        if style_id not in formats:
            fmt_id = wb._cell_styles[style_id].numFmtId
            formats[style_id] = (
                excel_format(
                    fmt_id,
                    BUILTIN_FORMATS.get(fmt_id, "General")
                    if fmt_id < BUILTIN_FORMATS_MAX_SIZE
                    else wb._number_formats[fmt_id - BUILTIN_FORMATS_MAX_SIZE],
                )
                or "General"
            )
        return formats[style_id]

    with ws._get_source() as src:
        parser = WorkSheetParser(
            src,
            ws._shared_strings,
            data_only=True,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        for r, cells in parser.parse():
            yield r, [(c["column"], c["value"], number_format(c["style_id"] or 0)) for c in cells]


def _xlsx_rows(
    ws: Any, scan: SheetScan, sheet_hidden: bool, options: ExtractOptions
) -> Iterator[Row]:
    prefix = f"{ws.title}!"
    # ws.max_column can mean parsing the whole sheet once more: only ask when merges need it
    bounds = (ws.max_column or 1, ws.min_column or 1) if scan.merges else (1, 1)
    filler = MergeFiller(scan.merges, *bounds)
    hidden_rows, hidden_cols = scan.hidden_rows, scan.hidden_cols
    formulas = scan.formulas_no_value
    letters = [column_letters(j) for j in range(max(bounds[0], filler.width()) + 1)]
    last = 0
    for r, cells in _sheet_cells(ws):
        if r > last + 1 and not filler.anchors:
            yield []  # one blank row stands for any gap (a stray cell at row 1,048,576)
        else:
            for blank in range(last + 1, r):
                row: Row = []
                filler.fill(blank, row, prefix, hidden_cols)
                yield row
        last = r
        row_hidden = sheet_hidden or r in hidden_rows
        width = max((c for c, _, _ in cells), default=0)
        while len(letters) <= width:
            letters.append(column_letters(len(letters)))
        row = [None] * width
        for column, value, fmt in cells:
            hidden = row_hidden or column in hidden_cols
            if hidden and not options.include_hidden:
                continue
            ref = f"{prefix}{letters[column - 1]}{r}"
            if value is None:
                formula = formulas.get(f"{letters[column - 1]}{r}")
                if formula is not None:
                    row[column - 1] = GridCell(
                        text=formula,
                        parsed=Parsed(None, None, "formula_no_value"),
                        ref=ref,
                        hidden=hidden,
                    )
            elif fmt == "General" and type(value) in (int, float):
                text, parsed = general_number(value)
                row[column - 1] = GridCell(text, parsed, None, ref, hidden)  # positional: faster
            else:
                row[column - 1] = typed_cell(value, fmt, ref, hidden)
        filler.fill(r, row, prefix, hidden_cols)
        while row and row[-1] is None:
            row.pop()
        yield row


@register("xlsx", "xlsm")
def read_xlsx(path: Path, source: Source, options: ExtractOptions) -> Iterator[Cell]:
    check_file_size(path, source.name, options)
    with open_zip(path, source.name) as archive, open(path, "rb") as handle, relaxed_gc():
        check_zip_limits(archive, source.name, options)
        if "xl/workbook.bin" in archive.namelist():
            raise UnsupportedFormat(
                "is an Excel binary workbook (.xlsb), which is not supported: save it as .xlsx",
                source.name,
            )
        wb = _open_xlsx(handle, source.name)
        deadline = Deadline(options.max_seconds, source.name)
        numbers = count()
        try:
            for ws in chosen_sheets(wb.worksheets, lambda ws: ws.title, options, source.name):
                sheet_hidden = ws.sheet_state != "visible"
                if sheet_hidden and not options.include_hidden:
                    continue
                with damaged_part(source.name, f"sheet {ws.title!r}"):
                    scan = scan_sheet_part(archive, getattr(ws, "_worksheet_path", None))
                    rows = _xlsx_rows(ws, scan, sheet_hidden, options)
                    grids = layout_grids(rows, numbers, deadline)
                    yield from table_records(grids, source, sheet=ws.title)
        finally:
            wb.close()


@contextlib.contextmanager
def damaged_part(file: str, part: str, *more: type[Exception]) -> Iterator[None]:
    """A sheet or table whose XML or data breaks off mid-way is a one-line error."""
    caught: tuple[type[Exception], ...] = (
        SyntaxError,
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        KeyError,
        IndexError,
        AssertionError,
        struct.error,
        *more,
    )
    try:
        yield
    except caught as exc:
        raise CorruptDocument(f"{part} is damaged ({exc})", file) from None


# ---------------------------------------------------------------------------
# .xls (BIFF) with xlrd
# ---------------------------------------------------------------------------


def _open_xls(path: Path, name: str) -> Any:
    import xlrd

    try:
        return xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except xlrd.biffh.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise EncryptedDocument("is a password-protected workbook", name) from None
        raise CorruptDocument(f"is not a readable .xls workbook ({exc})", name) from None
    except (AssertionError, IndexError, KeyError, ValueError, EOFError) as exc:
        raise CorruptDocument(f"is a damaged .xls workbook ({exc!r})", name) from None


def _xls_format(book: Any, xf_index: int) -> str | None:
    try:
        xf = book.xf_list[xf_index]
        return excel_format(xf.format_key, book.format_map[xf.format_key].format_str)
    except (IndexError, KeyError, AttributeError):
        return None


def _xls_value(book: Any, cell: Any) -> Any:
    import xlrd

    ctype = cell.ctype
    if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERR")
    return cell.value


def _xls_first_col(sheet: Any, r: int) -> int:
    import xlrd

    types = sheet.row_types(r)
    return next(
        (j for j, t in enumerate(types) if t not in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK)),
        1 << 20,
    )


def _xls_rows(book: Any, sheet: Any, sheet_hidden: bool, options: ExtractOptions) -> Iterator[Row]:
    prefix = f"{sheet.name}!"
    hidden_rows = {r + 1 for r, info in sheet.rowinfo_map.items() if info.hidden}
    hidden_cols = {c + 1 for c, info in sheet.colinfo_map.items() if info.hidden}
    merges = [(r0 + 1, c0 + 1, r1, c1) for r0, r1, c0, c1 in sheet.merged_cells]
    first_col = min((_xls_first_col(sheet, r) for r in range(sheet.nrows)), default=0)
    filler = MergeFiller(merges, max(sheet.ncols, 1), first_col + 1)
    for r0 in range(sheet.nrows):
        r = r0 + 1
        row_hidden = sheet_hidden or r in hidden_rows
        row: Row = []
        for j, cell in enumerate(sheet.row(r0)):
            hidden = row_hidden or (j + 1) in hidden_cols
            value = _xls_value(book, cell)
            if value is None or (hidden and not options.include_hidden):
                row.append(None)
                continue
            ref = f"{prefix}{column_letters(j)}{r}"
            row.append(typed_cell(value, _xls_format(book, cell.xf_index), ref, hidden))
        filler.fill(r, row, prefix, hidden_cols)
        while row and row[-1] is None:
            row.pop()
        yield row


@register("xls")
def read_xls(path: Path, source: Source, options: ExtractOptions) -> Iterator[Cell]:
    check_file_size(path, source.name, options)
    with relaxed_gc():
        import xlrd

    with relaxed_gc():
        book = _open_xls(path, source.name)
    deadline = Deadline(options.max_seconds, source.name)
    numbers = count()
    try:
        names = book.sheet_names()
        for index in chosen_sheets(range(book.nsheets), names.__getitem__, options, source.name):
            with damaged_part(source.name, f"sheet {names[index]!r}", xlrd.XLRDError):
                sheet = book.sheet_by_index(index)
            sheet_hidden = getattr(sheet, "visibility", 0) != 0
            if sheet_hidden and not options.include_hidden:
                continue
            rows = _xls_rows(book, sheet, sheet_hidden, options)
            yield from table_records(
                layout_grids(rows, numbers, deadline), source, sheet=sheet.name
            )
            book.unload_sheet(index)
    finally:
        book.release_resources()


@register("encrypted")
def read_encrypted(path: Path, source: Source, options: ExtractOptions) -> Iterator[Cell]:
    yield from _refuse_encrypted(source.name)  # a generator: it raises when read, as others


def _refuse_encrypted(name: str) -> Iterator[Cell]:
    raise EncryptedDocument(
        "is a password-protected Office document; remove the password and try again", name
    )
