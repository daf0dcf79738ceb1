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

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return f"{where}: {prefix}{self.message}"


class KnowledgeError(Exception):
    """The knowledge base cannot be loaded; `problems` says exactly where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
