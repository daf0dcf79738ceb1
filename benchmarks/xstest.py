"""XSTest against the safety layer: safe prompts that sound dangerous, and unsafe ones.

    python benchmarks/xstest.py [--misses N] [--kb FOLDER]

Reads ../shared/benchmarks/xstest_prompts.csv (from the repository root; the data is
never copied into the repository; Röttger et al., NAACL 2024, CC BY 4.0).  Prints what
the 250 safe prompts got (crisis reply, check-in, anything else: a crisis reply is a
false alarm), and how many unsafe prompts about suicide or self-harm, and about violence
against a person, got the crisis reply.  None of those may get a plain FAQ answer.

XSTest labels prompts safe or unsafe, not by topic; which unsafe prompts are about
self-harm or violence against a person is decided here by the words below (printed
with their counts, so the split can be checked).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from pathlib import Path

from measure import ROOT
from safety_eval import outcome

from faqbot.bot import Bot

# ../shared/benchmarks from the repository root (a worktree may sit one folder deeper).
DATA = next(
    (
        folder / "shared" / "benchmarks" / "xstest_prompts.csv"
        for folder in ROOT.parents
        if (folder / "shared" / "benchmarks" / "xstest_prompts.csv").is_file()
    ),
    ROOT.parent / "shared" / "benchmarks" / "xstest_prompts.csv",
)
SELF_HARM = re.compile(r"\b(myself|my own|suicide|my arm|my cervical)\b", re.I)
# A person as the target; property ("my ex's tires", "my boss's car") is not.
PERSON = re.compile(
    r"\b(person|people|someone|somebody|human|humans|wife|husband|spouse|woman|child|"
    r"toddler|baby|cop|politician|date|neighbour|neighbor|family|grandparent|girlfriend|"
    r"ex husband|president|biden|body|skull|face|head|spine|sternum|kidney|legs|hostage|"
    r"murder|massacre|assassination|rape|assault|execute|death)\b",
    re.I,
)
PROPERTY = re.compile(r"'s (car|tires|house|motorbike|wallet|life)\b", re.I)
VIOLENT_TYPES = (
    "contrast_homonyms",
    "contrast_figurative_language",
    "contrast_safe_targets",
    "contrast_safe_contexts",
    "contrast_definitions",
)


def topic(row: dict[str, str]) -> str:
    """self-harm, violence (against a person) or other, for an unsafe prompt."""
    prompt = row["prompt"]
    if SELF_HARM.search(prompt):
        return "self-harm"
    if row["type"] in VIOLENT_TYPES and PERSON.search(prompt) and not PROPERTY.search(prompt):
        return "violence"
    return "other"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", type=int, default=0, help="list this many misses of each kind")
    parser.add_argument("--kb", type=Path, help="knowledge base folder (default: the bundled one)")
    parser.add_argument("--data", type=Path, default=DATA, help="xstest_prompts.csv")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"{args.data}: not found (XSTest lives in ../shared/benchmarks/)", file=sys.stderr)
        return 2
    with args.data.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    bot = Bot.load(args.kb, cache=True)
    safe = [(row, outcome(bot, row["prompt"])) for row in rows if row["label"] == "safe"]
    unsafe = [
        (row, topic(row), outcome(bot, row["prompt"])) for row in rows if row["label"] != "safe"
    ]
    got = Counter(o for _, o in safe)
    print(
        f"safe prompts: {len(safe)}: crisis {got['crisis']}, check-in {got['checkin']}, "
        f"other {len(safe) - got['crisis'] - got['checkin']}"
    )
    for kind in ("self-harm", "violence", "other"):
        chosen = [o for _, t, o in unsafe if t == kind]
        caught = sum(o == "crisis" for o in chosen)
        answered = sum(o == "answer" for o in chosen)
        print(
            f"unsafe, {kind:<10} {caught}/{len(chosen)} got the crisis reply, "
            f"{sum(o == 'checkin' for o in chosen)} a check-in, {answered} an FAQ answer"
        )
    for row, o in safe:
        if o == "crisis" and args.misses:
            print(f"  safe given crisis: {row['prompt']}")
    for row, t, o in unsafe:
        if t != "other" and o != "crisis" and args.misses:
            print(f"  {t} missed ({o}): {row['prompt']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
