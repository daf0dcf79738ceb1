"""A maintainer's own knowledge base: `faqbot init`, the notice about the bundled copy,
one syntax error reported alone, and `ask` without a question."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from faqbot.cli.environment import Environment, ExitStatus
from faqbot.cli.main import main
from faqbot.paths import bundled_knowledge_dir

REPO = Path(__file__).resolve().parent.parent
MARKER = "Our new booking line opens at nine in the morning."


def run(*argv: str, environ: dict | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    env = Environment(stdin=io.StringIO(), stdout=out, stderr=err, environ=environ or {})
    status = main(list(argv), env)
    return status, out.getvalue(), err.getvalue()


def test_init_copies_the_bundled_knowledge_base_and_says_how_to_use_it(tmp_path):
    target = tmp_path / "my-practice"
    status, out, _ = run("init", str(target))
    assert status == ExitStatus.OK
    bundled = sorted(
        p.relative_to(bundled_knowledge_dir()) for p in bundled_knowledge_dir().rglob("*.yaml")
    )
    assert sorted(p.relative_to(target) for p in target.rglob("*.yaml")) == bundled
    assert f"--kb {target}" in out and "FAQBOT_KB=" in out
    assert run("check", "--kb", str(target))[0] == ExitStatus.OK


def test_init_refuses_a_folder_that_is_not_empty_and_touches_nothing(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    status, _, err = run("init", str(tmp_path))
    assert status == ExitStatus.ERROR and "not an empty folder" in err
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_command_reading_the_bundled_copy_says_so_first_when_knowledge_is_here(
    tmp_path, monkeypatch
):
    shutil.copytree(REPO / "knowledge", tmp_path / "knowledge")
    monkeypatch.chdir(tmp_path)
    _, _, err = run("ask", "is there homework?")
    first = err.splitlines()[0]
    assert "reading the bundled knowledge base" in first and "--kb knowledge" in first
    assert run("ask", "--kb", "knowledge", "is there homework?")[2] == ""
    assert run("ask", "is there homework?", environ={"FAQBOT_KB": "knowledge"})[2] == ""


def test_no_notice_without_a_knowledge_folder_here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("ask", "is there homework?")[2] == ""


@pytest.mark.parametrize("name", ["faq/practical.yaml", "practice.yaml", "safety.yaml"])
def test_one_syntax_error_is_reported_alone_with_its_file_and_line(kb_copy, name):
    # Without its ids, placeholders or settings, other files would have "problems" too.
    path = kb_copy / name
    lines = path.read_text(encoding="utf-8").splitlines()
    broken = next(i for i, line in enumerate(lines) if re.match(r"[a-z_]+: \S", line))
    lines[broken] = lines[broken].replace(": ", ": [", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    status, _, err = run("check", "--kb", str(kb_copy))
    assert status == ExitStatus.KNOWLEDGE_ERROR
    problems = [line.strip() for line in err.splitlines()[1:]]
    assert len(problems) == 1, problems
    where, _, message = problems[0].rpartition(": invalid YAML: ")
    assert message and where.startswith(f"{path}:")
    assert int(where.rsplit(":", 1)[1]) >= broken + 1


def test_ask_without_a_question_is_a_usage_error():
    for argv in (["ask"], ["ask", "  "]):
        status, out, err = run(*argv)
        assert status == ExitStatus.USAGE and out == "" and "give a question" in err


MAINTAINER_EVAL = """\
in_scope:
  - q: how would i go about booking a first consultation
    expect: book-consultation
out_of_scope:
  - what is the capital of mongolia
"""


def faqbot(site: Path, cwd: Path, *argv: str, **environ: str) -> subprocess.CompletedProcess:
    """The installed faqbot (not this checkout), run from `cwd`."""
    inherited = {k: v for k, v in os.environ.items() if k != "FAQBOT_KB"}
    env = {**inherited, "PYTHONPATH": str(site), **environ}
    return subprocess.run(
        [sys.executable, "-m", "faqbot", *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_the_maintainer_loop_from_a_non_editable_install(tmp_path):
    wheels, site, work = tmp_path / "wheels", tmp_path / "site", tmp_path / "work"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(wheels), str(REPO)], check=True)
    wheel = next(wheels.glob("faqbot-*.whl"))
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], check=True)
    work.mkdir()
    (work / "knowledge").mkdir()  # a folder the maintainer might think is being read

    bundled = faqbot(site, work, "check")
    assert bundled.returncode == 0
    first = bundled.stderr.splitlines()[0]
    assert "reading the bundled knowledge base" in first and str(site) in first

    assert faqbot(site, work, "init", "mine").returncode == 0
    practical = work / "mine" / "faq" / "practical.yaml"
    text = practical.read_text(encoding="utf-8")
    assert "You can set up a consultation" in text
    practical.write_text(
        text.replace("You can set up a consultation", MARKER + " You can set up a consultation", 1),
        encoding="utf-8",
    )

    check = faqbot(site, work, "check", "--kb", "mine")
    assert check.returncode == 0 and check.stdout.startswith("OK:"), check.stderr
    asked = faqbot(site, work, "ask", "--kb", "mine", "how do I book a consultation?")
    assert MARKER in asked.stdout and asked.stderr == ""
    by_variable = faqbot(site, work, "ask", "how do I book a consultation?", FAQBOT_KB="mine")
    assert MARKER in by_variable.stdout
    assert MARKER not in faqbot(site, work, "ask", "how do I book a consultation?").stdout

    (work / "mine.eval.yaml").write_text(MAINTAINER_EVAL, encoding="utf-8")
    evaluated = faqbot(site, work, "eval", "mine.eval.yaml", "--kb", "mine", "--json")
    assert evaluated.returncode == 0, evaluated.stderr
    assert '"top1": 1.0' in evaluated.stdout
