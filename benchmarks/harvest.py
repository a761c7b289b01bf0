"""Benchmark: `foi harvest` against the local fake Alaveteli, with big attachments.

Builds a synthetic site in a temporary folder (200 requests, 600 attachments, some of
50 MB, written in streamed chunks), serves it on 127.0.0.1, runs `foi harvest` as a
child process twice, and prints:

- achieved request rate as a share of --rate (target >= 95%), as the server saw it,
  and the busiest one-second window (must not exceed --rate rounded up);
- peak RSS of the harvest process, against a baseline harvest of a site with no big
  files measured in the same run (flat memory: the ratio stays near 1);
- what the second run fetched (target: no attachment, no page: all from store and cache).

    python benchmarks/harvest.py            # the full run
    python benchmarks/harvest.py --small    # 40 requests, 2 big files of 5 MB: a quick look
"""

from __future__ import annotations

import argparse
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import BinaryIO

from extractor.testing.fakesite import FakeAlaveteli, FixtureResponse, write_body, write_request

MB = 1024 * 1024
RUN_FOI = [sys.executable, "-c", "from extractor.cli import app; app()"]


def big_writer(size: int, seed: int):
    def write(handle: BinaryIO) -> None:
        handle.write(b"%PDF-1.4\n% synthetic benchmark file\n")
        rng = random.Random(seed)
        block = rng.randbytes(MB)
        written = 0
        while written < size:
            chunk = block[: min(MB, size - written)]
            handle.write(chunk)
            written += len(chunk)

    return write


def build_site(root: Path, requests: int, per_request: int, big: int, big_size: int) -> int:
    police = write_body(root, "synthetic_constabulary", "Synthetic Constabulary", ["police"])
    total = 0
    for number in range(requests):
        attachments = []
        for index in range(per_request):
            if number < big and index == 0:
                attachments.append((f"big-{number}.pdf", big_writer(big_size, number)))
                total += big_size
            else:
                content = b"a,b\n" + random.Random(number * 10 + index).randbytes(20_000)
                attachments.append((f"table-{index}.csv", content))
                total += len(content)
        write_request(
            root,
            url_title=f"bench_request_{number}",
            request_id=5000 + number,
            title=f"Synthetic benchmark request {number}",
            body=police,
            created_at=f"2023-01-{1 + number % 28:02d}T10:00:00.000+00:00",
            responses=[
                FixtureResponse(90000 + number, "2023-02-01T10:00:00.000+00:00", attachments)
            ],
        )
    return total


def run_harvest(url: str, work: Path, rate: float, concurrency: int) -> tuple[float, int]:
    """Runs `foi harvest` in a child; returns (seconds, peak RSS in MB of that child)."""
    command = [
        *RUN_FOI,
        "--quiet",
        "--base-url",
        url,
        "harvest",
        "--body-tag",
        "police",
        "--out",
        str(work / "out"),
        "--db",
        str(work / "foi.db"),
        "--cache",
        str(work / "cache.sqlite"),
        "--rate",
        str(rate),
        "--concurrency",
        str(concurrency),
    ]
    start = time.monotonic()
    with open(work.parent / f"{work.name}.log", "w") as log:
        child = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"harvest failed: {(work.parent / f'{work.name}.log').read_text()[-2000:]}")
    return elapsed, usage.ru_maxrss // 1024


def busiest_second(times: list[float]) -> int:
    times = sorted(times)
    best, end = 0, 0
    for start_index, start in enumerate(times):
        while end < len(times) and times[end] < start + 1.0:
            end += 1
        best = max(best, end - start_index)
    return best


def measure(root: Path, work: Path, rate: float, concurrency: int) -> dict:
    with FakeAlaveteli(root) as site:
        seconds, rss = run_harvest(site.url, work, rate, concurrency)
        first = list(site.hits)
        rerun_seconds, _ = run_harvest(site.url, work, rate, concurrency)
        second = site.hits[len(first) :]
    times = [hit.time for hit in first]
    span = max(times) - min(times)
    return {
        "seconds": seconds,
        "rss_mb": rss,
        "hits": len(first),
        "achieved_rate": (len(first) - 1) / span if span else float("nan"),
        "busiest_second": busiest_second(times),
        "attachments": sum("/attach/" in hit.path for hit in first),
        "rerun_seconds": rerun_seconds,
        "rerun_attachments": sum("/attach/" in hit.path for hit in second),
        "rerun_pages": sum("/attach/" not in hit.path for hit in second),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--per-request", type=int, default=3)
    parser.add_argument("--big", type=int, default=6, help="how many 50 MB attachments")
    parser.add_argument("--big-mb", type=int, default=50)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--small", action="store_true", help="a quick, scaled-down run")
    args = parser.parse_args()
    if args.small:
        args.requests, args.big, args.big_mb = 40, 2, 5
    with tempfile.TemporaryDirectory(prefix="foi-bench-") as tmp:
        tmp_path = Path(tmp)
        base_bytes = build_site(tmp_path / "base-site", 20, args.per_request, 0, 0)
        total = build_site(
            tmp_path / "site", args.requests, args.per_request, args.big, args.big_mb * MB
        )
        baseline = measure(tmp_path / "base-site", tmp_path / "base", args.rate, args.concurrency)
        result = measure(tmp_path / "site", tmp_path / "work", args.rate, args.concurrency)
    share = result["achieved_rate"] / args.rate
    print(
        f"site: {args.requests} requests, {args.requests * args.per_request} attachments, "
        f"{args.big} of {args.big_mb} MB, {total / MB:.0f} MB in all "
        f"(baseline site: 20 requests, {base_bytes / MB:.1f} MB)"
    )
    print(
        f"run 1: {result['hits']} requests to the server in {result['seconds']:.1f} s, "
        f"{result['attachments']} attachment downloads"
    )
    print(
        f"rate: achieved {result['achieved_rate']:.2f}/s of --rate {args.rate:g}/s = "
        f"{share:.1%} (target >= 95%); busiest one-second window: "
        f"{result['busiest_second']} requests (limit {math.ceil(args.rate)})"
    )
    print(
        f"memory: peak RSS {result['rss_mb']} MB vs {baseline['rss_mb']} MB baseline "
        f"= {result['rss_mb'] / baseline['rss_mb']:.2f}x (target: under 150 MB, flat)"
    )
    print(
        f"run 2: {result['rerun_attachments']} attachment downloads, "
        f"{result['rerun_pages']} page requests, {result['rerun_seconds']:.1f} s "
        f"(target: 0 attachments)"
    )


if __name__ == "__main__":
    main()
