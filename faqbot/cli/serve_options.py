"""Where `faqbot serve`'s settings come from: flags, environment variables, their checks.

Each option a flag does not give is read from its variable (FAQBOT_PORT for
--port), else its default; `web_settings` turns them into the `WebSettings` the
app and its workers share, or says in one line what is wrong.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping

from faqbot.cli.environment import Environment
from faqbot.web.config import (  # light: no web framework behind it
    DEFAULT_RATE_LIMIT,
    DEFAULT_RATE_LIMIT_STORAGE,
    DEFAULT_REQUEST_TIMEOUT,
)

# Option -> (environment variable, default when neither a flag nor the variable says).
FROM_ENVIRONMENT = {
    "host": ("FAQBOT_HOST", "127.0.0.1"),
    "port": ("FAQBOT_PORT", "8000"),
    "workers": ("FAQBOT_WORKERS", "1"),
    "origins": ("FAQBOT_ORIGINS", ""),
    "rate_limit": ("FAQBOT_RATE_LIMIT", DEFAULT_RATE_LIMIT),
    "log_unanswered": ("FAQBOT_LOG_UNANSWERED", ""),
    "watch": ("FAQBOT_WATCH", ""),
    "access_log": ("FAQBOT_ACCESS_LOG", ""),
    "docs": ("FAQBOT_DOCS", ""),
}
WHOLE_NUMBERS = ("port", "workers")


def add_proxy_arguments(parser: argparse.ArgumentParser) -> None:
    """Who counts as one client: trusted proxies, and where the counts are kept."""
    env = os.environ
    parser.add_argument(
        "--forwarded-allow-ips",
        metavar="IPS",
        default=env.get("FAQBOT_FORWARDED_ALLOW_IPS", ""),
        help="comma-separated proxy addresses or networks whose X-Forwarded-For names the "
        "client (default: none; X-Forwarded-For is ignored)",
    )
    parser.add_argument(
        "--rate-limit-storage",
        metavar="URI",
        default=env.get("FAQBOT_RATE_LIMIT_STORAGE") or DEFAULT_RATE_LIMIT_STORAGE,
        help="where the rate limit counts: memory:// (per worker) or redis://HOST:PORT "
        f"(shared by all workers and machines; default: {DEFAULT_RATE_LIMIT_STORAGE})",
    )


# (flag, variable, default, help): uvicorn's connection limits, all per worker.
LIMITS = (
    (
        "--timeout-keep-alive",
        "FAQBOT_TIMEOUT_KEEP_ALIVE",
        5.0,
        "close an idle kept-alive connection after SECONDS",
    ),
    (
        "--timeout-request",
        "FAQBOT_TIMEOUT_REQUEST",
        DEFAULT_REQUEST_TIMEOUT,
        "close a "
        "connection that has not sent a whole request head within SECONDS of opening; "
        "answer 408 to a body not complete SECONDS later",
    ),
    (
        "--timeout-graceful-shutdown",
        "FAQBOT_TIMEOUT_GRACEFUL_SHUTDOWN",
        10.0,
        "on SIGTERM, give requests in flight SECONDS to finish, then cancel them",
    ),
    (
        "--limit-concurrency",
        "FAQBOT_LIMIT_CONCURRENCY",
        200,
        "answer 503 beyond this many open connections or requests",
    ),
)


def add_limit_arguments(parser: argparse.ArgumentParser) -> None:
    """Connection limits: timeouts and how many connections one worker takes."""
    for flag, variable, default, text in LIMITS:
        kind = int if isinstance(default, int) else float
        parser.add_argument(
            flag,
            type=kind,
            metavar="N" if kind is int else "SECONDS",
            default=kind(os.environ.get(variable) or default),
            help=f"{text} (default: {default:g})",
        )


def with_environment(args: argparse.Namespace, environ: Mapping[str, str]) -> str | None:
    """Fill every option not given on the command line from `environ`; a problem, or None."""
    for option, (variable, default) in FROM_ENVIRONMENT.items():
        if getattr(args, option) is not None:
            continue
        value = environ.get(variable) or default
        if option in WHOLE_NUMBERS:
            if not value.strip().isdigit():
                return f"{variable} must be a whole number, not {value!r}"
            value = int(value)
        elif option in ("watch", "docs"):
            value = value in ("1", "true", "yes")
        elif option == "access_log":
            value = value not in ("", "0", "false")
        setattr(args, option, value)
    args.log_unanswered = args.log_unanswered or None
    return None


def web_settings(args: argparse.Namespace, env: Environment):
    """The `WebSettings` the options make, or None after saying what is wrong with them."""
    from faqbot.web.config import WebSettings, parse_list, parse_origins, parse_rate_limit
    from faqbot.web.ratelimit import trusted_networks

    try:
        rate = parse_rate_limit(args.rate_limit)
    except ValueError as error:
        env.err(f"--rate-limit: {error} (try 30/minute or off)")
        return None
    proxies = parse_list(args.forwarded_allow_ips)
    try:
        trusted_networks(proxies)
    except ValueError as error:
        env.err(f"--forwarded-allow-ips: {error} (try 127.0.0.1 or 10.0.0.0/8)")
        return None
    problem = _limit_problem(args)
    if problem:
        env.err(problem)
        return None
    try:
        from_env = WebSettings.from_environ(env.environ)
    except ValueError:
        env.err("FAQBOT_MAX_BODY_BYTES and FAQBOT_MAX_HEADERS must be whole numbers")
        return None
    return WebSettings(
        kb=args.kb or env.environ.get("FAQBOT_KB") or None,
        origins=parse_origins(args.origins),
        rate_limit=rate,
        log_unanswered=args.log_unanswered,
        watch=args.watch,
        max_body_bytes=from_env.max_body_bytes,
        max_headers=from_env.max_headers,
        rate_limit_storage=args.rate_limit_storage,
        trusted_proxies=proxies,
        request_timeout=args.timeout_request,
        docs=args.docs,
    )


def _limit_problem(args: argparse.Namespace) -> str | None:
    if args.workers < 1:
        return "--workers must be at least 1"
    for flag, *_ in LIMITS:
        if getattr(args, flag[2:].replace("-", "_")) <= 0:
            return f"{flag} must be more than 0"
    if args.docs:
        from faqbot.web.docs_pages import docs_available

        if not docs_available():
            return "--docs needs the API docs' files offline: pip install 'faqbot[docs]'"
    return None
