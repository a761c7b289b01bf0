"""Shared test fixtures. Tests that need ../shared/corpus skip cleanly when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# FOI_SHARED points a git worktree (whose parent is not the project's) at shared/
SHARED = Path(os.environ.get("FOI_SHARED") or REPO.parent / "shared")
CORPUS = SHARED / "corpus"
FIXTURES = REPO / "fixtures"


@pytest.fixture
def corpus() -> Path:
    """The real-file corpus in ../shared/corpus; the test is skipped when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS


@pytest.fixture
def seed_article() -> Path:
    path = SHARED / "seed-article.txt"
    if not path.is_file():
        pytest.skip("../shared/seed-article.txt is not present")
    return path


@pytest.fixture
def store(tmp_path: Path):
    from extractor.store import Store

    with Store(tmp_path / "foi.db") as opened:
        yield opened
