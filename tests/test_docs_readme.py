"""The README is tested: every command is documented with its help text; CI runs its commands."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from faqbot.cli.main import COMMANDS, command_modules

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_in_the_readme_with_its_help_text(name):
    module = command_modules()[name]
    assert f"| `faqbot {name}` | {module.HELP} |" in README


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_and_a_docstring(name):
    module = command_modules()[name]
    assert module.HELP.strip() and module.__doc__ and module.__doc__.strip()


def test_ci_runs_the_readme_test_command():
    block = re.search(r"<!-- test-command -->\s*```\n(.+?)\n```", README, re.S)
    assert block, "the README must mark its test command"
    command = block.group(1).strip()
    assert "pytest" in command and "pip install" in command
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "test-command" in ci  # .ci/run extracts the marked command rather than copying it


def test_the_readme_names_both_setup_commands():
    assert 'pip install ".[web]" && faqbot' in README
