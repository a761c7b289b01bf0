"""Render an HTML report with headless Chromium: a PNG screenshot and a printed PDF.

    python scripts/render_report.py data/report.html [--out DIR] [--width 1100]

Writes ``DIR/report.png`` (the top of the page as a browser shows it) and
``DIR/report.pdf`` (what printing gives), so a person can look at both. Uses Debian's
``chromium`` (``apt-get install chromium``); exits 0 with a note when it is absent,
because rendering is a check for people, not a requirement of the tool.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
RENDER_TIMEOUT = 120.0  # seconds per Chromium run


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_command(chromium: str, profile: Path, *args: str) -> list[str]:
    # --no-sandbox: containers run as root, where Chromium's sandbox refuses to start
    return [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        *args,
    ]


def render(html: Path, out: Path, width: int = 1100, height: int = 1600) -> tuple[Path, Path]:
    """Screenshot and print ``html``; return the PNG and PDF paths."""
    chromium = find_chromium()
    if chromium is None:
        raise FileNotFoundError("Chromium is not installed")
    out.mkdir(parents=True, exist_ok=True)
    png, pdf = out / f"{html.stem}.png", out / f"{html.stem}.pdf"
    url = html.resolve().as_uri()
    with tempfile.TemporaryDirectory(prefix="foi-chromium-") as profile:
        for args in (
            (f"--screenshot={png}", f"--window-size={width},{height}", url),
            (f"--print-to-pdf={pdf}", "--no-pdf-header-footer", url),
        ):
            subprocess.run(
                chromium_command(chromium, Path(profile), *args),
                check=True,
                capture_output=True,
                timeout=RENDER_TIMEOUT,
            )
    return png, pdf


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path)
    parser.add_argument("--out", type=Path, default=None, help="folder for report.png/.pdf")
    parser.add_argument("--width", type=int, default=1100)
    args = parser.parse_args()
    if find_chromium() is None:
        print("skipped: Chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 0
    if not args.html.is_file():
        print(f"Error: {args.html}: no such file", file=sys.stderr)
        return 1
    png, pdf = render(args.html, args.out or args.html.parent, args.width)
    print(f"{png}\n{pdf}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
