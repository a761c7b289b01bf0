"""The records the peers hand to the store.

- :class:`Cell`: one record per data cell of a table, with full provenance. Every reader
  (PDF, spreadsheet, CSV, Word, zip) yields them. JSON Lines is the interchange form
  (:func:`write_jsonl`, :func:`read_jsonl`); :func:`write_csv` escapes formula-looking
  text so a spreadsheet never runs it.
- :class:`RequestEvent`: one step of an FOI request's status history, as the WDTK client
  reads it and the store keeps it (the store adds only the request's ``url_title``).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import IO, Any, Literal

Flag = Literal["suppressed", "not_available", "not_applicable", "redacted", "formula_no_value"]
FLAGS: tuple[str, ...] = (
    "suppressed",
    "not_available",
    "not_applicable",
    "redacted",
    "formula_no_value",
)
Value = float | int | str | None


@dataclass
class RequestEvent:
    """One ``InfoRequestEvent#json_for_api`` of Alaveteli: a step of a request's history."""

    id: int
    event_type: str
    created_at: str | None
    described_state: str | None = None
    calculated_state: str | None = None
    last_described_at: str | None = None
    incoming_message_id: int | None = None
    outgoing_message_id: int | None = None
    comment_id: int | None = None
    display_status: str | None = None


@dataclass(slots=True)
class Cell:
    """One data cell of a table, with where it came from and how it was printed.

    ``row`` and ``column`` are label paths, outermost first, e.g.
    ``["Sexual offences", "Rape"]`` and ``["Calendar year", "2022"]``.
    ``value`` is a number (int when integral), a string, or None when ``flag`` says why.
    ``confidence`` is the reader's confidence in the table's structure (labels), 0 to 1.
    """

    file: str
    sha256: str
    table: int
    row: list[str]
    column: list[str]
    value: Value
    raw: str
    page: int | None = None
    sheet: str | None = None
    title: str | None = None
    flag: str | None = None
    unit: str | None = None
    bbox: list[float] | None = None
    cell: str | None = None
    hidden: bool = False
    total: bool = False
    # how sure the reader is of the table's structure (0..1), the same for every cell of
    # a table; None when the reader does not say
    confidence: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        # Built by hand: dataclasses.asdict deep-copies every field and was the slowest
        # part of writing JSON Lines.
        data = {name: getattr(self, name) for name in CELL_FIELDS}
        data["row"], data["column"] = list(self.row), list(self.column)
        if self.bbox is not None:
            data["bbox"] = list(self.bbox)
        if self.extra:
            data["extra"] = dict(self.extra)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Cell:
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown cell fields: {', '.join(sorted(unknown))}")
        return cls(**data)

    @property
    def where(self) -> str:
        """Short human-readable location: ``file p2`` or ``file Sheet1!C7``."""
        if self.cell:
            return f"{self.file} {self.cell}"
        if self.sheet:
            return f"{self.file} [{self.sheet}]"
        if self.page is not None:
            return f"{self.file} p{self.page}"
        return self.file


CELL_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Cell) if f.name != "extra")


def write_jsonl(cells: Iterable[Cell], out: IO[str]) -> int:
    count = 0
    for cell in cells:
        out.write(json.dumps(cell.to_dict(), ensure_ascii=False) + "\n")
        count += 1
    return count


def read_jsonl(path: str | Path) -> Iterator[Cell]:
    """Read cell records from a JSON Lines file; errors name the line."""
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield Cell.from_dict(json.loads(line))
            except (ValueError, TypeError) as exc:
                raise ValueError(f"{path}:{number}: not a cell record ({exc})") from None


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(text: str) -> str:
    """Make text safe for a spreadsheet: a leading ``= + - @`` gets a quote prefix."""
    if text and text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return escape_formula(" > ".join(str(v) for v in value))
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    return escape_formula(str(value))


def write_csv(cells: Iterable[Cell], out: IO[str]) -> int:
    """Write cells as CSV; label paths are joined with `` > ``. Numbers stay numbers."""
    writer = csv.writer(out)
    writer.writerow(CELL_FIELDS)
    count = 0
    for cell in cells:
        data = cell.to_dict()
        writer.writerow([_csv_value(data[name]) for name in CELL_FIELDS])
        count += 1
    return count
