"""Named defaults for talking to an Alaveteli site, in one place (as ``httpx._config`` does)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from .. import PROJECT_URL, __version__
from ..errors import UsageError

DEFAULT_BASE_URL = "https://www.whatdotheyknow.com"
DEFAULT_RATE = 1.0  # requests per second to the host, every request counted
DEFAULT_CONCURRENCY = 2
DEFAULT_MAX_TRIES = 5
DEFAULT_TIMEOUT = 30.0  # seconds to connect, or between two reads
DEFAULT_BACKOFF = 1.0  # first back-off delay in seconds; doubles on each retry
DEFAULT_BACKOFF_CAP = 60.0
DEFAULT_RETRY_AFTER_CAP = 300.0  # never wait longer than this on a Retry-After
DEFAULT_CACHE = Path("data") / "cache" / "wdtk-http.sqlite"
DEFAULT_CACHE_TTL = 24 * 3600.0  # JSON and HTML pages are reused for a day
DEFAULT_OUT = Path("data") / "raw"
MAX_ATTACHMENT_BYTES = 2 * 1024**3
# a JSON or HTML page is read into memory: a long request thread is a few MB, the
# authorities CSV about 10 MB; anything bigger is not a page we want
MAX_PAGE_BYTES = 32 * 1024**2
MAX_SECONDS_PER_FILE = 3600.0
# every page or JSON answer must be complete within this many seconds, however the bytes
# trickle in (a read timeout alone lets a server sending a byte every few seconds hang us)
DEFAULT_DEADLINE = 120.0
# an attachment may take longer, but after the deadline it must average at least this
MIN_BYTES_PER_SECOND = 4 * 1024
# masking (attachment_masks#wait): give up on an attachment still being prepared after this
DEFAULT_MASK_WAIT = 120.0
MASK_REFRESH_DEFAULT = 2.0  # wait.html.erb: <meta http-equiv="refresh" content="2">
# A one-second window is counted as 1 s + this, so jitter on the way to the server
# never puts rate+1 requests into one second as the server sees it.
WINDOW_SLACK = 0.03
CHUNK_SIZE = 64 * 1024
SEARCH_PAGE_SIZE = 25
# the search feed has no page limit on the site (track#atom_feed_internal); this guard only
# stops a runaway (a site that repeats pages): 250,000 events. Reaching it is reported.
MAX_FEED_PAGES = 10_000
LIST_MAX_RESULTS = 500  # request#list and general#search: MAX_RESULTS, no page after 20
LIST_MAX_PAGES = LIST_MAX_RESULTS // SEARCH_PAGE_SIZE
# WhatDoTheyKnow opened in 2008: the first day of a complete enumeration by date windows
EARLIEST_REQUEST = date(2008, 1, 1)


def site_hosts(base_url: str) -> frozenset[str]:
    """The site's host and its ``www.``/bare twin, with the port: all that counts as the site."""
    parts = urlsplit(base_url)
    host = (parts.hostname or "").lower()
    twin = host.removeprefix("www.") if host.startswith("www.") else f"www.{host}"
    port = f":{parts.port}" if parts.port else ""
    return frozenset({host + port, twin + port})


def user_agent(contact: str | None = None) -> str:
    """An honest User-Agent: who we are, where to read about us, and the user's contact."""
    agent = f"foi-extractor/{__version__} (+{PROJECT_URL})"
    return f"{agent} {contact.strip()}" if contact and contact.strip() else agent


@dataclass
class ClientConfig:
    """How to talk to one Alaveteli site. Every field has a named default above."""

    base_url: str = DEFAULT_BASE_URL
    contact: str | None = None
    rate: float = DEFAULT_RATE
    concurrency: int = DEFAULT_CONCURRENCY
    max_tries: int = DEFAULT_MAX_TRIES
    timeout: float = DEFAULT_TIMEOUT
    backoff: float = DEFAULT_BACKOFF
    backoff_cap: float = DEFAULT_BACKOFF_CAP
    retry_after_cap: float = DEFAULT_RETRY_AFTER_CAP
    cache_path: Path | None = DEFAULT_CACHE
    cache_ttl: float = DEFAULT_CACHE_TTL
    offline: bool = False
    max_attachment_bytes: int = MAX_ATTACHMENT_BYTES
    max_page_bytes: int = MAX_PAGE_BYTES
    max_seconds_per_file: float = MAX_SECONDS_PER_FILE
    deadline: float = DEFAULT_DEADLINE
    mask_wait: float = DEFAULT_MASK_WAIT
    # seconds to sleep per masking refresh: None honours the page's meta refresh
    mask_refresh: float | None = None

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(
                f"{self.base_url!r} is not an http(s) URL with a host", setting="base_url"
            )

    @property
    def hosts(self) -> frozenset[str]:
        return site_hosts(self.base_url)

    @property
    def user_agent(self) -> str:
        return user_agent(self.contact)


def check_cache(path: Path | None) -> tuple[Path | None, str | None]:
    """The cache to use and a warning, checked once before any request.

    A folder, or a file that is not SQLite, is a usage error (one line, exit 2). A cache
    that cannot be written (a read-only file or folder) gives one warning and no cache,
    rather than a traceback from the cache library on every request."""
    if path is None:
        return None, None
    if path.is_dir():
        raise UsageError(
            f"{path} is a folder; give a file name, e.g. {path}/http.sqlite", setting="cache_path"
        )
    if path.exists():
        try:
            with open(path, "rb") as handle:
                head = handle.read(16)
        except OSError as exc:
            return None, f"`cache_path`: {path} cannot be read ({exc.strerror}); running uncached"
        if head and head != b"SQLite format 3\x00":
            raise UsageError(
                f"{path} is not an SQLite file; give a new or SQLite file", setting="cache_path"
            )
        if not os.access(path, os.W_OK):
            return None, f"`cache_path`: {path} is read-only; running without a cache"
        return path, None
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        return None, f"`cache_path`: cannot create {path} (read-only folder); running uncached"
    return path, None
