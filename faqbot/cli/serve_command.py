"""Serve the JSON API, the embeddable widget and a demo page over HTTP.

  faqbot serve                                   (http://127.0.0.1:8000/)
  faqbot serve --origins https://www.example.org --host 0.0.0.0 --workers 2
  faqbot serve --rate-limit off --log-unanswered unanswered.sqlite3

Every option can also come from an environment variable (FAQBOT_HOST,
FAQBOT_PORT, FAQBOT_WORKERS, FAQBOT_KB, FAQBOT_ORIGINS, FAQBOT_RATE_LIMIT,
FAQBOT_LOG_UNANSWERED, FAQBOT_WATCH, FAQBOT_ACCESS_LOG; FAQBOT_MAX_BODY_BYTES has
no flag); a flag wins over the variable.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping

from faqbot.cli.common import add_kb_option
from faqbot.cli.environment import Environment, ExitStatus
from faqbot.web.config import DEFAULT_RATE_LIMIT  # light: no web framework behind it

NAME = "serve"
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
        help=f"requests per client address, e.g. 30/minute, or off "
        f"(default: {DEFAULT_RATE_LIMIT}; counted per worker)",
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
    add_kb_option(parser)


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
        elif option == "watch":
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
    bot = load_bot(args, env)
    if bot is None:
        return ExitStatus.KNOWLEDGE_ERROR
    env.out(f"faqbot: {len(bot.knowledge.entries)} entries from {bot.knowledge.root}")
    if not settings.origins and not _is_loopback(args.host):
        env.err(NO_ORIGINS_WARNING)
    env.out(f"Open http://{_display_host(args.host)}:{args.port}/ (Ctrl-C stops the server).")
    if args.workers > 1:
        bot = None  # each worker reads its own copy; this process only watches over them
    return _serve(args, settings, bot)


def _settings(args: argparse.Namespace, env: Environment):
    from faqbot.web.config import WebSettings, parse_origins, parse_rate_limit

    try:
        rate = parse_rate_limit(args.rate_limit)
    except ValueError as error:
        env.err(f"--rate-limit: {error} (try 30/minute or off)")
        return None
    if args.workers < 1:
        env.err("--workers must be at least 1")
        return None
    try:
        max_body_bytes = WebSettings.from_environ(env.environ).max_body_bytes
    except ValueError:
        env.err("FAQBOT_MAX_BODY_BYTES must be a whole number of bytes")
        return None
    return WebSettings(
        kb=args.kb or env.environ.get("FAQBOT_KB") or None,
        origins=parse_origins(args.origins),
        rate_limit=rate,
        log_unanswered=args.log_unanswered,
        watch=args.watch,
        max_body_bytes=max_body_bytes,
    )


def _serve(args: argparse.Namespace, settings, bot) -> int:
    """Hand over to uvicorn: in this process with `bot`, or in `--workers` processes."""
    import uvicorn

    options = {
        "host": args.host,
        "port": args.port,
        "server_header": False,
        "log_level": "info",
        "access_log": args.access_log,
    }
    if args.workers == 1:
        # Served in this process: the bot just loaded and checked answers, not a second copy.
        from faqbot.web.app import bot_provider, create_app

        uvicorn.run(create_app(bot_provider(settings, bot), settings), **options)
        return ExitStatus.OK
    # Workers are separate processes: they rebuild the settings from the environment and
    # read the bot from the start-up cache the check above has filled.
    os.environ.update(settings.to_environ())
    uvicorn.run("faqbot.web.app:app_from_env", factory=True, workers=args.workers, **options)
    return ExitStatus.OK


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


def _display_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "::") else host
