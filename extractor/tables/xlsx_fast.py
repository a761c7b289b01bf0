"""Cell values of .xlsx sheets read by calamine (python-calamine, Rust), many times
faster than openpyxl's Python XML parser, in the shape :mod:`.sheets` reads them.

What each reader does for a workbook (:func:`extractor.tables.sheets.read_xlsx`):

- **calamine** (here): every cell's value (numbers, text, booleans, errors; shared and
  inline strings), the bulk of the work;
- **openpyxl** (read-only): sheet names and states (hidden, very hidden), the styles
  table, which maps each cell's style to its number format; dates are converted from
  those formats exactly as openpyxl does, so records do not depend on which reader ran;
- **a scan of the sheet XML** (:func:`extractor.tables.sheets.scan_sheet_part`, and
  :func:`styled_cells` here): merged ranges, hidden rows and columns, formulas without a
  cached value, and which cells carry a number format other than General (only those
  cells' styles are looked up, so a sheet of plain numbers costs no extra pass).

Calamine gives no number formats (so no displayed text) and no styles; that is why the
formats come from openpyxl's styles and the scan. When python-calamine is not installed
or cannot read a workbook, :mod:`.sheets` reads it with openpyxl alone.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable, Collection, Iterator
from typing import Any

from .layout import column_letters

CellTuple = tuple[int, Any, str]  # (1-based column, value, number format)
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_CHUNK = 4 * 1024 * 1024
_DATES = (dt.datetime, dt.date, dt.time, dt.timedelta)


def open_workbook(path: Any) -> Any | None:
    """A calamine workbook, or None when calamine is missing or cannot read the file
    (openpyxl then reads it, and reports any damage in its own words)."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        return None
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception:  # calamine's own error types; openpyxl will say what is wrong
        return None


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


Special = tuple[int, int, int | None, str | None]  # row, column, style, error text
_ERROR_CELL = re.compile(
    rb'<(?:\w+:)?c\b[^>]*?\bt="e"[^>]*>\s*(?:<(?:\w+:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w+:)?f>)\s*)?'
    rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>"
)


def special_cells(
    archive: zipfile.ZipFile, part: str, style_ids: set[int]
) -> Iterator[Special] | None:
    """``(row, column, style, error)`` of every cell whose style is in ``style_ids`` or
    that holds an error value (``#DIV/0!``: calamine reads those as blank), in sheet
    order, scanning the XML in chunks (never the whole sheet at once).

    None when such a cell has no ``r=`` reference (allowed, rare): then the caller
    reads the sheet with openpyxl, which counts positions itself."""
    styled = None
    if style_ids:
        ids = b"|".join(str(i).encode() for i in sorted(style_ids))
        styled = re.compile(rb'<(?:\w+:)?c\b[^>]*?\bs="(' + ids + rb')"[^>]*>')
    if not _every_cell_has_a_ref(archive, part, styled):
        return None
    return _scan(archive, part, styled)


def _chunks(archive: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The part's XML in pieces cut after a cell's end (``</c>``), so no match is split."""
    with archive.open(part.lstrip("/")) as stream:
        tail = b""
        while chunk := stream.read(_CHUNK):
            data = tail + chunk
            cut = data.rfind(b"</c>") + 4 if b"</c>" in data else data.rfind(b">") + 1
            yield data[:cut]
            tail = data[cut:]
        if tail:
            yield tail


def _matches(data: bytes, styled: Any) -> list[tuple[int, Any, bool]]:
    found = [(m.start(), m, False) for m in styled.finditer(data)] if styled else []
    if b't="e"' in data:
        found += [(m.start(), m, True) for m in _ERROR_CELL.finditer(data)]
        found.sort(key=lambda item: item[0])
    return found


def _every_cell_has_a_ref(archive: zipfile.ZipFile, part: str, styled: Any) -> bool:
    return all(
        _REF.search(match[0]) is not None
        for data in _chunks(archive, part)
        for _, match, _ in _matches(data, styled)
    )


def _scan(archive: zipfile.ZipFile, part: str, styled: Any) -> Iterator[Special]:
    for data in _chunks(archive, part):
        merged: dict[tuple[int, int], list[Any]] = {}
        for _, match, is_error in _matches(data, styled):
            ref = _REF.search(match[0])
            if ref is None:
                continue
            key = (int(ref[2]), _column_number(ref[1]))
            entry = merged.setdefault(key, [None, None])
            if is_error:
                entry[1] = match[1].decode("utf-8", "replace")
            else:
                entry[0] = int(match[1])
        for (row, column), (style, error) in merged.items():
            yield row, column, style, error


def sheet_cells(
    workbook: Any,
    ws: Any,
    archive: zipfile.ZipFile,
    number_format: Callable[[int], str],
    formulas: Collection[str] = (),
) -> Iterator[tuple[int, list[CellTuple]]] | None:
    """``(row number, [(column, value, number format)])`` for one openpyxl read-only
    worksheet, with the values read by calamine; None when calamine cannot give them
    the way openpyxl would (the caller then reads the sheet with openpyxl).

    ``formulas`` are the references (``"B5"``) of formulas without a cached value,
    which calamine reads as blank: they are given as None, as openpyxl gives them."""
    part = getattr(ws, "_worksheet_path", None)
    if workbook is None or not part or ws.title not in workbook.sheet_names:
        return None
    wb = ws.parent
    formatted = {i for i in range(len(wb._cell_styles)) if number_format(i) != "General"}
    formatted |= set(wb._date_formats) | set(wb._timedelta_formats)
    styles = special_cells(archive, part, formatted)
    if styles is None:
        return None
    try:
        sheet = workbook.get_sheet_by_name(ws.title)
    except Exception:
        return None
    return _rows(sheet, styles, number_format, wb, set(formulas))


def _rows(
    sheet: Any,
    styles: Iterator[Special],
    number_format: Callable[[int], str],
    wb: Any,
    formulas: set[str],
) -> Iterator[tuple[int, list[CellTuple]]]:
    start = sheet.start
    if start is None:
        return
    first_column = start[1] + 1
    pending = next(styles, None)
    date_styles, duration_styles = wb._date_formats, wb._timedelta_formats
    for index, values in enumerate(sheet.iter_rows()):
        r = index + 1
        row_styles: dict[int, int] = {}
        errors: dict[int, str] = {}
        while pending is not None and pending[0] <= r:
            row, column, style, error = pending
            if row == r:
                if style is not None:
                    row_styles[column] = style
                if error is not None:
                    errors[column] = error
            pending = next(styles, None)
        if values.count("") == len(values) and not formulas and not errors:
            continue
        cells: list[CellTuple] = []
        add = cells.append
        column = first_column - 1
        for value in values:  # the hot loop of a big sheet: kept flat on purpose
            column += 1
            kind = type(value)
            if kind is str and value == "":
                if errors and column in errors:  # calamine reads an error value as blank
                    style = row_styles.get(column)
                    add(
                        (
                            column,
                            errors[column],
                            "General" if style is None else number_format(style),
                        )
                    )
                elif formulas and f"{column_letters(column - 1)}{r}" in formulas:
                    add((column, None, "General"))
                continue
            if row_styles and column in row_styles:
                style = row_styles[column]
                value = _as_openpyxl_reads(value, style, date_styles, duration_styles, wb.epoch)
                add((column, value, number_format(style)))
            elif kind is float and value.is_integer() and -1e15 < value < 1e15:
                add((column, int(value), "General"))  # openpyxl reads whole numbers as int
            else:
                add((column, value, "General"))
        yield r, cells


def _plain(value: Any) -> Any:
    """A General-format value as openpyxl gives it: whole numbers as int."""
    if type(value) is float and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def _as_openpyxl_reads(
    value: Any, style: int, date_styles: Any, duration_styles: Any, epoch: dt.datetime
) -> Any:
    """A styled cell's value as openpyxl's parser gives it: a date exactly when the style's
    format is a date format, converted from the serial number as openpyxl converts it
    (calamine judges dates by its own rules and gives ``date`` for whole days)."""
    from openpyxl.utils.datetime import from_excel, to_excel

    if isinstance(value, _DATES):
        value = to_excel(value, epoch)
    if type(value) is float or type(value) is int:
        if style in date_styles:
            try:
                return from_excel(value, epoch, timedelta=style in duration_styles)
            except (OverflowError, ValueError):
                return "#VALUE!"
        return _plain(value)
    return value
