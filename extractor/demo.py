"""``foi demo``: the whole chain, offline, on the bundled (synthetic) Lancashire case.

1. serve ``fixtures/lancashire/wdtk`` with the fake Alaveteli site on 127.0.0.1
   (an ephemeral port, stopped at the end);
2. harvest the two requests through the same code as ``foi harvest``
   (:func:`extractor.wdtk.harvest.harvest`) into ``OUT/raw`` and ``OUT/foi.db``;
3. extract the attachments' tables into the store (as ``foi extract`` does);
4. check ``fixtures/lancashire/claims.toml`` against the stored cells (as ``foi check``);
5. write ``OUT/report.html``.

Running it again re-uses everything already there: no attachment is downloaded
twice, no document extracted twice.
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import extractor

from .claims.report import report_for_store
from .errors import FoiError, UsageError
from .store import Store

if TYPE_CHECKING:
    from .claims.results import CheckReport, CheckResult
    from .extract import ExtractSummary
    from .wdtk import HarvestProgress, HarvestSummary

DEMO_BODIES = ("lancashire_constabulary", "crown_prosecution_service")
DEMO_QUERY = " OR ".join(f"requested_from:{body}" for body in DEMO_BODIES)
DEMO_RATE = 50.0  # requests per second: the site is our own, on 127.0.0.1
REPORT_TITLE = "Rape and sexual assault in Lancashire: checking the article"
REPORT_NOTE = (
    "Synthetic test data: the FOI responses checked here are invented stand-ins "
    "(fixtures/lancashire), served by foi demo on 127.0.0.1; request links point there."
)


Log = Callable[[str], None]


class DemoError(FoiError):
    """A stage of the demo failed (the bundled case should always go through)."""


def _quiet(_: str) -> None:
    """The default log: say nothing."""


def default_fixtures() -> Path:
    """The bundled case: package data in an installed wheel (``extractor/cases/lancashire``,
    mapped from ``fixtures/lancashire`` by pyproject.toml), ``fixtures/`` in a checkout."""
    packaged = importlib.resources.files("extractor").joinpath("cases", "lancashire")
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    return Path(extractor.__file__).resolve().parents[1] / "fixtures" / "lancashire"


@dataclass
class DemoPaths:
    """Where the demo writes: the store, the raw attachments, the HTTP cache, the report."""

    out: Path
    store: Path | None = None  # --db / FOI_DB; OUT/foi.db when not given

    @property
    def db(self) -> Path:
        return self.store or self.out / "foi.db"

    @property
    def raw(self) -> Path:
        return self.out / "raw"

    @property
    def cache(self) -> Path:
        return self.out / "cache" / "demo-http.sqlite"

    @property
    def report(self) -> Path:
        return self.out / "report.html"


@dataclass
class DemoRun:
    """What one demo run did, stage by stage."""

    base_url: str
    paths: DemoPaths
    harvest: HarvestSummary
    extraction: ExtractSummary
    check: CheckReport

    @property
    def results(self) -> list[CheckResult]:
        return list(self.check.results)

    def to_dict(self) -> dict[str, Any]:
        return {
            "served_at": self.base_url,
            "store": str(self.paths.db),
            "raw": str(self.paths.raw),
            "report": str(self.paths.report),
            "harvest": self.harvest.to_dict(),
            "extraction": asdict(self.extraction),
            "summary": self.check.counts(),
            "claims": [result.to_dict() for result in self.results],
        }


def shown(path: Path) -> Path:
    """``path`` relative to the working directory when it is under it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def check_fixtures(root: Path) -> Path:
    """The case folder, or a usage error naming what is missing."""
    for needed in (root / "wdtk" / "requests", root / "claims.toml"):
        if not needed.exists():
            raise UsageError(
                f"{needed}: not found; the case folder must hold "
                "wdtk/ and claims.toml (as fixtures/lancashire does)"
            )
    return root


def harvest_case(
    base_url: str, store: Store, paths: DemoPaths, progress: HarvestProgress | None = None
) -> HarvestSummary:
    """Search the local site for the case's requests and fetch them, as ``foi harvest``."""
    from .wdtk import ClientConfig, harvest

    config = ClientConfig(base_url=base_url, rate=DEMO_RATE, cache_path=paths.cache)
    summary = harvest(DEMO_QUERY, out=paths.raw, store=store, config=config, progress=progress)
    return summary


def extract_harvested(store: Store) -> ExtractSummary:
    """Read the tables of every harvested attachment not extracted yet, as ``foi extract``."""
    from .extract import ExtractSummary, extract_files

    summary = ExtractSummary()
    for outcome in extract_files(store.harvested_paths(), store=store):
        if outcome.error:
            raise DemoError(f"extraction failed: {outcome.error}")
        summary.add(outcome)
    return summary


def run_demo(
    out: Path = Path("data"),
    fixtures: Path | None = None,
    *,
    log: Log = _quiet,
    progress: HarvestProgress | None = None,
    db: Path | None = None,
) -> DemoRun:
    """Serve, harvest, extract, check and report; see the module docstring. ``db`` is the
    store to use (default ``out/foi.db``)."""
    from .claims import check_claims
    from .testing.fakesite import serve

    root = check_fixtures(fixtures or default_fixtures())
    paths = DemoPaths(Path(out), db)
    with serve(root / "wdtk") as base_url, Store(paths.db) as store:
        log(f"serving {shown(root / 'wdtk')} at {base_url}")
        summary = harvest_case(base_url, store, paths, progress)
        log(f"harvest: {summary.line()}")
        if not summary.ok:
            failure = summary.failures[0]
            raise DemoError(f"harvest from the local site failed: {failure.item}: {failure.reason}")
        extraction = extract_harvested(store)
        log(f"extract: {extraction}")
        report = check_claims(root / "claims.toml", store=store)
        report_for_store(paths.report, report.results, store, REPORT_TITLE, note=REPORT_NOTE)
    return DemoRun(base_url, paths, summary, extraction, report)
