"""`faqbot check --strict`: review warnings with file and line, never errors."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from faqbot.bot import Bot
from faqbot.review import (
    MAX_ANSWER_WORDS,
    examples_a_rule_says,
    readability,
    review_warnings,
    self_synonyms,
    syllables,
)

REPO = Path(__file__).resolve().parent.parent
KNOWLEDGE = REPO / "knowledge"
LONG_ANSWER = " ".join(
    [
        "Consequently, comprehensive psychotherapeutic interventions facilitate "
        "considerable improvements."
    ]
    * 20
)
NEW_ENTRY = f"""
  - id: parking-nearby
    question: Is there parking near the office?
    paraphrases:
      - where can i park
      - parking nearby
    answer: {LONG_ANSWER}
    review_due: 2020-01-01
"""


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    kb = Path(shutil.copytree(KNOWLEDGE, tmp_path / "knowledge"))
    with (kb / "faq" / "practical.yaml").open("a", encoding="utf-8") as handle:
        handle.write(NEW_ENTRY)
    with (kb / "synonyms.yaml").open("a", encoding="utf-8") as handle:
        handle.write("parking: [parking, car park]\n")
    return kb


def entry_line(kb: Path, field: str) -> int:
    lines = (kb / "faq" / "practical.yaml").read_text(encoding="utf-8").splitlines()
    start = lines.index("  - id: parking-nearby")
    return next(n for n, line in enumerate(lines, 1) if n > start and f"{field}:" in line)


@pytest.mark.parametrize(
    ("word", "count"),
    [("cat", 1), ("table", 2), ("therapy", 3), ("make", 1), ("see", 1), ("psychotherapeutic", 6)],
)
def test_syllables_are_counted_roughly_right(word: str, count: int) -> None:
    assert syllables(word) == count


def test_plain_text_reads_easier_than_jargon() -> None:
    plain = readability("We talk. You are safe here. Come when you like.")
    jargon = readability("Comprehensive psychotherapeutic interventions facilitate improvement.")
    assert plain.ease > 80 > 20 > jargon.ease
    assert plain.grade < jargon.grade


def test_the_shipped_knowledge_base_has_no_review_warnings_today() -> None:
    warnings = review_warnings(Bot.load(KNOWLEDGE), [], today=date(2026, 11, 26))
    assert warnings == []


def test_each_strict_warning_points_at_the_line_to_edit(kb: Path) -> None:
    warnings = review_warnings(Bot.load(kb), [], today=date(2026, 11, 26))
    practical = kb / "faq" / "practical.yaml"
    found = {(Path(w.path).name, w.line, w.message.split(" ")[0]) for w in warnings}
    assert ("practical.yaml", entry_line(kb, "review_due"), "review") in found
    assert ("practical.yaml", entry_line(kb, "answer"), "answer") in found
    assert ("practical.yaml", entry_line(kb, "paraphrases"), "'parking-nearby'") in found
    assert all(w.severity == "warning" for w in warnings)
    long = next(w for w in warnings if w.message.startswith("answer"))
    assert f"about {MAX_ANSWER_WORDS}" in long.message and "reading ease" in long.message
    assert str(practical) in str(long)


def test_a_synonym_mapped_onto_itself_is_found(kb: Path) -> None:
    [warning] = self_synonyms(kb / "synonyms.yaml")
    last_line = len((kb / "synonyms.yaml").read_text(encoding="utf-8").splitlines())
    assert warning.line == last_line and "'parking' is listed as a synonym of itself" in str(
        warning
    )


def test_a_crisis_example_that_only_repeats_a_rule_is_found(kb: Path) -> None:
    path = kb / "safety_examples" / "suicide.en.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index("examples:") + 1
    lines[start:start] = ["  - kill myself", "  - some nights i think about how to kill myself"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    warnings = examples_a_rule_says(Bot.load(kb))
    assert [(Path(w.path).name, w.line) for w in warnings] == [("suicide.en.yaml", start + 1)]
    assert "'kill myself' is the rule 'kill myself' word for word" in warnings[0].message


def test_entries_no_evaluation_question_expects_are_listed(kb: Path, tmp_path: Path) -> None:
    eval_file = tmp_path / "eval.yaml"
    eval_file.write_text("in_scope:\n  - q: do i have to get naked\n    expect: no-nudity\n")
    warnings = review_warnings(Bot.load(kb), [eval_file], today=date(2026, 11, 26))
    uncovered = {
        re.search(r"expects '([^']+)'", w.message).group(1)
        for w in warnings
        if "no evaluation question" in w.message
    }
    assert "parking-nearby" in uncovered and "no-nudity" not in uncovered


def test_an_invalid_review_date_is_a_warning_too(kb: Path) -> None:
    path = kb / "faq" / "practical.yaml"
    path.write_text(path.read_text().replace("review_due: 2020-01-01", "review_due: soon"))
    warnings = review_warnings(Bot.load(kb), [], today=date(2026, 11, 26))
    assert any("is not a date" in w.message for w in warnings)


def test_check_strict_end_to_end_warns_but_does_not_fail(kb: Path, tmp_path: Path) -> None:
    eval_file = tmp_path / "eval.yaml"
    eval_file.write_text("in_scope:\n  - q: where can i park\n    expect: parking-nearby\n")
    command = [sys.executable, "-m", "faqbot", "check", "--kb", str(kb)]
    plain = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=60)
    strict = subprocess.run(
        [*command, "--strict", "--eval", str(eval_file)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert "warning:" not in plain.stderr
    assert strict.returncode == plain.returncode
    assert f"practical.yaml:{entry_line(kb, 'review_due')}: warning: review of" in strict.stderr
    assert "synonyms.yaml" in strict.stderr and "no evaluation question expects" in strict.stderr
