"""One real search against WhatDoTheyKnow. Skipped unless FOI_NETWORK_TESTS=1."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from extractor.cli import app

pytestmark = [
    pytest.mark.network,
    pytest.mark.skipif(
        os.environ.get("FOI_NETWORK_TESTS") != "1",
        reason="talks to the real WhatDoTheyKnow; set FOI_NETWORK_TESTS=1",
    ),
]


def test_real_search_returns_requests(tmp_path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "--quiet",
            "--base-url",
            "https://www.whatdotheyknow.com",
            "search",
            "--body-tag",
            "police",
            "--status",
            "successful",
            "--limit",
            "3",
            "--json",
            "--cache",
            str(tmp_path / "cache.sqlite"),
        ],
    )
    if "Cloudflare bot challenge" in result.output:
        pytest.skip("WhatDoTheyKnow answered with a bot challenge (the tool stopped, as it must)")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    hits = found["requests"]
    assert found["complete"] and "last-described order" in found["how"]
    assert 1 <= len(hits) <= 3 and all(h["url"].startswith("https://") for h in hits)
