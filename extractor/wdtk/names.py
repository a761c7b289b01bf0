"""Safe local names for things named by the site. Every name from the site is untrusted.

A safe name has no path separators, no ``..``, no control characters, is not a
Windows reserved device name, has no trailing dots or spaces, and fits in
``MAX_NAME_BYTES`` of UTF-8 with its extension kept. Names that clash are made
unique by the caller (attachments are prefixed with message id and part).
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

MAX_NAME_BYTES = 180  # well under the 255-byte limit of common file systems
MAX_EXTENSION_CHARS = 16
WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{i}" for i in range(10)}
    | {f"LPT{i}" for i in range(10)}
    | {"COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³"}
)
FORBIDDEN_CHARS = set('/\\:*?"<>|')
FALLBACK_NAME = "unnamed"


def _clean_chars(name: str) -> str:
    name = unicodedata.normalize("NFC", name)
    kept = []
    for char in name:
        if char in FORBIDDEN_CHARS:
            kept.append("_")
        elif unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            continue
        else:
            kept.append(char)
    return "".join(kept)


def _split_extension(name: str) -> tuple[str, str]:
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > MAX_EXTENSION_CHARS or " " in ext:
        return name, ""
    return stem, "." + ext


def _truncate_utf8(text: str, max_bytes: int) -> str:
    encoded = text.encode("utf-8")[:max_bytes]
    return encoded.decode("utf-8", errors="ignore")


def _is_reserved(name: str) -> bool:
    base = name.split(".", 1)[0].strip().upper()
    return base in WINDOWS_RESERVED


def safe_name(name: str | None, max_bytes: int = MAX_NAME_BYTES) -> str:
    """A single path component made from an untrusted name."""
    cleaned = _clean_chars(name or "")
    while ".." in cleaned:
        cleaned = cleaned.replace("..", ".")
    cleaned = cleaned.strip(" .")
    stem, ext = _split_extension(cleaned)
    stem = stem.strip(" .") or FALLBACK_NAME
    if _is_reserved(stem):
        stem = "_" + stem
    room = max(1, max_bytes - len(ext.encode("utf-8")))
    stem = _truncate_utf8(stem, room).rstrip(" .") or FALLBACK_NAME
    return stem + ext


def inside(root: Path, *parts: str) -> Path:
    """``root/part/...`` after making each part safe, checked to stay under ``root``."""
    target = root.joinpath(*(safe_name(part) for part in parts))
    resolved_root = Path(os.path.realpath(root))
    if not Path(os.path.realpath(target)).is_relative_to(resolved_root):
        raise ValueError(f"{target}: would be written outside {root}")
    return target
