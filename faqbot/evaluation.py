"""Run an evaluation set through the bot and measure what matters to visitors.

The set (tests/eval/*.yaml) has five sections: in-scope questions with the entry
each must get, out-of-scope questions that must fall back, crisis messages that
must all raise the safety layer, messages of concern that deserve a safety line
(not an emergency), everyday messages that must not raise it, and follow-ups (a
question asked right after an answer, with the entry or the fallback it must
get).  The same `Bot.reply` every front end uses is measured, nothing else.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from faqbot.bot import Bot, Context
from faqbot.errors import KnowledgeError, Problem
from faqbot.reply import Kind, Reply
from faqbot.yaml_source import LineList, LineMap, read_yaml

SECTIONS = ("in_scope", "out_of_scope", "crisis", "concern", "not_crisis", "follow_ups")
# A follow-up that must get the referral says so instead of naming an entry.
FALLBACK = "fallback"


@dataclass(frozen=True, slots=True)
class Case:
    """One evaluation question and what it must get."""

    question: str
    section: str
    expect: str | None = None
    forbidden: tuple[str, ...] = ()
    line: int = 0
    # The entry answered just before (follow-ups only).
    previous: str | None = None


@dataclass(frozen=True, slots=True)
class EvalSet:
    """The cases of one evaluation file, in file order."""

    path: Path
    cases: tuple[Case, ...]

    def section(self, name: str) -> tuple[Case, ...]:
        """The cases of one section."""
        return tuple(case for case in self.cases if case.section == name)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the bot did with one case, and whether that was right."""

    case: Case
    reply: Reply

    @property
    def passed(self) -> bool:
        """Right kind, right entry, and none of the forbidden ones."""
        reply, case = self.reply, self.case
        if reply.id is not None and reply.id in case.forbidden:
            return False
        if case.section == "crisis":
            return reply.kind is Kind.CRISIS
        if case.section == "concern":
            # Deserves a safety line with the resources: a check-in, or the crisis reply.
            return reply.kind is Kind.CRISIS or bool(reply.checkin)
        if case.section == "out_of_scope" or (case.section == "follow_ups" and not case.expect):
            return reply.kind is Kind.FALLBACK
        if case.section == "not_crisis" and case.expect is None:
            return reply.kind is not Kind.CRISIS
        return reply.kind is Kind.ANSWER and reply.id == case.expect

    @property
    def clarified(self) -> bool:
        """A clarify reply that offers the expected entry among its options."""
        return self.reply.kind is Kind.CLARIFY and any(
            option.id == self.case.expect for option in self.reply.options
        )

    @property
    def got(self) -> str:
        """A short label for what the bot did: an entry id or the reply kind."""
        return self.reply.id or str(self.reply.kind)


@dataclass(frozen=True, slots=True)
class EvalResult:
    """All outcomes, with the rates the README and the tests quote."""

    outcomes: tuple[Outcome, ...]
    by_section: dict[str, tuple[Outcome, ...]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        grouped = {
            name: tuple(o for o in self.outcomes if o.case.section == name) for name in SECTIONS
        }
        object.__setattr__(self, "by_section", grouped)

    def rate(self, section: str, test: Callable[[Outcome], bool]) -> float:
        """Share of a section's outcomes for which `test` holds (1.0 for an empty section)."""
        outcomes = self.by_section[section]
        return sum(map(test, outcomes)) / len(outcomes) if outcomes else 1.0

    @property
    def top1(self) -> float:
        """In-scope questions answered straight away with the right entry."""
        return self.rate("in_scope", lambda o: o.passed)

    @property
    def clarify_resolved(self) -> float:
        """In-scope questions that got a clarify offering the right entry."""
        return self.rate("in_scope", lambda o: o.clarified)

    @property
    def fallback_rate(self) -> float:
        """Out-of-scope questions that fell back to the referral."""
        return self.rate("out_of_scope", lambda o: o.passed)

    @property
    def follow_up_rate(self) -> float:
        """Follow-ups that got the entry, or the fallback, they must get."""
        return self.rate("follow_ups", lambda o: o.passed)

    @property
    def crisis_recall(self) -> float:
        """Crisis messages that raised the safety layer."""
        return self.rate("crisis", lambda o: o.passed)

    @property
    def false_alarms(self) -> int:
        """Harmless messages (not crisis, not concern) that got the crisis reply."""
        return sum(
            1
            for o in self.outcomes
            if o.case.section not in ("crisis", "concern") and o.reply.kind is Kind.CRISIS
        )

    @property
    def forbidden_hits(self) -> int:
        """Answers with an id the case says must never be given."""
        return sum(1 for o in self.outcomes if o.reply.id in o.case.forbidden)

    @property
    def misses(self) -> tuple[Outcome, ...]:
        """Every outcome that did not pass, in file order."""
        return tuple(o for o in self.outcomes if not o.passed)

    def confused_pairs(self, limit: int = 10) -> list[tuple[tuple[str, str], int]]:
        """(expected, got) pairs among in-scope misses, most frequent first."""
        pairs = Counter(
            (o.case.expect or "", o.got)
            for o in self.by_section["in_scope"]
            if not o.passed and not o.clarified
        )
        return pairs.most_common(limit)


def evaluate(bot: Bot, eval_set: EvalSet | Iterable[Case]) -> EvalResult:
    """Ask the bot every case's question (each on its own; a follow-up after its answer)."""
    cases = eval_set.cases if isinstance(eval_set, EvalSet) else tuple(eval_set)
    return EvalResult(tuple(Outcome(case, _asked(bot, case)) for case in cases))


def _asked(bot: Bot, case: Case) -> Reply:
    return bot.reply(case.question, Context(previous_id=case.previous) if case.previous else None)


def load_eval_set(path: Path | str) -> EvalSet:
    """Read an evaluation file; problems raise `KnowledgeError` with file:line."""
    path = Path(path)
    data = read_yaml(path)
    if not isinstance(data, LineMap):
        raise KnowledgeError([Problem(path, 1, "expected the sections " + ", ".join(SECTIONS))])
    problems: list[Problem] = []
    cases: list[Case] = []
    for section in SECTIONS:
        items = data.get(section) or LineList()
        if not isinstance(items, LineList):
            problems.append(Problem(path, data.line_of(section), f"`{section}` must be a list"))
            continue
        for index, item in enumerate(items):
            line = items.line_of(index) if isinstance(items, LineList) else 0
            case = _follow_up(item, line) if section == "follow_ups" else _case(item, section, line)
            if case is None:
                problems.append(Problem(path, line, _FORMATS.get(section, _FORMATS["in_scope"])))
            else:
                cases.append(case)
    unknown = set(data) - set(SECTIONS)
    problems.extend(Problem(path, data.line_of(k), f"unknown section `{k}`") for k in unknown)
    if problems:
        raise KnowledgeError(problems)
    return EvalSet(path, tuple(cases))


_FORMATS = {
    "in_scope": "each item is text, or `q:` text with an optional `expect:` id "
    "and `not:` list of ids",
    "follow_ups": "follow_ups: each item has `after:` the id answered before, `q:` text "
    f"and `expect:` an id or `{FALLBACK}`",
}


def _follow_up(item: object, line: int) -> Case | None:
    """`after:` id, `q:` text, `expect:` id or `fallback`."""
    if not isinstance(item, dict) or not all(
        isinstance(item.get(key), str) and item[key].strip() for key in ("after", "q", "expect")
    ):
        return None
    expect = None if item["expect"] == FALLBACK else item["expect"]
    return Case(item["q"], "follow_ups", expect, line=line, previous=item["after"])


def _case(item: object, section: str, line: int) -> Case | None:
    if isinstance(item, str) and item.strip():
        return Case(item, section, line=line)
    if not isinstance(item, dict) or not isinstance(item.get("q"), str):
        return None
    forbidden = item.get("not") or ()
    if isinstance(forbidden, str):
        forbidden = (forbidden,)
    if not isinstance(forbidden, list | tuple):
        return None
    forbidden = tuple(map(str, forbidden))
    expect = item.get("expect")
    return Case(item["q"], section, str(expect) if expect else None, forbidden, line)


# --- Judgement: the figures, bars and misses `faqbot eval` reports ----------------------

# option name -> (EvalResult attribute, direction, label); "typo_" reads the typo result.
BARS = {
    "min_top1": ("top1", "min", "top-1 accuracy"),
    "min_answered_or_clarified": ("answered_or_clarified", "min", "answered or clarified"),
    "min_fallback": ("fallback_rate", "min", "out-of-scope fallback rate"),
    "min_crisis_recall": ("crisis_recall", "min", "crisis recall"),
    "min_follow_ups": ("follow_up_rate", "min", "follow-ups right"),
    "max_false_alarms": ("false_alarms", "max", "false crisis alarms"),
    "max_forbidden": ("forbidden_hits", "max", "forbidden answers"),
    "min_typo_top1": ("typo_top1", "min", "top-1 accuracy with typos"),
}


def summary_dict(
    result: EvalResult, typo_result: EvalResult | None, seconds: float
) -> dict[str, Any]:
    """The figures a report or a deploy gate needs, JSON-ready."""
    summary: dict[str, Any] = {
        "cases": {name: len(result.by_section[name]) for name in result.by_section},
        "top1": round(result.top1, 4),
        "clarify_resolved": round(result.clarify_resolved, 4),
        "answered_or_clarified": round(result.top1 + result.clarify_resolved, 4),
        "fallback_rate": round(result.fallback_rate, 4),
        "crisis_recall": round(result.crisis_recall, 4),
        "follow_up_rate": round(result.follow_up_rate, 4),
        "false_alarms": result.false_alarms,
        "forbidden_hits": result.forbidden_hits,
        "confused_pairs": [
            {"expected": e, "got": g, "count": n} for (e, g), n in result.confused_pairs()
        ],
        "seconds": round(seconds, 3),
    }
    if typo_result is not None:
        summary["typos"] = {
            "cases": len(typo_result.outcomes),
            "top1": round(typo_result.top1, 4),
            "clarify_resolved": round(typo_result.clarify_resolved, 4),
            "fallback_rate": round(typo_result.fallback_rate, 4),
            "crisis_recall": round(typo_result.crisis_recall, 4),
            "false_alarms": typo_result.false_alarms,
        }
        summary["typo_top1"] = summary["typos"]["top1"]
    return summary


def failed_bars(summary: dict[str, Any], bars: Mapping[str, Any]) -> list[str]:
    """One sentence per bar given (option name -> value or None) that the results miss."""
    failed = []
    for option, (key, direction, label) in BARS.items():
        bar = bars.get(option)
        if bar is None:
            continue
        value = summary.get(key)
        if value is None:
            failed.append(f"{label}: not measured (add --typos N)")
        elif (value < bar) if direction == "min" else (value > bar):
            failed.append(f"{label} is {_figure(value)}, the bar is {_figure(bar)}")
    return failed


def miss_dict(outcome: Outcome, bot: Bot) -> dict[str, Any]:
    """One miss as JSON: where it is, what was expected, what the bot did."""
    best = best_candidate(outcome, bot)
    return {
        "line": outcome.case.line,
        "section": outcome.case.section,
        "question": outcome.case.question,
        "expected": expected_label(outcome.case),
        "got": outcome.got,
        "score": round(outcome.reply.score, 1),
        "options": [option.id for option in outcome.reply.options],
        "best": {"id": best.entry.id, "score": round(best.score, 1)} if best else None,
        **({"after": outcome.case.previous} if outcome.case.previous else {}),
    }


def best_candidate(outcome, bot):
    """For a fallback or crisis miss, the entry retrieval liked best (None if none)."""
    if outcome.reply.id is not None or outcome.reply.options:
        return None
    candidates = bot.explain(outcome.case.question, limit=1).candidates
    return candidates[0] if candidates else None


def expected_label(case: Case) -> str:
    """What a case must get, as a miss lists it: an entry id, crisis, fallback, not crisis."""
    if case.expect:
        return case.expect
    sections = {"crisis": "crisis", "out_of_scope": "fallback", "follow_ups": "fallback"}
    return sections.get(case.section, "not crisis")


def _figure(value: float) -> str:
    return f"{value:g}"


# --- Typo robustness (`faqbot eval --typos N`) ---------------------------------------------

TYPO_KINDS = ("drop", "double", "swap")
_TYPO_WORD = re.compile(r"[^\W\d_]{4,}")


def typo_variant(text: str, rng: random.Random) -> str:
    """`text` with one dropped, doubled or swapped letter in one word of 4+ letters."""
    words = list(_TYPO_WORD.finditer(text))
    if not words:
        return text
    match = rng.choice(words)
    word = match.group(0)
    # Never the first letter: people rarely mistype it, and it keeps the variant realistic.
    at = rng.randrange(1, len(word) - 1)
    kind = rng.choice(TYPO_KINDS)
    if kind == "drop":
        typo = word[:at] + word[at + 1 :]
    elif kind == "double":
        typo = word[: at + 1] + word[at:]
    else:
        typo = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    return text[: match.start()] + typo + text[match.end() :]


def typo_cases(cases: Iterable[Case], per_case: int, seed: int = 0) -> tuple[Case, ...]:
    """Up to `per_case` distinct misspelled copies of every case; the same seed, the same copies."""
    variants: list[Case] = []
    for case in cases:
        rng = random.Random(f"{seed}:{case.question}")
        seen = {case.question}
        for _ in range(per_case * 10):
            if len(seen) > per_case:
                break
            question = typo_variant(case.question, rng)
            if question not in seen:
                seen.add(question)
                variants.append(replace(case, question=question))
    return tuple(variants)
