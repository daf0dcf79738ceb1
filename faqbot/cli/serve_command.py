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

from faqbot.cli.common import add_kb_option
from faqbot.cli.environment import Environment, ExitStatus
from faqbot.cli.serve_options import (
    add_limit_arguments,
    add_proxy_arguments,
    web_settings,
    with_environment,
)
from faqbot.web.config import DEFAULT_RATE_LIMIT  # light: no web framework behind it

NAME = "serve"
HELP = "serve the JSON API, the chat widget and a demo page over HTTP"


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


def run(args: argparse.Namespace, env: Environment) -> int:
    """Check the knowledge base and the options, then hand over to uvicorn."""
    from faqbot.cli.common import load_bot
    from faqbot.cli.serve_uvicorn import serve

    problem = with_environment(args, env.environ)
    if problem:
        env.err(problem)
        return ExitStatus.USAGE
    settings = web_settings(args, env)
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
    return serve(args, settings, bot)


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
