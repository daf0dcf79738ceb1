"""Server options: one frozen value, read from `faqbot serve` flags or the environment.

`faqbot serve --workers N` starts uvicorn with an import string, so each worker
process rebuilds its settings from `FAQBOT_*` environment variables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_RATE_LIMIT = "60/minute"
DEFAULT_RATE_LIMIT_STORAGE = "memory://"
DEFAULT_MAX_BODY_BYTES = 16 * 1024
DEFAULT_MAX_HEADERS = 100
# Seconds a client has to send a whole request head, and then its whole body.
DEFAULT_REQUEST_TIMEOUT = 10.0


@dataclass(frozen=True, slots=True)
class WebSettings:
    """How one server process behaves; the defaults suit a public site behind a proxy."""

    kb: str | None = None
    origins: tuple[str, ...] = ()
    # A `limits` rate string such as "60/minute"; None turns rate limiting off.
    rate_limit: str | None = DEFAULT_RATE_LIMIT
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    log_unanswered: str | None = None
    watch: bool = False
    # `limits` storage URI: "memory://" counts per worker, "redis://host:port" across all.
    rate_limit_storage: str = DEFAULT_RATE_LIMIT_STORAGE
    # Proxies (addresses or networks) whose X-Forwarded-For names the real client.
    trusted_proxies: tuple[str, ...] = ()
    max_headers: int = DEFAULT_MAX_HEADERS
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT
    docs: bool = False

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> WebSettings:
        """Settings from `FAQBOT_*` variables (what `to_environ` wrote)."""
        return cls(
            kb=environ.get("FAQBOT_KB") or None,
            origins=parse_origins(environ.get("FAQBOT_ORIGINS", "")),
            rate_limit=parse_rate_limit(environ.get("FAQBOT_RATE_LIMIT", DEFAULT_RATE_LIMIT)),
            max_body_bytes=int(environ.get("FAQBOT_MAX_BODY_BYTES") or DEFAULT_MAX_BODY_BYTES),
            log_unanswered=environ.get("FAQBOT_LOG_UNANSWERED") or None,
            watch=environ.get("FAQBOT_WATCH", "") in ("1", "true", "yes"),
            rate_limit_storage=environ.get("FAQBOT_RATE_LIMIT_STORAGE")
            or DEFAULT_RATE_LIMIT_STORAGE,
            trusted_proxies=parse_list(environ.get("FAQBOT_FORWARDED_ALLOW_IPS", "")),
            max_headers=int(environ.get("FAQBOT_MAX_HEADERS") or DEFAULT_MAX_HEADERS),
            request_timeout=float(environ.get("FAQBOT_REQUEST_TIMEOUT") or DEFAULT_REQUEST_TIMEOUT),
            docs=environ.get("FAQBOT_DOCS", "") in ("1", "true", "yes"),
        )

    def to_environ(self) -> dict[str, str]:
        """The variables that make `from_environ` return these settings."""
        return {
            "FAQBOT_KB": self.kb or "",
            "FAQBOT_ORIGINS": ",".join(self.origins),
            "FAQBOT_RATE_LIMIT": self.rate_limit or "off",
            "FAQBOT_MAX_BODY_BYTES": str(self.max_body_bytes),
            "FAQBOT_LOG_UNANSWERED": self.log_unanswered or "",
            "FAQBOT_WATCH": "1" if self.watch else "",
            "FAQBOT_RATE_LIMIT_STORAGE": self.rate_limit_storage,
            "FAQBOT_FORWARDED_ALLOW_IPS": ",".join(self.trusted_proxies),
            "FAQBOT_MAX_HEADERS": str(self.max_headers),
            "FAQBOT_REQUEST_TIMEOUT": str(self.request_timeout),
            "FAQBOT_DOCS": "1" if self.docs else "",
        }


def parse_origins(text: str) -> tuple[str, ...]:
    """`https://a.example, https://b.example` -> a tuple without trailing slashes."""
    return tuple(o.strip().rstrip("/") for o in text.split(",") if o.strip())


def parse_list(text: str) -> tuple[str, ...]:
    """`a, b,,c` -> ("a", "b", "c")."""
    return tuple(item.strip() for item in text.split(",") if item.strip())


def parse_rate_limit(text: str) -> str | None:
    """A `limits` rate string, or None for "off"/"0"/"" (no limit)."""
    text = text.strip()
    if text.lower() in ("", "off", "0", "none"):
        return None
    from limits import parse

    parse(text)  # raises ValueError with a readable message when malformed
    return text
