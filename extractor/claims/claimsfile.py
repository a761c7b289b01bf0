"""Claims files: TOML with one ``[[claim]]`` table per published figure.

Each claim has ``id``, ``text`` (the sentence as published), optional ``phrase``
(the part of the text to check) and the figures it rests on. A figure is a literal
number, a cell selector (an inline table, see :mod:`extractor.claims.selectors`),
a list of these (summed), or ``""``: a slot not filled in yet (the claim is then
unclear). Errors name the file, the line and the claim id. docs/claims.md lists
every key.
"""

from __future__ import annotations

import codecs
import re
import sys
import tomllib
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..errors import ClaimsFileError, UsageError
from ..values import normalise_space
from .phrases import BETWEEN_YEARS
from .policy import MAX_TEXT_CHARS
from .rates import to_fraction
from .selectors import Selector

FIGURE_KEYS = ("numerator", "denominator", "value", "before", "after", "whole", "base", "reference")
GROUP_KEYS = ("series", "parts")
_META_SIDES = ("numerator", "denominator")
_META_FIELDS = ("source", "units", "period", "area", "stage")
META_KEYS = (*(f"{side}_{what}" for side in _META_SIDES for what in _META_FIELDS), "measure")
TEXT_KEYS = ("id", "text", "phrase", "kind", "note")
KINDS: dict[str, tuple[str, ...]] = {
    "rate": ("numerator", "denominator"),
    "count": ("value",),
    "change": ("before", "after"),
    "series": ("series",),
    "total": ("series",),
    "shares": ("parts", "whole"),
    "base": ("base",),
    "comparison": ("numerator", "denominator", "reference"),
}
MAX_CLAIMS_BYTES = 10 * 1024 * 1024

Item = Fraction | Selector


@dataclass
class FigureSpec:
    """What one figure of a claim is: literal numbers and selectors, summed.

    ``items`` empty means a slot not filled in yet.
    """

    items: list[Item] = field(default_factory=list)

    @property
    def placeholder(self) -> bool:
        return not self.items


@dataclass
class Claim:
    """One ``[[claim]]`` of a claims file."""

    id: str
    text: str
    kind: str
    figures: dict[str, FigureSpec] = field(default_factory=dict)
    series: dict[str, FigureSpec] = field(default_factory=dict)
    parts: dict[str, FigureSpec] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    phrase: str | None = None
    note: str | None = None
    line: int | None = None

    @property
    def checked_text(self) -> str:
        """The text the grammar reads: the phrase when given, else the sentence."""
        return self.phrase or self.text


def _where(path: str, line: int | None, claim_id: str | None) -> str:
    place = f"{path}:{line}" if line else path
    return f"{place}: claim {claim_id!r}" if claim_id else place


def parse_item(value: Any, name: str) -> Item:
    if isinstance(value, dict):
        return Selector.from_dict(value, name)
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"{name}: expected a number or a cell selector, got {value!r}")
    try:
        return to_fraction(value, name)
    except UsageError as exc:
        raise ValueError(str(exc)) from None


def parse_figure(value: Any, name: str) -> FigureSpec:
    """A literal, a selector, a list of these, or "" (not filled in yet)."""
    if value == "":
        return FigureSpec()
    if isinstance(value, list):
        if not value:
            raise ValueError(f'{name}: an empty list; use "" for a figure not known yet')
        return FigureSpec([parse_item(item, f"{name}[{i}]") for i, item in enumerate(value)])
    return FigureSpec([parse_item(value, name)])


def _group(value: Any, name: str) -> dict[str, FigureSpec]:
    if not isinstance(value, dict) or "file" in value:
        raise ValueError(f"{name}: expected a table like {{2020 = 1306, 2021 = 1654}}")
    return {str(key): parse_figure(item, f"{name}.{key}") for key, item in value.items()}


def infer_kind(data: dict[str, Any]) -> str:
    if "reference" in data:
        return "comparison"
    if "numerator" in data or "denominator" in data:
        return "rate"
    if "parts" in data:
        return "shares"
    if "before" in data or "after" in data:
        return "change"
    if "series" in data:
        text = str(data.get("phrase") or data.get("text") or "")
        return "total" if BETWEEN_YEARS.search(text) else "series"
    if "base" in data:
        return "base"
    if "value" in data:
        return "count"
    raise ValueError(
        "no figures: give numerator + denominator (a rate), value (a count), before + after "
        "(a change), series, parts + whole (shares), base, or reference (a comparison)"
    )


def _words(text: str) -> str:
    return normalise_space(text).casefold()


def parse_claim_table(data: dict[str, Any]) -> Claim:
    """One claim table to a :class:`Claim`; raises ValueError with a plain reason."""
    allowed = set(TEXT_KEYS + FIGURE_KEYS + GROUP_KEYS + META_KEYS)
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})")
    for key in ("id", "text"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise ValueError(f"{key!r} is missing or not a string")
    if len(data["text"]) > MAX_TEXT_CHARS:
        raise ValueError(f"'text' is over {MAX_TEXT_CHARS:,} characters: quote the sentence")
    kind = data.get("kind") or infer_kind(data)
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r} (one of {', '.join(KINDS)})")
    missing = [key for key in KINDS[kind] if key not in data]
    if missing:
        raise ValueError(f"a {kind} claim needs {' and '.join(missing)}")
    for key in (*META_KEYS, "phrase", "note"):
        if key in data and not isinstance(data[key], str):
            raise ValueError(f"{key!r} must be a string")
    if "phrase" in data and _words(data["phrase"]) not in _words(data["text"]):
        raise ValueError(f"phrase {data['phrase']!r} is not part of the text")
    return Claim(
        id=data["id"],
        text=data["text"],
        kind=kind,
        figures={k: parse_figure(data[k], k) for k in FIGURE_KEYS if k in data},
        series=_group(data["series"], "series") if "series" in data else {},
        parts=_group(data["parts"], "parts") if "parts" in data else {},
        meta={k: data[k] for k in META_KEYS if k in data},
        phrase=data.get("phrase"),
        note=data.get("note"),
    )


_CLAIM_HEADER = re.compile(r"^\s*\[\[\s*claim\s*\]\]\s*(?:#.*)?$")
_KEY_IN_MESSAGE = re.compile(r"^(?:unknown key )?'?([A-Za-z_]+)'?(?=[.:\[ ]|$)")


def _claim_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), 1) if _CLAIM_HEADER.match(line)]


def _error_line(lines: list[str], start: int | None, message: str) -> int | None:
    """The line of the key an error is about, inside the claim starting at ``start``."""
    match = _KEY_IN_MESSAGE.match(message)
    if start is None or not match:
        return start
    key = re.escape(match[1])
    pattern = re.compile(rf"^\s*(?:{key}\s*=|\[\s*claim\.{key}\s*\])")
    for number in range(start + 1, len(lines) + 1):
        line = lines[number - 1]
        if _CLAIM_HEADER.match(line):
            break
        if pattern.match(line):
            return number
    return start


def parse_claims_text(text: str, path: str = "<claims>") -> list[Claim]:
    """Parse claims-file text; :class:`ClaimsFileError` names the line and claim id."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ClaimsFileError(f"{path}: not valid TOML ({exc})") from None
    extra = sorted(set(data) - {"claim"})
    if extra:
        raise ClaimsFileError(f"{path}: unknown top-level key {extra[0]!r}; use [[claim]] tables")
    tables = data.get("claim")
    if not isinstance(tables, list) or not tables:
        raise ClaimsFileError(f"{path}: no [[claim]] tables")
    lines = _claim_lines(text)
    claims, seen = [], set()
    for index, table in enumerate(tables):
        line = lines[index] if index < len(lines) else None
        claim_id = table.get("id") if isinstance(table.get("id"), str) else None
        try:
            claim = parse_claim_table(table)
        except ValueError as exc:
            where = _where(path, _error_line(text.splitlines(), line, str(exc)), claim_id)
            raise ClaimsFileError(f"{where}: {exc}") from None
        if claim.id in seen:
            raise ClaimsFileError(f"{_where(path, line, claim_id)}: duplicate id")
        seen.add(claim.id)
        claim.line = line
        claims.append(claim)
    return claims


class TextEncodingError(ValueError):
    """Bytes that are neither UTF-8 (with or without a BOM), UTF-16 with a BOM, nor cp1252."""


def decode_text(data: bytes, name: str = "<text>") -> str:
    """Text as `foi extract` reads a CSV: UTF-8 with or without a BOM, UTF-16 with a BOM,
    else cp1252 (Windows' Western European, where "£" is byte 0xA3)."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise TextEncodingError(f"not valid UTF-16 text (at byte {exc.start})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        byte = data[exc.start : exc.start + 1].hex()
        raise TextEncodingError(
            f"neither UTF-8 nor cp1252 text (byte 0x{byte} at position {exc.start})"
        ) from None


def load_claims(path: str | Path) -> list[Claim]:
    """Read and validate a claims file (``-`` reads stdin)."""
    if str(path) == "-":
        return parse_claims_text(sys.stdin.read(), "<stdin>")
    try:
        if Path(path).stat().st_size > MAX_CLAIMS_BYTES:
            raise ClaimsFileError(f"{path}: over {MAX_CLAIMS_BYTES // 2**20} MB")
        text = decode_text(Path(path).read_bytes(), str(path))
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ClaimsFileError(f"{path}: cannot read the claims file ({reason})") from None
    return parse_claims_text(text, str(path))
