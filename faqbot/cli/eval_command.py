"""Measure the bot on an evaluation set: accuracy, fallbacks, crisis recall, misses.

  faqbot eval tests/eval/visitor_questions.yaml
  faqbot eval FILE --typos 2              (also every question with 2 misspelled copies)
  faqbot eval FILE --json                 (one JSON object, for machines)
  faqbot eval FILE --min-top1 0.9         (exit 4 below the bar: gate a deploy on it)

Exits 0 when every bar given is met, 4 when one is not, 3 when the knowledge
base does not load, 1 when the evaluation file has problems.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import IO, Any

from faqbot.cli.common import add_kb_option, eval_set_and_bot
from faqbot.cli.environment import Environment, ExitStatus, _isatty

NAME = "eval"
HELP = "measure accuracy, fallbacks and crisis recall on an evaluation set (YAML)"

PROGRESS_FROM = 200  # cases; smaller sets finish before a bar could be read
CHUNK = 25


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `faqbot eval`."""
    parser.add_argument("file", help="evaluation set (YAML), e.g. tests/eval/*.yaml")
    parser.add_argument(
        "--typos",
        type=int,
        default=0,
        metavar="N",
        help="also ask N misspelled copies of every question, reported apart",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed for --typos (default 0)")
    parser.add_argument("--json", action="store_true", help="print the results as one JSON object")
    parser.add_argument(
        "--misses",
        type=int,
        default=50,
        metavar="N",
        help="list at most N misses (default 50; 0 for none)",
    )
    bars = parser.add_argument_group("bars (exit status 4 when one is not met)")
    from faqbot.eval_report import BARS

    for option, (_, direction, label) in BARS.items():
        kind = int if option.startswith("max_") else float
        what = "share 0-1" if kind is float else "count"
        bars.add_argument(
            f"--{option.replace('_', '-')}",
            type=kind,
            default=None,
            metavar="X",
            help=f"{direction}imum {label} ({what})",
        )
    add_kb_option(parser)


def run(args: argparse.Namespace, env: Environment) -> int:
    """Evaluate, print the report, compare with the bars."""
    if args.typos < 0:
        env.err("--typos must be 0 or more")
        return ExitStatus.USAGE
    loaded = eval_set_and_bot(args, env)
    if not isinstance(loaded, tuple):
        return loaded
    eval_set, bot = loaded
    unknown = _unknown_ids(eval_set, bot)
    if unknown:
        env.err("The evaluation set names entries the knowledge base does not have:")
        env.err("\n".join(f"  {problem}" for problem in unknown))
        return ExitStatus.ERROR
    return _evaluate_and_report(bot, eval_set, args, env)


def _evaluate_and_report(bot, eval_set, args: argparse.Namespace, env: Environment) -> int:
    from faqbot.eval_report import failed_bars, miss_dict, summary_dict
    from faqbot.eval_typos import typo_cases

    started = time.perf_counter()
    typo_set = typo_cases(eval_set.cases, args.typos, args.seed) if args.typos else ()
    show_progress = _isatty(env.stderr) and len(eval_set.cases) + len(typo_set) >= PROGRESS_FROM
    progress = _Progress(env.stderr, len(eval_set.cases) + len(typo_set), show_progress)
    result = _evaluate(bot, eval_set.cases, progress)
    typo_result = _evaluate(bot, typo_set, progress) if typo_set else None
    progress.done()
    seconds = time.perf_counter() - started
    summary = summary_dict(result, typo_result, seconds)
    failed = failed_bars(summary, vars(args))
    if args.json:
        summary["failed_bars"] = failed
        summary["misses"] = [miss_dict(o, bot) for o in result.misses]
        env.out(json.dumps(summary, ensure_ascii=False))
    else:
        env.out(report_text(result, typo_result, summary, args.misses, bot))
    for message in failed:
        env.err(f"below the bar: {message}")
    return ExitStatus.BELOW_BAR if failed else ExitStatus.OK


def _evaluate(bot, cases, progress: _Progress):
    """`evaluate` in chunks, so the progress bar can move; the result is the same."""
    from faqbot.evaluation import EvalResult, evaluate

    outcomes = []
    for start in range(0, len(cases), CHUNK):
        outcomes.extend(evaluate(bot, cases[start : start + CHUNK]).outcomes)
        progress.advance(len(cases[start : start + CHUNK]))
    return EvalResult(tuple(outcomes))


def report_text(result, typo_result, summary: dict[str, Any], miss_limit: int, bot) -> str:
    """The report a maintainer reads: figures first, then misses, then confused pairs."""
    cases = summary["cases"]
    in_scope = cases["in_scope"]
    lines = [
        f"top-1 accuracy         {_percent(result.top1, in_scope)}  of {in_scope} in-scope",
        f"resolved by a clarify  {_percent(result.clarify_resolved, in_scope)}",
        f"out-of-scope fallback  {_percent(result.fallback_rate, cases['out_of_scope'])}  "
        f"of {cases['out_of_scope']}",
        f"crisis recall          {_percent(result.crisis_recall, cases['crisis'])}  "
        f"of {cases['crisis']}",
        f"follow-ups right       {_percent(result.follow_up_rate, cases['follow_ups'])}  "
        f"of {cases['follow_ups']}",
        f"false crisis alarms    {result.false_alarms:>6}  "
        f"in {sum(cases.values()) - cases['crisis']} non-crisis messages",
        f"forbidden answers      {result.forbidden_hits:>6}",
    ]
    if typo_result is not None:
        typos = summary["typos"]
        lines += [
            "",
            f"with typos ({typos['cases']} misspelled copies):",
            f"  top-1 accuracy       {_percent(typo_result.top1, in_scope)}",
            f"  clarify resolved     {_percent(typo_result.clarify_resolved, in_scope)}",
            f"  crisis recall        {_percent(typo_result.crisis_recall, cases['crisis'])}",
            f"  false crisis alarms  {typo_result.false_alarms:>6}",
        ]
    lines += _miss_lines(result.misses, miss_limit, bot)
    lines += _pair_lines(summary["confused_pairs"])
    total = sum(cases.values()) + (summary["typos"]["cases"] if typo_result else 0)
    lines += ["", f"{total} questions in {summary['seconds']:.2f} s"]
    return "\n".join(lines)


def _miss_lines(misses, limit: int, bot) -> list[str]:
    from faqbot.eval_report import best_candidate, expected_label

    if not misses or limit <= 0:
        return []
    lines = ["", f"misses ({len(misses)}): question → expected → got (score)"]
    for outcome in misses[:limit]:
        options = ", ".join(o.id for o in outcome.reply.options)
        got = (
            f"{outcome.got} [{options}] ({outcome.reply.score:.1f})"
            if options
            else (f"{outcome.got} ({outcome.reply.score:.1f})")
        )
        best = best_candidate(outcome, bot)
        if best is not None:
            got += f", closest {best.entry.id} ({best.score:.1f})"
        after = f"(after {outcome.case.previous}) " if outcome.case.previous else ""
        lines.append(f"  line {outcome.case.line:<4} {after}{outcome.case.question}")
        lines.append(f"{'':12}→ {expected_label(outcome.case)} → {got}")
    if len(misses) > limit:
        lines.append(f"  … and {len(misses) - limit} more (--misses N to see them)")
    return lines


def _pair_lines(pairs: list[dict[str, Any]]) -> list[str]:
    if not pairs:
        return []
    lines = ["", "most often confused (expected → got):"]
    lines += [f"  {p['count']:>3} × {p['expected']} → {p['got']}" for p in pairs]
    return lines


def _unknown_ids(eval_set, bot) -> list[str]:
    problems = []
    for case in eval_set.cases:
        for entry_id in (case.expect, case.previous, *case.forbidden):
            if entry_id and bot.entry(entry_id) is None:
                problems.append(f"{eval_set.path}:{case.line}: no entry with id '{entry_id}'")
    return problems


def _percent(share: float, count: int) -> str:
    """A share as a percentage, or n/a for a section the set does not have."""
    return f"{share * 100:5.1f}%" if count else "   n/a"


class _Progress:
    """A one-line bar on standard error, only on a terminal and only for long sets."""

    def __init__(self, stream: IO[str], total: int, enabled: bool) -> None:
        self.stream, self.total, self.enabled, self.count = stream, total, enabled, 0

    def advance(self, step: int) -> None:
        self.count += step
        if self.enabled:
            filled = 30 * self.count // max(self.total, 1)
            bar = "#" * filled + "." * (30 - filled)
            self.stream.write(f"\r[{bar}] {self.count}/{self.total}")
            self.stream.flush()

    def done(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * 50 + "\r")
            self.stream.flush()
