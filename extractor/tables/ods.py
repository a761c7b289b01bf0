"""OpenDocument spreadsheets (.ods) to cell records, streamed from ``content.xml``.

No extra package: the XML is read with defusedxml's ``iterparse``, one row at a
time. Each cell carries both its typed value (``office:value``, ``office:date-value``)
and the text LibreOffice shows (``text:p``). As in Excel files, the value is read
from the displayed text (``1,276.2`` for a stored 1276.216; a date as shown), the
stored value goes to ``extra["stored"]``, and a ``percentage`` 0.123 shown ``12.3%``
is 12.3 with unit ``percent``. Repeated rows and cells (``number-rows-repeated``) are expanded
only when they hold something; spans (``number-columns-spanned``) fill the covered
cells of label anchors; hidden sheets, rows and columns mark their cells ``hidden``.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

from defusedxml.ElementTree import iterparse

from ..errors import CorruptDocument
from ..records import Cell
from ..values import Parsed
from . import ExtractOptions, Source, register
from .archive import check_zip_limits, open_zip
from .grid import GridCell
from .layout import (
    Deadline,
    Row,
    cached_parse,
    check_file_size,
    column_letters,
    layout_grids,
    table_records,
    text_cell,
)
from .sheets import as_number, plain_number_text

MAX_REPEAT = 1000  # copies of a repeated non-empty row or cell
MAX_COLUMNS = 16384

NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
}


def q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


TABLE, ROW, CELL, COVERED = (
    q("table", "table"),
    q("table", "table-row"),
    q("table", "table-cell"),
    q("table", "covered-table-cell"),
)
COLUMN, STYLE, PARAGRAPH = q("table", "table-column"), q("style", "style"), q("text", "p")
CURRENCIES = {"GBP": "gbp", "USD": "usd", "EUR": "eur"}


@dataclass
class _Sheet:
    name: str
    hidden: bool
    hidden_cols: set[int] = field(default_factory=set)
    next_col: int = 1
    row: int = 0
    covers: dict[tuple[int, int], GridCell] = field(default_factory=dict)


def attr(element: Any, prefix: str, name: str) -> str | None:
    value: str | None = element.get(q(prefix, name))
    return value


def repeat_count(element: Any, attribute: str) -> int:
    return max(int(attr(element, "table", attribute) or 1), 1)


def shown_text(cell: Any) -> str:
    """The text LibreOffice shows: the cell's paragraphs, not its comments."""
    return "\n".join("".join(p.itertext()) for p in cell if p.tag == PARAGRAPH)


def ods_value(cell: Any, ref: str, hidden: bool) -> GridCell | None:
    """A GridCell from one ``table:table-cell``, or None when it is blank."""
    kind = attr(cell, "office", "value-type")
    shown = shown_text(cell)
    if kind is None:
        formula = attr(cell, "table", "formula")
        if formula:
            flag = Parsed(None, None, "formula_no_value")
            return GridCell(text=formula, parsed=flag, ref=ref, hidden=hidden)
        return text_cell(shown, ref, hidden)
    value = attr(cell, "office", "value")
    if kind in ("float", "percentage", "currency") and value is not None:
        try:
            number = float(value)
        except ValueError:
            return text_cell(shown, ref, hidden)
        text = shown or plain_number_text(number)
        marker = cached_parse(text)
        if marker.flag:  # a format that shows "-" or "*" reads as that marker
            return GridCell(text=text, parsed=marker, ref=ref, hidden=hidden, stored=number)
        stored = as_number(round(number * 100, 10) if kind == "percentage" else number)
        unit = "percent" if kind == "percentage" else None
        unit = unit or CURRENCIES.get(attr(cell, "office", "currency") or "")
        if isinstance(marker.value, int | float):  # the value as displayed: "1,276.2"
            parsed = Parsed(marker.value, marker.unit or unit)
        else:  # a display this parser cannot read ("1.2m", "12 kg"): the stored value
            parsed = Parsed(stored, unit)
        keep = None if parsed.value == stored and kind != "percentage" else as_number(number)
        return GridCell(text=text, parsed=parsed, ref=ref, hidden=hidden, stored=keep)
    if kind == "date":
        iso = (attr(cell, "office", "date-value") or shown).removesuffix("T00:00:00")
        text = shown or iso
        return GridCell(
            text=text,
            parsed=Parsed(text),
            ref=ref,
            hidden=hidden,
            stored=iso if iso != text else None,
        )
    if kind == "boolean":
        text = "TRUE" if attr(cell, "office", "boolean-value") == "true" else "FALSE"
        return GridCell(text=text, parsed=Parsed(text), ref=ref, hidden=hidden)
    return text_cell(shown, ref, hidden)


def _row_cells(
    element: Any, sheet: _Sheet, r: int, row_hidden: bool, prefix: str, keep_hidden: bool
) -> Row:
    row: Row = []
    c = 1
    for child in element:
        if child.tag not in (CELL, COVERED) or c > MAX_COLUMNS:
            continue
        repeat = repeat_count(child, "number-columns-repeated")
        hidden = row_hidden or c in sheet.hidden_cols
        if hidden and not keep_hidden:
            c += repeat
            continue
        ref = f"{prefix}{column_letters(c - 1)}{r}"
        value = ods_value(child, ref, hidden) if child.tag == CELL else None
        if value is None and child.tag == COVERED:
            anchor = sheet.covers.pop((r, c), None)
            if anchor is not None:
                value = GridCell(
                    text=anchor.text, parsed=anchor.parsed, ref=ref, hidden=hidden, merged=True
                )
        if value is None:
            c += repeat
            continue
        _remember_span(child, sheet, r, c, value)
        for k in range(min(repeat, MAX_REPEAT)):
            if len(row) < c - 1 + k:
                row.extend([None] * (c - 1 + k - len(row)))
            copy = (
                value
                if k == 0
                else GridCell(
                    text=value.text,
                    parsed=value.parsed,
                    hidden=value.hidden,
                    ref=f"{prefix}{column_letters(c - 1 + k)}{r}",
                )
            )
            row.append(copy)
        c += repeat
    return row


def _remember_span(cell: Any, sheet: _Sheet, r: int, c: int, anchor: GridCell) -> None:
    across = repeat_count(cell, "number-columns-spanned")
    down = repeat_count(cell, "number-rows-spanned")
    is_label = anchor.parsed is not None and isinstance(anchor.parsed.value, str)
    if not is_label or (down == 1 and c == 1) or across * down > 10_000:
        return  # numbers and row labels spanning the first column are read once
    for rr in range(r, r + down):
        for cc in range(c, c + across):
            if (rr, cc) != (r, c):
                sheet.covers[(rr, cc)] = anchor


def ods_rows(path: Path, options: ExtractOptions, name: str) -> Iterator[tuple[str, Iterator[Row]]]:
    """``(sheet name, rows)`` for each sheet, streamed from content.xml."""
    with open_zip(path, name) as archive:
        check_zip_limits(archive, name, options)
        try:
            handle = archive.open("content.xml")
        except KeyError:
            raise CorruptDocument("is an OpenDocument file without content.xml", name) from None
        with handle:
            yield from _sheets(iterparse(handle, events=("start", "end")), options)


def _sheets(events: Any, options: ExtractOptions) -> Iterator[tuple[str, Iterator[Row]]]:
    hidden_styles: set[str] = set()
    wanted = options.sheets
    for event, element in events:
        if event == "end" and element.tag == STYLE:
            for child in element:
                if child.get(q("table", "display")) == "false":
                    hidden_styles.add(element.get(q("style", "name"), ""))
        elif event == "start" and element.tag == TABLE:
            sheet = _Sheet(
                name=attr(element, "table", "name") or "Sheet",
                hidden=(attr(element, "table", "style-name") or "") in hidden_styles,
            )
            if (sheet.hidden and not options.include_hidden) or (
                wanted and sheet.name not in wanted
            ):
                _skip_table(events)
                continue
            yield sheet.name, _table_rows(events, sheet, options)


def _skip_table(events: Any) -> None:
    for event, element in events:
        if event == "end" and element.tag == TABLE:
            element.clear()
            return


def _table_rows(events: Any, sheet: _Sheet, options: ExtractOptions) -> Iterator[Row]:
    prefix = f"{sheet.name}!"
    for event, element in events:
        if event != "end":
            continue
        if element.tag == COLUMN:
            repeat = repeat_count(element, "number-columns-repeated")
            if attr(element, "table", "visibility") in ("collapse", "filter"):
                sheet.hidden_cols.update(
                    range(sheet.next_col, min(sheet.next_col + repeat, MAX_COLUMNS + 1))
                )
            sheet.next_col += repeat
        elif element.tag == ROW:
            repeat = repeat_count(element, "number-rows-repeated")
            row_hidden = sheet.hidden or attr(element, "table", "visibility") in (
                "collapse",
                "filter",
            )
            first = sheet.row + 1
            row = _row_cells(element, sheet, first, row_hidden, prefix, options.include_hidden)
            element.clear()
            sheet.row += repeat
            if not any(c is not None for c in row):
                yield []
                continue
            yield row
            for k in range(1, min(repeat, MAX_REPEAT)):
                yield [
                    None
                    if c is None
                    else GridCell(
                        text=c.text,
                        parsed=c.parsed,
                        hidden=c.hidden,
                        ref=_shift_row(c.ref, first, first + k),
                    )
                    for c in row
                ]
        elif element.tag == TABLE:
            element.clear()
            return


def _shift_row(ref: str | None, old: int, new: int) -> str | None:
    return ref[: -len(str(old))] + str(new) if ref else ref


@register("ods")
def read_ods(path: Path, source: Source, options: ExtractOptions) -> Iterator[Cell]:
    check_file_size(path, source.name, options)
    deadline = Deadline(options.max_seconds, source.name)
    numbers = count()
    try:
        for sheet, rows in ods_rows(path, options, source.name):
            yield from table_records(layout_grids(rows, numbers, deadline), source, sheet=sheet)
    except (ValueError, SyntaxError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise CorruptDocument(f"has damaged or unsafe XML ({exc})", source.name) from None
