"""Serve the JSON API, the embeddable widget and a demo page over HTTP.

  faqbot serve                                   (http://127.0.0.1:8000/)
  faqbot serve --origins https://www.example.org --host 0.0.0.0 --workers 2
  faqbot serve --rate-limit off --log-unanswered unanswered.sqlite3

Every option can also come from an environment variable (FAQBOT_HOST,
FAQBOT_PORT, FAQBOT_WORKERS, FAQBOT_KB, FAQBOT_ORIGINS, FAQBOT_RATE_LIMIT,
FAQBOT_LOG_UNANSWERED, FAQBOT_WATCH, FAQBOT_ACCESS_LOG, FAQBOT_DOCS,
FAQBOT_RATE_LIMIT_STORAGE, FAQBOT_FORWARDED_ALLOW_IPS and one per connection
limit, e.g. FAQBOT_TIMEOUT_KEEP_ALIVE; FAQBOT_MAX_BODY_BYTES and
FAQBOT_MAX_HEADERS have no flag); a flag wins over the variable.

Exit codes: 3 a knowledge base `faqbot check` rejects, 5 the port is in use,
6 the unanswered log cannot be opened or written, 7 the rate-limit storage
does not answer.  Each is found here, before any worker starts.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping

from faqbot.cli.common import add_kb_option
from faqbot.cli.environment import Environment, ExitStatus
from faqbot.web.config import (  # light: no web framework behind it
    DEFAULT_RATE_LIMIT,
    DEFAULT_RATE_LIMIT_STORAGE,
    DEFAULT_REQUEST_TIMEOUT,
)

NAME = "serve"
# A request line and headers together: 16 KiB, what h11 and most proxies allow.
MAX_HEAD_BYTES = 16 * 1024
HELP = "serve the JSON API, the chat widget and a demo page over HTTP"


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


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `faqbot serve`; unset ones are read from the environment in `run`."""
    parser.add_argument(
        "--host", help="address to listen on (default: 127.0.0.1, this machine only)"
    )
    parser.add_argument("--port", type=int, help="port to listen on (default: 8000)")
    parser.add_argument("--workers", type=int, help="worker processes (default: 1)")
    parser.add_argument(
        "--origins",
        metavar="URLS",
        help="comma-separated origins allowed to call the API from a browser (CORS; default: none)",
    )
    parser.add_argument(
        "--rate-limit",
        metavar="RATE",
        help=f"API requests per client address, e.g. 30/minute, or off "
        f"(default: {DEFAULT_RATE_LIMIT})",
    )
    parser.add_argument(
        "--log-unanswered",
        metavar="PATH",
        help="record questions the bot could not answer (redacted) in this "
        "SQLite file (default: off)",
    )
    parser.add_argument(
        "--watch",
        action="store_true",
        default=None,
        help="reload the knowledge base when its files change",
    )
    parser.add_argument(
        "--access-log",
        action="store_true",
        default=None,
        help="log one line per request with the client's address (default: off, because an "
        "address ties a person to visiting a sex-therapy FAQ)",
    )
    parser.add_argument(
        "--docs",
        action="store_true",
        default=None,
        help="serve browsable API docs at /docs, offline (needs faqbot[docs]; default: off)",
    )
    add_kb_option(parser)
    add_proxy_arguments(parser)
    add_limit_arguments(parser)


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


def run(args: argparse.Namespace, env: Environment) -> int:
    """Check the knowledge base and the options, then hand over to uvicorn."""
    from faqbot.cli.common import load_bot

    problem = with_environment(args, env.environ)
    if problem:
        env.err(problem)
        return ExitStatus.USAGE
    settings = _settings(args, env)
    if settings is None:
        return ExitStatus.USAGE
    status = _preflight(args, settings, env)
    if status != ExitStatus.OK:
        return status
    bot = load_bot(args, env)
    if bot is None or not _servable(bot, env):
        return ExitStatus.KNOWLEDGE_ERROR
    env.out(f"faqbot: {len(bot.knowledge.entries)} entries from {bot.knowledge.root}")
    if not settings.origins and not _is_loopback(args.host):
        env.err(NO_ORIGINS_WARNING)
    env.out(f"Open http://{_display_host(args.host)}:{args.port}/ (Ctrl-C stops the server).")
    if args.workers > 1:
        bot = None  # each worker reads its own copy; this process only watches over them
    return _serve(args, settings, bot)


def _preflight(args: argparse.Namespace, settings, env: Environment) -> ExitStatus:
    """What would make every worker fail, found once here: port, log, rate-limit storage."""
    from faqbot.cli.serve_checks import log_problem, port_problem, storage_problem

    checks = (
        (port_problem(args.host, args.port), ExitStatus.PORT_IN_USE),
        (log_problem(settings.log_unanswered), ExitStatus.LOG_UNUSABLE),
        (storage_problem(settings), ExitStatus.RATE_LIMIT_STORAGE_DOWN),
    )
    for problem, status in checks:
        if problem:
            env.err(problem)
            return status
    return ExitStatus.OK


def _servable(bot, env: Environment) -> bool:
    """False, after printing them as `faqbot check` does, when the bot has errors."""
    from faqbot.check import serving_problems

    errors = [p for p in serving_problems(bot) if p.severity == "error"]
    if errors:
        env.err("The knowledge base has problems (`faqbot check` lists them all):")
        for problem in errors:
            env.err(f"  {problem}")
    return not errors


def _settings(args: argparse.Namespace, env: Environment):
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


def _serve(args: argparse.Namespace, settings, bot) -> int:
    """Hand over to uvicorn: in this process with `bot`, or in `--workers` processes."""
    import uvicorn

    # Workers are separate processes, and the h11 protocol reads its head deadline there:
    # both rebuild the settings from the environment.
    os.environ.update(settings.to_environ())
    options = {**_uvicorn_options(args), "workers": args.workers}
    if args.workers == 1:
        # Served in this process: the bot just loaded and checked answers, not a second copy.
        from faqbot.web.app import bot_provider, create_app

        uvicorn.run(create_app(bot_provider(settings, bot), settings), **options)
        return ExitStatus.OK
    # Workers read the bot from the start-up cache the check above has filled.
    uvicorn.run("faqbot.web.app:app_from_env", factory=True, **options)
    return ExitStatus.OK


def _uvicorn_options(args: argparse.Namespace) -> dict:
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
        "log_config": _log_config(),
    }


NO_ORIGINS_WARNING = (
    "faqbot: warning: no --origins given, so browsers will refuse the widget on any site but "
    "this server's own demo page (CORS). Add --origins https://www.your-site.example."
)


def _is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (no other site can embed the widget)."""
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _log_config() -> dict:
    """uvicorn's logging, plus faqbot's own lines (a reload, its failure) at the same level."""
    from copy import deepcopy

    from uvicorn.config import LOGGING_CONFIG

    config = deepcopy(LOGGING_CONFIG)
    config["loggers"]["faqbot"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


def _display_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "::") else host
