"""The exception tree of FOI Extractor.

Every error a user can cause or meet is a :class:`FoiError`; the CLI prints its
message on one line and exits 1 (2 for :class:`UsageError`), with no traceback
unless ``--verbose`` is given.

    FoiError
    ├── UsageError            bad arguments or option values (exit 2)
    │   └── ClaimsFileError   a claims file is unreadable or malformed (names the line or id)
    ├── StoreError            the SQLite store cannot be opened or written
    ├── ReadError             a document cannot be read
    │   ├── UnsupportedFormat     the bytes are not a format we read
    │   ├── EncryptedDocument     password-protected PDF or workbook
    │   ├── CorruptDocument       truncated or damaged file
    │   ├── NoTextLayer           image-only (scanned) PDF
    │   └── LimitExceeded         over a size, time, member-count or ratio limit
    ├── SelectorError         a cell selector matched no cell or several
    └── WdtkError             talking to an Alaveteli site failed (see extractor.wdtk)
"""

from __future__ import annotations


class FoiError(Exception):
    """Base class for every error FOI Extractor reports to users."""


class UsageError(FoiError):
    """Bad arguments or option values.

    ``setting`` names the setting at fault in the library's words (``pages``, ``encoding``,
    ``base_url``); messages never name command-line flags: the CLI shows the setting as its
    option (``--pages: ...``).
    """

    setting: str | None = None

    def __init__(self, *args: object, setting: str | None = None) -> None:
        super().__init__(*args)
        if setting is not None:
            self.setting = setting


class StoreError(FoiError):
    """The store cannot be opened or written."""


class ReadError(FoiError):
    """A document cannot be read. ``path`` names it."""

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path

    def __str__(self) -> str:
        base = super().__str__()
        return f"{self.path}: {base}" if self.path else base


class UnsupportedFormat(ReadError):
    """The file's bytes are not a format we can read."""


class EncryptedDocument(ReadError):
    """The document is encrypted or password-protected."""


class CorruptDocument(ReadError):
    """The document is damaged or truncated."""


class NoTextLayer(ReadError):
    """An image-only PDF: there is no text to read tables from."""


class LimitExceeded(ReadError):
    """A safety limit (size, time, members, compression ratio) was exceeded."""


class ClaimsFileError(UsageError):
    """A claims file cannot be read or is malformed: bad input, exit 2 (exit 1 is kept for
    "a claim is inaccurate", so a pipeline can tell a wrong article from a broken file)."""


class SelectorError(FoiError):
    """A cell selector matched no cell, or more than one."""


class WdtkError(FoiError):
    """Talking to an Alaveteli site failed."""
