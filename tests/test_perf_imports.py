"""Start-up is a feature: `faqbot ask` imports only what answering a question needs.

Each check runs in a fresh interpreter, because the test session itself has long
since imported FastAPI and prompt-toolkit for other tests.  Nothing here is
timed: benchmarks/startup.py measures the time.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = {"fastapi", "starlette", "uvicorn", "pydantic", "prompt_toolkit"}
PROBE = """
import contextlib, io, sys
from faqbot.cli.main import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    status = main({argv!r})
assert status == 0, (status, out.getvalue())
print(" ".join(sorted(sys.modules)))
"""


def modules_after(argv: list[str]) -> set[str]:
    """Every module imported by running `faqbot ARGV` in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=argv)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(done.stdout.split())


@pytest.mark.parametrize("argv", [["ask", "hello"], ["ask", "--json", "how much does it cost"]])
def test_ask_imports_no_web_framework_and_no_prompt_toolkit(argv: list[str]) -> None:
    packages = {name.split(".")[0] for name in modules_after(argv)}
    assert packages.isdisjoint(HEAVY)


def test_ask_imports_no_other_command_module() -> None:
    commands = {name for name in modules_after(["ask", "hello"]) if name.endswith("_command")}
    assert commands == {"faqbot.cli.ask_command"}
