"""Page geometry helpers of the PDF reader (extractor.tables.pdf_layout)."""

from __future__ import annotations

import pytest

from extractor.tables.pdf_layout import Frame, Line, Word, join_wrapped, line_segments


@pytest.mark.parametrize("turns", [0, 1, 2, 3])
def test_frame_maps_boxes_there_and_back(turns: int) -> None:
    frame = Frame(595.0, 842.0, turns)
    box = (100.0, 200.0, 130.0, 210.0)
    logical = frame.to_logical(box)
    assert logical[0] < logical[2] and logical[1] < logical[3]
    assert frame.to_page(logical) == list(box)


def test_sideways_text_reads_left_to_right() -> None:
    """Text running up the page (turns=3): lower on the page is earlier in the line."""
    frame = Frame(595.0, 842.0, 3)
    lower, higher = (50.0, 500.0, 60.0, 520.0), (50.0, 300.0, 60.0, 320.0)
    assert frame.to_logical(lower)[0] < frame.to_logical(higher)[0]


def _line(*items: tuple[str, float]) -> Line:
    return Line([Word(text, x, 0, x + 5 * len(text), 10, size=10) for text, x in items])


def test_segments_split_at_column_gaps_but_keep_space_grouped_thousands() -> None:
    line = _line(
        ("Rape", 0), ("and", 22), ("sexual", 40), ("1", 120), ("527", 128), ("12", 200), ("7", 213)
    )
    assert [s.text for s in line_segments(line, 0.8)] == ["Rape and sexual", "1 527", "12", "7"]


@pytest.mark.parametrize(
    ("parts", "joined"),
    [
        (["Adult", "Fiction"], "Adult Fiction"),
        (["Non-", "fiction"], "Non-fiction"),
        (["2019-", "2020"], "2019- 2020"),
        (["Type 1 -", "Charged"], "Type 1 - Charged"),
        (["", "Total", " "], "Total"),
    ],
)
def test_wrapped_cell_lines_join(parts: list[str], joined: str) -> None:
    assert join_wrapped(parts) == joined
