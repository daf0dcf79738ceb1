"""Errors meant for people: a maintainer reads these, so they carry file and line."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple


class Problem(NamedTuple):
    """One thing wrong in the knowledge base, printed as `file:line: message`."""

    path: Path | str
    line: int
    message: str
    severity: str = "error"
    # The file could not be read at all (not UTF-8, invalid YAML): see `first_causes`.
    unreadable: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return f"{where}: {prefix}{self.message}"


class KnowledgeError(Exception):
    """The knowledge base cannot be loaded; `problems` says exactly where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def first_causes(problems: list[Problem]) -> list[Problem]:
    """Only the unreadable files when there are any, else every problem.

    A file that cannot be parsed takes its ids, placeholders and settings with it, so
    the problems found elsewhere are mostly its consequences ("points to 'x', which does
    not exist"): a maintainer fixes the syntax error first and sees the rest on the next run.
    """
    unreadable = [p for p in problems if p.unreadable]
    return unreadable or problems
