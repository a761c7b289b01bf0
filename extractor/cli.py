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
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from . import __version__
from .errors import FoiError, UsageError

app = typer.Typer(
    name="foi",
    help="Harvest FOI responses, extract their tables into cell records, and check "
    "published figures against them.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)
stdout = Console(soft_wrap=True)
stderr = Console(stderr=True, soft_wrap=True)

DEFAULT_BASE_URL = "https://www.whatdotheyknow.com"
DbOption = Annotated[
    Path, typer.Option("--db", help="SQLite store to use.", envvar="FOI_DB")
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
            stderr.print(f"[red]Error:[/red] {exc}", markup=True, highlight=False)
            raise typer.Exit(code=2 if isinstance(exc, UsageError) else 1) from None
        except KeyboardInterrupt:
            stderr.print("Interrupted.")
            raise typer.Exit(code=130) from None

    return wrapper  # type: ignore[return-value]


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
            help="Alaveteli site to talk to (WhatDoTheyKnow by default).",
        ),
    ] = DEFAULT_BASE_URL,
    contact: Annotated[
        str | None,
        typer.Option(
            "--contact",
            envvar="FOI_CONTACT",
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
    """FOI Extractor: from WhatDoTheyKnow requests to checked claims.

    Example: foi rate 50 1527 --claim "3.3 per cent"
    """
    state.verbose = verbose or bool(os.environ.get("FOI_VERBOSE"))
    state.quiet = quiet
    state.base_url = base_url.rstrip("/")
    state.contact = contact
    state.offline = offline


# ---------------------------------------------------------------------------
# Claims: foi rate, foi check, foi claims  (extractor.claims)
# ---------------------------------------------------------------------------

VERDICT_STYLE = {"accurate": "green", "loose": "yellow", "inaccurate": "red", "unclear": "magenta"}
VERDICT_EXIT = {"inaccurate": 1, "unclear": 3}


def _verdict_text(verdict: str | None) -> str:
    if verdict is None:
        return "-"
    return f"[{VERDICT_STYLE.get(verdict, 'white')}]{verdict}[/]"


@app.command("rate")
@handle_errors
def rate_command(
    numerator: Annotated[str, typer.Argument(help="The count (numerator), e.g. 50.")],
    denominator: Annotated[str, typer.Argument(help="The base (denominator), e.g. 1,527.")],
    claim: Annotated[
        str | None, typer.Option("--claim", "-c", help="The published phrase to check.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Compute a rate exactly and check a published claim about it.

    Exit 0 accurate, loose or no claim; 1 inaccurate; 3 unclear; 2 bad input.

    Example: foi rate 50 1527 --claim "just 3.3 per cent"
    """
    from .claims import check_rate
    from .claims.rates import rate_exact_text

    result = check_rate(numerator, denominator, claim)
    if as_json:
        print_json(result.to_dict())
    else:
        data = result.to_dict()
        stdout.print(f"rate      {data['rate_2dp']}%  (exact: {rate_exact_text(result)})")
        if claim is not None:
            claimed = result.interval.describe() if result.interval else "nothing checkable"
            stdout.print(f"claim     {claim}  ->  {claimed}", highlight=False)
            stdout.print(f"verdict   {_verdict_text(result.verdict)}")
            if result.feasible:
                low, high = result.feasible
                stdout.print(f"feasible  {low:,} to {high:,} out of {data['denominator']:,}")
        stdout.print(f"reason    {result.reason}", highlight=False)
        for warning in result.warnings:
            stderr.print(f"[yellow]warning[/] {warning}", highlight=False)
    raise typer.Exit(VERDICT_EXIT.get(result.verdict or "", 0))


# ---------------------------------------------------------------------------
# WhatDoTheyKnow: foi search, foi fetch, foi harvest  (extractor.wdtk)
# ---------------------------------------------------------------------------


# ---------------------------------------------------------------------------
# Tables: foi extract  (extractor.tables)
# ---------------------------------------------------------------------------


# ---------------------------------------------------------------------------
# End to end: foi demo  (extractor.demo)
# ---------------------------------------------------------------------------
