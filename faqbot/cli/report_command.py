"""What visitors asked that the bot could not answer, grouped: the to-do list for the next edit.

  faqbot report unanswered.sqlite3
  faqbot report unanswered.sqlite3 --since 2026-11-01
  faqbot report unanswered.sqlite3 --json
  faqbot report unanswered.sqlite3 --purge-before 2026-06-01   (deletes older rows)

The log is written by `faqbot serve --log-unanswered PATH` or `faqbot chat
--log-unanswered PATH`.  Also lists the answers visitors rated least helpful.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from faqbot.cli.common import add_kb_option, load_bot
from faqbot.cli.environment import Environment, ExitStatus

NAME = "report"
HELP = "group the questions the bot could not answer (from --log-unanswered) and list ratings"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `faqbot report`."""
    parser.add_argument("path", help="the SQLite file given to --log-unanswered")
    parser.add_argument(
        "--since",
        type=_date,
        metavar="DATE",
        help="only questions and ratings from this day on (YYYY-MM-DD)",
    )
    parser.add_argument(
        "--purge-before",
        type=_date,
        metavar="DATE",
        help="delete questions and ratings dated before this day, then stop",
    )
    parser.add_argument(
        "--groups", type=int, default=20, metavar="N", help="show the N biggest groups (default 20)"
    )
    parser.add_argument(
        "--sample",
        type=int,
        default=5,
        metavar="N",
        help="show up to N questions per group (default 5)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")
    add_kb_option(parser)


def run(args: argparse.Namespace, env: Environment) -> int:
    """Purge, or read, group and print."""
    from faqbot.unanswered import UnansweredLog, UnansweredLogError

    try:
        log = UnansweredLog(args.path, create=False)
        if args.purge_before:
            return _purge(log, args.purge_before, env)
        bot = load_bot(args, env)
        if bot is None:
            return ExitStatus.KNOWLEDGE_ERROR
        from faqbot.unanswered_report import build_report

        report = build_report(log, bot, args.since)
    except UnansweredLogError as error:
        env.err(str(error))
        return ExitStatus.ERROR
    if args.json:
        env.out(json.dumps(report_dict(report, args.groups, args.sample), ensure_ascii=False))
    else:
        env.out(report_text(report, args.groups, args.sample))
    return ExitStatus.OK


def _purge(log, before: date, env: Environment) -> int:
    purged = log.purge_before(before)
    env.out(
        f"Deleted {purged.questions} question(s) and {purged.ratings} rating(s) "
        f"dated before {before.isoformat()}."
    )
    return ExitStatus.OK


def report_dict(report, groups: int, sample: int) -> dict[str, Any]:
    """The report as JSON-ready data."""
    return {
        "since": report.since.isoformat() if report.since else None,
        "questions": report.total,
        "groups": [
            {
                "count": group.count,
                "kinds": group.kinds,
                "sample": list(group.sample(sample)),
                "closest": _closest_dict(group.closest),
            }
            for group in report.groups[:groups]
        ],
        "least_helpful": [
            {"id": r.entry_id, "helpful": r.helpful, "not_helpful": r.not_helpful}
            for r in report.least_helpful
        ],
    }


def report_text(report, groups: int, sample: int) -> str:
    """The report a maintainer reads: biggest groups first, then the least helpful answers."""
    since = f" since {report.since.isoformat()}" if report.since else ""
    lines = [f"{report.total} unanswered question(s){since} in {len(report.groups)} group(s)."]
    for number, group in enumerate(report.groups[:groups], start=1):
        lines += ["", *_group_lines(number, group, sample)]
    if len(report.groups) > groups:
        lines += ["", f"… and {len(report.groups) - groups} smaller group(s) (--groups N)"]
    lines += ["", *_rating_lines(report.least_helpful)]
    return "\n".join(lines)


def _group_lines(number: int, group, sample: int) -> list[str]:
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(group.kinds.items()))
    lines = [f"{number}. {group.count} question(s) ({kinds})"]
    lines += [f"     “{question}”" for question in group.sample(sample)]
    if len(group.questions) > sample:
        lines.append(f"     … {len(group.questions) - sample} more wording(s)")
    closest = group.closest
    if closest is None:
        lines.append("   closest entry: none (no entry shares a word with these)")
    else:
        lines.append(
            f"   closest entry: {closest.id} “{closest.question}” (score {closest.score:.1f})"
        )
    return lines


def _rating_lines(ratings) -> list[str]:
    if not ratings:
        return ["No answer was rated unhelpful."]
    lines = ["Answers rated least helpful:"]
    width = max(len(r.entry_id) for r in ratings)
    for r in ratings:
        lines.append(f"  {r.entry_id:<{width}}  {r.not_helpful} not helpful, {r.helpful} helpful")
    return lines


def _closest_dict(closest) -> dict[str, Any] | None:
    if closest is None:
        return None
    return {"id": closest.id, "question": closest.question, "score": closest.score}


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None
