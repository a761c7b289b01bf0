"""The wheel works on its own: built, installed in a fresh venv outside the checkout,
``foi demo`` runs the bundled case from package data and writes its report.

To avoid downloading the dependencies again, the fresh venv sees this venv's
site-packages through a ``.pth`` line (its ``.pth`` files, such as this checkout's
editable install, are not run from there, so ``extractor`` comes only from the wheel).
``.ci/run`` does the same with a plain ``pip install`` of the wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import venv
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc")


def test_the_package_list_matches_the_tree():
    """pyproject.toml lists the packages (to map the case in): none may be missing."""
    listed = set(
        tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
            "packages"
        ]
    )
    found = {
        ".".join(init.parent.relative_to(REPO).parts)
        for init in (REPO / "extractor").rglob("__init__.py")
    }
    assert listed == found | {"extractor.cases.lancashire"}


def run(args: list[str | Path], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("FOI_", "PYTHON"))}
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_foi_demo_runs_from_the_installed_wheel(tmp_path: Path) -> None:
    source = tmp_path / "source"  # a clean copy: no stale build/ from earlier builds
    shutil.copytree(REPO / "extractor", source / "extractor", ignore=IGNORED)
    shutil.copytree(REPO / "fixtures" / "lancashire", source / "fixtures" / "lancashire")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    built = run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", tmp_path / "dist", source],
        cwd=tmp_path,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("foi_extractor-*.whl"))

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    site = run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], tmp_path)
    ours = sysconfig.get_path("purelib")
    (Path(site.stdout.strip()) / "deps-from-test-venv.pth").write_text(ours + "\n")
    installed = run(
        [python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel], tmp_path
    )
    assert installed.returncode == 0, installed.stderr

    away = tmp_path / "elsewhere"  # no fixtures/ here, no checkout above
    away.mkdir()
    where = run([python, "-c", "import extractor; print(extractor.__file__)"], away)
    assert where.stdout.startswith(str(env_dir)), where.stdout + where.stderr
    demo = run([env_dir / "bin" / "foi", "demo", "--out", away / "out"], away)
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert (away / "out" / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "16 claims: 12 accurate" in demo.stdout
    assert "serving " + str(env_dir) in demo.stderr  # the case came from the installed package
