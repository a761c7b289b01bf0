"""The HTML report of a claims check: one self-contained file a newsroom can publish.

``render_report(results, context)`` turns the typed results of
:func:`extractor.claims.check_claims` (:mod:`extractor.claims.results`) into a single
HTML page: inline CSS, images as ``data:`` URIs, no scripts, printable. Per claim: the
sentence as published with the figure highlighted, a verdict badge, the computed value and
claimed interval in one sentence, the feasible numerators and the methodology warnings.
Per figure: the document, the WhatDoTheyKnow request it came from, page or sheet, row and
column labels, and a cropped image of the PDF table with the cell outlined (an HTML excerpt
of the table for spreadsheets). At the top, counts by verdict; at the bottom, the run's
provenance (tool version, sha256 of every document, when it was harvested).

Every piece of text is escaped with :func:`html.escape`: claims, labels and file names
come from articles and FOI responses and are untrusted.
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import FoiError
from ..files import is_stdout, open_output
from ..records import Cell, read_jsonl
from ..store import Store, label_key
from .methodology import MethodWarning
from .rates import UNCLEAR, VERDICTS
from .results import CheckResult, FigureResult

IMAGE_RESOLUTION = 110  # dpi of the cropped table images: legible, a few tens of KB each
CROP_MARGIN = 14.0  # points of page kept around the table region
CAPTION_PREFIX = 40  # characters of the table title searched for on the page
CAPTION_REACH = 120.0  # points above the first data row a caption may be
MAX_IMAGE_SIDE = 1600  # pixels: a hostile page size cannot blow up memory or the file
MAX_EXCERPT_ROWS = 40  # spreadsheet excerpts: rows shown around the cell
MAX_EXCERPT_COLUMNS = 16  # and columns
OUTLINE = (220, 20, 60)  # crimson
OUTLINE_WIDTH = 3  # pixels
OUTLINE_PAD = 2.5  # points between a cell's box and its outline: drawn around the digits


class ReportError(FoiError):
    """The report cannot be written."""


@dataclass
class DocumentInfo:
    """What the report says about one document: where it is and where it came from."""

    sha256: str
    name: str
    path: Path | None = None
    media_type: str | None = None
    size: int | None = None
    source_url: str | None = None
    request_url: str | None = None
    request_title: str | None = None
    authority: str | None = None
    fetched_at: str | None = None


@dataclass
class ReportContext:
    """Documents by sha256 and the cells of their tables, for images and excerpts."""

    documents: dict[str, DocumentInfo] = field(default_factory=dict)
    table_cells: dict[tuple[str, int | None, str | None, int], list[Cell]] = field(
        default_factory=dict
    )
    generated_at: str = field(
        default_factory=lambda: datetime.now(UTC).replace(microsecond=0).isoformat()
    )
    note: str | None = None  # shown under the title, e.g. what the data are

    def cells_of_table(self, cell: Cell) -> list[Cell]:
        return self.table_cells.get((cell.sha256, cell.page, cell.sheet, cell.table), [])


# --- building the context from a store ---------------------------------------------------
def context_from_store(store: Store, shas: Iterable[str] | None = None) -> ReportContext:
    """Collect document provenance (documents, attachments, requests) and table cells."""
    wanted = set(shas) if shas is not None else None
    context = ReportContext()
    for document in store.documents():
        if wanted is not None and document.sha256 not in wanted:
            continue
        info = DocumentInfo(
            sha256=document.sha256,
            name=document.name,
            media_type=document.media_type,
            size=document.size,
            source_url=document.source_url,
            path=Path(document.path) if document.path else None,
        )
        _add_harvest_provenance(store, info)
        context.documents[info.sha256] = info
        for cell in store.cells("sha256 = ?", [info.sha256]):
            key = (cell.sha256, cell.page, cell.sheet, cell.table)
            context.table_cells.setdefault(key, []).append(cell)
    return context


def context_from_cells(cells: Iterable[Cell], shas: Iterable[str] | None = None) -> ReportContext:
    """Table cells from records (a JSONL file): excerpts, but no documents to crop from."""
    wanted = set(shas) if shas is not None else None
    context = ReportContext()
    for cell in cells:
        if wanted is None or cell.sha256 in wanted:
            key = (cell.sha256, cell.page, cell.sheet, cell.table)
            context.table_cells.setdefault(key, []).append(cell)
    return context


def _add_harvest_provenance(store: Store, info: DocumentInfo) -> None:
    attachment = store.attachment_of(info.sha256)
    if attachment is None:
        return
    info.source_url = info.source_url or attachment.url
    info.fetched_at = attachment.fetched_at
    if info.path is None and attachment.path:
        info.path = Path(attachment.path)
    url_title = attachment.url_title
    request = store.get("requests", url_title) if url_title else None
    if request:
        info.request_url = request.get("url")
        info.request_title = request.get("title")
        info.authority = request.get("authority_name") or request.get("authority")


# --- reading results ---------------------------------------------------------------------
def used_shas(results: Iterable[CheckResult]) -> set[str]:
    """The documents the results' figures were read from."""
    return {cell.sha256 for result in results for cell in result.cells if cell.sha256}


# --- small renderers ----------------------------------------------------------------------
def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def badge(verdict: str) -> str:
    name = verdict if verdict in VERDICTS else UNCLEAR
    return f'<span class="badge {name}">{esc(verdict)}</span>'


def highlight_phrase(text: str, phrase: str | None) -> str:
    """The sentence, escaped, with the checked phrase wrapped in <mark>."""
    if phrase:
        # "14" must not light up inside "2014", nor "3.3" inside "13.3"
        pattern = rf"(?<![\w.,]){re.escape(phrase)}(?!\w)"
        found = re.search(pattern, text, flags=re.IGNORECASE)
        if found:
            start, end = found.span()
            return f"{esc(text[:start])}<mark>{esc(text[start:end])}</mark>{esc(text[end:])}"
    return esc(text)


def interval_sentence(result: CheckResult) -> str:
    """Computed value and claimed interval in one plain sentence."""
    parts = []
    if result.value_text is not None:
        parts.append(f"The data give {esc(result.value_text)}{result.unit_suffix}")
    if result.claimed:
        parts.append(f"the claim allows {esc(result.claimed)}{result.unit_suffix}")
    return ("; ".join(parts) + ".") if parts else ""


def labels_text(labels: Sequence[str]) -> str:
    return esc(label_key(labels)) if labels else "(none)"


def link(url: str | None, text: str) -> str:
    if url and url.startswith(("http://", "https://")):
        return f'<a href="{esc(url)}">{esc(text)}</a>'
    return esc(text)


# --- images and excerpts ---------------------------------------------------------------------
def table_region(
    table_cells: Sequence[Cell], targets: Sequence[Cell]
) -> tuple[float, float, float, float]:
    page = targets[0].page
    boxes = [c.bbox for c in [*table_cells, *targets] if c.bbox and c.page == page]
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def image_resolution(region: tuple[float, float, float, float]) -> float:
    """IMAGE_RESOLUTION, lowered when the region would be over MAX_IMAGE_SIDE pixels."""
    longest = max(region[2] - region[0], region[3] - region[1], 1.0)
    return min(float(IMAGE_RESOLUTION), MAX_IMAGE_SIDE * 72.0 / longest)


def caption_top(page: Any, title: str | None, table_top: float) -> float:
    """The top of the table's caption when it is printed a little above the table."""
    if not title:
        return table_top
    try:
        found = page.search(title[:CAPTION_PREFIX], regex=False, case=False)
    except (ValueError, KeyError):
        return table_top
    above = [m["top"] for m in found if table_top - CAPTION_REACH <= m["top"] < table_top]
    if not above:
        return table_top
    # the crop starts 2.5 margins above what this returns: put the caption 4 points inside
    return float(min(table_top, min(above) + CROP_MARGIN * 2.5 - 4.0))


def crop_png(pdf_path: Path, targets: Sequence[Cell], table_cells: Sequence[Cell]) -> bytes:
    """A PNG of the table region of the targets' page, each target cell outlined."""
    import pdfplumber

    x0, top, x1, bottom = table_region(table_cells, targets)
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[targets[0].page - 1]  # type: ignore[operator]
        width, height = float(page.width), float(page.height)
        top = caption_top(page, targets[0].title, top)
        # full text width, and room above for the header rows, which are not cell records
        region = (
            max(0.0, min(x0 - CROP_MARGIN, width * 0.06)),
            max(0.0, top - CROP_MARGIN * 2.5),
            min(width, max(x1 + CROP_MARGIN, width * 0.94)),
            min(height, bottom + CROP_MARGIN),
        )
        image = page.crop(region).to_image(resolution=image_resolution(region))
        for cell in targets:
            image.draw_rect(  # fill=None (no fill) works; pdfplumber's stubs omit it
                _padded(cell.bbox, region),
                fill=None,  # type: ignore[arg-type]
                stroke=OUTLINE,
                stroke_width=OUTLINE_WIDTH,
            )
        buffer = io.BytesIO()
        image.annotated.save(buffer, format="PNG", optimize=True)
        page.close()
    return buffer.getvalue()


def _padded(
    bbox: Sequence[float] | None, region: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    """The cell's box grown by OUTLINE_PAD (kept inside the crop), so that the outline's
    stroke runs around the digits rather than across them."""
    x0, top, x1, bottom = bbox or region
    return (
        max(region[0], x0 - OUTLINE_PAD),
        max(region[1], top - OUTLINE_PAD),
        min(region[2], x1 + OUTLINE_PAD),
        min(region[3], bottom + OUTLINE_PAD),
    )


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def continued_header(targets: Sequence[Cell], context: ReportContext) -> str:
    """For a table continued from an earlier page, the column headers of the cells used:
    the crop of a later page may show none."""
    first = targets[0]
    pages = [
        page
        for (sha, page, sheet, table) in context.table_cells
        if sha == first.sha256 and table == first.table and page is not None
    ]
    if not pages or first.page is None or min(pages) >= first.page:
        return ""
    columns = list(dict.fromkeys(labels_text(c.column) for c in targets))
    return (
        f'<p class="crop-header">Table continued from page {min(pages)}; '
        f"column{'s' if len(columns) > 1 else ''}: {', '.join(columns)}</p>"
    )


def pdf_image_html(
    document: DocumentInfo | None, targets: Sequence[Cell], context: ReportContext
) -> str:
    if document is None or document.path is None or not document.path.is_file():
        return ""
    if targets[0].page is None or not all(c.bbox for c in targets):
        return ""
    try:
        png = crop_png(document.path, targets, context.cells_of_table(targets[0]))
    except Exception as exc:  # a damaged PDF costs the image, not the whole report
        return f'<p class="note">No image: {esc(type(exc).__name__)}: {esc(exc)}</p>'
    data = base64.b64encode(png).decode("ascii")
    alt = f"Page {targets[0].page} of {targets[0].file}, the cells used outlined"
    width, height = png_size(png)
    # shown at full size (never shrunk below legibility): a narrow screen scrolls the crop
    return (
        f'{continued_header(targets, context)}<div class="scroll"><img class="crop" '
        f'alt="{esc(alt)}" width="{width}" height="{height}" '
        f'src="data:image/png;base64,{data}"></div>'
    )


def _ordered_unique(keys: Iterable[tuple[str, ...]]) -> list[tuple[str, ...]]:
    return list(dict.fromkeys(keys))


def _cell_key(cell: Cell) -> tuple[tuple[str, ...], tuple[str, ...], str | None, str]:
    return tuple(cell.row), tuple(cell.column), cell.cell, cell.raw


def around(keys: list[tuple[str, ...]], key: tuple[str, ...], limit: int) -> list[tuple[str, ...]]:
    """At most ``limit`` keys, centred on ``key``."""
    if len(keys) <= limit:
        return keys
    middle = keys.index(key) if key in keys else 0
    start = min(max(0, middle - limit // 2), len(keys) - limit)
    return keys[start : start + limit]


def excerpt_html(targets: Sequence[Cell], table_cells: Sequence[Cell]) -> str:
    """The table around the target cells as an HTML table, the targets highlighted."""
    cells = list(table_cells) or list(targets)
    rows = _ordered_unique(tuple(c.row) for c in cells)
    columns = _ordered_unique(tuple(c.column) for c in cells)
    rows = around(rows, tuple(targets[0].row), MAX_EXCERPT_ROWS)
    columns = around(columns, tuple(targets[0].column), MAX_EXCERPT_COLUMNS)
    by_key = {(tuple(c.row), tuple(c.column)): c for c in cells}
    wanted = {_cell_key(c) for c in targets}
    head = "".join(f"<th>{labels_text(col)}</th>" for col in columns)
    body = []
    for row in rows:
        tds = []
        for col in columns:
            found = by_key.get((row, col))
            mark = ' class="target"' if found is not None and _cell_key(found) in wanted else ""
            tds.append(f"<td{mark}>{esc(found.raw) if found else ''}</td>")
        body.append(f"<tr><th>{labels_text(row)}</th>{''.join(tds)}</tr>")
    return (
        f'<div class="scroll"><table class="excerpt"><thead><tr><th></th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


# --- sections -------------------------------------------------------------------------------
def where_text(cell: Cell) -> str:
    if cell.sheet:
        return f"sheet “{cell.sheet}”"
    if cell.page is not None:
        return f"page {cell.page}"
    return ""


def cell_ref(cell: Cell) -> str:
    return (cell.cell or "").rpartition("!")[2]  # "Sheet1!C7" -> "C7"


def cell_line(cell: Cell, context: ReportContext) -> str:
    """Where one cell is: document, page or sheet, table, labels, the text as printed."""
    document = context.documents.get(cell.sha256)
    source = link(document.source_url if document else None, cell.file)
    table = esc(cell.title.rstrip(". ")) if cell.title else f"table {cell.table + 1}"
    ref = f", cell {esc(cell_ref(cell))}" if cell.cell else ""
    flag = f" (flag: {esc(cell.flag)})" if cell.flag else ""
    return (
        f"<li>{source}, {esc(where_text(cell))}{ref}, {table}: row {labels_text(cell.row)}, "
        f"column {labels_text(cell.column)}, printed as <code>{esc(cell.raw)}</code>{flag}</li>"
    )


def figure_html(figure: FigureResult, context: ReportContext) -> str:
    """One figure: its value, and each cell it was read from."""
    value = esc(figure.value_text)
    origin = " (a literal number in the claims file)" if figure.literal else ""
    if figure.error:
        value, origin = "no value", ""
    cells = figure.cells
    summed = f", the sum of {len(cells)} cells" if len(cells) > 1 else ""
    lines = "".join(cell_line(cell, context) for cell in cells)
    error = f'<p class="note">{esc(figure.error)}</p>' if figure.error else ""
    return (
        f'<div class="figure"><h4>{esc(figure.name)}: {value}{summed}{origin}</h4>'
        f"{error}{'<ul>' + lines + '</ul>' if lines else ''}</div>"
    )


def source_html(cells: Sequence[Cell], context: ReportContext) -> str:
    """One table a claim's figures come from: its document, its request, and the table
    itself (a crop of the PDF page, or an excerpt) with every cell used outlined."""
    first = cells[0]
    document = context.documents.get(first.sha256)
    request = ""
    if document and (document.request_url or document.request_title):
        request = (
            f"; harvested from the request "
            f"{link(document.request_url, document.request_title or 'request')}"
            f"{' to ' + esc(document.authority) if document.authority else ''}"
        )
    source = link(document.source_url if document else None, first.file)
    table = esc(first.title.rstrip(". ")) if first.title else f"Table {first.table + 1}"
    image = pdf_image_html(document, cells, context) if first.page is not None else ""
    visual = image or excerpt_html(cells, context.cells_of_table(first))
    return (
        f'<div class="source"><p>{table}, in {source} ({esc(where_text(first))}){request}.</p>'
        f"{visual}</div>"
    )


def by_table(cells: Iterable[Cell]) -> list[list[Cell]]:
    groups: dict[tuple[str, int | None, str | None, int], list[Cell]] = {}
    for cell in cells:
        groups.setdefault((cell.sha256, cell.page, cell.sheet, cell.table), []).append(cell)
    return list(groups.values())


def claim_html(result: CheckResult, context: ReportContext) -> str:
    verdict = result.verdict or UNCLEAR
    feasible = (
        f"<p>Counts that would have made the claim true: {result.feasible[0]:,} to "
        f"{result.feasible[1]:,}.</p>"
        if result.feasible
        else ""
    )
    warning_list = (
        '<div class="warnings"><h4>Methodology warnings</h4><ul>'
        + "".join(f"<li>{esc(warning_text(w))}</li>" for w in result.warnings)
        + "</ul></div>"
        if result.warnings
        else ""
    )
    figure_list = "".join(figure_html(f, context) for f in result.figures)
    sources = "".join(source_html(group, context) for group in by_table(result.cells))
    detail_list = (
        '<ul class="details">' + "".join(f"<li>{esc(d)}</li>" for d in result.details) + "</ul>"
        if result.details
        else ""
    )
    return (
        f'<section class="claim {esc(verdict)}" id="claim-{esc(result.id)}">'
        f"<h3>{badge(verdict)} {esc(result.id)}</h3>"
        f"<blockquote>{highlight_phrase(result.text, result.phrase)}</blockquote>"
        f'<p class="reason">{esc(result.reason)}</p>'
        f"<p>{interval_sentence(result)}</p>{detail_list}{feasible}{warning_list}"
        f"{figure_list}{sources}</section>"
    )


def warning_text(warning: MethodWarning) -> str:
    """``(7) message``: the number of the warning in docs/claims.md, then the sentence."""
    number = f"({warning.number}) " if warning.number else ""
    return number + warning.message


def summary_html(results: Sequence[CheckResult]) -> str:
    counts = dict.fromkeys(VERDICTS, 0)
    for result in results:
        counts[result.verdict] = counts.get(result.verdict, 0) + 1
    items = "".join(f"<li>{badge(verdict)} {count}</li>" for verdict, count in counts.items())
    rows = "".join(
        f'<tr><td><a href="#claim-{esc(r.id)}">{esc(r.id)}</a></td>'
        f"<td>{badge(r.verdict)}</td><td>{esc(r.reason)}</td></tr>"
        for r in results
    )
    return (
        f'<section class="summary"><h2>Summary: {len(results)} claims</h2>'
        f'<ul class="counts">{items}</ul>'
        f'<table class="verdicts"><thead><tr><th>claim</th><th>verdict</th><th>why</th></tr>'
        f"</thead><tbody>{rows}</tbody></table></section>"
    )


def provenance_html(context: ReportContext, shas: set[str]) -> str:
    rows = []
    for sha in sorted(
        shas, key=lambda s: context.documents[s].name if s in context.documents else s
    ):
        doc = context.documents.get(sha) or DocumentInfo(sha256=sha, name="(not in the store)")
        rows.append(
            f"<tr><td>{link(doc.source_url, doc.name)}</td>"
            f"<td>{link(doc.request_url, doc.request_title or '')}</td>"
            f"<td>{esc(doc.fetched_at or '')}</td><td><code>{esc(sha)}</code></td></tr>"
        )
    return (
        '<section class="provenance"><h2>Provenance</h2>'
        f"<p>Checked with foi-extractor {esc(__version__)} at {esc(context.generated_at)}.</p>"
        "<table><thead><tr><th>document</th><th>request</th><th>harvested</th>"
        f"<th>sha256</th></tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


STYLE = """
body{font:15px/1.45 Georgia,'Times New Roman',serif;color:#111;max-width:60rem;margin:2rem auto;
padding:0 1rem;overflow-wrap:anywhere}
h1,h2,h3,h4{font-family:Helvetica,Arial,sans-serif;line-height:1.2}
h4{margin:.8rem 0 .3rem;font-size:.95rem}
.badge{display:inline-block;font:bold .8rem Helvetica,Arial,sans-serif;text-transform:uppercase;
padding:.15rem .5rem;border-radius:.25rem;color:#fff;letter-spacing:.03em;white-space:nowrap;
overflow-wrap:normal}
.badge.accurate{background:#1b7a3a}.badge.loose{background:#9a6a00}
.badge.inaccurate{background:#b0122d}.badge.unclear{background:#5b6470}
ul.counts{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem}
table{border-collapse:collapse;margin:.5rem 0;font:.85rem Helvetica,Arial,sans-serif}
td,th{border:1px solid #bbb;padding:.2rem .45rem;text-align:left;vertical-align:top}
table.excerpt td{text-align:right}td.target{outline:3px solid crimson;background:#fff4b3}
section.claim{border-top:3px solid #ddd;margin-top:1.6rem;padding-top:.4rem;
break-inside:avoid-page}
section.claim.inaccurate{border-top-color:#b0122d}section.claim.accurate{border-top-color:#1b7a3a}
blockquote{margin:.5rem 0;padding:.4rem .9rem;border-left:4px solid #999;background:#f6f6f6}
mark{background:#ffe066;padding:0 .1rem}
.reason{font-weight:bold}.note{color:#555;font-style:italic}
.warnings{background:#fff7e6;border-left:4px solid #e0a000;padding:.1rem .8rem;margin:.6rem 0}
.figure{margin:.6rem 0 .6rem 1rem}.figure ul{margin:.2rem 0;padding-left:1.2rem}
.source{margin:.8rem 0 .8rem 1rem;break-inside:avoid}.source p{margin:.2rem 0}
.scroll{overflow-x:auto;max-width:100%}
img.crop{max-width:none;height:auto;border:1px solid #ccc;margin:.3rem 0;display:block}
.crop-header{font:.8rem Helvetica,Arial,sans-serif;color:#333;margin:.3rem 0 0}
table.verdicts{width:100%}table.excerpt td,table.excerpt th{overflow-wrap:normal}
code{font-size:.8rem;word-break:break-all}
footer{margin-top:2rem;color:#555;font-size:.85rem}
@media print{body{margin:0;max-width:none;font-size:11pt}a{color:#000}img.crop{max-width:100%}
section.claim{break-inside:avoid}}
"""


def render_report(
    results: Iterable[CheckResult],
    context: ReportContext | None = None,
    title: str = "Fact check",
) -> str:
    """The whole report as one HTML string."""
    results = list(results)
    context = context or ReportContext()
    claims = "".join(claim_html(result, context) for result in results)
    note = f'<p class="note">{esc(context.note)}</p>' if context.note else ""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>"
        f"<header><h1>{esc(title)}</h1>{note}</header>{summary_html(results)}"
        f"<h2>Claims</h2>{claims}{provenance_html(context, used_shas(results))}"
        f"<footer>Generated by foi-extractor {esc(__version__)}. Verdicts follow the rules in "
        "docs/claims.md: a value inside the claimed interval is accurate; methodology warnings "
        "stand beside the arithmetic, never instead of it.</footer></body></html>\n"
    )


def write_report(
    path: str | Path,
    results: Iterable[CheckResult],
    context: ReportContext | None = None,
    title: str = "Fact check",
) -> Path:
    """Write the report with :func:`extractor.files.open_output`: atomically onto a new
    path or a regular file, through to a device, FIFO or symlink, ``-`` to stdout."""
    path = Path(path)
    text = render_report(results, context, title)
    try:
        if not is_stdout(path):
            path.parent.mkdir(parents=True, exist_ok=True)
        with open_output(path) as out:
            out.write(text)
    except OSError as exc:
        raise ReportError(f"{path}: cannot write the report ({exc.strerror or exc})") from None
    except FoiError as exc:
        raise ReportError(str(exc).replace(": cannot write", ": cannot write the report")) from None
    return path


def report_for_store(
    path: str | Path,
    results: Sequence[CheckResult],
    store: Store | None,
    title: str = "Fact check",
    records: str | Path | None = None,
    note: str | None = None,
) -> Path:
    """Write the report, reading documents and table cells from ``store`` (or the JSONL
    ``records`` the claims were checked against) when given; ``note`` goes under the title."""
    context = ReportContext()
    if records is not None:
        context = context_from_cells(read_jsonl(records), used_shas(results))
    elif store is not None:
        context = context_from_store(store, used_shas(results))
    context.note = note
    return write_report(path, results, context, title)
