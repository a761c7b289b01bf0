"""File primitives every part shares: format sniffing from the bytes, hashing, atomic writes.

A file's format is detected from its bytes, never from its extension alone.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from .errors import FoiError, UsageError

HASH_CHUNK = 1024 * 1024

SNIFF_BYTES = 8192
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return "corrupt-zip"
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    if "mimetype" in names:
        try:
            with zipfile.ZipFile(path) as archive:
                mimetype = archive.read("mimetype")[:100]
        except (zipfile.BadZipFile, OSError, KeyError):
            mimetype = b""
        if b"spreadsheet" in mimetype:
            return "ods"
        if b"text" in mimetype:
            return "odt"
    return "zip"


def _ole_kind(head: bytes, path: Path) -> str:
    # Both .xls and .doc are OLE2 compound files; the stream names tell them apart.
    with open(path, "rb") as handle:
        data = handle.read(4 * 1024 * 1024) or head
    if "EncryptedPackage".encode("utf-16-le") in data:
        return "encrypted"  # a password-protected .xlsx/.docx is an OLE2 file around the package
    # "Book" (the BIFF5 stream) last: a Word file's own UTF-16 text may say "Book"
    for stream, kind in (("Workbook", "xls"), ("WordDocument", "doc"), ("Book", "xls")):
        if stream.encode("utf-16-le") in data:
            return kind
    return "ole"


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with BOM: Excel's "Unicode text"
        even = len(head) - len(head) % 2
        try:
            text = head[:even].decode("utf-16")
        except UnicodeDecodeError:
            return False
        return "\x00" not in text
    if not head or b"\x00" in head:
        return False
    for encoding in ("utf-8", "cp1252"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if encoding == "utf-8" and exc.start > len(head) - 4:
                return True  # a multi-byte character cut by the sniff window
    return False


def detect_format(path: str | Path) -> str:
    """One of pdf, xlsx, xls, ods, docx, doc, zip, csv, html, email, image, empty, unknown,
    encrypted (a password-protected Office file) or corrupt-zip."""
    path = Path(path)
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if not head:
        return "empty"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(path)
    if head.startswith(OLE_MAGIC):
        return _ole_kind(head, path)
    if (
        head[:4] in (b"\x89PNG", b"GIF8")
        or head[:3] == b"\xff\xd8\xff"
        or head[:4]
        in (
            b"II*\x00",
            b"MM\x00*",
        )
    ):
        return "image"
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<table")) or (
        b"<html" in lowered[:1024]
    ):
        return "html"
    if _looks_like_text(head):
        return "email" if _looks_like_email(head) else "csv"
    return "unknown"


_MAIL_HEADER = re.compile(
    rb"^(?:from|to|cc|subject|date|received|return-path|message-id|mime-version|"
    rb"content-type|reply-to|delivered-to|x-[\w-]+):[ \t]",
    re.IGNORECASE | re.MULTILINE,
)


def _looks_like_email(head: bytes) -> bool:
    """A saved e-mail (.eml): it opens with RFC 5322 header lines, several of them."""
    first = head.lstrip(b"\xef\xbb\xbf\r\n")[:2048]
    if not _MAIL_HEADER.match(first):
        return False
    header = first.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
    return len(_MAIL_HEADER.findall(header)) >= 3


MEDIA_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "odt": "application/vnd.oasis.opendocument.text",
    "zip": "application/zip",
    "corrupt-zip": "application/zip",
    "ole": "application/x-ole-storage",
    "csv": "text/csv",
    "html": "text/html",
    "image": "image/*",
    "empty": "application/x-empty",
    "email": "message/rfc822",
}


def media_type_of(path: str | Path) -> str:
    """The media type read from the file's bytes (never from its name)."""
    return MEDIA_TYPES.get(detect_format(path), "application/octet-stream")


def sha256_file(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


STDOUT = "-"  # an output path of "-" means standard output


def is_stdout(path: str | Path | None) -> bool:
    return path is not None and str(path) == STDOUT


def default_file_mode() -> int:
    """The mode a new file gets under the current umask (0644 under the usual 022)."""
    mask = os.umask(0o22)
    os.umask(mask)
    return 0o666 & ~mask


def _renames_safely(target: Path) -> bool:
    """A rename may replace only a regular file (not a symlink) or take a new name."""
    try:
        return stat.S_ISREG(os.lstat(target).st_mode)
    except FileNotFoundError:
        return True


@contextmanager
def open_output(path: str | Path, newline: str | None = None) -> Iterator[TextIO]:
    """A text handle for an output path; the one way FOI Extractor writes files.

    ``-`` is standard output. A new path or a regular file is written to a temporary
    file beside it and renamed into place when the block ends without an error, so no
    half-written file ever has the final name; the file gets the umask's mode (an
    existing file keeps its own). Anything else (a device such as ``/dev/null``, a FIFO,
    a symlink) is written through in place, never replaced. Write errors, including a
    full disk found at close, raise :class:`FoiError` naming the path.
    """
    if is_stdout(path):
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(path)
    try:
        if _renames_safely(target):
            with _atomic_handle(target, newline) as handle:
                yield handle
        else:
            with open(target, "w", encoding="utf-8", newline=newline) as handle:
                yield handle
    except OSError as exc:
        raise FoiError(f"{path}: cannot write ({exc.strerror or exc})") from None


@contextmanager
def _atomic_handle(target: Path, newline: str | None) -> Iterator[TextIO]:
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = default_file_mode()
    descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    temporary = Path(name)
    try:
        os.chmod(descriptor, mode)
        with open(descriptor, "w", encoding="utf-8", newline=newline) as handle:
            yield handle
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def write_text_atomically(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` (``-`` for stdout) with :func:`open_output`."""
    with open_output(path) as handle:
        handle.write(text)


def require_regular_input(path: str | Path, hint: str = "") -> None:
    """Refuse a path that is not a regular file (a FIFO, a device, a socket), which
    could block or never end; ``-`` (standard input) is the explicit way to stream."""
    kind = non_regular_kind(Path(path))
    if kind:
        raise UsageError(f"{path}: is {kind}, not a regular file{hint}")


def non_regular_kind(path: Path) -> str | None:
    """What a path is when it exists and is not a regular file or a folder, else None."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return None
