"""The HTML report in a real browser (headless Chromium) at a phone's 390 px and a laptop's
1280 px: nothing overflows the page sideways, no verdict badge is cut off, page crops are
shown at full size (legible; a narrow screen scrolls them inside their box), and the
report holds no script. Skipped when Chromium is not installed
(``apt-get install chromium``)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from extractor.demo import run_demo

CHROMIUM = next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
WIDTHS = (390, 1280)

# test tooling only: this page measures the report (which itself has no script) in a frame
PROBE = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" src="report.html" style="width:%dpx;height:900px;border:0"></iframe>
<pre id="out"></pre><script>
document.getElementById("f").addEventListener("load", () => {
  const d = document.getElementById("f").contentDocument, root = d.documentElement;
  const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.right, r.height]; };
  document.getElementById("out").textContent = "RESULT" + JSON.stringify({
    width: root.clientWidth, scrollWidth: root.scrollWidth,
    badges: [...d.querySelectorAll(".badge")].map(box),
    crops: [...d.querySelectorAll("img.crop")].map(i => [i.clientWidth, i.naturalWidth]),
    scrolling: [...d.querySelectorAll(".scroll")].map(e => e.clientWidth <= root.clientWidth),
    scripts: d.querySelectorAll("script").length,
  }) + "END";
});
</script></body></html>"""


def chromium(*args: str) -> str:
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.stdout


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    run = run_demo(tmp_path_factory.mktemp("demo"))
    return run.paths.report


@pytest.mark.parametrize("width", WIDTHS)
def test_report_fits_the_screen_with_legible_crops(report: Path, width: int) -> None:
    probe = report.with_name(f"probe-{width}.html")
    probe.write_text(PROBE % width, encoding="utf-8")
    dom = chromium(
        "--allow-file-access-from-files",
        "--virtual-time-budget=10000",
        "--dump-dom",
        probe.as_uri(),
    )
    found = re.search(r"RESULT(.*?)END", dom, re.S)
    assert found, dom[-2000:]
    measured = json.loads(found[1].replace("&quot;", '"'))
    assert measured["width"] == width
    assert measured["scrollWidth"] <= width, "the page overflows sideways"
    assert measured["badges"], "no verdict badges"
    for left, right, height in measured["badges"]:
        assert left >= 0 and right <= width, "a verdict badge is cut off"
        assert height < 30, "a verdict badge is broken over lines"
    assert measured["crops"], "the demo report has PDF crops"
    for shown, natural in measured["crops"]:
        assert shown >= natural * 0.99, "a crop was shrunk below its legible size"
    assert all(measured["scrolling"]), "a scrolling box is wider than the page"
    assert measured["scripts"] == 0
    screenshot = report.with_name(f"report-{width}.png")
    chromium(f"--window-size={width},1600", f"--screenshot={screenshot}", report.as_uri())
    assert screenshot.is_file() and screenshot.stat().st_size > 10_000


def test_report_source_has_no_script(report: Path) -> None:
    text = report.read_text(encoding="utf-8").lower()
    assert "<script" not in text and "javascript:" not in text and " onload=" not in text
