"""Hand `faqbot serve` over to uvicorn: its options, its logging, one process or many."""

from __future__ import annotations

import argparse
import os

from faqbot.cli.environment import ExitStatus

# A request line and headers together: 16 KiB, what h11 and most proxies allow.
MAX_HEAD_BYTES = 16 * 1024


def serve(args: argparse.Namespace, settings, bot) -> int:
    """Hand over to uvicorn: in this process with `bot`, or in `--workers` processes."""
    import uvicorn

    # Workers are separate processes, and the h11 protocol reads its head deadline there:
    # both rebuild the settings from the environment.
    os.environ.update(settings.to_environ())
    options = {**uvicorn_options(args), "workers": args.workers}
    if args.workers == 1:
        # Served in this process: the bot just loaded and checked answers, not a second copy.
        from faqbot.web.app import bot_provider, create_app

        uvicorn.run(create_app(bot_provider(settings, bot), settings), **options)
        return ExitStatus.OK
    # Workers read the bot from the start-up cache the check above has filled.
    uvicorn.run("faqbot.web.app:app_from_env", factory=True, **options)
    return ExitStatus.OK


def uvicorn_options(args: argparse.Namespace) -> dict:
    """uvicorn's settings: h11 with faqbot's head deadline and 431, and every limit."""
    from faqbot.web.protocol import GuardedH11Protocol

    return {
        "host": args.host,
        "port": args.port,
        "server_header": False,
        "log_level": "info",
        "access_log": args.access_log,
        "http": GuardedH11Protocol,
        "h11_max_incomplete_event_size": MAX_HEAD_BYTES,
        # X-Forwarded-For is read by faqbot's rate limit, for --forwarded-allow-ips only.
        "proxy_headers": False,
        "timeout_keep_alive": args.timeout_keep_alive,
        "timeout_graceful_shutdown": args.timeout_graceful_shutdown,
        "limit_concurrency": args.limit_concurrency,
        "log_config": log_config(),
    }


def log_config() -> dict:
    """uvicorn's logging, plus faqbot's own lines (a reload, its failure) at the same level."""
    from copy import deepcopy

    from uvicorn.config import LOGGING_CONFIG

    config = deepcopy(LOGGING_CONFIG)
    config["loggers"]["faqbot"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config
