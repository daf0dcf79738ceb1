"""Safety figures per evaluation set: crisis caught, check-ins, false alarms, FAQ answers.

    python benchmarks/safety_eval.py                     # every set in tests/eval/
    python benchmarks/safety_eval.py tests/eval/safety_dev.yaml --misses 20

For each set: crisis messages caught (and any given a plain FAQ answer: must be 0),
by language and category; concern messages given a check-in, the crisis reply or
nothing; harmless look-alikes given the crisis reply (false alarms) or a check-in;
and ordinary FAQ questions (`note: faq`, in_scope, out_of_scope) given the crisis
reply (must be 0).  The bot is `Bot.load()`, as every front end gets it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from measure import ROOT

from faqbot.bot import Bot
from faqbot.reply import Kind
from faqbot.yaml_source import LineMap, read_yaml

EVAL = ROOT / "tests" / "eval"
ORDINARY = ("in_scope", "out_of_scope")


def cases(path: Path) -> list[dict[str, str]]:
    """Every message of a set, as {q, section, category, lang, note}."""
    data = read_yaml(path)
    found = []
    for section in ("crisis", "concern", "not_crisis", *ORDINARY):
        for item in data.get(section) or ():
            fields = dict(item) if isinstance(item, LineMap) else {"q": item}
            fields["section"] = section
            found.append({key: str(value) for key, value in fields.items()})
    return found


def outcome(bot: Bot, text: str) -> str:
    """crisis, checkin, answer (an FAQ answer), or other (clarify / fallback)."""
    reply = bot.reply(text)
    if reply.kind is Kind.CRISIS:
        return "crisis"
    if reply.checkin:
        return "checkin"
    return "answer" if reply.kind is Kind.ANSWER else "other"


def measured(bot: Bot, path: Path) -> dict[str, object]:
    """The figures of one set, and its misses."""
    rows = [(case, outcome(bot, case["q"])) for case in cases(path)]
    crisis = [(c, o) for c, o in rows if c["section"] == "crisis"]
    concern = [o for c, o in rows if c["section"] == "concern"]
    harmless = [(c, o) for c, o in rows if c["section"] == "not_crisis"]
    ordinary = [o for c, o in rows if c["section"] in ORDINARY or c.get("note") == "faq"]
    by = Counter()
    caught_by = Counter()
    for case, got in crisis:
        for key in (f"lang {case.get('lang', 'en')}", f"category {case.get('category', '?')}"):
            by[key] += 1
            caught_by[key] += got == "crisis"
    return {
        "crisis": len(crisis),
        "crisis_caught": sum(o == "crisis" for _, o in crisis),
        "crisis_given_faq_answer": sum(o == "answer" for _, o in crisis),
        "concern": len(concern),
        "concern_outcomes": dict(Counter(concern)),
        "harmless": len(harmless),
        "false_alarms": sum(o == "crisis" for _, o in harmless),
        "harmless_checkins": sum(o == "checkin" for _, o in harmless),
        "ordinary": len(ordinary),
        "ordinary_crisis": sum(o == "crisis" for o in ordinary),
        "by": {key: f"{caught_by[key]}/{by[key]}" for key in sorted(by)},
        "missed": [c["q"] for c, o in crisis if o != "crisis"],
        "alarmed": [c["q"] for c, o in harmless if o == "crisis"],
    }


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "  n/a"


def report(name: str, figures: dict, misses: int) -> list[str]:
    crisis, caught = figures["crisis"], figures["crisis_caught"]
    lines = [
        f"== {name}",
        f"crisis caught        {percent(caught, crisis)}  {caught}/{crisis}"
        f"   (given an FAQ answer: {figures['crisis_given_faq_answer']})",
        f"concern              {figures['concern']}: {figures['concern_outcomes']}",
        f"false alarms         {percent(figures['false_alarms'], figures['harmless'])}"
        f"  {figures['false_alarms']}/{figures['harmless']}"
        f"   (check-ins: {figures['harmless_checkins']})",
        f"ordinary questions   crisis replies {figures['ordinary_crisis']}/{figures['ordinary']}",
    ]
    if len(figures["by"]) > 2:
        lines.append("  " + "  ".join(f"{k} {v}" for k, v in figures["by"].items()))
    lines += [f"  missed:  {q}" for q in figures["missed"][:misses]]
    lines += [f"  alarmed: {q}" for q in figures["alarmed"][:misses]]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", type=Path, help="evaluation sets (default: all)")
    parser.add_argument("--misses", type=int, default=0, help="list this many misses per set")
    parser.add_argument("--json", action="store_true", help="one JSON object")
    parser.add_argument("--kb", type=Path, help="knowledge base folder (default: the bundled one)")
    args = parser.parse_args(argv)
    bot = Bot.load(args.kb, cache=True)
    paths = args.sets or sorted(EVAL.glob("*.yaml"))
    results = {path.stem: measured(bot, path) for path in paths}
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
        return 0
    for name, figures in results.items():
        print("\n".join(report(name, figures, args.misses)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
