"""`faqbot ask` and `faqbot check`, in-process (fake environment) and as real subprocesses."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from faqbot.cli.environment import Environment
from faqbot.cli.main import main


class Captured:
    """The result of one in-process run: exit status, stdout and stderr text."""

    def __init__(self, args: list[str], stdin: bytes = b"") -> None:
        out, err = io.StringIO(), io.StringIO()
        stream = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
        env = Environment(stdin=stream, stdout=out, stderr=err, environ={})
        self.status = main(args, env)
        self.out, self.err = out.getvalue(), err.getvalue()


def run_faqbot(*args: str, stdin: bytes = b"", cwd: Path | None = None):
    return subprocess.run(
        [sys.executable, "-m", "faqbot", *args],
        input=stdin,
        capture_output=True,
        # A bound for a hang, not a speed test: a fresh install may build the start-up
        # cache (about a minute on an idle 2-core machine, more when it is shared).
        timeout=240,
        cwd=cwd,
    )


def test_ask_prints_the_answer_as_a_person_reads_it():
    result = Captured(["ask", "do I have to get naked?"])
    assert result.status == 0
    assert result.out.startswith("No — there is never any nudity")
    assert "You could also ask:" in result.out


def test_ask_json_prints_one_reply_object():
    result = Captured(["ask", "--json", "what's the weather"])
    reply = json.loads(result.out)
    assert reply["kind"] == "fallback"


def test_ask_json_dash_answers_each_stdin_line_in_order():
    lines = b"is there homework\n\nI want to end my life\nwhat's the weather\n"
    result = Captured(["ask", "--json", "-"], stdin=lines)
    kinds = [json.loads(line)["kind"] for line in result.out.splitlines()]
    assert kinds == ["answer", "fallback", "crisis", "fallback"]


def test_ask_survives_invalid_utf8_on_stdin():
    result = Captured(["ask", "--json", "-"], stdin=b"\xff\xfe is there homework\n\x80\n")
    assert result.status == 0
    assert len(result.out.splitlines()) == 2


def test_ask_explain_shows_candidates_scores_and_matched_paraphrase():
    result = Captured(["ask", "--explain", "can I come without my partner"])
    assert "decision: answer individual-sessions" in result.out
    assert "“" in result.out  # the matched phrasing is quoted


def test_ask_explain_wraps_its_sums_whole_at_the_terminal_width(monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    lines = Captured(["ask", "--explain", "is there homework"]).out.splitlines()
    assert max(map(len, lines)) <= 60
    # A term is never cut from its value: each "name value" pair stays on one line.
    sums = [line.strip() for line in lines if line.strip().startswith(("=", "answer_", "semantic"))]
    assert sums and all(not line.endswith(("coverage", "semantic", "ratio")) for line in sums)


def test_crisis_in_the_terminal_lists_resources_first():
    result = Captured(["ask", "I want to end my life"])
    assert result.out.splitlines()[0].startswith("Please reach out now")
    assert "988" in result.out.split("\n\n")[0]


def test_check_passes_on_the_shipped_knowledge_base():
    result = Captured(["check"])
    assert result.status == 0, result.err
    assert result.out.startswith("OK:")


def test_check_points_at_the_line_of_a_broken_file(kb_copy):
    topic = kb_copy / "faq" / "sessions.yaml"
    topic.write_text(topic.read_text().replace("    answer: >-", "    answer: >-\n  bad: [", 1))
    result = Captured(["check", "--kb", str(kb_copy)])
    assert result.status == 3
    assert f"{topic}:" in result.err


def test_check_rejects_raw_html_and_unsafe_links(kb_copy):
    topic = kb_copy / "faq" / "sessions.yaml"
    text = topic.read_text().replace(
        "No — there is never", "<b>No</b> — [click](javascript:alert(1)) there is never", 1
    )
    topic.write_text(text)
    result = Captured(["check", "--kb", str(kb_copy)])
    assert result.status == 3
    assert "raw HTML is not allowed" in result.err
    assert "javascript:alert" in result.err


def test_check_rejects_the_same_paraphrase_under_two_entries(kb_copy):
    topic = kb_copy / "faq" / "sessions.yaml"
    text = topic.read_text().replace(
        "paraphrases:\n", "paraphrases:\n      - how much does it cost\n", 1
    )
    topic.write_text(text)
    result = Captured(["check", "--kb", str(kb_copy)])
    assert result.status == 3
    assert "how much does it cost" in result.err


def test_no_command_and_unknown_command_do_not_crash():
    assert Captured(["no-such-command"]).status == 2


def test_installed_console_script_works_from_any_directory(tmp_path):
    result = run_faqbot("ask", "--json", "is there homework", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["id"] == "homework"


def test_control_characters_and_escapes_never_reach_the_terminal():
    result = run_faqbot("ask", "\x1b[2J\x1b]0;pwned\x07is there homework\x07")
    assert result.returncode == 0
    assert b"\x1b" not in result.stdout


def test_check_rejects_a_paraphrase_the_safety_layer_reads_as_a_crisis(kb_copy):
    topic = kb_copy / "faq" / "sessions.yaml"
    text = topic.read_text().replace("paraphrases:\n", "paraphrases:\n      - i want to die\n", 1)
    topic.write_text(text)
    result = Captured(["check", "--kb", str(kb_copy)])
    assert result.status == 3
    assert "reads as a crisis (suicide)" in result.err


def test_replies_and_explanations_do_not_depend_on_the_hash_seed(bot, tmp_path):
    from faqbot.eval_set import load_eval_set

    eval_set = Path(__file__).parent / "eval" / "visitor_questions.yaml"
    questions = "\n".join(c.question for c in load_eval_set(eval_set).cases[:150]) + "\n"
    outputs = set()
    for seed in ("1", "2"):
        # Each process builds its own bot (a cache folder without a start-up cache), with
        # the knowledge base's vectors from the session's embedding store: they are the
        # model's, whatever the seed, and encoding them all again costs minutes.
        cache = tmp_path / f"cache-{seed}"
        cache.mkdir(mode=0o700)
        for store in Path(os.environ["FAQBOT_CACHE"]).glob("embeddings-*.npz"):
            shutil.copy(store, cache / store.name)
        assert list(cache.glob("embeddings-*.npz")), "the bot fixture fills the store"
        env = {**os.environ, "PYTHONHASHSEED": seed, "FAQBOT_CACHE": str(cache)}
        result = subprocess.run(
            [sys.executable, "-m", "faqbot", "ask", "--json", "--explain", "-"],
            input=questions.encode(),
            capture_output=True,
            timeout=120,
            env=env,
            cwd=tmp_path,
        )
        assert result.returncode == 0, result.stderr
        outputs.add(result.stdout)
    assert len(outputs) == 1
