"""File primitives every part shares: format sniffing from the bytes, hashing, atomic writes.

A file's format is detected from its bytes, never from its extension alone.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from pathlib import Path

from .errors import FoiError

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
    """One of pdf, xlsx, xls, ods, docx, doc, zip, csv, html, image, empty, unknown,
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
        return "csv"
    return "unknown"


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


def write_text_atomically(path: str | Path, text: str) -> None:
    """Write to a temporary file beside ``path`` and rename: never a half-written file."""
    target = Path(path)
    try:
        with tempfile.NamedTemporaryFile(
            "w",
            encoding="utf-8",
            dir=target.parent or ".",
            prefix=f".{target.name}.",
            delete=False,
        ) as handle:
            handle.write(text)
            temporary = Path(handle.name)
        os.replace(temporary, target)
    except OSError as exc:
        raise FoiError(f"{path}: cannot write ({exc.strerror})") from None
