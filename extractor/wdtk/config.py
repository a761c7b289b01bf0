"""Named defaults for talking to an Alaveteli site, in one place (as ``httpx._config`` does)."""

from __future__ import annotations

from dataclasses import dataclass
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
# A one-second window is counted as 1 s + this, so jitter on the way to the server
# never puts rate+1 requests into one second as the server sees it.
WINDOW_SLACK = 0.03
CHUNK_SIZE = 64 * 1024
SEARCH_PAGE_SIZE = 25
MAX_SEARCH_PAGES = 40
MAX_LISTING_PAGES = 20  # Alaveteli's HTML search stops at 500 results


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

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"--base-url: {self.base_url!r} is not an http(s) URL with a host")

    @property
    def user_agent(self) -> str:
        return user_agent(self.contact)
