"""The ``foi`` command: a thin Typer layer over the library.

Each command parses its arguments, makes one call into the library, and renders
the result. Library errors (:class:`extractor.errors.FoiError`) become a one-line
``Error: ...`` on stderr with exit 1 (2 for usage errors); ``--verbose`` shows
the traceback. Data goes to stdout, progress and errors to stderr.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperCommand

from . import __version__
from .cli_help import FoiGroup
from .errors import FoiError, UsageError

if TYPE_CHECKING:
    from .claims.results import CheckReport


class FoiApp(FoiGroup):
    def set_global(self, name: str, value: Any) -> None:
        set_global_option(name, value)


# Help is Markdown: paragraphs are joined and re-wrapped to the terminal, and brackets
# such as [[claim]] are shown as written (rich markup would swallow them).
app = typer.Typer(
    name="foi",
    cls=FoiApp,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)
stdout = Console(soft_wrap=True)
stderr = Console(stderr=True, soft_wrap=True)

DEFAULT_BASE_URL = "https://www.whatdotheyknow.com"
DbOption = Annotated[
    Path, typer.Option("--db", metavar="FILE", help="SQLite store to use.", envvar="FOI_DB")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


@dataclass
class State:
    verbose: bool = False
    quiet: bool = False
    base_url: str = DEFAULT_BASE_URL
    contact: str | None = None
    offline: bool = False


state = State()

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    """Turn library errors into a one-line message and an exit code, as sqlite-utils does."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except FoiError as exc:
            if state.verbose:
                raise
            # messages quote file names and claim text, which are never rich markup
            stderr.print(
                f"[red]Error:[/red] {escape(error_text(exc))}", markup=True, highlight=False
            )
            raise typer.Exit(code=2 if isinstance(exc, UsageError) else 1) from None
        except KeyboardInterrupt:
            stderr.print("Interrupted.")
            raise typer.Exit(code=130) from None
        except BrokenPipeError:
            # the reader went away (`foi ... | head`): stop quietly
            sys.stderr.close()
            raise typer.Exit(code=1) from None
        except OSError as exc:
            # the machine, not the input: a full disk, a closed stdout
            if state.verbose:
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            stderr.print(
                f"[red]Error:[/red] {escape(where + (exc.strerror or str(exc)))}",
                markup=True,
                highlight=False,
            )
            raise typer.Exit(code=1) from None

    return wrapper  # type: ignore[return-value]


# library settings whose option has another name; the rest are the setting with dashes
SETTING_FLAGS = {"as_json": "--json", "fmt": "--format", "cache_path": "--cache"}
_SETTING_IN_TEXT = re.compile(r"`([a-z][a-z_]*)`")


def flag_of(setting: str) -> str:
    return SETTING_FLAGS.get(setting, "--" + setting.replace("_", "-"))


def with_flags(text: str) -> str:
    """A library message in the CLI's words: each setting it names in backquotes (as
    `pages`) becomes its option (--pages)."""
    return _SETTING_IN_TEXT.sub(lambda found: flag_of(found[1]), text)


def error_text(exc: FoiError) -> str:
    """The library's message; a usage error also names the option at fault (``--pages: ...``)."""
    setting = exc.setting if isinstance(exc, UsageError) else None
    text = with_flags(str(exc))
    return f"{flag_of(setting)}: {text}" if setting else text


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def show_progress() -> bool:
    """Progress bars only on a terminal and without --quiet."""
    return not state.quiet and stderr.is_terminal


def _version_callback(value: bool) -> None:
    if value:
        stdout.print(f"foi-extractor {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show tracebacks and debug detail.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
    base_url: Annotated[
        str,
        typer.Option(
            "--base-url",
            envvar="FOI_BASE_URL",
            metavar="URL",
            help="Alaveteli site to talk to (WhatDoTheyKnow by default).",
        ),
    ] = DEFAULT_BASE_URL,
    contact: Annotated[
        str | None,
        typer.Option(
            "--contact",
            envvar="FOI_CONTACT",
            metavar="EMAIL",
            help="Your e-mail or URL, appended to the User-Agent so site owners can reach you.",
        ),
    ] = None,
    offline: Annotated[
        bool, typer.Option("--offline", help="Answer web requests from the HTTP cache only.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version_callback, is_eager=True, help="Show version."),
    ] = False,
) -> None:
    """Harvest FOI responses, extract their tables into cell records, and check
    published figures against them.

    Global options work before or after the command: foi -q demo is foi demo -q.

    Example: foi demo --out data
    """
    state.verbose = verbose or bool(os.environ.get("FOI_VERBOSE"))
    state.quiet = quiet
    state.base_url = base_url.rstrip("/")
    state.contact = contact
    state.offline = offline


def set_global_option(name: str, value: Any) -> None:
    """A global option given after the command (``foi demo -q``) overrides the one before."""
    if name == "base_url":
        value = str(value).rstrip("/")
    setattr(state, name, value)


# ---------------------------------------------------------------------------
# Claims: foi rate, foi check, foi claims  (extractor.claims)
# ---------------------------------------------------------------------------

VERDICT_STYLE = {"accurate": "green", "loose": "yellow", "inaccurate": "red", "unclear": "magenta"}


def _verdict_text(verdict: str | None) -> str:
    if verdict is None:
        return "-"
    return f"[{VERDICT_STYLE.get(verdict, 'white')}]{verdict}[/]"


class NumbersCommand(TyperCommand):
    """A command whose arguments are numbers: ``-10`` before ``--`` is a usage error that
    says how to pass it, not Click's "No such option: -1"."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        for arg in args:
            if arg == "--":
                break
            if re.fullmatch(r"-[\d.,]+", arg):
                raise typer.BadParameter(
                    f"{arg} looks like a negative number, which would be read as an option: "
                    f"put -- before the numbers (foi {ctx.info_name} -- 50 {arg})",
                    ctx=ctx,
                )
        return super().parse_args(ctx, args)


@app.command("rate", cls=NumbersCommand)
@handle_errors
def rate_command(
    numerator: Annotated[
        str, typer.Argument(metavar="COUNT", help="The count (numerator), e.g. 50.")
    ],
    denominator: Annotated[
        str, typer.Argument(metavar="BASE", help="The base (denominator), e.g. 1,527.")
    ],
    claim: Annotated[
        str | None,
        typer.Option("--claim", "-c", metavar="TEXT", help="The published phrase to check."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Compute a rate exactly and check a published claim about it.

    Exit 0 accurate, loose or no claim; 1 inaccurate; 3 unclear; 2 bad input.

    Example: foi rate 50 1527 --claim "just 3.3 per cent"
    """
    from rich.markup import escape

    from .claims import check_rate
    from .claims.numbers import format_fixed, format_number
    from .claims.rates import rate_exact_text
    from .claims.results import rate_exit_code

    result = check_rate(numerator, denominator, claim)
    if as_json:
        print_json(result.to_dict())
    else:
        stdout.print(f"rate      {format_fixed(result.rate)}%  (exact: {rate_exact_text(result)})")
        if claim is not None:
            claimed = result.interval.describe() if result.interval else "nothing checkable"
            stdout.print(f"claim     {escape(claim)}  ->  {claimed}", highlight=False)
            stdout.print(f"verdict   {_verdict_text(result.verdict)}")
            if result.feasible:
                low, high = result.feasible
                stdout.print(
                    f"feasible  {low:,} to {high:,} out of {format_number(result.denominator)}"
                )
        stdout.print(f"reason    {escape(result.reason)}", highlight=False)
        for warning in result.warnings:
            stderr.print(f"[yellow]warning[/] {escape(str(warning))}", highlight=False)
    raise typer.Exit(rate_exit_code(result.verdict))


def _print_check_report(report: CheckReport) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=True, expand=False)
    # a claim id is what users search for: it keeps its line; the other columns wrap
    table.add_column("claim", no_wrap=True, overflow="fold")
    for name in ("verdict", "data", "claimed", "reason"):
        table.add_column(name, overflow="fold")
    for result in report.results:
        value = "-" if result.value_text is None else result.value_text
        if result.unit == "percent" and result.value_text is not None:
            value += "%"
        # claims files and cells are untrusted: their text is never read as rich markup
        table.add_row(
            Text(result.id),
            _verdict_text(result.verdict),
            Text(value),
            Text(result.claimed or "-"),
            Text(result.reason),
        )
    stdout.print(table)
    _print_claim_lines(
        "Figures", [(r.id, f.provenance()) for r in report.results for f in r.figures]
    )
    _print_claim_lines(
        "Methodology warnings", [(r.id, str(w)) for r in report.results for w in r.warnings]
    )
    counts = ", ".join(f"{n} {_verdict_text(v)}" for v, n in report.counts().items())
    stdout.print(f"{len(report.results)} claims: {counts}")


def _print_claim_lines(heading: str, lines: list[tuple[str, str]]) -> None:
    from rich.markup import escape

    if lines:
        stdout.print(f"[bold]{heading}[/]")
        for claim_id, text in lines:
            stdout.print(f"  {escape(claim_id)}: {escape(text)}", highlight=False)


@app.command("check")
@handle_errors
def check_command(
    claims_file: Annotated[
        Path, typer.Argument(metavar="FILE", help="Claims file (TOML) to check.")
    ],
    db: DbOption = Path("data/foi.db"),
    records: Annotated[
        Path | None,
        typer.Option(
            "--records", metavar="FILE", help="Resolve cell selectors from this JSONL file instead."
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when any claim is unclear too.")
    ] = False,
    as_json: JsonOption = False,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html", metavar="FILE", help="Also write a self-contained HTML report here."
        ),
    ] = None,
) -> None:
    """Check every claim of a claims file against its figures, with methodology warnings.

    Exit 1 when any claim is inaccurate (with --strict, also when any is unclear); 3 when
    any is unclear and none inaccurate; 2 for a claims file that cannot be read or parsed,
    or cell selectors with no store at --db.

    Example: foi check fixtures/lancashire/claims.toml
    """
    from .claims import check_claims
    from .files import is_stdout
    from .store import Store

    if as_json and is_stdout(html):
        raise UsageError("--json and --html - both write to stdout: choose one")
    if records is not None or not db.exists():
        missing = db if records is None else None
        report = check_claims(claims_file, records=records, missing_store=missing)
    else:
        with Store(db) as store:
            report = check_claims(claims_file, store=store)
    if as_json:
        print_json(report.to_dict())
    elif not is_stdout(html):  # with --html -, stdout is the report
        _print_check_report(report)
    if html is not None:
        _write_html_report(html, report, None if records or not db.exists() else db, records)
    raise typer.Exit(report.exit_code(strict))


@app.command("claims")
@handle_errors
def claims_command(
    article: Annotated[
        Path, typer.Argument(metavar="FILE", help="Article text file ('-' reads stdin).")
    ],
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", metavar="FILE", help="Write the drafted claims file here."),
    ] = None,
    db: Annotated[
        Path | None,
        typer.Option("--db", metavar="FILE", help="Link each figure to its cell in this store."),
    ] = None,
    records: Annotated[
        Path | None,
        typer.Option("--records", metavar="FILE", help="Link to cells of this JSONL file."),
    ] = None,
    min_score: Annotated[
        float,
        typer.Option("--min-score", min=0.0, max=1.0, help="How sure a link must be (0..1)."),
    ] = 0.3,
    as_json: JsonOption = False,
) -> None:
    """Draft a claims file from an article: one [[claim]] per checkable figure.

    With --db (or --records), fill each figure slot with the selector of the cell it came
    from when value, period and labels agree; runners-up are listed as comments and a
    figure the cells do not hold stays "". foi check reads the result at once.

    Example: foi claims article.txt --db data/foi.db --out claims.toml
    """
    from .claims import draft_claims, drafts_to_toml, read_article, write_text_atomically
    from .files import is_stdout

    if as_json and is_stdout(out):
        raise UsageError("--json and --out - both write to stdout: choose one")
    text = read_article(article)
    drafts = draft_claims(text)
    summary = None
    if db is not None or records is not None:
        from .claims.link import link_claims, linked_file, summarise

        cells = list(_cell_source_cells(db or Path("data/foi.db"), records))
        linked, linker = link_claims(drafts, text, cells, min_score)
        toml = linked_file(linked, linker, article.name)
        summary = summarise(linked)
        data = [{**c.draft.to_dict(), "links": linker.links_of(c)} for c in linked]
    else:
        toml = drafts_to_toml(drafts, article.name)
        data = [d.to_dict() for d in drafts]
    if as_json:
        print_json(data)
    if out is not None:
        write_text_atomically(out, toml)
        where = "stdout" if is_stdout(out) else out
        stderr.print(f"{len(drafts)} claims drafted to {where}", highlight=False, markup=False)
    elif not as_json:
        sys.stdout.write(toml)
    if summary is not None:
        stderr.print(summary.describe(), highlight=False, markup=False)


def _cell_source_cells(db: Path, records: Path | None) -> list[Any]:
    """Every cell of the store (or records) for linking."""
    source = _cell_source(db, records)
    if isinstance(source, list):
        return source
    with source:
        return list(source.cells())


# ---------------------------------------------------------------------------
# WhatDoTheyKnow: foi search, foi fetch, foi harvest  (extractor.wdtk)
# ---------------------------------------------------------------------------

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
BodyOption = Annotated[
    str | None,
    typer.Option("--body", metavar="NAME", help="Only requests to this authority (its url_name)."),
]
BodyTagOption = Annotated[
    str | None,
    typer.Option("--body-tag", metavar="TAG", help="Only authorities with this tag, e.g. police."),
]
StatusOption = Annotated[
    str | None,
    typer.Option("--status", metavar="STATUS", help="Latest status, e.g. successful, not_held."),
]
SinceOption = Annotated[
    datetime | None,
    typer.Option(
        "--since",
        formats=DATE_FORMATS,
        metavar="DATE",
        help="Only requests made on or after this date.",
    ),
]
UntilOption = Annotated[
    datetime | None,
    typer.Option(
        "--until",
        formats=DATE_FORMATS,
        metavar="DATE",
        help="Only requests made on or before this date.",
    ),
]
FiletypeOption = Annotated[
    str | None,
    typer.Option("--filetype", metavar="EXT", help="Responses with an attachment of this type."),
]
LimitOption = Annotated[
    int | None,
    typer.Option(
        "--limit",
        min=1,
        metavar="N",
        help="At most this many requests: with --via list the first found, date window by "
        "window from the earliest; with --via feed the first in the feed's order (latest "
        "status change first), not the newest.",
    ),
]


class Via(StrEnum):
    feed = "feed"
    list = "list"


ViaOption = Annotated[
    Via,
    typer.Option(
        "--via",
        metavar="feed|list",
        help="list (the default): every request made in --since..--until, from the site's "
        "request list in date windows (under its 500-result cap). feed: the search feed, "
        "read to its end (needed for --filetype); refused where the site's robots.txt "
        "disallows it, as WhatDoTheyKnow's does.",
    ),
]
DeadlineOption = Annotated[
    float,
    typer.Option(
        "--deadline",
        min=1,
        metavar="SECONDS",
        help="Seconds each request may take in all (connection, headers, a page's body, "
        "retries' waits), however slowly it trickles in.",
    ),
]
QueryArgument = Annotated[
    str | None, typer.Argument(metavar="QUERY", help="Search words, in Alaveteli's query language.")
]
OutOption = Annotated[
    Path,
    typer.Option("--out", metavar="DIR", help="Folder for attachments, as AUTHORITY/REQUEST/FILE."),
]
RateOption = Annotated[
    float,
    typer.Option("--rate", min=0.01, metavar="N", help="Most requests per second to the site."),
]
ConcurrencyOption = Annotated[
    int,
    typer.Option("--concurrency", min=1, max=16, metavar="N", help="Requests in flight at once."),
]
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="List what would be fetched; download nothing.")
]
CacheOption = Annotated[
    Path,
    typer.Option(
        "--cache", envvar="FOI_CACHE", metavar="FILE", help="HTTP cache file for pages and JSON."
    ),
]


def _wdtk_config(
    rate: float = 1.0,
    concurrency: int = 2,
    cache: Path | None = None,
    deadline: float | None = None,
) -> Any:
    from .wdtk import ClientConfig
    from .wdtk.config import DEFAULT_CACHE, DEFAULT_DEADLINE, check_cache

    cache_path, warning = check_cache(cache or DEFAULT_CACHE)
    if warning:
        stderr.print(f"warning: {with_flags(warning)}", highlight=False, markup=False)
    return ClientConfig(
        base_url=state.base_url,
        contact=state.contact,
        offline=state.offline,
        rate=rate,
        concurrency=concurrency,
        cache_path=cache_path,
        deadline=deadline or DEFAULT_DEADLINE,
    )


def _search_filters(
    query: str | None,
    body: str | None,
    body_tag: str | None,
    status: str | None,
    since: datetime | None,
    until: datetime | None,
    filetype: str | None,
) -> Any:
    from .wdtk import SearchFilters

    return SearchFilters(
        text=query,
        body=body,
        body_tag=body_tag,
        status=status,
        since=since.date() if since else None,
        until=until.date() if until else None,
        filetype=filetype,
    )


def _harvest_progress() -> Any:
    """A rich progress bar (requests and bytes) on stderr, or None when not wanted."""
    if not show_progress():
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from .wdtk import HarvestProgress

    class RichHarvestProgress(HarvestProgress):
        def __init__(self) -> None:
            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                console=stderr,
                transient=True,
            )
            self.requests = self.bar.add_task("requests", total=None)
            self.received = 0

        def requests_found(self, count: int) -> None:
            self.bar.update(self.requests, total=count)

        def request_done(self) -> None:
            self.bar.advance(self.requests)

        def bytes_received(self, count: int) -> None:
            self.received += count
            self.bar.update(self.requests, description=f"requests ({self.received:,} bytes)")

    return RichHarvestProgress()


def _report_harvest(summary: Any, as_json: bool, dry_run: bool) -> None:
    stopped_at_once = summary.blocked and not summary.requests_seen
    if summary.enumeration is not None and not as_json and not stopped_at_once:
        line = f"{summary.enumeration.requests} requests {summary.enumeration.line()}"
        stderr.print(line, highlight=False, markup=False)
    if as_json:
        print_json(summary.to_dict())
    elif not stopped_at_once:
        for item in summary.planned:
            size = f"  ({item.display_size})" if item.display_size else ""
            stdout.print(f"{item.path}{size}  {item.url}", highlight=False, markup=False)
        prefix = f"dry run: {len(summary.planned)} attachments to fetch; " if dry_run else ""
        stdout.print(prefix + summary.line(), highlight=False)
    for failure in summary.failures:
        reason = failure.reason
        if not reason.startswith(failure.item):
            reason = f"{failure.item}: {reason}"
        stderr.print(f"failed: {with_flags(reason)}", highlight=False, markup=False)
    for warning in summary.warnings:
        stderr.print(f"warning: {with_flags(warning)}", highlight=False, markup=False)
    if summary.blocked:
        blocked = escape(with_flags(summary.blocked))
        stderr.print(f"[red]Error:[/red] {blocked}", markup=True, highlight=False)
    raise typer.Exit(0 if summary.ok else 1)


def _run_with_progress(progress: Any, job: Callable[[], Any]) -> Any:
    if progress is None:
        return job()
    with progress.bar:
        return job()


@app.command("search")
@handle_errors
def search_command(
    query: QueryArgument = None,
    body: BodyOption = None,
    body_tag: BodyTagOption = None,
    status: StatusOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    filetype: FiletypeOption = None,
    limit: LimitOption = None,
    via: ViaOption = Via.list,
    rate: RateOption = 1.0,
    cache: CacheOption = Path("data/cache/wdtk-http.sqlite"),
    deadline: DeadlineOption = 120.0,
    as_json: JsonOption = False,
) -> None:
    """List every request matching a search, one line per request, and say how it was read.

    Requests come from the site's request list in date windows (robots.txt allows it;
    WhatDoTheyKnow's disallows the search feed of --via feed). If the search cannot be
    read to its end, what was read is listed and the exit code is 1. --since/--until
    select requests made in that window.

    Example: foi search "rape conviction" --body-tag police --since 2023-01-01
    """
    from .wdtk import search

    filters = _search_filters(query, body, body_tag, status, since, until, filetype)
    config = _wdtk_config(rate, cache=cache, deadline=deadline)
    found = search(filters, config=config, limit=limit, via=via.value)
    if as_json:
        print_json(
            {
                "requests": [asdict(hit) for hit in found.hits],
                "complete": found.complete,
                "how": found.enumeration.line(),
                "error": found.error,
            }
        )
    else:
        for hit in found.hits:
            stdout.print(
                f"{(hit.date or '')[:10]}  {hit.status or '-':<20}  {hit.authority}  {hit.url}\n"
                f"            {hit.title}",
                highlight=False,
                markup=False,
            )
        stderr.print(f"{len(found.hits)} requests", highlight=False)
        stderr.print(with_flags(found.enumeration.line()), highlight=False, markup=False)
    if found.error:
        error = escape(with_flags(found.error))
        stderr.print(f"[red]Error:[/red] {error}", markup=True, highlight=False)
        raise typer.Exit(1)


@app.command("fetch")
@handle_errors
def fetch_command(
    refs: Annotated[
        list[str],
        typer.Argument(metavar="REQUEST", help="Request url_titles, request URLs or numeric ids."),
    ],
    out: OutOption = Path("data/raw"),
    db: DbOption = Path("data/foi.db"),
    rate: RateOption = 1.0,
    concurrency: ConcurrencyOption = 2,
    dry_run: DryRunOption = False,
    cache: CacheOption = Path("data/cache/wdtk-http.sqlite"),
    deadline: DeadlineOption = 120.0,
    as_json: JsonOption = False,
) -> None:
    """Download requests' metadata and attachments into --out and record them in --db.

    Exit 0 when everything arrived, 1 when some items failed (each listed on stderr).

    Example: foi fetch rape_reports_2022 123456 --out data/raw
    """
    from .store import Store
    from .wdtk import fetch_requests

    config = _wdtk_config(rate, concurrency, cache, deadline)
    progress = _harvest_progress()
    with Store(db) as store:
        summary = _run_with_progress(
            progress,
            lambda: fetch_requests(
                refs,
                out=out,
                store=store,
                config=config,
                dry_run=dry_run,
                progress=progress,
            ),
        )
    _report_harvest(summary, as_json, dry_run)


@app.command("harvest")
@handle_errors
def harvest_command(
    query: QueryArgument = None,
    body: BodyOption = None,
    body_tag: BodyTagOption = None,
    status: StatusOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    filetype: FiletypeOption = None,
    limit: LimitOption = None,
    via: ViaOption = Via.list,
    out: OutOption = Path("data/raw"),
    db: DbOption = Path("data/foi.db"),
    rate: RateOption = 1.0,
    concurrency: ConcurrencyOption = 2,
    dry_run: DryRunOption = False,
    cache: CacheOption = Path("data/cache/wdtk-http.sqlite"),
    deadline: DeadlineOption = 120.0,
    as_json: JsonOption = False,
) -> None:
    """Search, then fetch every matching request: politely, resumably, safely.

    A re-run downloads only what is missing. Exit 0 when everything arrived, 1 when
    some items failed after retries (each listed on stderr), 2 for usage errors.

    Example: foi harvest rape --body-tag police --since 2023-01-01 --limit 50
    """
    from .store import Store
    from .wdtk import harvest

    filters = _search_filters(query, body, body_tag, status, since, until, filetype)
    config = _wdtk_config(rate, concurrency, cache, deadline)
    progress = _harvest_progress()
    with Store(db) as store:
        summary = _run_with_progress(
            progress,
            lambda: harvest(
                None,
                filters=filters,
                out=out,
                store=store,
                config=config,
                limit=limit,
                dry_run=dry_run,
                progress=progress,
                via=via.value,
            ),
        )
    _report_harvest(summary, as_json, dry_run)


@app.command("import")
@handle_errors
def import_command(
    path: Annotated[
        Path,
        typer.Argument(
            metavar="PATH",
            help="A saved request page (.html) with its attachment files beside it, or a "
            "folder of downloaded attachments (plus --url).",
        ),
    ],
    url: Annotated[
        str | None,
        typer.Option(
            "--url", metavar="URL", help="The request's URL, when the folder holds no saved page."
        ),
    ] = None,
    out: OutOption = Path("data/raw"),
    db: DbOption = Path("data/foi.db"),
    as_json: JsonOption = False,
) -> None:
    """Record a request saved in a browser, with its attachments, as a harvest would.

    For when the site cannot be reached by a program. Nothing is fetched. Save the page
    (and, if you can, its JSON: the page URL plus .json) and the attachments into one folder.
    Exit 1 when an attachment the page lists is not among the saved files.

    Example: foi import ~/Downloads/rape_reports_2022/ --out data/raw
    """
    from .store import Store
    from .wdtk.importer import import_saved

    with Store(db) as store:
        summary = import_saved(path, url=url, out=out, store=store)
    if as_json:
        print_json(summary.to_dict())
    else:
        withheld = f", {summary.withheld} hidden or erased by the site" if summary.withheld else ""
        stdout.print(
            f"1 request imported: {summary.downloaded} attachments recorded, "
            f"{summary.failed} missing{withheld}",
            highlight=False,
        )
    for failure in summary.failures:
        stderr.print(f"missing: {with_flags(failure.reason)}", highlight=False, markup=False)
    for warning in summary.warnings:
        stderr.print(f"warning: {with_flags(warning)}", highlight=False, markup=False)
    raise typer.Exit(0 if summary.ok else 1)


# ---------------------------------------------------------------------------
# Tables: foi extract  (extractor.tables)
# ---------------------------------------------------------------------------


def _write_records(run: Any, fmt: str | None, out: Path | None) -> None:
    """Stream records to stdout or --out (via a temporary file), a document at a time.

    ``run(sink)`` gives the outcomes of an extraction that sends its records to ``sink``."""
    from .streaming import CollectingSink, CountingSink, RecordWriter

    def consume(handle: Any) -> None:
        if fmt is None:
            sink: Any = CountingSink()
        elif fmt == "table":
            sink = CollectingSink()
        else:
            sink = RecordWriter(fmt, handle)
        for _ in run(sink):
            pass
        if fmt == "table":
            _write_cell_table(sink.cells, handle)

    if fmt is None or out is None:
        consume(sys.stdout)
        return
    from .files import open_output

    with open_output(out, newline="") as handle:
        consume(handle)


def _write_cell_table(cells: Any, handle: Any) -> int:
    from rich.table import Table

    table = Table("file", "page", "row", "column", "value", "flag", box=None)
    count = 0
    for cell in cells:
        where = str(cell.page) if cell.page is not None else (cell.cell or cell.sheet or "")
        table.add_row(
            cell.file,
            where,
            " > ".join(cell.row),
            " > ".join(cell.column),
            cell.raw,
            cell.flag or "",
        )
        count += 1
    console = stdout if handle is sys.stdout else Console(file=handle, width=200)
    console.print(table, highlight=False, markup=False)
    return count


def _with_progress(outcomes: Any, total: int) -> Any:
    """Advance a progress bar per file (more than a few files, on a terminal); in a log,
    a line every few files or seconds (:func:`extractor.extract.progress_lines`)."""
    if not state.quiet and not stderr.is_terminal and total > 1:
        from .extract import progress_lines

        yield from progress_lines(outcomes, total, _note)
        return
    if not show_progress() or total <= 3:
        yield from outcomes
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("extract"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        TextColumn("{task.description}"),
        console=stderr,
        transient=True,
    ) as bar:
        task = bar.add_task("", total=total)
        for outcome in outcomes:
            bar.update(task, advance=1, description=outcome.path.name)
            yield outcome


@app.command("extract")
@handle_errors
def extract_command(
    paths: Annotated[
        list[str], typer.Argument(metavar="PATH", help="Files, folders (recursive) or globs.")
    ],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="jsonl|csv|table",
            help="Records to stdout/--out as jsonl, csv or table "
            "(default: jsonl when stdout is not a terminal or --out is given).",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar="FILE",
            help="Write records here (format from the extension: .csv, .jsonl, .txt).",
        ),
    ] = None,
    db: DbOption = Path("data/foi.db"),
    no_db: Annotated[bool, typer.Option("--no-db", help="Do not write to the store.")] = False,
    pages: Annotated[
        str | None,
        typer.Option("--pages", metavar="PAGES", help="PDF pages to read, e.g. 1-3,7,end."),
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", metavar="N", help="Worker processes.")] = 1,
    debug_images: Annotated[
        Path | None,
        typer.Option(
            "--debug-images",
            metavar="DIR",
            help="Write a PNG per PDF page with the tables, header "
            "rows and cells that were read drawn on it.",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Re-extract documents already in the store.")
    ] = False,
    max_seconds: Annotated[
        float,
        typer.Option("--max-seconds", metavar="SECONDS", help="Give up on a file after this long."),
    ] = 600.0,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print the final counts as JSON on stdout "
            "(records then go only to --out and the store).",
        ),
    ] = False,
    report_hidden: Annotated[
        bool,
        typer.Option(
            "--report-hidden",
            help="Instead of extracting, list what each "
            "workbook hides: hidden sheets, rows and columns, comments, external "
            "links, pivot caches, defined names (--json for data).",
        ),
    ] = False,
    no_hidden: Annotated[
        bool,
        typer.Option(
            "--no-hidden",
            help="Leave out cells in hidden sheets, rows and "
            "columns (by default they are extracted, marked hidden).",
        ),
    ] = False,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            metavar="NAME",
            help="Encoding of CSV and text files "
            "(default: detected; UTF-8 with or without BOM, else cp1252).",
        ),
    ] = None,
    delimiter: Annotated[
        str | None,
        typer.Option(
            "--delimiter",
            metavar="CHAR",
            help="CSV delimiter: one character or 'tab' (default: detected among , ; tab |).",
        ),
    ] = None,
    sheet: Annotated[
        list[str] | None,
        typer.Option(
            "--sheet",
            metavar="NAME",
            help="Read only this worksheet of each workbook (repeat for more; default: all).",
        ),
    ] = None,
    text_layer: Annotated[
        str | None,
        typer.Option(
            "--pdf-text-layer",
            metavar="NAME",
            help="What reads a PDF's characters and lines: pdfium (default, about twice "
            "as fast) or pdfminer (pure Python; the same tables on our test corpus). "
            "See docs/performance.md.",
        ),
    ] = None,
) -> None:
    """Extract the tables in PDF, Excel, CSV, Word and zip files into cell records.

    Records always go into the store (--db, default data/foi.db; --no-db to skip) and,
    with --format/--out or when stdout is not a terminal, to stdout or --out. Documents
    already stored (same sha256) are skipped unless --force. Unreadable files get one
    line on stderr and the run carries on; the exit code is then 1. Tables whose
    structure confidence is low are listed at the end, to check by eye.

    Example: foi extract data/raw --format csv --out cells.csv --jobs 2
    """
    from .confidence import ConfidenceWatch
    from .extract import (
        ExtractSummary,
        check_options,
        check_output,
        expand_paths,
        extract_files,
        output_format,
        refuse_conflicts,
    )
    from .store import Store
    from .tables import ExtractOptions

    refuse_conflicts(as_json=as_json, fmt=fmt, out=out, report_hidden=report_hidden, pages=pages)
    files = expand_paths(paths)
    check_output(out, files)
    if report_hidden:
        raise typer.Exit(_print_hidden_reports(files, as_json))
    fmt = output_format(fmt, out)
    if fmt is None and out is None and not as_json and not sys.stdout.isatty():
        fmt = "jsonl"
    options = ExtractOptions(
        pages=_pages_option(pages),
        debug_images=debug_images,
        max_seconds=max_seconds,
        include_hidden=not no_hidden,
        encoding=encoding,
        delimiter=delimiter,
        sheets=frozenset(sheet) if sheet else None,
        pdf=_pdf_settings(text_layer),
    )
    summary = ExtractSummary()
    store = None if no_db else Store(db)
    watches: list[Any] = []
    try:
        check_options(options, jobs)  # bad options fail before any output is written

        def run(sink: Any) -> Any:
            watches.append(watch := ConfidenceWatch(sink))
            outcomes = extract_files(
                files, options, store=store, force=force, jobs=jobs, sink=watch
            )
            return _counted(_with_progress(outcomes, len(files)), summary)

        _write_records(run, fmt, out)
    finally:
        if store is not None:
            store.close()
    low = [table for watch in watches for table in watch.low]
    if as_json:
        print_json({**asdict(summary), "low_confidence": [t.to_dict() for t in low]})
    elif not state.quiet:
        _print_low_confidence(low)
        stderr.print(str(summary), highlight=False, markup=False)
    raise typer.Exit(1 if summary.failed else 0)


def _print_low_confidence(tables: Any) -> None:
    """The tables whose labels the readers are unsure of, after the records (stderr)."""
    from .confidence import LOW_CONFIDENCE

    if not tables:
        return
    count = len(tables)
    stderr.print(
        f"{count} table{'s' if count != 1 else ''} with low structure confidence "
        f"(under {LOW_CONFIDENCE:g}): check their labels by eye",
        highlight=False,
        markup=False,
    )
    for table in tables:
        hint = with_flags(table.hint)
        if table.page is not None:
            hint = f"check with: foi extract {table.file} --pages {table.page} --debug-images DIR"
        line = f"  {table.where}: confidence {table.confidence:.2f}; {hint}"
        stderr.print(line, highlight=False, markup=False)


def _print_hidden_reports(files: list[Path], as_json: bool) -> int:
    """Render --report-hidden; the exit code is 1 when a workbook could not be read."""
    from .extract import not_saved_files, shown
    from .tables.hidden import hidden_reports

    unusual = not_saved_files(files)
    outcomes = hidden_reports([f for f in files if f not in unusual])
    reported = {o.path for o in outcomes}
    for path in files:
        if path in unusual:
            _note(f"failed: {shown(path)}: is {unusual[path]}; --report-hidden reads saved files")
        elif path not in reported:
            _note(f"skipped: {path}: not a workbook (--report-hidden reads xlsx, xls, ods and zip)")
    if as_json:
        print_json([r.to_dict() for o in outcomes for r in o.reports])
    for outcome in outcomes:
        if outcome.error:
            stderr.print(f"failed: {outcome.error}", highlight=False, markup=False)
        for report in [] if as_json else outcome.reports:
            lines = report.summary() or ["nothing hidden"]
            stdout.print(f"{report.file}:", highlight=False, markup=False)
            for line in lines:
                stdout.print(f"  {line}", highlight=False, markup=False)
    return 1 if unusual or any(o.error for o in outcomes) else 0


def _pdf_settings(text_layer: str | None) -> Any:
    """``--pdf-text-layer`` as PdfSettings, or None for the defaults."""
    from .tables.pdf import PdfSettings
    from .tables.pdf_objects import TEXT_LAYERS

    if text_layer is None:
        return None
    if text_layer not in TEXT_LAYERS:
        raise UsageError(f"--pdf-text-layer must be {' or '.join(TEXT_LAYERS)}, not '{text_layer}'")
    return PdfSettings(text_layer=text_layer)


def _pages_option(spec: str | None) -> set[int] | None:
    from .extract import parse_pages

    return parse_pages(spec)


def _counted(outcomes: Any, summary: Any) -> Any:
    from .extract import shown

    for outcome in outcomes:
        summary.add(outcome)
        name = shown(outcome.path)
        if outcome.error:
            _note(f"failed: {outcome.error}")
        elif outcome.not_table and state.verbose:
            _note(f"skipped (not a table format): {name}: {outcome.not_table}")
        elif outcome.same_as is not None:
            _note(f"{name}: same as {shown(outcome.same_as)} (byte-identical; read once)")
        for note in outcome.notes:
            _note(f"{name}: {with_flags(note)}")
        yield outcome


def _note(line: str) -> None:
    stderr.print(line, highlight=False, markup=False)


# ---------------------------------------------------------------------------
# Past one machine: foi load  (extractor.shards)
# ---------------------------------------------------------------------------


@app.command("load")
@handle_errors
def load_command(
    shards: Annotated[
        list[Path],
        typer.Argument(
            metavar="SHARDS...",
            help="Shard folders, or cells-/documents-*.parquet files written by "
            "extractor.shards (see docs/performance.md).",
        ),
    ],
    db: DbOption = Path("data/foi.db"),
    as_json: JsonOption = False,
) -> None:
    """Import Parquet shards of cell records (extraction run on Dask workers) into the store.

    Each document and its cells go in one transaction, replacing an earlier import of
    the same document (same sha256); a document a worker could not read is noted as
    failed, keeping any earlier good import. Needs: pip install 'foi-extractor[dask]'.

    Example: foi load shards/ --db data/foi.db
    """
    from .shards import load_shards
    from .store import Store

    with Store(db) as store:
        summary = load_shards(shards, store)
    if as_json:
        print_json(asdict(summary))
    elif not state.quiet:
        stderr.print(
            f"{summary.shards} shard(s): {summary.documents} documents "
            f"({summary.cells:,} cells) loaded, {summary.failed} failed",
            highlight=False,
            markup=False,
        )


# ---------------------------------------------------------------------------
# End to end: foi demo  (extractor.demo)
# ---------------------------------------------------------------------------


@app.command("demo")
@handle_errors
def demo_command(
    out: Annotated[
        Path,
        typer.Option(
            "--out", metavar="DIR", help="Folder for the store (foi.db), raw files and report."
        ),
    ] = Path("data"),
    fixtures: Annotated[
        Path | None,
        typer.Option(
            "--fixtures",
            metavar="DIR",
            help="Case folder with wdtk/ and claims.toml "
            "(default: the bundled fixtures/lancashire).",
        ),
    ] = None,
    as_json: JsonOption = False,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            metavar="FILE",
            envvar="FOI_DB",
            help="SQLite store to use (default: OUT/foi.db).",
        ),
    ] = None,
) -> None:
    """Run the whole chain offline on the bundled, synthetic Lancashire case.

    Serves the case's WhatDoTheyKnow fixtures on 127.0.0.1, harvests the two requests
    (as foi harvest), extracts their tables (as foi extract), checks the article's claims
    (as foi check), prints the verdicts and writes OUT/report.html. Running it again
    re-uses what is there. Exit 0 when the chain ran, whatever the verdicts.

    Example: foi demo --out data
    """
    from .demo import run_demo

    def log(message: str) -> None:
        if not state.quiet:
            stderr.print(message, highlight=False, markup=False)

    progress = _harvest_progress()
    run = _run_with_progress(
        progress, lambda: run_demo(out, fixtures, log=log, progress=progress, db=db)
    )
    if as_json:
        print_json(run.to_dict())
    else:
        _print_check_report(run.check)
        stdout.print(f"Report: {run.paths.report}", highlight=False, markup=False)


def _write_html_report(
    path: Path, report: CheckReport, db: Path | None, records: Path | None
) -> None:
    """``foi check --html``: the report, with images from the store's documents if any."""
    from .claims.report import report_for_store
    from .store import Store

    title = f"Fact check: {Path(report.path).name}"
    if db is None:
        report_for_store(path, report.results, None, title, records=records)
    else:
        with Store(db) as store:
            report_for_store(path, report.results, store, title)
    if str(path) != "-":
        stderr.print(f"Report: {path}", highlight=False, markup=False)


# ---------------------------------------------------------------------------
# Browsing the store: foi tables, foi cells  (extractor.browse)
# ---------------------------------------------------------------------------

RecordsOption = Annotated[
    Path | None, typer.Option("--records", help="Read cells from this JSONL file, not the store.")
]
DocumentOption = Annotated[
    str | None,
    typer.Option(
        "--document",
        "-d",
        help="Only this document: stored name, harvested path or name on the site.",
    ),
]
RequestOption = Annotated[
    str | None, typer.Option("--request", help="Only documents harvested from this url_title.")
]


def _cell_source(db: Path, records: Path | None) -> Any:
    from .claims.selectors import RecordCells
    from .store import Store

    if records is not None:
        return RecordCells(records).cells
    if not db.exists():
        raise UsageError(f"{db}: no store here (run foi extract or foi demo first, or pass --db)")
    return Store(db)


@app.command("tables")
@handle_errors
def tables_command(
    db: DbOption = Path("data/foi.db"),
    records: RecordsOption = None,
    document: DocumentOption = None,
    request: RequestOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the stored documents' tables: number, page or sheet, caption, size, confidence.

    Example: foi tables --db data/foi.db --document "FOI 2023-00412 response.pdf"
    """
    from rich.text import Text

    from .browse import list_tables, tables_of_cells

    source = _cell_source(db, records)
    if isinstance(source, list):
        wanted = document.casefold() if document else None
        summaries = tables_of_cells(c for c in source if wanted in (None, c.file.casefold()))
    else:
        with source:
            summaries = list_tables(source, document, request)
    if as_json:
        print_json([{**asdict(s), "where": s.where} for s in summaries])
        return
    document_name = None
    for s in summaries:
        if s.file != document_name:
            document_name = s.file
            stdout.print(Text(s.file, style="bold"))
        confidence = f"  confidence {s.confidence:.2f}" if s.confidence is not None else ""
        size = f"{s.rows}x{s.columns} ({s.cells} cells)"
        line = f"  table {s.table}  {s.where}  {size}{confidence}  {s.title or ''}"
        stdout.print(Text(line.rstrip()), highlight=False)
    if not summaries:
        stderr.print("no tables (check --document / --request)", highlight=False, markup=False)


@app.command("cells")
@handle_errors
def cells_command(
    db: DbOption = Path("data/foi.db"),
    records: RecordsOption = None,
    document: DocumentOption = None,
    request: RequestOption = None,
    table_no: Annotated[
        int | None, typer.Option("--table", "-t", help="Only this table (see foi tables).")
    ] = None,
    label: Annotated[
        str | None, typer.Option("--label", "-l", help="Only cells whose labels or title say this.")
    ] = None,
    value: Annotated[
        str | None, typer.Option("--value", help="Only cells holding this number, e.g. 1527.")
    ] = None,
    grid: Annotated[
        bool, typer.Option("--grid", help="Show each table as a grid (rows x columns).")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """List cells with the exact selector that picks each one, ready to paste into a claims file.

    Example: foi cells --label rape --value 1527
    """
    from .browse import CellFilter, list_cells

    wanted = CellFilter(document, request, table_no, label, value)
    source = _cell_source(db, records)
    try:
        listed = list_cells(source, wanted)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    finally:
        if not isinstance(source, list):
            source.close()
    if as_json:
        print_json([item.to_dict() for item in listed])
    elif grid:
        _print_cell_grids(listed)
    else:
        _print_cell_rows(listed)
    if not listed and not as_json:
        stderr.print("no cells match", highlight=False, markup=False)


def _print_cell_rows(listed: list[Any]) -> None:
    from rich.text import Text

    for item in listed:
        cell = item.cell
        place = f"{cell.where} table {cell.table}"
        labels = f"{' > '.join(cell.row)} / {' > '.join(cell.column)}"
        stdout.print(Text(f"{place}: {labels} = {cell.raw}"), highlight=False)
        stdout.print(Text(f"  {item.selector.to_toml()}"), highlight=False)


def _print_cell_grids(listed: list[Any]) -> None:
    from rich.table import Table
    from rich.text import Text

    tables: dict[tuple[str, int], list[Any]] = {}
    for item in listed:
        tables.setdefault((item.cell.file, item.cell.table), []).append(item)
    for (file, number), items in tables.items():
        rows = list(dict.fromkeys(tuple(i.cell.row) for i in items))
        columns = list(dict.fromkeys(tuple(i.cell.column) for i in items))
        grid = Table(title=Text(f"{file} table {number}"), show_lines=False)
        grid.add_column("")
        for column in columns:
            grid.add_column(Text(" > ".join(column)), overflow="fold")
        raw = {(tuple(i.cell.row), tuple(i.cell.column)): i.cell.raw for i in items}
        for row in rows:
            grid.add_row(Text(" > ".join(row)), *(Text(raw.get((row, c), "")) for c in columns))
        stdout.print(grid)
