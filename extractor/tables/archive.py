"""Zip attachments: read each member as its own file, within limits.

Limits (from :class:`~extractor.tables.ExtractOptions`) on member count, total
uncompressed size and compression ratio are checked against the central directory
first, and again while bytes are read, since a hostile archive can lie about sizes.
Members are copied to temporary files whose names we choose; the archive never picks
a path. Records name the member as ``archive.zip/member.csv``.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path, PurePosixPath

from ..errors import (
    CorruptDocument,
    EncryptedDocument,
    LimitExceeded,
    ReadError,
    UnsupportedFormat,
)
from ..records import Cell
from . import ExtractOptions, Source, read_file, register

log = logging.getLogger(__name__)
COPY_CHUNK = 1024 * 1024
MAX_DEPTH = 2  # a zip inside a zip inside a zip is read; deeper is skipped


def check_zip_limits(archive: zipfile.ZipFile, name: str, options: ExtractOptions) -> None:
    """Raise LimitExceeded when the declared sizes break a limit (zip bombs, huge archives)."""
    members = [info for info in archive.infolist() if not info.is_dir()]
    if len(members) > options.zip_max_members:
        raise LimitExceeded(
            f"has {len(members)} members, more than the limit of {options.zip_max_members}", name
        )
    total = sum(info.file_size for info in members)
    if total > options.zip_max_total_bytes:
        raise LimitExceeded(
            f"unpacks to {total:,} bytes, more than the limit of {options.zip_max_total_bytes:,}",
            name,
        )
    for info in members:
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > options.zip_max_ratio and info.file_size > COPY_CHUNK:
            raise LimitExceeded(
                f"member {info.filename!r} has compression ratio {ratio:,.0f}:1, over the "
                f"limit of {options.zip_max_ratio:g}:1 (a zip bomb?)",
                name,
            )


def open_zip(path: Path, name: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise CorruptDocument(f"is not a readable zip archive ({exc})", name) from None


def copy_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: int, name: str
) -> tuple[int, str]:
    """Copy one member to ``target``; stop when it grows past its declared size or budget."""
    digest = hashlib.sha256()
    written = 0
    limit = min(info.file_size, budget)
    try:
        with archive.open(info) as member, open(target, "wb") as out:
            while chunk := member.read(COPY_CHUNK):
                written += len(chunk)
                if written > limit:
                    raise LimitExceeded(
                        f"member {info.filename!r} unpacks to more than its declared size "
                        "or the total size limit",
                        name,
                    )
                digest.update(chunk)
                out.write(chunk)
    except RuntimeError as exc:  # zipfile raises RuntimeError for encrypted members
        raise EncryptedDocument(f"member {info.filename!r} is encrypted ({exc})", name) from None
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise CorruptDocument(f"member {info.filename!r} is damaged ({exc})", name) from None
    return written, digest.hexdigest()


def member_label(archive_name: str, member: str) -> str:
    """``archive.zip/member.csv``: a label only, never used as a path."""
    clean = PurePosixPath(member.replace("\\", "/"))
    parts = [p for p in clean.parts if p not in ("", ".", "..", "/")]
    return f"{archive_name}/{'/'.join(parts) or 'member'}"


@register("corrupt-zip")
def read_corrupt_zip(path: Path, source: Source, options: ExtractOptions) -> Iterator[Cell]:
    raise CorruptDocument(
        "is a damaged or truncated zip package (xlsx, docx or zip): re-download it", source.name
    )
    yield  # pragma: no cover - a generator like the other readers


@register("zip")
def read_zip(path: Path, source: Source, options: ExtractOptions) -> Iterator[Cell]:
    depth = options.zip_depth
    if depth >= MAX_DEPTH:
        log.warning("%s: zip nested too deeply, skipped", source.name)
        return
    with open_zip(path, source.name) as archive, tempfile.TemporaryDirectory() as tmp:
        check_zip_limits(archive, source.name, options)
        budget = options.zip_max_total_bytes
        inner = replace(options, zip_depth=depth + 1)
        members = [info for info in archive.infolist() if not info.is_dir()]
        for number, info in enumerate(members):
            target = Path(tmp) / f"member-{number:05d}"
            size, sha = copy_member(archive, info, target, budget, source.name)
            budget -= size
            label = member_label(source.name, info.filename)
            try:
                yield from read_file(target, inner, Source(label, sha))
            except LimitExceeded:
                raise
            except UnsupportedFormat as exc:  # a readme or an image beside the data
                log.info("%s: skipped, %s", label, exc.args[0] if exc.args else exc)
            except ReadError as exc:
                log.warning("%s: %s", label, exc.args[0] if exc.args else exc)
            finally:
                target.unlink(missing_ok=True)
