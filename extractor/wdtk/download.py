"""Streamed, atomic, resumable attachment downloads.

Bytes stream into ``.<name>.part`` in the target folder and are hashed on the
way; the file gets its final name only when the length matches what the server
announced and the bytes are not an HTML page. A ``.part`` left by an earlier run
(or a dropped connection) is continued with a ``Range`` request, with ``If-Range``
quoting the ETag or Last-Modified of the version it holds, when the server answers
``206``; any other answer (a ``200`` because the file changed, say) restarts it.
Memory use is one chunk.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from ..files import media_type_of
from .config import CHUNK_SIZE, ClientConfig
from .errors import (
    ContentError,
    HttpError,
    TooLarge,
    TooSlow,
    TransferError,
    UnexpectedHtml,
    WrongLength,
)
from .transport import backoff_delay

HTML_EXTENSIONS = (".htm", ".html", ".xhtml")
OnBytes = Callable[[int], None]


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
    etag = response.headers.get("etag")
    if etag and not etag.startswith("W/"):
        return etag
    return response.headers.get("last-modified")


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


def _check_answer(response: httpx.Response, url: str, expect_html: bool) -> None:
    if response.status_code not in (200, 206):
        raise HttpError(url, response.status_code)
    media = response.headers.get("content-type", "").lower()
    if "text/html" in media and not expect_html:
        raise UnexpectedHtml(f"{url}: an HTML page arrived instead of the file")


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
        for attempt in range(1, self.config.max_tries + 1):
            try:
                return self._try_once()
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

    def _discard_part(self) -> None:
        self.part.unlink(missing_ok=True)
        self.validator.unlink(missing_ok=True)

    def _open(self, offset: int) -> httpx.Response:
        headers = {"Accept-Encoding": "identity"}
        if offset:
            headers["Range"] = f"bytes={offset}-"
            if self.validator.exists():
                headers["If-Range"] = self.validator.read_text("utf-8").strip()
        request = self.http.build_request("GET", self.url, headers=headers)
        try:
            return self.http.send(request, stream=True)
        except httpx.HTTPError as exc:
            raise TransferError(f"{self.url}: {exc.__class__.__name__}: {exc}") from None

    def _try_once(self) -> Downloaded:
        offset = self.part.stat().st_size if self.part.exists() else 0
        response = self._open(offset)
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
            size = self._stream(response, digest, size, resuming)
        finally:
            response.close()
        if expected is not None and size != expected:
            raise WrongLength(f"{self.url}: {size} bytes arrived, {expected} announced")
        return self._finish(digest.hexdigest(), size)

    def _stream(
        self, response: httpx.Response, digest: hashlib._Hash, size: int, append: bool
    ) -> int:
        deadline = time.monotonic() + self.config.max_seconds_per_file
        with open(self.part, "ab" if append else "wb") as handle:
            for chunk in response.iter_raw(CHUNK_SIZE):
                handle.write(chunk)
                digest.update(chunk)
                size += len(chunk)
                self.on_bytes(len(chunk))
                if size > self.config.max_attachment_bytes:
                    raise TooLarge(f"{self.url}: over {self.config.max_attachment_bytes} bytes")
                if time.monotonic() > deadline:
                    raise TooSlow(f"{self.url}: over {self.config.max_seconds_per_file:.0f} s")
            handle.flush()
            os.fsync(handle.fileno())
        return size

    def _remember_version(self, response: httpx.Response) -> None:
        validator = _validator_of(response)
        if validator:
            self.validator.write_text(validator, "utf-8")
        else:
            self.validator.unlink(missing_ok=True)

    def _finish(self, sha256: str, size: int) -> Downloaded:
        media_type = media_type_of(self.part)
        if media_type == "text/html" and not self.expect_html:
            self._discard_part()
            raise UnexpectedHtml(f"{self.url}: an HTML page arrived instead of the file")
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
