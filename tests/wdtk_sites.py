"""Synthetic Alaveteli fixture sites for the WhatDoTheyKnow tests (helpers, not tests)."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from pathlib import Path

from extractor.testing.fakesite import FixtureComment, FixtureResponse, write_body, write_request
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


XLS_AS_HTML = (  # what many councils' systems export as ".xls" (synthetic figures)
    b"<html><head><meta charset='utf-8'></head><body><table border='1'>"
    b"<tr><th colspan='3'>Reports and outcomes (synthetic)</th></tr>"
    b"<tr><th>Year</th><th>Reports</th><th>Charged</th></tr>"
    b"<tr><td>2021</td><td>1,527</td><td>50</td></tr>"
    b"<tr><td>2022</td><td>1,402</td><td>*</td></tr>"
    b"</table></body></html>"
)
MAIL_AS_TXT = b"<html><body><p>Dear requester,</p><p>Section 40 applies.</p></body></html>"


def build_mixed_site(root: Path) -> Site:
    """Requests as the real site serves them: an old-style page (numeric-id links), an
    HTML-table ".xls", HTML mail in a ".txt", hidden and erased attachments, annotations,
    tag pairs and EIR."""
    site = Site(root)
    police = write_body(
        root,
        "synthetic_constabulary",
        "Synthetic Constabulary",
        [["police", None], ["region", "north"]],
    )
    contents = {
        "outcomes.pdf": synthetic_bytes("mixed/outcomes", 3000),
        "table.xls": XLS_AS_HTML,
        "letter.txt": MAIL_AS_TXT,
    }
    for number, (url_title, old_style) in enumerate([("old_style", True), ("new_style", False)]):
        request_id = 2000 + number
        message = request_id * 7
        write_request(
            root,
            url_title=url_title,
            request_id=request_id,
            title=f"Synthetic request {request_id} about rape outcomes",
            body=police,
            created_at=f"2022-03-0{number + 1}T09:00:00.000+00:00",
            status="partially_successful",
            tags=[["foi_category", "crime"], ["priority", None]],
            law_used="eir" if number else "foi",
            old_style_links=old_style,
            requester="synthetic_journalist",
            responses=[
                FixtureResponse(
                    message,
                    f"2022-04-0{number + 1}T09:00:00.000+00:00",
                    [
                        *contents.items(),
                        ("withheld.pdf", b"%PDF-1.4 hidden", "hidden"),
                        ("gone.xlsx", b"PK erased", "erased"),
                    ],
                    text="Dear requester,\n\nWe hold some of the information. Section 40(2) "
                    "applies to the names (synthetic).",
                )
            ],
            comments=[FixtureComment(request_id + 5, "2022-05-01T10:00:00.000+00:00", "Useful.")],
        )
        for part, content in enumerate(contents.values(), start=2):
            site.expected[(url_title, message, part)] = hashlib.sha256(content).hexdigest()
    return site


def build_many(root: Path, count: int, start: str = "2020-01-01", per_day: int = 1) -> list[str]:
    """``count`` requests, ``per_day`` made each day from ``start``, each answered a year on."""
    from datetime import date, timedelta

    body = write_body(root, "synthetic_constabulary", "Synthetic Constabulary", ["police"])
    first = date.fromisoformat(start)
    made: list[str] = []
    for number in range(count):
        day = first + timedelta(days=number // per_day)
        later = day + timedelta(days=365)
        write_request(
            root,
            url_title=f"bulk_{number}",
            request_id=10_000 + number,
            title=f"Synthetic bulk request {number}",
            body=body,
            created_at=f"{day.isoformat()}T09:00:00.000+00:00",
            responses=[FixtureResponse(number + 50_000, f"{later.isoformat()}T09:00:00.000+00:00")],
        )
        made.append(day.isoformat())
    return made
