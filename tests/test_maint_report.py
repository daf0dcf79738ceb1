"""`faqbot report`: grouping unanswered questions, closest entries, ratings, --since, purging."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from faqbot.bot import Bot
from faqbot.cli.environment import Environment, ExitStatus
from faqbot.cli.main import main
from faqbot.reply import Kind, Reply
from faqbot.unanswered import UnansweredLog
from faqbot.unanswered_report import build_report, group_questions, question_similarity

REPO = Path(__file__).resolve().parent.parent
FALLBACK = Reply(Kind.FALLBACK, "I can't answer that here.")


@pytest.fixture(scope="module")
def bot() -> Bot:
    return Bot.load()


def run_faqbot(*argv: str) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    env = Environment(stdin=io.StringIO(), stdout=stdout, stderr=stderr, environ={})
    return main(list(argv), env), stdout.getvalue(), stderr.getvalue()


def filled_log(path: Path) -> UnansweredLog:
    days = iter([date(2026, 3, 1)] * 2 + [date(2026, 11, 20)] * 20)
    log = UnansweredLog(path, today=lambda: next(days))
    for question in [
        "do you do tantra workshops",
        "old question about tantra workshops",
        "can you prescribe viagra",
        "can u prescribe me viagra",
        "do you prescribe viagra? mail me at jo@example.com",
        "tantra workshop?",
        "do you accept bitcoin",
    ]:
        log.record(question, FALLBACK)
    for entry_id, helpful in [("homework", False), ("homework", False), ("fees-insurance", True)]:
        log.rate(entry_id, helpful)
    return log


def test_similar_wordings_end_up_in_one_group(bot: Bot) -> None:
    groups = group_questions(
        [
            "can you prescribe viagra",
            "do you accept bitcoin",
            "can u prescribe me viagra",
            "do you prescribe viagra?",
        ],
        bot,
    )
    assert groups[0] == [
        "can you prescribe viagra",
        "can u prescribe me viagra",
        "do you prescribe viagra?",
    ]
    assert groups[1] == ["do you accept bitcoin"]


def test_repeated_questions_count_and_the_biggest_group_comes_first(bot: Bot) -> None:
    groups = group_questions(["tantra?", "bitcoin", "bitcoin", "bitcoin"], bot)
    assert [len(g) for g in groups] == [3, 1]


def test_unrelated_questions_sharing_one_word_do_not_chain_together(bot: Bot) -> None:
    questions = [
        "is the new iphone worth it",
        "whats the phone number",
        "duty sex is that a thing",
        "sex",
    ]
    assert len(group_questions(questions, bot)) >= 3


@pytest.mark.parametrize(
    ("first", "second"), [("park", "park situat"), ("prescrib viagra", "viagra prescrib")]
)
def test_similarity_ignores_order_and_likes_contained_questions(first: str, second: str) -> None:
    assert question_similarity(first, second) >= 70


def test_each_group_names_the_closest_existing_entry(tmp_path: Path, bot: Bot) -> None:
    log = UnansweredLog(tmp_path / "log.db")
    log.record("is taking my clothes off mandatory at the clinic", FALLBACK)
    [group] = build_report(log, bot).groups
    assert group.closest is not None and group.closest.id == "no-nudity"


def test_report_since_a_date_leaves_older_questions_out(tmp_path: Path, bot: Bot) -> None:
    report = build_report(filled_log(tmp_path / "log.db"), bot, since=date(2026, 11, 1))
    assert report.total == 5
    assert [g.count for g in report.groups] == [3, 1, 1]


def test_least_helpful_entries_are_listed(tmp_path: Path, bot: Bot) -> None:
    report = build_report(filled_log(tmp_path / "log.db"), bot)
    assert [r.entry_id for r in report.least_helpful] == ["homework"]


def test_the_text_report_shows_groups_redacted_and_ratings(tmp_path: Path) -> None:
    path = tmp_path / "log.db"
    filled_log(path)
    status, out, _ = run_faqbot("report", str(path))
    assert status == ExitStatus.OK
    assert out.startswith("7 unanswered question(s) in 3 group(s).")
    assert "1. 3 question(s) (3 fallback)" in out
    assert "mail me at [email]" in out and "jo@example.com" not in out
    assert "closest entry:" in out
    assert "homework  2 not helpful, 0 helpful" in out


def test_json_report(tmp_path: Path) -> None:
    path = tmp_path / "log.db"
    filled_log(path)
    status, out, _ = run_faqbot("report", str(path), "--json", "--since", "2026-11-01")
    data = json.loads(out)
    assert status == ExitStatus.OK
    assert data["since"] == "2026-11-01" and data["questions"] == 5
    assert data["groups"][0]["count"] == 3
    assert data["least_helpful"] == [{"id": "homework", "helpful": 0, "not_helpful": 2}]


def test_purge_before_deletes_old_rows_only(tmp_path: Path) -> None:
    path = tmp_path / "log.db"
    filled_log(path)
    status, out, _ = run_faqbot("report", str(path), "--purge-before", "2026-11-01")
    assert status == ExitStatus.OK
    assert out.strip() == "Deleted 2 question(s) and 0 rating(s) dated before 2026-11-01."
    assert len(UnansweredLog(path).questions()) == 5


def test_a_missing_log_is_an_error_and_is_not_created(tmp_path: Path) -> None:
    status, _, err = run_faqbot("report", str(tmp_path / "nothing.db"))
    assert status == ExitStatus.ERROR and "no unanswered-question log" in err
    assert not (tmp_path / "nothing.db").exists()


def test_a_bad_date_is_a_usage_error(tmp_path: Path) -> None:
    status, _, _ = run_faqbot("report", str(tmp_path / "x.db"), "--since", "last week")
    assert status == ExitStatus.USAGE


def test_report_runs_end_to_end_as_a_subprocess(tmp_path: Path) -> None:
    path = tmp_path / "log.db"
    filled_log(path)
    done = subprocess.run(
        [sys.executable, "-m", "faqbot", "report", str(path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "viagra" in done.stdout and "[email]" in done.stdout
