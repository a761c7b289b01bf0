"""Page text layer → upright words → lines → segments, in a logical (reading) frame.

Rotated pages (content turned 90°, as in a landscape table printed on a portrait
page) are turned upright here, so the table finders downstream only ever see
left-to-right text. :class:`Frame` maps boxes back to page coordinates for
provenance. Black filled boxes with no text on them become ``█`` pseudo-words,
so a blacked-out cell reads as ``redacted``.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from statistics import median
from typing import Any

from ..values import marker_flag, parse_number

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom
REDACTION_GLYPH = "█"
_THOUSANDS_GROUP = re.compile(r"^\d{3}(?:\.\d+)?%?$")
_LEADING_NUMBER = re.compile(r"^[+\-(£$€]?\d{1,3}$")


@dataclass(frozen=True)
class Frame:
    """Maps between page coordinates and the upright reading frame (turns of 90°)."""

    width: float
    height: float
    turns: int = 0  # 0 upright; 1 text runs top→bottom; 3 text runs bottom→top

    def to_logical(self, box: BBox) -> BBox:
        x0, top, x1, bottom = box
        if self.turns == 1:
            return (top, self.width - x1, bottom, self.width - x0)
        if self.turns == 3:
            return (self.height - bottom, x0, self.height - top, x1)
        if self.turns == 2:
            return (self.width - x1, self.height - bottom, self.width - x0, self.height - top)
        return box

    def to_page(self, box: BBox) -> list[float]:
        x0, top, x1, bottom = box
        if self.turns == 1:
            out = (self.width - bottom, x0, self.width - top, x1)
        elif self.turns == 3:
            out = (top, self.height - x1, bottom, self.height - x0)
        elif self.turns == 2:
            out = (self.width - x1, self.height - bottom, self.width - x0, self.height - top)
        else:
            out = box
        return [round(v, 2) for v in out]

    @property
    def logical_width(self) -> float:
        return self.height if self.turns in (1, 3) else self.width


@dataclass
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float = 10.0
    bold: bool = False
    cut: bool = False  # cut from the word before it at a column edge: starts a new cell

    @property
    def bbox(self) -> BBox:
        return (self.x0, self.top, self.x1, self.bottom)


@dataclass
class WordRun:
    """Words in reading order, seen as one box of text."""

    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def bbox(self) -> BBox:
        return (self.x0, self.top, self.x1, self.bottom)


@dataclass
class Segment(WordRun):
    """Words on one line with no column gap between them: one printed cell, usually."""

    @property
    def x1(self) -> float:
        return self.words[-1].x1  # words run left to right with no gap

    @property
    def is_data(self) -> bool:
        return is_data_text(self.text)


@dataclass
class Line(WordRun):
    segments: list[Segment] = field(default_factory=list)

    @property
    def size(self) -> float:
        return median(w.size for w in self.words)

    @property
    def bold(self) -> bool:
        return all(w.bold for w in self.words)


def join_wrapped(parts: Iterable[str]) -> str:
    """Lines of one cell joined with spaces; a word hyphenated at a line end is rejoined
    ("Non-" + "fiction" → "Non-fiction", "Publicly-" + "Owned" → "Publicly-Owned")."""
    text = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        hyphenated = len(text) > 1 and text[-1] == "-" and text[-2].isalpha()
        glue = "" if not text or (hyphenated and part[:1].isalpha()) else " "
        text = f"{text}{glue}{part}"
    return text


def is_data_text(text: str) -> bool:
    """A printed number or marker (what fills the body of a statistical table)."""
    return parse_number(text) is not None or marker_flag(text) is not None


def char_turn(char: dict[str, Any]) -> int:
    """A character's direction, as quarter turns from upright."""
    a, b = char["matrix"][0], char["matrix"][1]
    if abs(a) >= abs(b):
        return 0 if a > 0 else 2
    return 1 if b < 0 else 3


def _char_turns(chars: list[dict[str, Any]]) -> int:
    """The dominant text direction, as quarter turns from upright."""
    sample = chars[:2000]
    upright = sum(1 for char in sample if char["matrix"][1] == 0 and char["matrix"][0] > 0)
    if 2 * upright > len(sample):
        return 0  # most pages: no need to count the other directions
    votes = Counter(char_turn(char) for char in sample)
    return votes.most_common(1)[0][0] if votes else 0


def page_frame(page: Any, chars: list[dict[str, Any]]) -> Frame:
    return Frame(float(page.width), float(page.height), _char_turns(chars))


def _box(obj: dict[str, Any]) -> BBox:
    return (obj["x0"], obj["top"], obj["x1"], obj["bottom"])


def upright_chars(chars: list[dict[str, Any]], frame: Frame) -> list[dict[str, Any]]:
    """Chars moved into the reading frame; text running another way is left out."""
    if frame.turns == 0:
        return chars
    moved = []
    for char in chars:
        if char_turn(char) != frame.turns:
            continue
        x0, top, x1, bottom = frame.to_logical(_box(char))
        moved.append(
            {
                **char,
                "x0": x0,
                "x1": x1,
                "top": top,
                "bottom": bottom,
                "upright": True,
                "doctop": top,
                "width": x1 - x0,
                "height": bottom - top,
                "size": bottom - top,
                "matrix": (bottom - top, 0, 0, bottom - top, x0, top),
            }
        )
    return moved


def upright_edges(edges: list[dict[str, Any]], frame: Frame) -> list[dict[str, Any]]:
    if frame.turns == 0:
        return edges
    moved = []
    for edge in edges:
        x0, top, x1, bottom = frame.to_logical(_box(edge))
        orientation = edge["orientation"]
        if frame.turns in (1, 3):
            orientation = "v" if orientation == "h" else "h"
        moved.append(
            {
                **edge,
                "x0": x0,
                "x1": x1,
                "top": top,
                "bottom": bottom,
                "width": x1 - x0,
                "height": bottom - top,
                "orientation": orientation,
            }
        )
    return moved


_LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}


def _char_lines(chars: list[dict[str, Any]], y_tolerance: float) -> list[list[dict[str, Any]]]:
    """Characters grouped by baseline band, each line sorted left to right."""
    lines: list[list[dict[str, Any]]] = []
    line_top = -1e9
    for char in sorted(chars, key=lambda c: c["top"]):
        if char["top"] - line_top > y_tolerance:
            lines.append([])
            line_top = char["top"]
        lines[-1].append(char)
    out: list[list[dict[str, Any]]] = []
    for line in lines:
        spread = line[-1]["top"] - line[0]["top"]  # sorted by top so far
        line.sort(key=lambda c: c["x0"])
        if spread > 1.0:
            out.extend(_apart_if_overprinted(line))
        else:
            out.append(line)
    return out


def _apart_if_overprinted(line: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """A line whose characters sit on two baselines and overlap one another is two lines
    of text printed over each other (a wrapped cell running into the row below): the
    higher and the lower characters are read apart instead of interleaved."""
    bottoms = [c["bottom"] for c in line]
    low, high = max(bottoms), min(bottoms)
    size = max(float(line[0].get("size") or 0), 1.0)
    if low - high <= 0.3 * size:
        return [line]
    cut = (low + high) / 2
    upper = [c for c in line if c["bottom"] < cut]
    lower = [c for c in line if c["bottom"] >= cut]
    if len(upper) < 2 or _overprinted(upper, lower) < 2:
        return [line]  # side by side (a raised mark after a word): one line
    return [upper, lower]


def _overprinted(upper: list[dict[str, Any]], lower: list[dict[str, Any]]) -> int:
    """How many of the lower characters the upper ones cover (both sorted by x0)."""
    starts = [c["x0"] for c in lower]
    covered = 0
    for char in upper:
        for other in lower[bisect_left(starts, char["x0"] - 20) :]:
            if other["x0"] >= char["x1"]:
                break
            shared = min(other["x1"], char["x1"]) - max(other["x0"], char["x0"])
            covered += shared > 0.3 * (other["x1"] - other["x0"])
    return covered


_LIGATURE_TABLE = str.maketrans(_LIGATURES)
_text, _top, _bottom, _x1 = (itemgetter(k) for k in ("text", "top", "bottom", "x1"))


@lru_cache(maxsize=256)
def _bold_font(fontname: str) -> bool:
    return "bold" in fontname.lower()


def _word(chars: list[dict[str, Any]]) -> Word:
    text = "".join(map(_text, chars)).translate(_LIGATURE_TABLE)
    size = float(max([c.get("size") or 0 for c in chars]))
    top, bottom = min(map(_top, chars)), max(map(_bottom, chars))
    bold = all(_bold_font(c.get("fontname", "")) for c in chars)
    return Word(text, chars[0]["x0"], top, max(map(_x1, chars)), bottom, size or bottom - top, bold)


def chars_to_words(
    chars: list[dict[str, Any]], x_tolerance: float, y_tolerance: float = 3.0
) -> list[Word]:
    """Upright characters → words: split at spaces and at gaps wider than x_tolerance,
    and where two touching columns run into each other (:func:`split_touching`).

    A leaner version of pdfplumber's WordExtractor for left-to-right lines, since
    every page is turned upright first.
    """
    runs: list[list[dict[str, Any]]] = []
    for line in _char_lines([c for c in chars if c.get("upright", True)], y_tolerance):
        current: list[dict[str, Any]] = []
        for char in line:
            if char["text"].isspace():
                if current:
                    runs.append(current)
                current = []
                continue
            if current and char["x0"] - current[-1]["x1"] > x_tolerance:
                runs.append(current)
                current = []
            current.append(char)
        if current:
            runs.append(current)
    words: list[Word] = []
    for run in split_touching(runs):
        word = _word(run)
        word.cut = bool(words) and run[0].get("_cut", False)
        words.append(word)
    return words


_LETTER = re.compile(r"[^\W\d_]")
_NUMBER_PREFIX = re.compile(r"^[-(£$€]?\d[\d,]*(?:\.\d+)?\)?$")
_NUMBER_START = frozenset("-(£$€0123456789")
_EDGE_TOLERANCE = 0.6  # pt: edges this close are one column edge
_MIN_EDGE_SUPPORT = 3  # words that must share a column edge


def _key(x: float) -> int:
    return round(x / _EDGE_TOLERANCE)


def _decimals(number: str) -> int:
    return len(number.rstrip(")").partition(".")[2])


def _ends_near(ends: Counter[tuple[int, int]], x: float, decimals: int) -> int:
    k = _key(x)
    return sum(ends[(k + d, decimals)] for d in (-1, 0, 1))


def _number_cuts(run: list[dict[str, Any]]) -> list[int]:
    """Where a run of characters could end a formatted number (with a decimal point or
    thousands separator) with more text glued after it that does not carry the number on."""
    if len(run) < 4 or run[0]["text"] not in _NUMBER_START:
        return []
    text = "".join(c["text"] for c in run)
    if "." not in text and "," not in text:
        return []
    cuts = []
    for i in range(2, len(run)):
        head, rest = text[:i], text[i:]
        if not (_NUMBER_PREFIX.match(head) and head[-1].isdigit() and ("." in head or "," in head)):
            continue
        if re.match(r"^\d{0,3}[,.]", rest) or not rest[0].isalnum():
            continue  # the number carries on ("42,2" + "27.76", "(9.283" + ")")
        cuts.append(i)
    return cuts


def split_touching(runs: list[list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    """Character runs cut where two table columns touch, judged over the whole page.

    A right-aligned number column and a left-aligned column beside it can touch, so the
    text layer reads "-42,227.76577704800" for -42,227.76 and 577704800, or a long label
    runs into the next column ("Screening ProgrammeBARTS HEALTH"). A run is cut at x
    when the column edge at x is shared by three or more words of the page:
    - numbers ending at x (a right-aligned column; words that would end there once cut
      count too, when they start at different x, as right-aligned numbers do);
    - words starting at x (a left-aligned column), where the run changes from lower to
      upper case or from letters to digits there.
    """
    ends: Counter[tuple[int, int]] = Counter()  # (edge, decimal places) of numbers
    starts: Counter[int] = Counter()
    right_edges: dict[int, set[int]] = {}
    for run in runs:
        starts[_key(run[0]["x0"])] += 1
        right_edges.setdefault(_key(run[0]["x0"]), set()).add(_key(run[-1]["x1"]))
        text = "".join(map(_text, run))
        if _NUMBER_PREFIX.match(text):
            ends[(_key(run[-1]["x1"]), _decimals(text))] += 1
    glued: dict[int, set[int]] = {}
    number_cuts = [_number_cuts(run) for run in runs]  # worked out once: they cost
    for run, cuts in zip(runs, number_cuts, strict=True):
        for i in cuts:
            glued.setdefault(_key(run[i - 1]["x1"]), set()).add(_key(run[0]["x0"]))
    # a left-aligned column has a ragged right edge; words starting and ending at the
    # same x are a right-aligned column of one-digit figures, under "Q1" or "2019"
    starts = Counter({k: n for k, n in starts.items() if len(right_edges[k]) > 1})
    out: list[list[dict[str, Any]]] = []
    for run, cuts in zip(runs, number_cuts, strict=True):
        out.extend(_cut(run, ends, starts, glued, cuts))
    return out


def _cut(
    run: list[dict[str, Any]],
    ends: Counter[tuple[int, int]],
    starts: Counter[int],
    glued: dict[int, set[int]],
    number_cuts: list[int] | None = None,
) -> list[list[dict[str, Any]]]:
    if len(run) < 2:
        return [run]
    best: tuple[int, int] | None = None  # (words ending at the cut, cut)
    for i in _number_cuts(run) if number_cuts is None else number_cuts:
        x = run[i - 1]["x1"]
        k = _key(x)
        starts_seen = set().union(*(glued.get(k + d, set()) for d in (-1, 0, 1)))
        text = "".join(c["text"] for c in run[:i])
        ending = _ends_near(ends, x, _decimals(text))
        supported = ending + len(starts_seen) >= _MIN_EDGE_SUPPORT and len(starts_seen) >= 2
        if ending and supported and (best is None or ending > best[0]):
            best = (ending, i)
    if best is not None:
        return _pieces(run, best[1], ends, starts, glued)
    if not _LETTER.search("".join(map(_text, run[:-1]))):
        return [run]  # no letter before the last character: no change of case or kind
    rest = "".join(map(_text, run[1:]))
    if rest == rest.lower() and not any(map(str.isdigit, rest)):
        return [run]  # no capital or digit after the first character: no change either
    for i in range(1, len(run)):
        before, after = run[i - 1]["text"], run[i]["text"]
        change = (before.islower() and after.isupper()) or (before.isalpha() and after.isdigit())
        if not change or run[i]["x0"] - before_x1(run, i) > 3.0:
            continue
        k = _key(run[i]["x0"])
        if starts[k - 1] + starts[k] + starts[k + 1] >= _MIN_EDGE_SUPPORT:
            return _pieces(run, i, ends, starts, glued)
    return [run]


def _pieces(
    run: list[dict[str, Any]],
    i: int,
    ends: Counter[tuple[int, int]],
    starts: Counter[int],
    glued: dict[int, set[int]],
) -> list[list[dict[str, Any]]]:
    rest = [{**run[i], "_cut": True}, *run[i + 1 :]]
    return [run[:i], *_cut(rest, ends, starts, glued)]


def before_x1(run: list[dict[str, Any]], i: int) -> float:
    return float(run[i - 1]["x1"])


def _is_dark(color: Any) -> bool:
    if color is None:
        return False
    values = list(color) if isinstance(color, tuple | list) else [color]
    if not values or not all(isinstance(v, int | float) for v in values):
        return False
    if len(values) == 4:  # CMYK: dark when K is high
        return values[3] >= 0.8 or all(v >= 0.8 for v in values[:3])
    return all(v <= 0.2 for v in values)


def luminance(color: Any) -> float | None:
    """0 (black) to 1 (white) for a grey, RGB or CMYK fill colour; None if unknown."""
    if color is None:
        return None
    values = list(color) if isinstance(color, tuple | list) else [color]
    if not values or not all(isinstance(v, int | float) for v in values):
        return None
    if len(values) == 1:
        return float(values[0])
    if len(values) == 3:
        r, g, b = (float(v) for v in values)
        return 0.299 * r + 0.587 * g + 0.114 * b
    if len(values) == 4:
        c, m, y, k = (float(v) for v in values)
        return (1 - k) * (1 - (0.299 * c + 0.587 * m + 0.114 * y))
    return None


def visible_chars(chars: list[dict[str, Any]], rects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Characters a reader can see: white text counts only on a dark filled box.

    White text on a white page (codes left in by a spreadsheet export, keyword
    stuffing) is no part of any table a reader sees.
    """
    fills = [(_box(r), r) for r in reversed(rects) if r.get("fill")]  # last painted first
    shades: dict[Any, float | None] = {}  # a page uses few colours
    kept = []
    for char in chars:
        colour = char.get("non_stroking_color")
        key = colour if isinstance(colour, tuple) else repr(colour)
        if key not in shades:
            shades[key] = luminance(colour)
        shade = shades[key]
        if shade is None or shade < 0.9 or _on_dark_fill(char, fills):
            kept.append(char)
    return kept


def _on_dark_fill(char: dict[str, Any], fills: list[tuple[BBox, dict[str, Any]]]) -> bool:
    """Is the char on a dark filled box? ``fills`` last painted first (that one is on top)."""
    box = _box(char)
    width, height = box[2] - box[0], box[3] - box[1]
    for fill_box, fill in fills:
        # a box the char fits in: a rule drawn as a thin filled rect is no background
        if (
            _centre_inside(box, fill_box)
            and fill_box[2] - fill_box[0] >= width
            and fill_box[3] - fill_box[1] >= 0.8 * height
        ):
            shade = luminance(fill.get("non_stroking_color"))
            return shade is not None and shade < 0.75
    return False


def redaction_words(rects: Iterable[dict[str, Any]], words: list[Word], frame: Frame) -> list[Word]:
    """Black filled boxes with no word on them: a blacked-out cell."""
    found = []
    for rect in rects:
        if not rect.get("fill") or not _is_dark(rect.get("non_stroking_color")):
            continue
        box = frame.to_logical((rect["x0"], rect["top"], rect["x1"], rect["bottom"]))
        width, height = box[2] - box[0], box[3] - box[1]
        if width < 8 or not 4 <= height <= 40:
            continue  # a rule, or a full-page background
        if any(_centre_inside(w.bbox, box) for w in words):
            continue  # white text on a dark header bar
        found.append(Word(REDACTION_GLYPH, *box, size=height * 0.8))
    return found


def _centre_inside(inner: BBox, outer: BBox, margin: float = 0.5) -> bool:
    cx, cy = (inner[0] + inner[2]) / 2, (inner[1] + inner[3]) / 2
    return (
        outer[0] - margin <= cx <= outer[2] + margin
        and outer[1] - margin <= cy <= outer[3] + margin
    )


def words_to_lines(words: list[Word]) -> list[Line]:
    """Group words whose vertical middles fall within one another's extent."""
    lines: list[Line] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        middle = (word.top + word.bottom) / 2
        line = lines[-1] if lines else None
        if line and line.top - 1 <= middle <= line.bottom + 1:
            line.words.append(word)
        else:
            lines.append(Line([word]))
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    return [part for line in lines for part in _overprinted_apart(line)]


def _overprinted_apart(line: Line) -> list[Line]:
    """Words printed over one another on two baselines are two lines: the higher words
    (a wrapped cell's last line running into the row below) become a line of their own."""
    words = line.words
    raised: list[Word] = []
    for left, right in itertools.pairwise(words):
        narrower = min(right.x1 - right.x0, left.x1 - left.x0)
        overprinted = left.x1 - right.x0 > 0.3 * narrower
        if overprinted and abs(right.bottom - left.bottom) > 0.3 * left.size:
            raised.append(min(left, right, key=lambda w: w.bottom))
    if not raised:
        return [line]
    ids = {id(w) for w in raised}
    return [Line(raised), Line([w for w in words if id(w) not in ids])]


def _same_cell(left: Word, right: Word, column_gap: float) -> bool:
    gap = right.x0 - left.x1
    if gap >= column_gap or right.cut:
        return False
    if is_data_text(left.text) and is_data_text(right.text):
        # "1 527": a thousands group printed with a space is one number; "12 7" is two cells
        return bool(
            _LEADING_NUMBER.match(left.text)
            and _THOUSANDS_GROUP.match(right.text)
            and gap < left.size * 0.45
        )
    return True


def line_segments(line: Line, column_gap_ratio: float) -> list[Segment]:
    segments: list[Segment] = []
    for word in line.words:
        gap = column_gap_ratio * max(word.size, 4.0)
        if segments and _same_cell(segments[-1].words[-1], word, gap):
            segments[-1].words.append(word)
        else:
            segments.append(Segment([word]))
    return segments


def inside_any(box: BBox, areas: Iterable[BBox]) -> bool:
    return any(_centre_inside(box, area, margin=1.0) for area in areas)


def sideways_words(chars: list[dict[str, Any]], frame: Frame) -> list[Word]:
    """Text printed at 90° to the page's reading direction (column headings turned
    sideways above narrow columns), read in its own direction, one word per heading.

    Characters are grouped into sideways lines by their baseline; lines of one heading
    wrapped side by side (within a line height, overlapping along the text) are joined
    in reading order. The word's box is in the page's logical frame, so it stands over
    the column it heads.
    """
    lines: dict[tuple[int, int], list[dict[str, Any]]] = {}
    across = frame.turns in (0, 2)  # sideways characters have |b| > |a| on these pages
    for char in chars:
        m = char["matrix"]
        if across and abs(m[1]) <= abs(m[0]):
            continue
        turn = (char_turn(char) - frame.turns) % 4
        if turn not in (1, 3):
            continue
        x0, top, x1, bottom = frame.to_logical(_box(char))
        lines.setdefault((turn, round(x0)), []).append(
            {"text": char["text"], "x0": x0, "x1": x1, "top": top, "bottom": bottom}
        )
    runs = [
        run for (turn, _), found in sorted(lines.items()) for run in _sideways_runs(found, turn)
    ]
    return _join_sideways_lines(runs)


def _sideways_runs(chars: list[dict[str, Any]], turn: int) -> list[tuple[int, Word]]:
    """One sideways line's characters → runs of text split at wide gaps."""
    chars.sort(key=lambda c: c["top"], reverse=turn == 3)
    runs: list[tuple[int, Word]] = []
    current: list[dict[str, Any]] = []
    size = max(c["x1"] - c["x0"] for c in chars)
    for char in chars:
        if current and _along_gap(current[-1], char) > size:
            runs.append((turn, _sideways_word(current)))
            current = []
        current.append(char)
    if current:
        runs.append((turn, _sideways_word(current)))
    return [(t, w) for t, w in runs if w.text]


def _along_gap(a: dict[str, Any], b: dict[str, Any]) -> float:
    return float(max(b["top"] - a["bottom"], a["top"] - b["bottom"]))


def _sideways_word(chars: list[dict[str, Any]]) -> Word:
    text = normalise_spaces("".join(_LIGATURES.get(c["text"], c["text"]) for c in chars))
    return Word(
        text,
        min(c["x0"] for c in chars),
        min(c["top"] for c in chars),
        max(c["x1"] for c in chars),
        max(c["bottom"] for c in chars),
        size=max(c["x1"] - c["x0"] for c in chars),
    )


def normalise_spaces(text: str) -> str:
    return " ".join(text.split())


def _join_sideways_lines(runs: list[tuple[int, Word]]) -> list[Word]:
    """Sideways lines next to each other, overlapping along the text, are one heading
    wrapped; bottom-to-top text wraps rightwards, top-to-bottom text leftwards."""
    runs.sort(key=lambda r: r[1].x0)
    groups: list[tuple[int, list[Word]]] = []
    for turn, word in runs:
        if groups:
            last_turn, members = groups[-1]
            last = members[-1]
            close = word.x0 - last.x1 <= 0.6 * word.size
            overlap = min(word.bottom, last.bottom) - max(word.top, last.top) > 0
            if last_turn == turn and close and overlap:
                members.append(word)
                continue
        groups.append((turn, [word]))
    words = []
    for turn, members in groups:
        ordered = members if turn == 3 else members[::-1]
        words.append(
            Word(
                join_wrapped(w.text for w in ordered),
                min(w.x0 for w in members),
                min(w.top for w in members),
                max(w.x1 for w in members),
                max(w.bottom for w in members),
                size=max(w.size for w in members),
            )
        )
    return words
