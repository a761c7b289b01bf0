"""Synthetic Alaveteli fixture sites for the WhatDoTheyKnow tests (helpers, not tests)."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from pathlib import Path

from extractor.testing.fakesite import FixtureResponse, write_body, write_request
from extractor.wdtk import ClientConfig

HOSTILE_NAMES = [
    "../../x.pdf",
    "..\\evil.xlsx",
    "CON.pdf",
    "é" * 300 + ".pdf",
    "same.csv",
    "same.csv",
]


def synthetic_bytes(label: str, size: int, head: bytes = b"%PDF-1.4\n") -> bytes:
    """Deterministic bytes that start like a PDF and say they are synthetic."""
    seed = head + f"% synthetic test file {label}\n".encode()
    filler = random.Random(label).randbytes(max(0, size - len(seed)))
    return (seed + filler)[:size]


@dataclass
class Site:
    root: Path
    # (url_title, incoming_message_id, part) -> sha256 of the bytes served
    expected: dict[tuple[str, int, int], str] = field(default_factory=dict)

    def add(
        self,
        url_title: str,
        request_id: int,
        body: dict,
        names: list[str],
        sizes: list[int] | None = None,
        status: str = "successful",
        day: int = 1,
    ) -> None:
        message_id = request_id * 7
        contents = [
            synthetic_bytes(
                f"{url_title}/{i}",
                (sizes or [2000] * len(names))[i],
                b"a,b\n1,2\n" if name.endswith(".csv") else b"%PDF-1.4\n",
            )
            for i, name in enumerate(names)
        ]
        write_request(
            self.root,
            url_title=url_title,
            request_id=request_id,
            title=f"Synthetic request {request_id} about crime outcomes",
            body=body,
            created_at=f"2023-01-{day:02d}T10:00:00.000+00:00",
            status=status,
            responses=[
                FixtureResponse(
                    message_id,
                    f"2023-02-{day:02d}T10:00:00.000+00:00",
                    list(zip(names, contents, strict=True)),
                )
            ],
        )
        for part, content in enumerate(contents, start=2):
            self.expected[(url_title, message_id, part)] = hashlib.sha256(content).hexdigest()


def build_site(
    root: Path, requests: int = 3, hostile: bool = True, sizes: list[int] | None = None
) -> Site:
    """``requests`` police requests with two attachments each, plus one full of hostile names."""
    site = Site(root)
    police = write_body(root, "synthetic_constabulary", "Synthetic Constabulary", ["police"])
    council = write_body(root, "synthetic_council", "Synthetic Council", ["council"])
    for number in range(requests):
        site.add(
            f"crime_outcomes_{number}",
            1000 + number,
            police,
            ["outcomes.pdf", "table.csv"],
            sizes=sizes,
            day=1 + number % 28,
        )
    site.add("council_request", 999, council, ["budget.pdf"], status="not_held")
    if hostile:
        site.add("hostile_names", 998, police, HOSTILE_NAMES)
    return site


def site_config(url: str, tmp: Path, **changes: object) -> ClientConfig:
    """Fast settings for tests: a high rate, tiny back-off, a private cache."""
    config = ClientConfig(
        base_url=url,
        rate=50,
        concurrency=2,
        backoff=0.02,
        backoff_cap=0.1,
        max_tries=4,
        timeout=10,
        cache_path=tmp / "cache.sqlite",
        contact="tests@example.org",
    )
    for key, value in changes.items():
        setattr(config, key, value)
    return config
