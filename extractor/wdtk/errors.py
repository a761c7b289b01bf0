"""Errors from talking to an Alaveteli site. All are :class:`extractor.errors.WdtkError`.

WdtkError
├── BadReference       a request reference that is not a url_title, request URL or id
├── BadQuery           search filters that cannot be turned into a query (also a
│                      UsageError: exit 2)
├── OfflineMiss        offline, and the page is not in the HTTP cache
├── Blocked            a bot wall (a Cloudflare challenge): the whole run stops
├── SearchCutOff       a search could not be read to its end
├── OffSite            a redirect to another host (never followed)
├── Disallowed         the site's robots.txt disallows the path (not fetched)
├── HttpError          the site answered with an error status (after retries)
│   └── NotFound           404: no such request, body or page
├── TransferError      the connection failed (after retries)
│   └── TooSlow            an answer did not arrive within its total deadline
└── ContentError       what arrived is not what was asked for
    ├── UnexpectedHtml     an HTML page (bot challenge, error, masking) instead of a file
    ├── StillPreparing     the site was still masking the attachment when we gave up
    ├── WrongLength        a truncated or over-long body
    └── TooLarge           a file over the size limit
"""

from __future__ import annotations

from typing import Any

from ..errors import UsageError, WdtkError


class BadReference(WdtkError):
    """Not a url_title, a request URL on the configured site, or a numeric request id."""


class BadQuery(WdtkError, UsageError):
    """Search filters that cannot be turned into an Alaveteli query."""


class OfflineMiss(WdtkError):
    """Working offline, and the page is not in the HTTP cache."""


class Blocked(WdtkError):
    """A bot wall answered instead of the site: nothing more can be fetched in this run."""


class SearchCutOff(WdtkError):
    """A search or enumeration stopped before its end; ``hits`` holds what was read."""

    def __init__(self, message: str, hits: list[Any] | None = None) -> None:
        super().__init__(message)
        self.hits = hits or []


class OffSite(WdtkError):
    """A redirect to another host: not followed, so nothing (not even our contact) leaves."""


class Disallowed(WdtkError):
    """The site's robots.txt disallows this path for programs: it is not fetched."""


class HttpError(WdtkError):
    """The site answered with an error status after every retry."""

    def __init__(self, url: str, status: int) -> None:
        # Alaveteli's render_hidden answers 403 for a hidden request (not a bot wall)
        hint = " (the site refuses it: hidden or removed)" if status == 403 else ""
        super().__init__(f"{url}: HTTP {status}{hint}")
        self.url = url
        self.status = status


class NotFound(HttpError):
    """404: there is no such request, body or page."""


class TransferError(WdtkError):
    """The connection failed after every retry."""


class TooSlow(TransferError):
    """A download took longer than its time limit."""


class ContentError(WdtkError):
    """What arrived is not what was asked for."""


class UnexpectedHtml(ContentError):
    """An HTML page (bot challenge, error or masking page) arrived instead of a file."""


class StillPreparing(ContentError):
    """The site was still preparing (masking) the attachment when the wait ran out."""


class WrongLength(ContentError):
    """The body was shorter or longer than announced."""


class TooLarge(ContentError):
    """A file over the size limit."""


__all__ = [
    "BadQuery",
    "BadReference",
    "Blocked",
    "ContentError",
    "HttpError",
    "NotFound",
    "OffSite",
    "OfflineMiss",
    "SearchCutOff",
    "StillPreparing",
    "TooLarge",
    "TooSlow",
    "TransferError",
    "UnexpectedHtml",
    "WdtkError",
    "WrongLength",
]
