"""Claims: parse published figures, recompute them, and give a verdict with reasons.

The library API the ``foi rate``, ``foi check`` and ``foi claims`` commands wrap:

- :func:`check_rate` (numerator, denominator, claim text) -> :class:`RateResult`
- :func:`parse_claim` (text) -> :class:`Figure`; :func:`find_figures` finds them all
- :func:`load_claims` (path) -> list of :class:`Claim`
- :func:`check_claims` (path or claims, store or records) -> :class:`CheckReport`
- :func:`draft_claims` (article text) -> list of :class:`DraftClaim`

Semantics (rules, verdicts, warnings): docs/claims.md; constants: :mod:`.policy`.
"""

from ..files import write_text_atomically
from .check import check_claim, check_claims
from .claimsfile import Claim, load_claims, parse_claims_text
from .draft import DraftClaim, draft_claims, drafts_to_toml, read_article
from .intervals import Interval
from .methodology import MethodWarning
from .phrases import Figure, find_figures, parse_claim
from .rates import VERDICTS, RateResult, check_rate
from .results import CheckReport, CheckResult, FigureResult

__all__ = [
    "VERDICTS",
    "CheckReport",
    "CheckResult",
    "Claim",
    "DraftClaim",
    "Figure",
    "FigureResult",
    "Interval",
    "MethodWarning",
    "RateResult",
    "check_claim",
    "check_claims",
    "check_rate",
    "draft_claims",
    "drafts_to_toml",
    "find_figures",
    "load_claims",
    "parse_claim",
    "parse_claims_text",
    "read_article",
    "write_text_atomically",
]
