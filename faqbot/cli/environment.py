"""All command-line I/O goes through an `Environment`, so tests can hand in a fake one."""

from __future__ import annotations

import os
import sys
from enum import IntEnum
from typing import IO


class ExitStatus(IntEnum):
    """What a `faqbot` command's exit code means."""

    OK = 0
    ERROR = 1
    USAGE = 2
    KNOWLEDGE_ERROR = 3
    BELOW_BAR = 4
    PORT_IN_USE = 5
    LOG_UNUSABLE = 6
    RATE_LIMIT_STORAGE_DOWN = 7


class Environment:
    """Streams and terminal facts for one command run."""

    def __init__(
        self,
        stdin: IO[str] | None = None,
        stdout: IO[str] | None = None,
        stderr: IO[str] | None = None,
        stdin_isatty: bool | None = None,
        stdout_isatty: bool | None = None,
        environ: dict[str, str] | None = None,
    ) -> None:
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self.stdin_isatty = _isatty(self.stdin) if stdin_isatty is None else stdin_isatty
        self.stdout_isatty = _isatty(self.stdout) if stdout_isatty is None else stdout_isatty
        self.environ = dict(os.environ) if environ is None else environ

    @property
    def colors(self) -> bool:
        """Colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
        no_color = "NO_COLOR" in self.environ and self.environ["NO_COLOR"] != ""
        return bool(self.stdout_isatty) and not no_color and self.environ.get("TERM") != "dumb"

    def out(self, text: str = "") -> None:
        """Write a line to standard output."""
        print(text, file=self.stdout, flush=True)

    def err(self, text: str) -> None:
        """Write a line to standard error."""
        print(text, file=self.stderr, flush=True)

    def input_lines(self):
        """Standard input line by line; invalid UTF-8 is replaced, never fatal."""
        buffer = getattr(self.stdin, "buffer", None)
        if buffer is None:
            yield from (line.rstrip("\r\n") for line in self.stdin)
            return
        for raw in buffer:
            yield raw.decode("utf-8", errors="replace").rstrip("\r\n")


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
