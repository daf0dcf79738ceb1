"""`faqbot eval`: typo variants, the report, JSON, bars and exit statuses."""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from faqbot.bot import Bot
from faqbot.cli.environment import Environment, ExitStatus
from faqbot.cli.main import main
from faqbot.eval_set import Case, load_eval_set
from faqbot.eval_typos import typo_cases, typo_variant

REPO = Path(__file__).resolve().parent.parent
SHIPPED_SET = REPO / "tests" / "eval" / "visitor_questions.yaml"
SMALL_SET = """\
in_scope:
  - q: do i have to get naked
    expect: no-nudity
    not: [homework]
  - q: where did the spark go
    expect: lost-spark
out_of_scope:
  - how much viagra should i take
crisis:
  - i want to kill myself
not_crisis:
  - q: this stress is killing our sex life
"""


def run_faqbot(*argv: str, isatty: bool = False) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    stderr.isatty = lambda: isatty  # type: ignore[method-assign]
    env = Environment(stdin=io.StringIO(), stdout=stdout, stderr=stderr, environ={})
    status = main(list(argv), env)
    return status, stdout.getvalue(), stderr.getvalue()


@pytest.fixture
def small_set(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL_SET, encoding="utf-8")
    return path


@pytest.mark.parametrize("seed", range(20))
def test_a_typo_variant_changes_exactly_one_letter_in_one_word(seed: int) -> None:
    text = "do i have to take my clothes off"
    variant = typo_variant(text, random.Random(seed))
    changed = [(a, b) for a, b in zip(text.split(), variant.split(), strict=True) if a != b]
    assert len(changed) <= 1
    for original, typo in changed:
        assert len(original) >= 4 and original[0] == typo[0]
        assert abs(len(original) - len(typo)) <= 1


def test_typo_variants_are_deterministic_and_distinct() -> None:
    cases = [Case("what does a first session look like", "in_scope", "first-session")]
    first, second = typo_cases(cases, 3, seed=7), typo_cases(cases, 3, seed=7)
    assert first == second
    assert len({c.question for c in first}) == 3
    assert all(c.expect == "first-session" and c.question != cases[0].question for c in first)
    assert typo_cases(cases, 3, seed=8) != first


def test_a_question_with_no_long_word_gets_no_typo_copies() -> None:
    assert typo_cases([Case("hi u ok", "not_crisis")], 3) == ()


def test_the_report_shows_the_rates_and_each_miss(small_set: Path) -> None:
    status, out, _ = run_faqbot("eval", str(small_set))
    assert status == ExitStatus.OK
    for label in (
        "top-1 accuracy",
        "resolved by a clarify",
        "out-of-scope fallback",
        "crisis recall",
        "false crisis alarms",
    ):
        assert label in out
    assert "100.0%  of 1" in out  # crisis recall on the one crisis message


def test_json_output_carries_the_figures_and_misses(small_set: Path) -> None:
    status, out, _ = run_faqbot("eval", str(small_set), "--json", "--typos", "2")
    data = json.loads(out)
    assert status == ExitStatus.OK
    assert data["cases"] == {
        "in_scope": 2,
        "out_of_scope": 1,
        "crisis": 1,
        "concern": 0,
        "not_crisis": 1,
        "follow_ups": 0,
    }
    assert data["crisis_recall"] == 1.0 and data["false_alarms"] == 0
    assert data["typos"]["cases"] > 0 and "typo_top1" in data
    assert data["failed_bars"] == []
    assert all({"question", "expected", "got", "score", "line"} <= set(m) for m in data["misses"])


def test_a_result_below_a_bar_exits_with_below_bar(small_set: Path) -> None:
    status, _, err = run_faqbot("eval", str(small_set), "--min-top1", "1.01")
    assert status == ExitStatus.BELOW_BAR
    assert "below the bar: top-1 accuracy" in err


def test_a_typo_bar_without_typos_is_not_silently_met(small_set: Path) -> None:
    status, _, err = run_faqbot("eval", str(small_set), "--min-typo-top1", "0.1")
    assert status == ExitStatus.BELOW_BAR
    assert "--typos" in err


def test_misses_name_question_expected_and_got(tmp_path: Path) -> None:
    path = tmp_path / "miss.yaml"
    path.write_text("in_scope:\n  - q: do i have to get naked\n    expect: homework\n")
    status, out, _ = run_faqbot("eval", str(path), "--max-forbidden", "0")
    assert status == ExitStatus.OK
    assert "do i have to get naked" in out and "→ homework → no-nudity" in out
    assert "1 × homework → no-nudity" in out


def test_an_unknown_entry_id_in_the_set_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "typo-id.yaml"
    path.write_text("in_scope:\n  - q: do i have to get naked\n    expect: no-nudityy\n")
    status, _, err = run_faqbot("eval", str(path))
    assert status == ExitStatus.ERROR
    assert f"{path}:2: no entry with id 'no-nudityy'" in err


def test_a_broken_eval_file_is_reported_not_raised(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("in_scope: [\n")
    status, _, err = run_faqbot("eval", str(path))
    assert status == ExitStatus.ERROR and "broken.yaml" in err


def test_the_progress_bar_only_appears_on_a_terminal() -> None:
    _, _, err_pipe = run_faqbot("eval", str(SHIPPED_SET), "--json")
    _, _, err_tty = run_faqbot("eval", str(SHIPPED_SET), "--json", isatty=True)
    assert err_pipe == ""
    total = len(load_eval_set(SHIPPED_SET).cases)
    assert "\r[" in err_tty and f"/{total}" in err_tty


def test_chunked_evaluation_gives_the_same_result_as_evaluate() -> None:
    from faqbot.evaluation import evaluate

    bot, eval_set = Bot.load(), load_eval_set(SHIPPED_SET)
    _, out, _ = run_faqbot("eval", str(SHIPPED_SET), "--json")
    direct = evaluate(bot, eval_set)
    assert json.loads(out)["top1"] == round(direct.top1, 4)
    assert json.loads(out)["crisis_recall"] == round(direct.crisis_recall, 4)


def test_eval_runs_end_to_end_as_a_subprocess(small_set: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "faqbot",
            "eval",
            str(small_set),
            "--min-crisis-recall",
            "1",
            "--json",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["crisis_recall"] == 1.0
    below = subprocess.run(
        [sys.executable, "-m", "faqbot", "eval", str(small_set), "--min-top1", "2"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert below.returncode == ExitStatus.BELOW_BAR


def test_a_section_the_set_does_not_have_reads_n_a_not_100_percent(tmp_path: Path) -> None:
    crisis_only = tmp_path / "crisis_only.yaml"
    crisis_only.write_text("crisis:\n  - i want to kill myself\n", encoding="utf-8")
    status, out, _ = run_faqbot("eval", str(crisis_only), "--misses", "0")
    assert status == ExitStatus.OK
    assert "top-1 accuracy            n/a  of 0 in-scope" in out
    assert "crisis recall          100.0%  of 1" in out
