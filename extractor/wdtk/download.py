"""Streamed, atomic, resumable attachment downloads.

Bytes stream into ``.<name>.part`` in the target folder and are hashed on the
way; the file gets its final name only when the length matches what the server
announced. Whether an answer is the file is decided from the response, never from the
bytes (many real ".xls" files are HTML tables and many ".txt" ones HTML mail): a
``text/html`` Content-Type on a name that is not ``.html`` (Alaveteli serves an
attachment's type from its file name, ``attachments_controller.rb#content_type``) or a
final URL that is the site's masking page is not the file.

Masking (``attachments_controller.rb#ensure_masked``): an attachment not yet prepared
redirects to ``/attachments/<token>/wait?referer=...``, a page that refreshes itself
every 2 s (``attachment_masks/wait.html.erb``) and, once the file is ready, redirects to
``.../done``. The download waits as the page asks (each poll still within ``--rate``)
for at most ``config.mask_wait`` seconds, then asks for the file again, or fails with
"still being prepared". A ``.part`` left by an earlier run
(or a dropped connection) is continued with a ``Range`` request, with ``If-Range``
quoting the ETag or Last-Modified of the version it holds, when the server answers
``206``; any other answer (a ``200`` because the file changed, say) restarts it.
Memory use is one chunk.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from ..files import media_type_of
from .config import CHUNK_SIZE, MASK_REFRESH_DEFAULT, MIN_BYTES_PER_SECOND, ClientConfig
from .errors import (
    ContentError,
    HttpError,
    StillPreparing,
    TooLarge,
    TooSlow,
    TransferError,
    UnexpectedHtml,
    WrongLength,
)
from .transport import Deadline, backoff_delay

HTML_EXTENSIONS = (".htm", ".html", ".xhtml")
MASK_PAGE = re.compile(r"^/attachments/[^/]+/(wait|done)$")  # attachment_masks routes
META_REFRESH = re.compile(rb'http-equiv="?refresh"?[^>]*content="?(\d+)', re.IGNORECASE)
OnBytes = Callable[[int], None]


class MaskingPage(Exception):
    """The site answered with its masking wait (or done) page instead of the file."""

    def __init__(self, url: httpx.URL, refresh: float, done: bool) -> None:
        super().__init__(str(url))
        self.url, self.refresh, self.done = url, refresh, done


@dataclass
class Downloaded:
    path: Path
    size: int
    sha256: str
    media_type: str
    resumed: bool


def part_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.part")


def _validator_of(response: httpx.Response) -> str | None:
    """A strong ETag or a Last-Modified date: what ``If-Range`` may quote."""
    etag: str | None = response.headers.get("etag")
    if etag and not etag.startswith("W/"):
        return etag
    modified: str | None = response.headers.get("last-modified")
    return modified


def _hash_existing(path: Path) -> tuple[hashlib._Hash, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK_SIZE):
            digest.update(chunk)
            size += len(chunk)
    return digest, size


def _content_range_start(response: httpx.Response) -> int | None:
    # "bytes 100-199/200"
    value = response.headers.get("content-range", "")
    try:
        return int(value.split(" ", 1)[1].split("-", 1)[0])
    except (IndexError, ValueError):
        return None


def _expected_total(response: httpx.Response, offset: int) -> int | None:
    length = response.headers.get("content-length")
    return offset + int(length) if length and length.isdigit() else None


def _refresh_of(response: httpx.Response) -> float:
    response.read()
    found = META_REFRESH.search(response.content[:65536])
    return float(found.group(1)) if found else MASK_REFRESH_DEFAULT


def _check_answer(response: httpx.Response, url: str, expect_html: bool) -> None:
    mask = MASK_PAGE.match(response.url.path)
    if mask and response.status_code == 200:
        raise MaskingPage(response.url, _refresh_of(response), mask.group(1) == "done")
    if response.status_code not in (200, 206):
        raise HttpError(url, response.status_code)
    media = response.headers.get("content-type", "").lower()
    if "text/html" in media and not expect_html:
        raise UnexpectedHtml(
            f"{url}: an HTML page (Content-Type text/html) arrived instead of the file"
        )


class AttachmentDownload:
    """One attachment: the URL, where it lands, and how hard to try."""

    def __init__(
        self,
        http: httpx.Client,
        url: str,
        target: Path,
        config: ClientConfig,
        on_bytes: OnBytes | None = None,
    ) -> None:
        self.http = http
        self.url = url
        self.target = target
        self.part = part_path(target)
        # the validator of the version the .part holds, so a resume never splices two versions
        self.validator = self.part.with_name(self.part.name + ".validator")
        self.config = config
        self.on_bytes = on_bytes or (lambda n: None)
        self.expect_html = target.suffix.lower() in HTML_EXTENSIONS
        self.resumed = False

    def run(self) -> Downloaded:
        """Try until the file is complete. Statuses and connection failures were already
        retried by the transport; here a body that breaks off is resumed, and a body that
        is not the file (an HTML page, a wrong length) is fetched again."""
        self.target.parent.mkdir(parents=True, exist_ok=True)
        last_error: Exception | None = None
        self.mask_deadline: float | None = None
        attempt = 0
        while attempt < self.config.max_tries:
            attempt += 1
            try:
                return self._try_once()
            except MaskingPage as page:
                try:
                    self._wait_for_mask(page)
                except (StillPreparing, HttpError, TransferError) as exc:
                    last_error = exc
                    break
                attempt -= 1  # waiting for the site is not a failed try
                continue
            except (HttpError, TransferError, TooLarge) as exc:
                last_error = exc
                break
            except (ContentError, httpx.HTTPError) as exc:
                last_error = exc
                if attempt < self.config.max_tries:
                    time.sleep(backoff_delay(attempt, self.config))
        if not isinstance(last_error, httpx.TransportError):
            self._discard_part()  # a dropped connection's bytes are kept to resume
        raise _as_wdtk_error(self.url, last_error)

    def _wait_for_mask(self, page: MaskingPage) -> None:
        """Poll the wait page as it asks until the site says done, within ``mask_wait``."""
        if self.mask_deadline is None:
            self.mask_deadline = time.monotonic() + self.config.mask_wait
        while not page.done:
            pause = page.refresh if self.config.mask_refresh is None else self.config.mask_refresh
            if time.monotonic() + pause > self.mask_deadline:
                raise StillPreparing(
                    f"{self.url}: still being prepared by the site (masking) after "
                    f"{self.config.mask_wait:g} s; try again later"
                )
            time.sleep(pause)
            deadline = Deadline(self.config.deadline)
            try:
                with deadline.applied():
                    response = self.http.get(page.url)
            except httpx.HTTPError as exc:
                raise deadline.error_for(page.url, exc) from None
            mask = MASK_PAGE.match(response.url.path)
            if not mask or response.status_code != 200:
                return  # sent on to the file (or elsewhere): ask for the file again
            page = MaskingPage(response.url, _refresh_of(response), mask.group(1) == "done")

    def _discard_part(self) -> None:
        self.part.unlink(missing_ok=True)
        self.validator.unlink(missing_ok=True)

    def _open(self, offset: int, deadline: Deadline) -> httpx.Response:
        headers = {"Accept-Encoding": "identity"}
        if offset:
            headers["Range"] = f"bytes={offset}-"
            if self.validator.exists():
                headers["If-Range"] = self.validator.read_text("utf-8").strip()
        request = self.http.build_request("GET", self.url, headers=headers)
        try:
            with deadline.applied():
                return self.http.send(request, stream=True)
        except httpx.HTTPError as exc:
            raise deadline.error_for(self.url, exc) from None

    def _try_once(self) -> Downloaded:
        """One request. Its answer (connection, status, headers, retries' waits) must
        arrive within the total deadline; the body then has ``max_seconds_per_file`` in
        all, at the pace ``_check_pace`` asks."""
        offset = self.part.stat().st_size if self.part.exists() else 0
        deadline = Deadline(self.config.deadline)
        response = self._open(offset, deadline)
        deadline.extend_to(max(self.config.deadline, self.config.max_seconds_per_file))
        try:
            if response.status_code == 416:
                self._discard_part()
                raise WrongLength(f"{self.url}: the partial file was longer than the file")
            _check_answer(response, self.url, self.expect_html)
            resuming = offset > 0 and response.status_code == 206
            if resuming and _content_range_start(response) != offset:
                raise WrongLength(f"{self.url}: the server resumed at the wrong offset")
            self.resumed = self.resumed or resuming
            if not resuming:
                self._remember_version(response)
            digest, size = _hash_existing(self.part) if resuming else (hashlib.sha256(), 0)
            expected = _expected_total(response, size)
            try:
                with deadline.applied():
                    size = self._stream(response, digest, size, resuming)
            except httpx.TimeoutException:
                if deadline.passed():
                    raise deadline.error(self.url, "the file did not arrive in time") from None
                raise
        finally:
            response.close()
        if expected is not None and size != expected:
            raise WrongLength(f"{self.url}: {size} bytes arrived, {expected} announced")
        return self._finish(digest.hexdigest(), size)

    def _stream(
        self, response: httpx.Response, digest: hashlib._Hash, size: int, append: bool
    ) -> int:
        started = time.monotonic()
        received = 0
        with open(self.part, "ab" if append else "wb") as handle:
            for chunk in response.iter_raw():  # as received: the pace is checked per read
                handle.write(chunk)
                digest.update(chunk)
                size += len(chunk)
                received += len(chunk)
                self.on_bytes(len(chunk))
                if size > self.config.max_attachment_bytes:
                    raise TooLarge(f"{self.url}: over {self.config.max_attachment_bytes} bytes")
                self._check_pace(time.monotonic() - started, received)
            handle.flush()
            os.fsync(handle.fileno())
        return size

    def _check_pace(self, elapsed: float, received: int) -> None:
        """A total deadline, not only a read timeout: past ``deadline`` seconds a download
        must average ``MIN_BYTES_PER_SECOND``, and no file may take ``max_seconds_per_file``."""
        if elapsed > self.config.max_seconds_per_file:
            raise TooSlow(
                f"{self.url}: not complete within {self.config.max_seconds_per_file:g} s "
                "(total deadline)"
            )
        if elapsed > self.config.deadline and received / elapsed < MIN_BYTES_PER_SECOND:
            raise TooSlow(
                f"{self.url}: {received} bytes in {elapsed:.0f} s, under "
                f"{MIN_BYTES_PER_SECOND // 1024} KB/s after the {self.config.deadline:g} s "
                "deadline (the server is trickling)"
            )

    def _remember_version(self, response: httpx.Response) -> None:
        validator = _validator_of(response)
        if validator:
            self.validator.write_text(validator, "utf-8")
        else:
            self.validator.unlink(missing_ok=True)

    def _finish(self, sha256: str, size: int) -> Downloaded:
        media_type = media_type_of(self.part)  # what the bytes are, recorded, never judged
        os.replace(self.part, self.target)
        self.validator.unlink(missing_ok=True)
        return Downloaded(self.target, size, sha256, media_type, self.resumed)


def _as_wdtk_error(url: str, error: Exception | None) -> Exception:
    if isinstance(error, ContentError | HttpError | TransferError):
        return error
    return TransferError(f"{url}: {error.__class__.__name__}: {error}" if error else url)


def download(
    http: httpx.Client,
    url: str,
    target: Path,
    config: ClientConfig,
    on_bytes: OnBytes | None = None,
) -> Downloaded:
    """Download ``url`` to ``target`` atomically; raises a WdtkError after ``max_tries``."""
    return AttachmentDownload(http, url, target, config, on_bytes).run()
