"""kill -9 in the middle of a harvest, run it again: same result as a clean run, nothing twice."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from extractor.testing.fakesite import FakeAlaveteli, Faults
from tests.wdtk_sites import Site, write_body

BIG = 3 * 1024 * 1024
RUN_FOI = [sys.executable, "-c", "from extractor.cli import app; app()"]


def build(root: Path) -> Site:
    site = Site(root)
    police = write_body(root, "synthetic_constabulary", "Synthetic Constabulary", ["police"])
    for number in range(4):
        site.add(f"small_{number}", 2000 + number, police, ["a.pdf", "b.csv"], day=number + 2)
    site.add("big_one", 2100, police, ["big.pdf", "after.csv"], sizes=[BIG, 500], day=1)
    return site


def foi_harvest(url: str, work: Path) -> list[str]:
    return [
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
        "40",
        "--concurrency",
        "1",
    ]


def tree(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def wait_for_partial(out: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        parts = [p for p in out.rglob(".*.part") if p.stat().st_size > 256 * 1024]
        if parts:
            return
        time.sleep(0.02)
    raise AssertionError("the big download never started")


def test_killed_harvest_resumes_to_the_same_result(tmp_path: Path) -> None:
    site = build(tmp_path / "site")
    killed, clean = tmp_path / "killed", tmp_path / "clean"
    faults = Faults(chunk_delay=0.05)
    with FakeAlaveteli(site.root, faults=faults) as fake:
        process = subprocess.Popen(foi_harvest(fake.url, killed), stderr=subprocess.PIPE)
        wait_for_partial(killed / "out")
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        assert process.returncode == -signal.SIGKILL
        done_before_kill = {n for n in tree(killed / "out") if not Path(n).name.startswith(".")}
        assert len(done_before_kill) == 8  # the small ones came first (newest first)
        faults.chunk_delay = 0.0
        first_rerun_hit = len(fake.hits)
        rerun = subprocess.run(foi_harvest(fake.url, killed), capture_output=True, text=True)
        assert rerun.returncode == 0, rerun.stderr
        rerun_hits = fake.hits[first_rerun_hit:]
        fresh = subprocess.run(foi_harvest(fake.url, clean), capture_output=True, text=True)
        assert fresh.returncode == 0, fresh.stderr
    assert tree(killed / "out") == tree(clean / "out")
    assert sorted(site.expected.values()) == sorted(tree(clean / "out").values())
    fetched_again = [h.path for h in rerun_hits if "/attach/" in h.path]
    for name in done_before_kill:  # e.g. synthetic_constabulary/small_0/14000-2-a.pdf
        message_part = "/".join(Path(name).name.split("-")[:2])
        assert not [p for p in fetched_again if f"/{message_part.replace('/', '/attach/')}/" in p]
    big = [h for h in rerun_hits if "/attach/2/big.pdf" in h.path]
    assert len(big) == 1 and big[0].range and big[0].status == 206  # resumed, not restarted
