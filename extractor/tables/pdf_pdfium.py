"""The PDF text layer read through PDFium (pypdfium2), as the same :class:`PageObjects`
that :mod:`.pdf_objects` builds from pdfminer, several times faster.

pypdfium2 is already installed with pdfplumber (which renders its debug images with
it). PDFium parses the page's content stream in C++; this module reads what the table
finders use, through PDFium's C API:

- characters: text, box, font name and size, matrix, fill colour. Boxes are built as
  pdfminer builds them (the font's advance width by one em, from the font's descent),
  not from PDFium's glyph boxes (which hold the ink: wider for "/", "j", italics), so
  words and lines split as with pdfminer. Where PDFium's text page differs from the
  content stream, pdfminer's reading is restored: a hyphen ending a line (PDFium marks
  it), a ligature (PDFium splits "fi" into two characters on one glyph), a space drawn
  as a text object of its own (PDFium drops it), PDFium's generated word gaps (dropped);
  standard fonts not embedded take pdfminer's AFM name and descent;
- paths: each subpath classed as pdfminer classes it (a line, an axis-aligned rectangle,
  or a curve), with fill/stroke flags and the fill colour, turned into ruling edges as
  pdfplumber does;
- images: counted.

Coordinates are pdfminer's (the page's /Rotate and MediaBox applied the same way),
then placed in pdfplumber's frame by the same :class:`~.pdf_objects._Placement`, so a
page gives the same objects whichever layer read it (tested on the synthetic fixtures).
Colours are RGB tuples in 0..1 (PDFium converts grey and CMYK), which is what the
finders' colour tests (dark boxes, white text) need.
"""

from __future__ import annotations

import ctypes
import itertools
import math
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as raw  # type: ignore[import-untyped]
from pdfminer.fontmetrics import FONT_METRICS
from pdfplumber.utils.geometry import curve_to_edges, line_to_edge, rect_to_edges

from .pdf_objects import Obj, PageObjects, _Placement

Matrix = tuple[float, float, float, float, float, float]
Point = tuple[float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

# FPDFText_GetTextObject giving the object's address (an int, for keys) rather than a
# pointer object: converting a million pointers with ctypes.cast costs a second
_text_object = type(raw.FPDFText_GetTextObject)(
    ctypes.cast(raw.FPDFText_GetTextObject, ctypes.c_void_p).value
)
_text_object.argtypes = raw.FPDFText_GetTextObject.argtypes
_text_object.restype = ctypes.c_void_p

_documents: weakref.WeakKeyDictionary[Any, pdfium.PdfDocument] = weakref.WeakKeyDictionary()


def document_for(pdf: Any) -> pdfium.PdfDocument:
    """The PDFium document of an open pdfplumber PDF (opened once, closed with it)."""
    doc = _documents.get(pdf)
    if doc is None:
        source = getattr(pdf, "path", None) or pdf.stream
        if hasattr(source, "seek"):
            source.seek(0)
            source = source.read()
        doc = pdfium.PdfDocument(source)
        _documents[pdf] = doc
        weakref.finalize(pdf, doc.close)
    return doc


def close_document(pdf: Any) -> None:
    doc = _documents.pop(pdf, None)
    if doc is not None:
        doc.close()


def mult(m: Matrix, n: Matrix) -> Matrix:
    """m then n (pdfminer's mult_matrix)."""
    a, b, c, d, e, f = m
    a1, b1, c1, d1, e1, f1 = n
    return (
        a * a1 + b * c1,
        a * b1 + b * d1,
        c * a1 + d * c1,
        c * b1 + d * d1,
        e * a1 + f * c1 + e1,
        e * b1 + f * d1 + f1,
    )


def apply(m: Matrix, x: float, y: float) -> Point:
    a, b, c, d, e, f = m
    return (a * x + c * y + e, b * x + d * y + f)


def page_ctm(rotate: int, mediabox: tuple[float, float, float, float]) -> Matrix:
    """The matrix pdfminer starts a page with (PDFPageInterpreter.process_page)."""
    x0, y0, x1, y1 = mediabox
    if rotate == 90:
        return (0, -1, 1, 0, -y0, x1)
    if rotate == 180:
        return (-1, 0, 0, -1, x1, y1)
    if rotate == 270:
        return (0, 1, -1, 0, y1, -x0)
    return (1, 0, 0, 1, -x0, -y0)


class _PdfiumPage:
    """One page's objects read through PDFium's C API."""

    def __init__(self, page: pdfium.PdfPage, place: _Placement, ctm: Matrix) -> None:
        self.page, self.place, self.ctm = page, place, ctm
        self.found = PageObjects()
        self._descents: dict[int, float] = {}
        self._names: dict[int, str] = {}
        self._widths: dict[tuple[int, str], float] = {}
        self._advances: dict[tuple[int, float], dict[str, float]] = {}

    # characters -----------------------------------------------------------------

    def read_chars(self) -> None:
        textpage = self.page.get_textpage()
        try:
            self._chars(textpage.raw)
        finally:
            textpage.close()

    def _chars(self, tp: Any) -> None:
        count = raw.FPDFText_CountChars(tp)
        if count <= 0:
            return
        texts = _page_text(tp, count)
        loose, before = raw.FS_RECTF(), raw.FS_RECTF()  # this character's box, the last one's
        ox, oy = ctypes.c_double(), ctypes.c_double()
        get_object, get_box, get_origin = (
            _text_object,
            raw.FPDFText_GetLooseCharBox,
            (raw.FPDFText_GetCharOrigin),
        )
        styles: dict[int, _TextStyle] = {}
        chars = self.found.chars
        append = chars.append
        ctm = self.ctm
        plain_page = ctm[:4] == (1, 0, 0, 1)
        dx, dy = ctm[4], ctm[5]
        last, last_index = (0, 0.0, 0.0), 0  # the last character's text object and origin
        advances: list[float] = []  # each character's advance, in text space
        objects: dict[int, list[int]] = {}  # text object: its first and last character
        for i in range(count):
            text = texts[i]
            if text is None:
                continue
            if text in _MAYBE_GENERATED:
                if raw.FPDFText_IsGenerated(tp, i) == 1:
                    continue  # PDFium's own word gaps and line ends: see _add_dropped_spaces
                if text in _HYPHEN_MARKS:  # PDFium's marks for a hyphen ending a line
                    text = "-"
            key = get_object(tp, i) or 0
            style = styles.get(key)
            if style is None:
                style = styles[key] = self._style(tp, i, key)
            get_origin(tp, i, ox, oy)
            x, y = ox.value, oy.value
            if (key, x, y) == last and chars:  # the boxes only when needed: they cost
                get_box(tp, i, loose)
                get_box(tp, last_index, before)
                if _same_box(loose, before):
                    # one glyph, several characters: a ligature ("fi"), one character for
                    # pdfminer
                    _join_ligature(chars[-1], text, loose)
                    advances[-1] = _advance(style.abcd[0], style.abcd[1], loose)
                    continue
            last, last_index = (key, x, y), i
            advance = style.advances.get(text)
            if advance is None:
                get_box(tp, i, loose)
                advance = style.advances[text] = self._advance(style, text, loose)
            a, b, c, d = style.abcd
            if plain_page and b == 0 and c == 0 and a > 0 and d > 0:  # upright: most text
                x0 = x + dx
                y0 = y + dy + d * style.descent
                m: Matrix = (a, b, c, d, x0, y + dy)
                char = self._char(x0, y0, x0 + advance * a, y0 + d * style.size, text, style, m)
            else:
                m = (
                    mult((a, b, c, d, x, y), ctm)
                    if not plain_page
                    else (a, b, c, d, x + dx, y + dy)
                )
                char = self._char(*_turned_box(m, advance, style), text, style, m)
            bounds = objects.get(key)
            if bounds is None:
                objects[key] = [len(chars), len(chars)]
            else:
                bounds[1] = len(chars)
            append(char)
            advances.append(advance)
        self._add_dropped_spaces(objects, advances, styles)

    def _char(
        self, x0: float, y0: float, x1: float, y1: float, text: str, style: _TextStyle, m: Matrix
    ) -> Obj:
        """A character in pdfplumber's frame from its box in pdfminer's."""
        place = self.place
        top = place.height - y1 + place.mb_top
        bottom = place.height - y0 + place.mb_top
        return {
            "x0": x0 + place.mb_x0,
            "x1": x1 + place.mb_x0,
            "top": top,
            "bottom": bottom,
            "doctop": top,
            "y0": y0,
            "y1": y1,
            "width": x1 - x0,
            "height": bottom - top,
            "text": text,
            "size": y1 - y0,  # as pdfminer's LTChar (horizontal fonts)
            "fontname": style.fontname,
            "matrix": m,
            "upright": m[0] * m[3] > 0 and m[1] * m[2] <= 0,
            "non_stroking_color": style.colour,
        }

    def _add_dropped_spaces(
        self, objects: dict[int, list[int]], advances: list[float], styles: dict[int, _TextStyle]
    ) -> None:
        """Put back the spaces pdfminer reads between text objects and PDFium does not.

        PDFium leaves out a text object that draws only spaces (it has no ink), which
        word processors write between the words of a line; pdfminer reads every space
        drawn. Such a space fills the gap between the objects either side on one line,
        about a space's width wide (in the font before or after it). A gap of another
        width holds no character: PDFium's own generated word gaps are not used (a space
        there would split words pdfminer reads as one), and a gap inside one object is
        kerning, never a character."""
        chars = self.found.chars
        ends = []  # per text object: direction, offset across and extent along the text
        for key, (first, last) in objects.items():
            m, lm = chars[first]["matrix"], chars[last]["matrix"]
            scale = math.hypot(m[0], m[1]) or 1.0
            ux, uy = m[0] / scale, m[1] / scale
            start = m[4] * ux + m[5] * uy
            end = lm[4] * ux + lm[5] * uy + advances[last] * scale
            across = m[5] * ux - m[4] * uy
            ends.append(((round(ux, 3), round(uy, 3)), across, start, end, key, first, last))
        ends.sort()
        spaces: list[tuple[int, Obj]] = []
        line: list[Any] = []
        for item in ends:
            if line and (
                item[0] != line[0][0]
                or item[1] - line[0][1] > 0.5 * styles[line[0][4]].size * _scale(chars, line[0])
            ):
                spaces += self._spaces_in_line(line, advances, styles)
                line = []
            line.append(item)
        spaces += self._spaces_in_line(line, advances, styles)
        for index, space in sorted(spaces, key=lambda s: s[0], reverse=True):
            chars.insert(index + 1, space)

    def _spaces_in_line(
        self, line: list[Any], advances: list[float], styles: dict[int, _TextStyle]
    ) -> list[tuple[int, Obj]]:
        chars = self.found.chars
        found = []
        line.sort(key=lambda item: item[2])
        for before, after in itertools.pairwise(line):
            last, first = before[6], after[5]
            if chars[last]["text"] == " " or chars[first]["text"] == " ":
                continue
            style = styles[before[4]]
            scale = _scale(chars, before)
            gap = after[2] - before[3]
            widths = (self._space_width(style), self._space_width(styles[after[4]]))
            if not any(0.6 * w * scale <= gap <= 1.5 * w * scale for w in widths):
                continue
            pm = chars[last]["matrix"]
            end = apply(pm, advances[last], 0.0)
            m = (pm[0], pm[1], pm[2], pm[3], end[0], end[1])
            found.append((last, self._char(*_turned_box(m, gap / scale, style), " ", style, m)))
        return found

    def _space_width(self, style: _TextStyle) -> float:
        """A space's advance in text space: the font's own, or Helvetica's where the font
        will not say (a CID font may map " " to nothing or to a default width)."""
        unit = self._unit_width(style, " ")
        return (unit if 0 < unit <= 0.65 else _SPACE_EM) * style.size

    def _unit_width(self, style: _TextStyle, text: str) -> float:
        """The font's advance for ``text`` per point of font size, or 0 when unknown."""
        key = (style.font_key, text)
        unit = self._widths.get(key)
        if unit is None:
            value = ctypes.c_float()
            ok = len(text) == 1 and raw.FPDFFont_GetGlyphWidth(
                style.font, ord(text), ctypes.c_float(1.0), value
            )
            unit = self._widths[key] = value.value if ok else 0.0
        return unit

    def _advance(self, style: _TextStyle, text: str, loose: Any) -> float:
        """The character's advance in text space, as pdfminer measures it: the font's width
        for the character. PDFium's loose box also holds the glyph's ink, wider than the
        advance for a slanted or overhanging glyph ("/", "j", italics)."""
        unit = self._unit_width(style, text)
        boxed = _advance(style.abcd[0], style.abcd[1], loose)
        advance = unit * style.size
        # the loose box holds the advance: a wider one means the character is not the
        # glyph's only one (a ligature) or the font maps it elsewhere; trust the box then
        return advance if 0 < advance <= boxed * 1.001 + 0.01 else boxed

    def _style(self, tp: Any, index: int, address: int) -> _TextStyle:
        """What every character of one text object shares."""
        obj = ctypes.cast(ctypes.c_void_p(address), raw.FPDF_PAGEOBJECT)
        matrix = raw.FS_MATRIX()
        raw.FPDFText_GetMatrix(tp, index, matrix)
        size = ctypes.c_float()
        raw.FPDFTextObj_GetFontSize(obj, size)
        r, g, b, a = (ctypes.c_uint() for _ in range(4))
        raw.FPDFText_GetFillColor(tp, index, r, g, b, a)
        font = raw.FPDFTextObj_GetFont(obj)
        key = ctypes.cast(font, ctypes.c_void_p).value or 0
        return _TextStyle(
            abcd=(matrix.a, matrix.b, matrix.c, matrix.d),
            font=font,
            font_key=key,
            size=size.value,
            advances=self._advances.setdefault((key, size.value), {}),
            descent=self._descent(key, font) * size.value,
            fontname=self._fontname(key, font),
            colour=(r.value / 255, g.value / 255, b.value / 255),
        )

    def _descent(self, key: int, font: Any) -> float:
        if key not in self._descents:
            self._read_font(key, font)
        return self._descents[key]

    def _fontname(self, key: int, font: Any) -> str:
        if key not in self._names:
            self._read_font(key, font)
        return self._names[key]

    def _read_font(self, key: int, font: Any) -> None:
        """Name and descent as pdfminer has them: a font not embedded that is named as one
        of the 14 standard fonts (or an alias, "Arial,Bold") takes the standard font's AFM
        name and descent; any other its own descriptor's (PDFium reads those)."""
        size = raw.FPDFFont_GetBaseFontName(font, None, 0)
        buffer = ctypes.create_string_buffer(max(size, 1))
        raw.FPDFFont_GetBaseFontName(font, buffer, size)
        name = buffer.value.decode("utf-8", "replace")  # PDFium drops a subset's prefix
        metrics = None if raw.FPDFFont_GetIsEmbedded(font) else FONT_METRICS.get(name)
        if metrics is not None:
            self._names[key] = str(metrics[0].get("FontName", name))
            descent: Any = metrics[0].get("Descent", 0)
            self._descents[key] = float(descent) / 1000
        else:
            value = ctypes.c_float()
            ok = raw.FPDFFont_GetDescent(font, ctypes.c_float(1.0), value)
            self._names[key] = name
            self._descents[key] = value.value if ok else 0.0

    # paths and images -----------------------------------------------------------

    def read_shapes(self) -> None:
        page = self.page.raw
        for index in range(raw.FPDFPage_CountObjects(page)):
            self._object(raw.FPDFPage_GetObject(page, index), IDENTITY)

    def _object(self, obj: Any, parent: Matrix) -> None:
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_PATH:
            self._path(obj, parent)
        elif kind == raw.FPDF_PAGEOBJ_IMAGE:
            self.found.images += 1
        elif kind == raw.FPDF_PAGEOBJ_FORM:
            inner = mult(_matrix(obj), parent)
            for index in range(raw.FPDFFormObj_CountObjects(obj)):
                self._object(raw.FPDFFormObj_GetObject(obj, index), inner)

    def _path(self, obj: Any, parent: Matrix) -> None:
        fillmode, stroke = ctypes.c_int(), ctypes.c_int()
        raw.FPDFPath_GetDrawMode(obj, fillmode, stroke)
        fill, stroked = fillmode.value != 0, bool(stroke.value)
        if not fill and not stroked:
            return  # a clipping path or an unpainted one: pdfminer sees none
        to_device = mult(mult(_matrix(obj), parent), self.ctm)
        colour = _fill_colour(obj) if fill else None
        for shape, points in _subpaths(obj, to_device):
            self._add_shape(shape, points, fill, stroked, colour)

    def _add_shape(
        self, shape: str, pts: list[Point], fill: bool, stroke: bool, colour: Any
    ) -> None:
        """pdfminer's PDFLayoutAnalyzer.paint_path, for one subpath."""
        if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
            shape = shape[:-2] + "h"
            pts = pts[:-1]
        place, found = self.place, self.found
        if shape in ("mlh", "ml"):
            line = _shape_obj(place, pts[:2], fill, stroke, colour, "line")
            found.edges.append(line_to_edge(line))
        elif shape in ("mlllh", "mllll") and _is_rect(pts):
            (x0, y0), (x2, y2) = pts[0], pts[2]
            corners = [(min(x0, x2), min(y0, y2)), (max(x0, x2), max(y0, y2))]
            rect = _shape_obj(place, pts, fill, stroke, colour, "rect", corners)
            found.rects.append(rect)
            found.edges.extend(rect_to_edges(rect))
        else:
            curve = _shape_obj(place, pts, fill, stroke, colour, "curve")
            found.edges.extend(curve_to_edges(curve))


# PDFium adds spaces and line ends, and marks a hyphen ending a line ("-" or a soft
# hyphen): 0x02 per character, 0xFFFE in the page's text
_SPACE_EM = 0.278  # a space's width in Helvetica and Arial, for a font that will not say
_HYPHEN_MARKS = frozenset("\x02\ufffe")
_MAYBE_GENERATED = frozenset(" \r\n") | _HYPHEN_MARKS


def _same_box(box: Any, other: Any) -> bool:
    return bool(box.left == other.left and box.right == other.right and box.bottom == other.bottom)


def _scale(chars: list[Obj], item: Any) -> float:
    m = chars[item[5]]["matrix"]
    return math.hypot(m[0], m[1]) or 1.0


def _join_ligature(char: Obj, text: str, loose: Any) -> None:
    """Add ``text`` to ``char``, drawn by the same glyph, which is as wide as its box."""
    char["text"] += text
    matrix = char["matrix"]
    if matrix[1] == 0 and matrix[2] == 0:
        char["x1"] = max(char["x1"], char["x0"] + float(loose.right - loose.left))
        char["width"] = char["x1"] - char["x0"]


def _space_after(char: Obj) -> Obj:
    """A zero-width space at the end of ``char``, on its line."""
    x1 = char["x1"]
    return {**char, "text": " ", "x0": x1, "width": 0.0}


@dataclass(frozen=True, slots=True)
class _TextStyle:
    abcd: tuple[float, float, float, float]
    font: Any  # PDFium's font handle
    font_key: int
    size: float
    advances: dict[str, float]  # each character's advance, shared by the font at this size
    descent: float  # in text space, for this size
    fontname: str
    colour: tuple[float, float, float]


def _page_text(tp: Any, count: int) -> list[str | None]:
    """Every character index's text, read in one call (per character is 30x slower)."""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = raw.FPDFText_GetText(tp, 0, count, buffer)
    units = list(buffer[: max(written - 1, 0)])
    if len(units) != count:  # not one unit per character: ask character by character
        units = [raw.FPDFText_GetUnicode(tp, i) for i in range(count)]
    texts: list[str | None] = []
    skip = False
    for i, code in enumerate(units):
        if skip:
            texts.append(None)
            skip = False
        elif 0xD800 <= code < 0xDC00 and i + 1 < count and 0xDC00 <= units[i + 1] < 0xE000:
            texts.append(chr(0x10000 + ((code - 0xD800) << 10) + (units[i + 1] - 0xDC00)))
            skip = True
        elif 0xD800 <= code < 0xE000 or code == 0:
            texts.append("\ufffd")
        else:
            texts.append(chr(code))
    return texts


def _advance(a: float, b: float, loose: Any) -> float:
    """A character's advance in text space, from PDFium's page-space box and its matrix."""
    if abs(a) >= abs(b):
        return float(loose.right - loose.left) / (abs(a) or 1.0)
    return float(loose.top - loose.bottom) / (abs(b) or 1.0)


def _turned_box(m: Matrix, advance: float, style: _TextStyle) -> tuple[float, float, float, float]:
    """pdfminer's box for a character whose matrix (or page) turns or flips it."""
    low, high = style.descent, style.descent + style.size
    corners = [
        apply(m, 0.0, low),
        apply(m, advance, low),
        apply(m, 0.0, high),
        apply(m, advance, high),
    ]
    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
    return min(xs), min(ys), max(xs), max(ys)


class _Box:
    """What :meth:`_Placement.box` reads: pdfminer-style x0, y0, x1, y1."""

    __slots__ = ("x0", "x1", "y0", "y1")

    def __init__(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self.x0, self.y0, self.x1, self.y1 = x0, y0, x1, y1


def _matrix(obj: Any) -> Matrix:
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, m):
        return IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _fill_colour(obj: Any) -> tuple[float, float, float] | None:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not raw.FPDFPageObj_GetFillColor(obj, r, g, b, a):
        return None
    return (r.value / 255, g.value / 255, b.value / 255)


def _subpaths(obj: Any, to_device: Matrix) -> Iterator[tuple[str, list[Point]]]:
    """Each subpath as pdfminer sees it: operators m/l/c/h and their end points."""
    shape: list[str] = []
    points: list[Point] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    pending_bezier = 0
    for index in range(raw.FPDFPath_CountSegments(obj)):
        segment = raw.FPDFPath_GetPathSegment(obj, index)
        kind = raw.FPDFPathSegment_GetType(segment)
        raw.FPDFPathSegment_GetPoint(segment, x, y)
        point = apply(to_device, x.value, y.value)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            if shape:
                yield "".join(shape), points
            shape, points, pending_bezier = ["m"], [point], 0
        elif kind == raw.FPDF_SEGMENT_BEZIERTO:
            pending_bezier += 1
            if pending_bezier == 3:  # two control points, then the end point
                shape.append("c")
                points.append(point)
                pending_bezier = 0
        else:
            shape.append("l")
            points.append(point)
        if raw.FPDFPathSegment_GetClose(segment) and shape:
            shape.append("h")
            points.append(points[0])
    if shape:
        yield "".join(shape), points


def _is_rect(pts: list[Point]) -> bool:
    if len(pts) != 5:
        return False
    (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
    closed = pts[0] == pts[4]
    square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
        y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
    )
    return closed and square


def _shape_obj(
    place: _Placement,
    pts: list[Point],
    fill: bool,
    stroke: bool,
    colour: Any,
    kind: str,
    corners: list[Point] | None = None,
) -> Obj:
    xs = [p[0] for p in corners or pts]
    ys = [p[1] for p in corners or pts]
    box = _Box(min(xs), min(ys), max(xs), max(ys))
    return {
        **place.box(box),
        "object_type": kind,
        "fill": fill,
        "stroke": stroke,
        "non_stroking_color": colour,
        "pts": [place.point(p) for p in pts],
    }


def pdfium_page_objects(page: Any) -> PageObjects:
    """Characters, filled rectangles and ruling edges of a pdfplumber page, read by PDFium."""
    doc = document_for(page.pdf)
    pdfium_page = doc[page.page_number - 1]
    try:
        place = _Placement(float(page.height), float(page.mediabox[0]), float(page.mediabox[1]))
        rotate = raw.FPDFPage_GetRotation(pdfium_page.raw) * 90 % 360
        box = pdfium_page.get_mediabox()
        reader = _PdfiumPage(pdfium_page, place, page_ctm(rotate, box))
        reader.read_chars()
        reader.read_shapes()
        return reader.found
    finally:
        pdfium_page.close()
