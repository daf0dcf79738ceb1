"""The widget's file as the server sends it: compressed once, and named by its content.

Kept free of the web framework so `faqbot widget` can print the versioned URL
without importing FastAPI.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

STATIC = files("faqbot.web") / "static"
# A URL carrying the current version never changes content: caches may keep it a year.
VERSIONED_CACHE = "public, max-age=31536000, immutable"
# Without it (or with an older one) a cache must come back soon for a new release.
UNVERSIONED_CACHE = "public, max-age=600"


@dataclass(frozen=True, slots=True)
class Asset:
    """A static file's bytes, gzipped bytes and content version."""

    body: bytes
    gzipped: bytes
    version: str

    def cache_control(self, requested_version: str | None) -> str:
        """Long-lived only for a URL naming exactly this content."""
        return VERSIONED_CACHE if requested_version == self.version else UNVERSIONED_CACHE


@cache
def asset(name: str) -> Asset:
    """The file `static/<name>`, read and compressed once per process."""
    body = (STATIC / name).read_bytes()
    # mtime=0: the same bytes on every start, so the compressed form is reproducible too.
    gzipped = gzip.compress(body, compresslevel=9, mtime=0)
    return Asset(body, gzipped, hashlib.sha256(body).hexdigest()[:12])


def widget_path() -> str:
    """`/widget.js?v=<version>`: the URL host pages should embed."""
    return f"/widget.js?v={asset('widget.js').version}"
