"""The README's promises: its Python example runs and prints what the README says."""

import contextlib
import io
import re

from extractor.demo import run_demo
from tests.conftest import REPO


def readme_block(heading: str) -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split(heading, 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_library_api_example_prints_what_the_readme_shows(tmp_path, monkeypatch):
    code = readme_block("## Library API")
    shown = [
        line[2:]
        for line in code.splitlines()
        if line.startswith("# ") and not line.startswith("#     ") and "harvest(" not in line
    ]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "fixtures").symlink_to(REPO / "fixtures")
    run_demo(tmp_path / "data")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.md", "exec"), {})
    assert printed.getvalue().splitlines() == shown


def test_quick_start_is_what_ci_runs():
    quick_start = (REPO / "README.md").read_text(encoding="utf-8").split("## Quick start")[1]
    commands = re.search(r"```bash\n(.*?)```", quick_start, re.S).group(1).strip().splitlines()
    assert len(commands) == 2
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    for command in commands:
        assert command in ci


def test_readme_stays_one_short_page() -> None:
    """Issue 15: README under about 10 KB; guides and figures belong in docs/."""
    size = len((REPO / "README.md").read_bytes())
    assert size <= 10 * 1024, f"README.md is {size:,} bytes: move detail into docs/"
