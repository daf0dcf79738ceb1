"""What `faqbot serve` checks in the parent process, before a worker starts.

Each returns one line for a person, or None when all is well.  Found here, a
busy port or a corrupt log stops the command with its own exit code; found in
the workers, it made them crash in a loop while the parent said "running".
"""

from __future__ import annotations

import errno
import socket


def port_problem(host: str, port: int) -> str | None:
    """Whether another process already listens on `host:port` (bound with SO_REUSEADDR, as
    uvicorn binds it).  Any other trouble (an address not on this machine, a name that does
    not resolve) is left for uvicorn to report: it is not a busy port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return f"--port {port}: already in use on {host} (is another server running?)"
    return None


def log_problem(path: str | None) -> str | None:
    """Whether the unanswered-question log at `path` opens and takes a write."""
    if not path:
        return None
    from faqbot.unanswered import UnansweredLog, UnansweredLogError

    try:
        UnansweredLog(path).close()
    except (UnansweredLogError, OSError) as error:
        return f"--log-unanswered: {error}"
    return None


def storage_problem(settings) -> str | None:
    """Whether the rate limit's storage (a Redis server, say) answers."""
    if not settings.rate_limit:
        return None
    from faqbot.web.ratelimit import RateLimitStorageError, open_storage

    try:
        open_storage(settings.rate_limit_storage)
    except RateLimitStorageError as error:
        return f"--rate-limit-storage: {error}"
    return None
