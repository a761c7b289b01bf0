"""Names from the site are untrusted: nothing they say may choose where a file lands."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.wdtk.names import MAX_NAME_BYTES, inside, safe_name

HOSTILE = [
    "../../x.pdf",
    "..\\evil.xlsx",
    "CON.pdf",
    "nul",
    "LPT1.txt",
    "a/b/c.csv",
    "/etc/passwd",
    "C:\\Windows\\win.ini",
    "trailing. . ",
    "\x00\x1fcontrol\x7f.pdf",
    "..",
    ".",
    "",
    "é" * 300 + ".xlsx",
    "x" * 1000,
    "name\u202egnp.exe",
    "ok name (1).pdf",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_safe_name_is_one_harmless_component(name: str) -> None:
    safe = safe_name(name)
    assert safe and "/" not in safe and "\\" not in safe and ".." not in safe
    assert not safe.endswith((".", " ")) and not safe.startswith(".")
    assert all(ord(c) >= 32 and c != "\x7f" for c in safe)
    assert len(safe.encode("utf-8")) <= MAX_NAME_BYTES
    assert safe.split(".")[0].upper() not in {"CON", "NUL", "PRN", "AUX", "LPT1", "COM1"}


def test_long_names_keep_their_extension() -> None:
    assert safe_name("é" * 300 + ".xlsx").endswith("é.xlsx")
    assert safe_name("report." + "x" * 40).startswith("report")


def test_ordinary_names_are_kept() -> None:
    assert safe_name("Rape outcomes 2022 (final).xlsx") == "Rape outcomes 2022 (final).xlsx"
    assert safe_name("CONTRACT.pdf") == "CONTRACT.pdf"


@pytest.mark.parametrize("name", HOSTILE)
def test_inside_never_leaves_the_root(tmp_path: Path, name: str) -> None:
    target = inside(tmp_path, name, name, name)
    assert target.resolve().is_relative_to(tmp_path.resolve())
    assert len(target.relative_to(tmp_path).parts) == 3


def test_inside_refuses_a_symlink_pointing_out(tmp_path: Path) -> None:
    root = tmp_path / "out"
    root.mkdir()
    (root / "evil").symlink_to(tmp_path)
    with pytest.raises(ValueError, match="outside"):
        inside(root, "evil", "x.pdf")
