"""Where the knowledge base is, without reading it (so a cached start never imports YAML)."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VARIABLE = "FAQBOT_KB"


def default_knowledge_dir() -> Path:
    """`$FAQBOT_KB`, else the copy bundled in the wheel, else the repository's `knowledge/`."""
    if os.environ.get(ENV_VARIABLE):
        return Path(os.environ[ENV_VARIABLE])
    return bundled_knowledge_dir()


def bundled_knowledge_dir() -> Path:
    """The knowledge base that ships with faqbot (in a source checkout, `knowledge/`)."""
    bundled = Path(__file__).parent / "bundled_knowledge"
    if bundled.is_dir():
        return bundled
    return Path(__file__).resolve().parent.parent / "knowledge"
