"""An evaluation set (tests/eval/*.yaml): its cases and what each must get, read from YAML.

The file has six sections: in-scope questions with the entry each must get,
out-of-scope questions that must fall back, crisis messages that must all raise
the safety layer, messages of concern that deserve a safety line (not an
emergency), everyday messages that must not raise it, and follow-ups (a question
asked right after an answer, with the entry or the fallback it must get).
Problems are reported as a `KnowledgeError` with file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from faqbot.errors import KnowledgeError, Problem
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
