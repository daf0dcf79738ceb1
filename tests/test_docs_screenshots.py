"""The phone screenshots in docs/ exist, are phone-sized and small (docs/make_screenshots.py)."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
README = (DOCS.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["light", "dark", "discreet", "crisis"])
def test_each_phone_screenshot_is_a_small_360_by_740_png(name: str) -> None:
    data = (DOCS / f"widget-phone-{name}.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (360, 740)
    assert len(data) < 150_000


def test_the_readme_shows_a_phone_screenshot() -> None:
    assert '<img src="docs/widget-phone-' in README
