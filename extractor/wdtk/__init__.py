"""The WhatDoTheyKnow (Alaveteli) client and batch harvester.

- :func:`search`, :func:`harvest`, :func:`fetch_requests`: the library API the
  ``foi search``, ``foi harvest`` and ``foi fetch`` commands wrap.
- :class:`AlaveteliClient`: typed reads of request JSON, request pages (attachments),
  the search feed and bodies, through a rate-limited, retrying, cached transport.
The fake Alaveteli used by tests and the demo lives in :mod:`extractor.testing.fakesite`,
  outside the client.
"""

from .client import AlaveteliClient, AttachmentLink, RequestInfo, SearchFilters, SearchHit
from .config import ClientConfig
from .harvest import (
    HarvestProgress,
    HarvestSummary,
    fetch_requests,
    harvest,
    search,
)

__all__ = [
    "AlaveteliClient",
    "AttachmentLink",
    "ClientConfig",
    "HarvestProgress",
    "HarvestSummary",
    "RequestInfo",
    "SearchFilters",
    "SearchHit",
    "fetch_requests",
    "harvest",
    "search",
]
