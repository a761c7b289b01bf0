"""What a workbook hides: a story for a journalist (``foi extract --report-hidden``).

Hidden and very hidden sheets, hidden rows and columns, comments, external links,
pivot caches (a pivot table keeps a copy of its source rows, often more than it
shows) and defined names. For .xlsx the parts are read straight from the package
with defusedxml; for .xls, xlrd gives what it can (no external links or pivots).
``hidden_cells_with_data`` counts the extracted records marked ``hidden``.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from defusedxml import ElementTree

from ..errors import CorruptDocument, UnsupportedFormat
from ..files import detect_format
from . import ExtractOptions, Source, read_file, sha256_file
from .archive import check_zip_limits, member_label, open_zip
from .layout import column_letters
from .sheets import scan_sheet_part

COUNT_CELLS_UP_TO_BYTES = 20 * 1024 * 1024
NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass
class SheetState:
    name: str
    state: str  # visible, hidden, veryHidden
    hidden_rows: list[int] = field(default_factory=list)
    hidden_columns: list[str] = field(default_factory=list)


@dataclass
class HiddenReport:
    """What is hidden in one workbook."""

    file: str
    format: str
    sheets: list[SheetState] = field(default_factory=list)
    comments: list[dict[str, str]] = field(default_factory=list)
    external_links: list[str] = field(default_factory=list)
    pivot_caches: list[dict[str, Any]] = field(default_factory=list)
    defined_names: list[dict[str, Any]] = field(default_factory=list)
    hidden_cells_with_data: int | None = None

    @property
    def has_hidden(self) -> bool:
        return bool(
            any(s.state != "visible" or s.hidden_rows or s.hidden_columns for s in self.sheets)
            or self.comments
            or self.external_links
            or self.pivot_caches
            or any(n.get("hidden") for n in self.defined_names)
        )

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "has_hidden": self.has_hidden}

    def summary(self) -> list[str]:
        """One line per finding, for people."""
        lines = []
        for sheet in self.sheets:
            if sheet.state != "visible":
                lines.append(f"sheet {sheet.name!r} is {sheet.state}")
            if sheet.hidden_rows:
                lines.append(f"sheet {sheet.name!r}: hidden rows {_ranges(sheet.hidden_rows)}")
            if sheet.hidden_columns:
                columns = ", ".join(sheet.hidden_columns[:20])
                lines.append(f"sheet {sheet.name!r}: hidden columns {columns}")
        lines += [f"comment at {c['sheet']}!{c['cell']}: {c['text'][:80]}" for c in self.comments]
        lines += [f"external link to {target}" for target in self.external_links]
        lines += [
            f"pivot cache from {p.get('source') or '?'} ({p.get('records', '?')} records)"
            for p in self.pivot_caches
        ]
        lines += [
            f"{'hidden ' if n.get('hidden') else ''}defined name {n['name']} = {n['refers_to']}"
            for n in self.defined_names
        ]
        if self.hidden_cells_with_data:
            lines.append(f"{self.hidden_cells_with_data} hidden cells hold data")
        return lines


def _ranges(numbers: list[int]) -> str:
    parts: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)


# ---------------------------------------------------------------------------
# .xlsx
# ---------------------------------------------------------------------------


def _xml(archive: zipfile.ZipFile, part: str) -> Any | None:
    try:
        return ElementTree.fromstring(archive.read(part))
    except KeyError:
        return None


def _rels(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str, str]]:
    """Relationship id → (type, resolved target, target mode) for one package part."""
    folder, name = posixpath.split(part)
    root = _xml(archive, posixpath.join(folder, "_rels", name + ".rels"))
    found: dict[str, tuple[str, str, str]] = {}
    if root is None:
        return found
    for rel in root.iter(f"{NS_PKG_REL}Relationship"):
        target, mode = rel.get("Target", ""), rel.get("TargetMode", "Internal")
        if mode != "External":
            target = posixpath.normpath(
                target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            )
        found[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], target, mode)
    return found


def _xlsx_comments(archive: zipfile.ZipFile, part: str, sheet: str) -> list[dict[str, str]]:
    comments = []
    for kind, target, _ in _rels(archive, part).values():
        if kind != "comments":
            continue
        root = _xml(archive, target)
        if root is None:
            continue
        authors = [a.text or "" for a in root.iter(f"{NS_MAIN}author")]
        for comment in root.iter(f"{NS_MAIN}comment"):
            author_id = int(comment.get("authorId", "0") or 0)
            text = "".join(t.text or "" for t in comment.iter(f"{NS_MAIN}t"))
            author = authors[author_id] if author_id < len(authors) else ""
            comments.append(
                {"sheet": sheet, "cell": comment.get("ref", ""), "author": author, "text": text}
            )
    return comments


def _pivot_cache(archive: zipfile.ZipFile, part: str) -> dict[str, Any]:
    root = _xml(archive, part)
    info: dict[str, Any] = {"part": part}
    if root is None:
        return info
    source = root.find(f"{NS_MAIN}cacheSource/{NS_MAIN}worksheetSource")
    if source is not None:
        where = source.get("sheet") or source.get("name") or ""
        info["source"] = f"{where}!{source.get('ref')}" if source.get("ref") else where
    info["records"] = int(root.get("recordCount", "0") or 0)
    info["fields"] = [f.get("name") for f in root.iter(f"{NS_MAIN}cacheField")]
    return info


def _external_targets(archive: zipfile.ZipFile, rels: dict[str, tuple[str, str, str]]) -> list[str]:
    targets = []
    for kind, target, _ in rels.values():
        if kind != "externalLink":
            continue
        for _, link_target, mode in _rels(archive, target).values():
            if mode == "External":
                targets.append(link_target)
    return targets


def xlsx_report(path: Path, name: str, options: ExtractOptions) -> HiddenReport:
    report = HiddenReport(file=name, format="xlsx")
    with open_zip(path, name) as archive:
        check_zip_limits(archive, name, options)
        book = "xl/workbook.xml"
        root = _xml(archive, book)
        if root is None:
            raise CorruptDocument("has no xl/workbook.xml", name)
        rels = _rels(archive, book)
        for sheet in root.iter(f"{NS_MAIN}sheet"):
            title = sheet.get("name", "")
            state = SheetState(title, sheet.get("state", "visible"))
            _, part, _ = rels.get(sheet.get(f"{NS_REL}id", ""), ("", "", ""))
            if part in archive.namelist():
                scan = scan_sheet_part(archive, part)
                state.hidden_rows = sorted(scan.hidden_rows)
                state.hidden_columns = [column_letters(c - 1) for c in sorted(scan.hidden_cols)]
                report.comments += _xlsx_comments(archive, part, title)
            report.sheets.append(state)
        for defined in root.iter(f"{NS_MAIN}definedName"):
            report.defined_names.append(
                {
                    "name": defined.get("name", ""),
                    "refers_to": defined.text or "",
                    "hidden": defined.get("hidden") in ("1", "true"),
                }
            )
        report.external_links = _external_targets(archive, rels)
        report.pivot_caches = [
            _pivot_cache(archive, target)
            for kind, target, _ in rels.values()
            if kind == "pivotCacheDefinition"
        ]
    return report


# ---------------------------------------------------------------------------
# .xls
# ---------------------------------------------------------------------------

XLS_STATES = {0: "visible", 1: "hidden", 2: "veryHidden"}


def xls_report(path: Path, name: str) -> HiddenReport:
    from .sheets import _open_xls

    report = HiddenReport(file=name, format="xls")
    book = _open_xls(path, name)
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            state = SheetState(sheet.name, XLS_STATES.get(getattr(sheet, "visibility", 0), "?"))
            state.hidden_rows = sorted(r + 1 for r, i in sheet.rowinfo_map.items() if i.hidden)
            state.hidden_columns = [
                column_letters(c) for c, i in sorted(sheet.colinfo_map.items()) if i.hidden
            ]
            for (r, c), note in sheet.cell_note_map.items():
                report.comments.append(
                    {
                        "sheet": sheet.name,
                        "cell": f"{column_letters(c)}{r + 1}",
                        "author": note.author or "",
                        "text": note.text or "",
                    }
                )
            report.sheets.append(state)
        for defined in book.name_obj_list:
            report.defined_names.append(
                {
                    "name": defined.name,
                    "refers_to": getattr(defined, "formula_text", "") or "",
                    "hidden": bool(defined.hidden),
                }
            )
    finally:
        book.release_resources()
    return report


# ---------------------------------------------------------------------------
# .ods
# ---------------------------------------------------------------------------


def ods_report(path: Path, name: str, options: ExtractOptions) -> HiddenReport:
    from defusedxml.ElementTree import iterparse

    from . import ods

    report = HiddenReport(file=name, format="ods")
    hidden_styles: set[str] = set()
    walker: _OdsSheetWalker | None = None
    with open_zip(path, name) as archive:
        check_zip_limits(archive, name, options)
        with archive.open("content.xml") as handle:
            for event, element in iterparse(handle, events=("start", "end")):
                if event == "start" and element.tag == ods.TABLE:
                    style = ods.attr(element, "table", "style-name") or ""
                    state = "hidden" if style in hidden_styles else "visible"
                    walker = _OdsSheetWalker(
                        SheetState(ods.attr(element, "table", "name") or "", state), report
                    )
                    report.sheets.append(walker.sheet)
                elif event == "end" and element.tag == ods.STYLE:
                    if any(c.get(ods.q("table", "display")) == "false" for c in element):
                        hidden_styles.add(element.get(ods.q("style", "name"), ""))
                elif event == "end" and element.tag == ods.q("table", "named-range"):
                    report.defined_names.append(
                        {
                            "name": ods.attr(element, "table", "name") or "",
                            "refers_to": ods.attr(element, "table", "cell-range-address") or "",
                            "hidden": False,
                        }
                    )
                elif event == "end" and walker is not None:
                    walker.see(element)
    return report


class _OdsSheetWalker:
    """Hidden columns and rows, and comments, of one ODS sheet, element by element."""

    def __init__(self, sheet: SheetState, report: HiddenReport) -> None:
        self.sheet, self.report = sheet, report
        self.rows = self.columns = 0

    def see(self, element: Any) -> None:
        from . import ods

        if element.tag == ods.COLUMN:
            repeat = ods.repeat_count(element, "number-columns-repeated")
            if _ods_hidden(element):
                span = range(self.columns, min(self.columns + repeat, 16384))
                self.sheet.hidden_columns += [column_letters(c) for c in span]
            self.columns += repeat
        elif element.tag == ods.ROW:
            repeat = ods.repeat_count(element, "number-rows-repeated")
            if _ods_hidden(element):
                self.sheet.hidden_rows += list(
                    range(self.rows + 1, self.rows + 1 + min(repeat, 16384))
                )
            self._comments(element, self.rows + 1)
            self.rows += repeat
            element.clear()

    def _comments(self, row: Any, r: int) -> None:
        from . import ods

        c = 0
        for cell in row:
            note = cell.find(ods.q("office", "annotation"))
            if note is not None:
                self.report.comments.append(
                    {
                        "sheet": self.sheet.name,
                        "cell": f"{column_letters(c)}{r}",
                        "author": next((e.text or "" for e in note if e.tag == DC_CREATOR), ""),
                        "text": ods.shown_text(note),
                    }
                )
            c += ods.repeat_count(cell, "number-columns-repeated")


DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"


def _ods_hidden(element: Any) -> bool:
    from . import ods

    return ods.attr(element, "table", "visibility") in ("collapse", "filter")


# ---------------------------------------------------------------------------
# entry point
# ---------------------------------------------------------------------------


def _count_hidden_cells(path: Path, name: str, options: ExtractOptions) -> int | None:
    if path.stat().st_size > COUNT_CELLS_UP_TO_BYTES:
        return None
    source = Source(name, sha256_file(path))
    return sum(1 for cell in read_file(path, options, source) if cell.hidden)


def report_hidden(
    path: str | Path, options: ExtractOptions | None = None, name: str | None = None
) -> list[HiddenReport]:
    """What each workbook in ``path`` hides (a zip gives one report per workbook member)."""
    path = Path(path)
    options = options or ExtractOptions()
    name = name or path.name
    fmt = detect_format(path)
    if fmt in ("xlsx", "xlsm"):
        report = xlsx_report(path, name, options)
    elif fmt == "xls":
        report = xls_report(path, name)
    elif fmt == "ods":
        report = ods_report(path, name, options)
    elif fmt == "zip":
        return _zip_reports(path, name, options)
    elif fmt == "corrupt-zip":
        raise CorruptDocument("is a damaged or truncated zip package (xlsx, docx or zip)", name)
    else:
        raise UnsupportedFormat(f"is {fmt}, not a workbook: nothing to report as hidden", name)
    report.hidden_cells_with_data = _count_hidden_cells(path, name, options)
    return [report]


def _zip_reports(path: Path, name: str, options: ExtractOptions) -> list[HiddenReport]:
    import tempfile

    from .archive import copy_member

    reports: list[HiddenReport] = []
    with open_zip(path, name) as archive, tempfile.TemporaryDirectory() as tmp:
        check_zip_limits(archive, name, options)
        budget = options.zip_max_total_bytes
        for number, info in enumerate(i for i in archive.infolist() if not i.is_dir()):
            target = Path(tmp) / f"member-{number:05d}"
            size, _ = copy_member(archive, info, target, budget, name)
            budget -= size
            if detect_format(target) in ("xlsx", "xlsm", "xls", "ods"):
                reports += report_hidden(target, options, member_label(name, info.filename))
            target.unlink(missing_ok=True)
    return reports


@dataclass
class HiddenOutcome:
    """The hidden-data reports of one file, or why it could not be read."""

    path: Path
    reports: list[HiddenReport] = field(default_factory=list)
    error: str | None = None


def hidden_reports(files: list[Path], options: ExtractOptions | None = None) -> list[HiddenOutcome]:
    """Report what each workbook among ``files`` hides; other formats are passed over."""
    from ..errors import ReadError

    outcomes = []
    for path in files:
        try:
            outcomes.append(HiddenOutcome(path, report_hidden(path, options)))
        except UnsupportedFormat:
            continue  # not a workbook: nothing to report
        except ReadError as exc:
            outcomes.append(HiddenOutcome(path, error=str(exc)))
        except FileNotFoundError:
            outcomes.append(HiddenOutcome(path, error=f"{path}: no such file or directory"))
        except OSError as exc:
            outcomes.append(HiddenOutcome(path, error=f"{path}: cannot be read ({exc.strerror})"))
    return outcomes
