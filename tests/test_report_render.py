"""The report renders and prints in a real browser (headless Chromium; skipped when absent)."""

from __future__ import annotations

import importlib.util
from fractions import Fraction
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image

from extractor.claims.methodology import MethodWarning
from extractor.claims.report import write_report
from extractor.claims.results import CheckResult, FigureResult

REPO = Path(__file__).resolve().parents[1]


def load_renderer():
    spec = importlib.util.spec_from_file_location(
        "render_report", REPO / "scripts" / "render_report.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_report_renders_and_prints_in_chromium(tmp_path: Path) -> None:
    renderer = load_renderer()
    if renderer.find_chromium() is None:
        pytest.skip("Chromium is not installed")
    result = CheckResult(
        id="highest-2022",
        verdict="inaccurate",
        kind="series",
        text="The highest number of rape reports were made in 2022, with 1,527 reports",
        phrase="highest",
        reason="2021 had 1,567 reports, more than 2022's 1,527.",
        figures=[FigureResult("2021", Fraction(1567), Fraction(1567))],
        warnings=[MethodWarning(1, "synthetic", "Synthetic warning.")],
    )
    html = write_report(tmp_path / "report.html", [result], title="Synthetic check")
    png, pdf = renderer.render(html, tmp_path / "rendered", width=900, height=1200)
    assert Image.open(png).size == (900, 1200)
    with pdfplumber.open(pdf) as printed:
        text = "\n".join(page.extract_text() or "" for page in printed.pages)
    assert "INACCURATE" in text  # the badge is printed (CSS uppercase applied)
    assert "2021 had 1,567 reports" in text
    assert "Synthetic warning." in text
