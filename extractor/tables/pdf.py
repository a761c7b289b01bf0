"""PDF reader: the tables in an FOI response PDF → cell records.

Per page (text turned upright first, see :mod:`.pdf_layout`):

1. ``find_ruled``: tables drawn with lines, cell by cell (:mod:`.pdf_ruled`);
2. ``find_borderless``: tables aligned only by whitespace, among the words left
   over (:mod:`.pdf_borderless`);
3. ``caption_above``: the line just above a ruled table becomes its title;
4. ``continues``: a table that runs to the foot of a page and one that starts at the
   head of the next, with the same columns, are stitched into one (a repeated
   header is dropped);
5. every grid goes through :func:`extractor.tables.grid.grid_to_cells`.

Pages that cannot hold a table (fewer than ``min_digit_chars`` digits and no rules)
are skipped after reading their characters, and every page's caches are released,
so memory stays flat in the number of pages.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from statistics import median
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from ..errors import CorruptDocument, EncryptedDocument, LimitExceeded, NoTextLayer, ReadError
from ..records import Cell
from ..values import normalise_space, parse_number
from . import LAST_PAGE, ExtractOptions, Source, register
from .grid import (
    Grid,
    GridCell,
    add_period_heading,
    find_header_rows,
    find_stub_columns,
    grid_to_cells,
    is_label_like,
)
from .layout import structure_confidence
from .pdf_borderless import ends_a_caption, find_borderless
from .pdf_headers import attach_sideways_headings
from .pdf_layout import (
    BBox,
    Frame,
    Line,
    Word,
    chars_to_words,
    inside_any,
    join_wrapped,
    line_segments,
    page_frame,
    redaction_words,
    sideways_words,
    upright_chars,
    upright_edges,
    visible_chars,
    words_to_lines,
)
from .pdf_objects import DEFAULT_TEXT_LAYER, PageObjects, page_objects, release_document
from .pdf_ruled import cells_to_grid, find_cell_tables, split_group_columns

DEFAULT_X_TOLERANCE = 3.0
DEFAULT_COLUMN_GAP_RATIO = 0.8
DEFAULT_LINE_GAP_RATIO = 1.6
DEFAULT_SNAP_TOLERANCE = 3.0
DEFAULT_EDGE_MIN_LENGTH = 3.0
DEFAULT_MIN_DIGIT_CHARS = 2
DEFAULT_STITCH_TOLERANCE = 15.0
DEFAULT_MARGIN_RATIO = 0.1


@dataclass(frozen=True)
class PdfSettings:
    """Tuning knobs for the PDF table finder, in the spirit of pdfplumber's TableSettings.

    Ratios are relative to the font size of the text concerned, so the same settings
    suit 7-point and 12-point tables.
    """

    x_tolerance: float = DEFAULT_X_TOLERANCE  # max gap between letters of one word (pt)
    column_gap_ratio: float = DEFAULT_COLUMN_GAP_RATIO  # a wider gap between words splits cells
    line_gap_ratio: float = DEFAULT_LINE_GAP_RATIO  # a wider gap between lines ends a table
    snap_tolerance: float = DEFAULT_SNAP_TOLERANCE  # rules this close are one rule (pt)
    edge_min_length: float = DEFAULT_EDGE_MIN_LENGTH  # shorter rules are ignored (pt)
    min_digit_chars: int = DEFAULT_MIN_DIGIT_CHARS  # pages with fewer digits and no rules skip
    stitch_tolerance: float = DEFAULT_STITCH_TOLERANCE  # column drift allowed across pages (pt)
    margin_ratio: float = DEFAULT_MARGIN_RATIO  # page head/foot bands ignored when stitching
    text_layer: str = DEFAULT_TEXT_LAYER  # what reads chars and lines: "pdfminer" or "pdfium"

    @classmethod
    def resolve(cls, settings: PdfSettings | dict[str, Any] | None = None) -> PdfSettings:
        """Settings from None (defaults), a dict of overrides, or a PdfSettings."""
        if settings is None:
            return cls()
        if isinstance(settings, PdfSettings):
            return settings
        known = {f.name for f in fields(cls)}
        unknown = set(settings) - known
        if unknown:
            raise ValueError(f"unknown PDF settings: {', '.join(sorted(unknown))}")
        return replace(cls(), **settings)


@dataclass
class PageTable:
    """A table found on one page, in the page's upright frame."""

    grid: Grid
    bbox: BBox
    page: int
    frame: Frame
    kind: str  # "ruled" or "borderless"
    row_tops: list[float] = field(default_factory=list)
    at_foot: bool = False  # nothing but the page footer below it
    at_head: bool = False  # nothing but the page header above it


@dataclass
class PageResult:
    tables: list[PageTable]
    chars: int


def find_ruled(
    edges: list[dict[str, Any]], words: list[Word], frame: Frame, page: int, settings: PdfSettings
) -> list[PageTable]:
    if sum(e["orientation"] == "v" for e in edges) < 2 or len(edges) < 6:
        return []
    tables = []
    for cells in find_cell_tables(edges, settings.snap_tolerance, settings.edge_min_length):
        ruled = cells_to_grid(cells, words, frame, page)
        if ruled is not None and ruled.grid.width >= 2 and len(ruled.grid.rows) >= 2:
            for grid, tops in split_group_columns(ruled.grid, ruled.row_tops):
                tables.append(PageTable(grid, ruled.bbox, page, frame, "ruled", tops))
    return tables


def caption_above(table: PageTable, lines: list[Line], used: set[int]) -> Line | None:
    """The free line just above a table, starting near its left edge: its caption."""
    x0, top = table.bbox[0], table.bbox[1]
    above = [ln for ln in lines if id(ln) not in used and ln.bottom <= top + 1]
    if not above:
        return None
    line = max(above, key=lambda ln: ln.bottom)
    near = top - line.bottom <= 2.5 * line.size and line.x0 <= x0 + 40
    return line if near and len(line.text) <= 200 else None


def _cannot_hold_a_table(
    objects: PageObjects, edges: list[dict[str, Any]], settings: PdfSettings
) -> bool:
    digits = sum(c["text"].isdigit() for c in objects.chars)
    return digits < settings.min_digit_chars and not edges


def page_words(
    objects: PageObjects,
    frame: Frame,
    settings: PdfSettings,
    visible: list[dict[str, Any]] | None = None,
) -> list[Word]:
    """Upright words, plus a ``█`` word for each blacked-out box."""
    chars = visible if visible is not None else visible_chars(objects.chars, objects.rects)
    words = chars_to_words(upright_chars(chars, frame), settings.x_tolerance)
    return words + redaction_words(objects.rects, words, frame)


def segmented_lines(words: list[Word], settings: PdfSettings) -> list[Line]:
    lines = words_to_lines(words)
    for line in lines:
        line.segments = line_segments(line, settings.column_gap_ratio)
    return lines


def _caption_ruled(tables: list[PageTable], lines: list[Line], used: set[int]) -> None:
    for table in tables:
        caption = caption_above(table, lines, used)
        if caption is not None and table.grid.title is None:
            table.grid.title = normalise_space(caption.text)
            used.add(id(caption))
            period = not ends_a_caption(caption, lines)
            if period and add_period_heading(table.grid, caption.text, table.page):
                table.row_tops.insert(0, caption.top)  # "2019" over this block


def read_page(page: Any, number: int, settings: PdfSettings) -> PageResult:
    """The tables on one page: ruled first, then borderless among the other lines."""
    objects = page_objects(page, settings.text_layer)
    if not objects.chars:
        return PageResult([], 0)
    edges = [e for e in objects.edges if e.get("orientation") in ("h", "v")]
    if _cannot_hold_a_table(objects, edges, settings):
        return PageResult([], len(objects.chars))
    frame = page_frame(page, objects.chars)
    visible = visible_chars(objects.chars, objects.rects)
    words = page_words(objects, frame, settings, visible)
    tables = find_ruled(upright_edges(edges, frame), words, frame, number, settings)
    lines = segmented_lines(words, settings)
    areas = [t.bbox for t in tables]
    in_ruled = {id(ln) for ln in lines if all(inside_any(w.bbox, areas) for w in ln.words)}
    borderless, used = find_borderless(lines, frame, number, settings.line_gap_ratio, in_ruled)
    used |= in_ruled
    _caption_ruled(tables, lines, used)
    found = [PageTable(b.grid, b.bbox, number, frame, "borderless", b.row_tops) for b in borderless]
    sideways = sideways_words(visible, frame)  # headings printed at 90 degrees
    for table in found:
        taken = attach_sideways_headings(table, sideways, lines, used)
        sideways = [w for w in sideways if w not in taken]
    tables += found
    tables.sort(key=lambda t: (t.bbox[1], t.bbox[0]))
    _mark_page_ends(tables, [ln for ln in lines if id(ln) not in used], frame, settings)
    return PageResult(tables, len(objects.chars))


def _mark_page_ends(
    tables: list[PageTable], free: list[Line], frame: Frame, settings: PdfSettings
) -> None:
    if not tables:
        return
    height = frame.width if frame.turns in (1, 3) else frame.height
    head, foot = height * settings.margin_ratio, height * (1 - settings.margin_ratio)
    first, last = tables[0], tables[-1]
    first.at_head = not any(head < ln.bottom <= first.bbox[1] for ln in free)
    last.at_foot = not any(last.bbox[3] <= ln.top < foot for ln in free)


def _row_texts(grid: Grid, i: int) -> list[str]:
    return [normalise_space(c.text) for c in grid.rows[i]]


def _column_centres(table: PageTable) -> list[float | None]:
    """The x centre of each grid column, from its cells' boxes, in the upright frame."""
    centres: list[float | None] = []
    for j in range(table.grid.width):
        xs = []
        for row in table.grid.rows:
            cell = row[j] if j < len(row) else None
            if cell is not None and cell.bbox and cell.text.strip() and not cell.merged:
                x0, _, x1, _ = table.frame.to_logical(tuple(cell.bbox))  # type: ignore[arg-type]
                xs.append((x0 + x1) / 2)
        centres.append(median(xs) if xs else None)
    return centres


def column_map(previous: PageTable, table: PageTable, tolerance: float) -> list[int] | None:
    """Which column of ``previous`` each column of ``table`` continues, or None.

    Columns left blank on one page are dropped from its grid, so widths can differ;
    the columns are matched by position.
    """
    if previous.grid.width == table.grid.width:
        return list(range(table.grid.width))
    before, after = _column_centres(previous), _column_centres(table)
    mapping: list[int] = []
    for centre in after:
        near = [
            i
            for i, c in enumerate(before)
            if c is not None and centre is not None and abs(c - centre) <= tolerance
        ]
        if not near:
            return None
        best = min(near, key=lambda i: abs(before[i] - centre))  # type: ignore[operator]
        if mapping and best <= mapping[-1]:
            return None
        mapping.append(best)
    return mapping


def continues(previous: PageTable, table: PageTable, settings: PdfSettings) -> bool:
    """Does ``table`` carry on ``previous`` from the page before?"""
    if not (previous.at_foot and table.at_head and table.page == previous.page + 1):
        return False
    if previous.kind != table.kind or previous.frame.turns != table.frame.turns:
        return False
    tolerance = settings.stitch_tolerance
    aligned = (
        abs(previous.bbox[0] - table.bbox[0]) <= tolerance
        and abs(previous.bbox[2] - table.bbox[2]) <= tolerance
    )
    return (
        aligned
        and column_map(previous, table, tolerance) is not None
        and not _new_header(previous.grid, table.grid)
    )


def _header_texts(grid: Grid) -> list[list[str]]:
    stub = find_stub_columns(grid, 0)
    count = grid.header_rows if grid.header_rows is not None else find_header_rows(grid, stub)
    if grid.header_rows is None and not _has_values(grid, count):
        return []  # a text table's first row is taken as its header: not evidence enough
    texts = [_row_texts(grid, i) for i in range(min(count, len(grid.rows)))]
    if any(not any(row[1:]) for row in texts):
        return []  # a label cut by the page break, not column headings
    rows = [[t for t in row if t] for row in texts]
    return rows if all(is_label_like(t) for row in rows for t in row) else []


def _has_values(grid: Grid, header_rows: int) -> bool:
    return any(
        parse_number(c.text) is not None and not is_label_like(c.text)
        for row in grid.rows[header_rows:]
        for c in row[1:]
    )


def _new_header(previous: Grid, table: Grid) -> bool:
    """A table under a header of its own, unlike the one before the break, is another
    table (a repeated header is the same; a continuation has none)."""
    header = _header_texts(table)
    return bool(header) and header != _header_texts(previous)[-len(header) :]


def stitch(previous: PageTable, table: PageTable, settings: PdfSettings) -> None:
    """Append ``table``'s rows to ``previous``, dropping a repeated header."""
    mapping = column_map(previous, table, settings.stitch_tolerance) or []
    width = previous.grid.width  # once: Grid.width scans every row (quadratic per row)
    rows = [_remap(row, mapping, width, table.page) for row in table.grid.rows]
    repeated = 0
    while (
        repeated < len(rows)
        and repeated < len(previous.grid.rows)
        and _texts(rows[repeated]) == _row_texts(previous.grid, repeated)
        and any(_texts(rows[repeated]))
    ):
        repeated += 1
    rows = rows[repeated:]
    if rows and _continues_a_label(previous.grid.rows[-1], rows[0]):
        last = previous.grid.rows[-1][0]
        last.text = join_wrapped([last.text, rows.pop(0)[0].text])
    previous.grid.rows.extend(rows)
    previous.page, previous.at_foot = table.page, table.at_foot
    previous.bbox, previous.frame = table.bbox, table.frame


def _remap(row: list[GridCell], mapping: list[int], width: int, page: int) -> list[GridCell]:
    if len(mapping) == width:
        return row
    cells = [GridCell(page=page) for _ in range(width)]
    for j, cell in enumerate(row):
        cells[mapping[j]] = cell
    return cells


def _texts(row: list[GridCell]) -> list[str]:
    return [normalise_space(c.text) for c in row]


def _continues_a_label(last: list[GridCell], first: list[GridCell]) -> bool:
    """A row label cut by the page break: label-only, carrying on in lower case."""
    head = first[0].text if first else ""
    rest = [c for c in first[1:] if c.text.strip()]
    return bool(head[:1].islower()) and not rest and any(c.text.strip() for c in last[1:])


def _open(path: Path) -> Any:
    try:
        return pdfplumber.open(path)
    except Exception as exc:  # pdfminer raises many types on damaged files
        cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise EncryptedDocument("is encrypted (password-protected PDF)", str(path)) from None
        reason = _reason(cause) if isinstance(cause, Exception) else str(cause)
        raise CorruptDocument(f"is damaged or truncated ({reason})", str(path)) from None


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def read_pages(path: Path, options: ExtractOptions, settings: PdfSettings) -> Iterator[PageResult]:
    """The tables of each wanted page, one page in memory at a time."""
    started = time.monotonic()
    pdf = _open(path)
    total_chars, pages_read = 0, 0
    try:
        for number, page in enumerate(pdf.pages, start=1):
            if not _wanted(number, len(pdf.pages), options.pages):
                continue
            if time.monotonic() - started > options.max_seconds:
                raise LimitExceeded(f"took longer than {options.max_seconds:g}s", str(path))
            result = _read_page_safely(page, number, settings, path)
            if options.debug_images is not None:
                write_debug_image(page, result.tables, options.debug_images, path, number)
            page.close()  # release the page's parsed objects
            total_chars, pages_read = total_chars + result.chars, pages_read + 1
            yield result
    finally:
        release_document(pdf)  # the PDFium copy, when that layer read it
        pdf.close()
    if total_chars == 0 and pages_read:
        raise NoTextLayer("has no text layer (a scanned, image-only PDF); run OCR first", str(path))


def stitch_pages(results: Iterable[PageResult], settings: PdfSettings) -> Iterator[PageTable]:
    """Tables in reading order; the last table of a page stays open for the next page."""
    open_table: PageTable | None = None
    for result in results:
        tables = list(result.tables)
        if open_table is not None and tables and continues(open_table, tables[0], settings):
            stitch(open_table, tables.pop(0), settings)
            if not tables:
                continue  # it may run on over the next page too
        if open_table is not None:
            yield open_table
            open_table = None
        if tables:
            *done, open_table = tables
            yield from done
    if open_table is not None:
        yield open_table


def iter_page_tables(
    path: Path, options: ExtractOptions, settings: PdfSettings | None = None
) -> Iterator[PageTable]:
    """Every table of the PDF, stitched across pages, in reading order."""
    resolved = PdfSettings.resolve(settings or options.pdf)
    yield from stitch_pages(read_pages(path, options, resolved), resolved)


def _wanted(number: int, total: int, pages: set[int] | None) -> bool:
    if pages is None:
        return True
    return number in pages or (number == total and LAST_PAGE in pages)


def _read_page_safely(page: Any, number: int, settings: PdfSettings, path: Path) -> PageResult:
    try:
        return read_page(page, number, settings)
    except ReadError:
        raise
    except Exception as exc:  # a damaged content stream
        raise CorruptDocument(f"page {number} cannot be read ({_reason(exc)})", str(path)) from None


def write_debug_image(
    page: Any, tables: list[PageTable], folder: Path, path: Path, number: int
) -> None:
    """A PNG of the page with tables (blue), header rows (green) and cells (red) drawn on it."""
    folder.mkdir(parents=True, exist_ok=True)
    image = page.to_image(resolution=100)
    for table in tables:
        frame = table.frame
        image.draw_rect(frame.to_page(table.bbox), stroke=(0, 0, 255), fill=None, stroke_width=2)
        for row in table.grid.rows:
            for cell in row:
                if cell.bbox and cell.text and cell.page == number:
                    image.draw_rect(cell.bbox, stroke=(255, 0, 0), fill=None, stroke_width=1)
        header = _header_band(table)
        if header is not None:
            image.draw_rect(frame.to_page(header), stroke=(0, 160, 0), fill=(0, 200, 0, 40))
    safe_stem = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in path.stem)[:80]
    image.save(folder / f"{safe_stem}-p{number:03d}.png")


def _header_band(table: PageTable) -> BBox | None:
    grid = table.grid
    rows = grid.header_rows
    if rows is None:
        rows = find_header_rows(grid, find_stub_columns(grid, 0))
    if not rows or rows >= len(table.row_tops):
        return None
    x0, top, x1, _ = table.bbox
    return (x0, top, x1, table.row_tops[rows])


def table_confidence(table: PageTable, cells: list[Cell]) -> float:
    """How sure the reader is of a PDF table's structure, 0 to 1 (``Cell.confidence``).

    The share of cells with a row and a column label and a pair of label paths no other
    cell has (:func:`.layout.structure_confidence`), lowered where the layout gave little
    evidence: columns inferred from whitespace rather than rules, from fewer than three
    rows, with no heading over them, or a table of text with hardly a figure in it (a
    form, a contents page, a letterhead).
    """
    score = structure_confidence(cells)
    body_rows = len(table.grid.rows) - (table.grid.header_rows or 0)
    if table.kind == "borderless":
        score *= 0.95
    if body_rows < 3:
        score *= 0.8
    if not any(c.column for c in cells):
        score *= 0.7
    numbers = sum(isinstance(c.value, int | float) or c.flag is not None for c in cells)
    if cells and numbers < 0.2 * len(cells):
        score *= 0.85
    return round(score, 2)


@register("pdf")
def read_pdf(path: Path, source: Source, options: ExtractOptions) -> Iterator[Cell]:
    """Cell records for every table in a PDF (the reader behind ``read_file``)."""
    for index, table in enumerate(iter_page_tables(path, options)):
        first_page = min((c.page for r in table.grid.rows for c in r if c.page), default=None)
        cells = grid_to_cells(table.grid, source, index, page=first_page)
        confidence = table_confidence(table, cells)
        for cell in cells:
            cell.confidence = confidence
        yield from cells
