"""pdfminer layout → the few page objects the table finders need, cheaply.

pdfplumber's ``page.chars`` resolves every attribute of every object (colour
spaces, marked content, graphic state), which costs more than finding the tables.
This module converts pdfplumber's own ``page.layout`` with only the fields used
here, in pdfplumber's coordinates (``top`` measured from the top of the page,
MediaBox offsets applied), so the results line up with pdfplumber's debug images
and with ``page.crop``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage, LTLine, LTRect
from pdfplumber.utils.geometry import curve_to_edges, line_to_edge, rect_to_edges

Obj = dict[str, Any]


@dataclass
class PageObjects:
    chars: list[Obj] = field(default_factory=list)
    rects: list[Obj] = field(default_factory=list)
    edges: list[Obj] = field(default_factory=list)
    images: int = 0


@dataclass(frozen=True)
class _Placement:
    height: float
    mb_x0: float
    mb_top: float

    def box(self, obj: Any) -> Obj:
        top = self.height - obj.y1 + self.mb_top
        bottom = self.height - obj.y0 + self.mb_top
        x0, x1 = obj.x0 + self.mb_x0, obj.x1 + self.mb_x0
        return {
            "x0": x0,
            "x1": x1,
            "top": top,
            "bottom": bottom,
            "doctop": top,
            "y0": obj.y0,
            "y1": obj.y1,
            "width": x1 - x0,
            "height": bottom - top,
        }

    def point(self, pt: tuple[float, float]) -> tuple[float, float]:
        return (pt[0] + self.mb_x0, self.height - pt[1] + self.mb_top)


def _fontname(obj: LTChar) -> str:
    name = obj.fontname
    return name.decode("latin-1") if isinstance(name, bytes) else str(name)


def _colour(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, int | float):
        return (value,)
    return value


def _char(obj: LTChar, place: _Placement) -> Obj:
    return {
        **place.box(obj),
        "text": obj.get_text(),
        "size": obj.size,
        "fontname": _fontname(obj),
        "matrix": obj.matrix,
        "upright": obj.upright,
        # fill colour as pdfplumber reports it (a tuple of 1, 3 or 4 floats, or None):
        # white text on a white page is invisible and is no part of a table
        "non_stroking_color": _colour(getattr(obj.graphicstate, "ncolor", None)),
    }


def _shape(obj: LTCurve, place: _Placement, kind: str) -> Obj:
    return {
        **place.box(obj),
        "object_type": kind,
        "fill": obj.fill,
        "stroke": obj.stroke,
        "non_stroking_color": obj.non_stroking_color,
        "pts": [place.point(p) for p in obj.pts],
    }


def _walk(items: Any, place: _Placement, found: PageObjects) -> None:
    for obj in items:
        if isinstance(obj, LTChar):
            found.chars.append(_char(obj, place))
        elif isinstance(obj, LTRect):
            rect = _shape(obj, place, "rect")
            found.rects.append(rect)
            found.edges.extend(rect_to_edges(rect))
        elif isinstance(obj, LTLine):
            found.edges.append(line_to_edge(_shape(obj, place, "line")))
        elif isinstance(obj, LTCurve):
            found.edges.extend(curve_to_edges(_shape(obj, place, "curve")))
        elif isinstance(obj, LTImage):
            found.images += 1
        elif isinstance(obj, LTContainer):
            _walk(obj, place, found)


TEXT_LAYERS = ("pdfminer", "pdfium")
# pdfium: about twice as fast as pdfminer, the same scores on tables-dev (docs/performance.md)
DEFAULT_TEXT_LAYER = "pdfium"


def page_objects(page: Any, layer: str = DEFAULT_TEXT_LAYER) -> PageObjects:
    """Characters, filled rectangles and ruling edges of a pdfplumber page, read by
    ``layer``: PDFium (the default, fast; see :mod:`.pdf_pdfium`) or pdfminer (through
    pdfplumber's ``page.layout``). Both give the same objects in the same coordinates;
    a page PDFium cannot read is read by pdfminer."""
    if layer == "pdfium":
        from pypdfium2 import PdfiumError  # type: ignore[import-untyped]

        from .pdf_pdfium import pdfium_page_objects

        try:
            return pdfium_page_objects(page)
        except PdfiumError:
            return pdfminer_page_objects(page)
    if layer != "pdfminer":
        raise ValueError(f"unknown PDF text layer {layer!r} (choose {' or '.join(TEXT_LAYERS)})")
    return pdfminer_page_objects(page)


def release_document(pdf: Any) -> None:
    """Close what a text layer opened for this pdfplumber PDF (nothing for pdfminer)."""
    import sys

    module = sys.modules.get(f"{__package__}.pdf_pdfium")
    if module is not None:
        module.close_document(pdf)


def pdfminer_page_objects(page: Any) -> PageObjects:
    """Characters, filled rectangles and ruling edges of a pdfplumber page, from pdfminer."""
    place = _Placement(float(page.height), float(page.mediabox[0]), float(page.mediabox[1]))
    found = PageObjects()
    _walk(page.layout, place, found)
    return found
