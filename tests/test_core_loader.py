"""Loading the knowledge base: a broken edit is reported as file:line, never as a traceback."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from faqbot.bot import Bot
from faqbot.errors import KnowledgeError
from faqbot.loader import load_knowledge


def _load_problems(root: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(root)
    return [str(problem) for problem in caught.value.problems]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_invalid_yaml_is_reported_with_file_and_line(kb_copy):
    topic = kb_copy / "faq" / "sessions.yaml"
    _edit(topic, "    question: Is there any nudity", "    question: [Is there any nudity")
    line = _line_of(topic, "[Is there any nudity")
    problems = _load_problems(kb_copy)
    assert any(p.startswith(f"{topic}:") and "invalid YAML" in p for p in problems)
    reported = int(problems[0].split(":")[1])
    assert abs(reported - line) <= 2


def test_a_missing_field_names_the_entry_line(kb_copy):
    topic = kb_copy / "faq" / "sessions.yaml"
    _edit(
        topic,
        "    answer: >-\n      No — there is never",
        "    reply: >-\n      No — there is never",
    )
    problems = _load_problems(kb_copy)
    line = _line_of(topic, "- id: no-nudity")
    assert f"{topic}:{line}: entry is missing `answer`" in problems


def test_duplicate_ids_are_rejected(kb_copy):
    topic = kb_copy / "faq" / "sessions.yaml"
    text = topic.read_text()
    first_other = text.index("  - id:", text.index("- id: no-nudity") + 5)
    topic.write_text(
        text[:first_other] + "  - id: no-nudity" + text[text.index("\n", first_other) :]
    )
    assert any("duplicate id 'no-nudity'" in p for p in _load_problems(kb_copy))


def test_related_pointing_nowhere_is_rejected(kb_copy):
    topic = kb_copy / "faq" / "sessions.yaml"
    _edit(topic, "related: [misconceptions,", "related: [no-such-entry,")
    problems = _load_problems(kb_copy)
    assert any("points to 'no-such-entry', which does not exist" in p for p in problems)


def test_an_unknown_placeholder_is_rejected(kb_copy):
    topic = kb_copy / "faq" / "sessions.yaml"
    _edit(topic, "No — there is never", "No — call {fax} — there is never")
    assert any("unknown placeholder {fax}" in p for p in _load_problems(kb_copy))


def test_a_duplicate_key_is_rejected(kb_copy):
    settings = kb_copy / "settings.yaml"
    settings.write_text(settings.read_text() + "\ndecision:\n  answer: 1\n")
    assert any("appears twice" in p for p in _load_problems(kb_copy))


def test_non_utf8_file_is_reported(kb_copy):
    (kb_copy / "faq" / "broken.yaml").write_bytes(b"topic: \xff\xfe\n")
    assert any("not valid UTF-8" in p for p in _load_problems(kb_copy))


def test_a_missing_folder_is_reported(tmp_path):
    assert any("no knowledge base folder" in p for p in _load_problems(tmp_path / "nope"))


def test_faqbot_kb_environment_variable_points_at_another_knowledge_base(kb_copy, monkeypatch):
    _edit(kb_copy / "practice.yaml", "phone: (917) 742-2624", "phone: (555) 010-0000")
    monkeypatch.setenv("FAQBOT_KB", str(kb_copy))
    assert "(555) 010-0000" in Bot.load().reply("what's the weather").answer


def test_broken_knowledge_base_gives_a_message_not_a_traceback(kb_copy):
    _edit(kb_copy / "faq" / "sessions.yaml", "topic:", "topic: [")
    result = subprocess.run(
        [sys.executable, "-m", "faqbot", "ask", "--kb", str(kb_copy), "hi"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    assert "sessions.yaml:" in result.stderr


def test_a_knowledge_base_without_settings_behaves_like_the_shipped_one(kb_copy):
    shipped = load_knowledge(kb_copy).settings
    (kb_copy / "settings.yaml").unlink()
    assert load_knowledge(kb_copy).settings == shipped  # the defaults are the tuned values


def test_a_weight_for_a_signal_that_does_not_exist_names_its_line(kb_copy):
    settings = kb_copy / "settings.yaml"
    _edit(settings, "    ratio: ", "    ratoi: ")
    problems = _load_problems(kb_copy)
    line = _line_of(settings, "ratoi:")
    assert any(f"settings.yaml:{line}" in p and "unknown signal `ratoi`" in p for p in problems)


def test_a_signal_left_without_a_weight_is_reported_at_the_weights(kb_copy):
    settings = kb_copy / "settings.yaml"
    settings.write_text(re.sub(r"(?m)^    precision: .*\n", "", settings.read_text()))
    problems = _load_problems(kb_copy)
    line = _line_of(settings, "weights:")
    assert any(f"settings.yaml:{line}" in p and "`precision`" in p for p in problems)


def test_a_zero_weight_turns_a_signal_off(kb_copy):
    settings = kb_copy / "settings.yaml"
    settings.write_text(re.sub(r"(?m)^    semantic: .*$", "    semantic: 0", settings.read_text()))
    assert load_knowledge(kb_copy).settings.weights["semantic"] == 0.0


def test_a_broken_out_of_scope_file_is_reported_with_file_and_line(kb_copy):
    outside = kb_copy / "out_of_scope.yaml"
    outside.write_text("examples:\n  - book me a flight\n  - [a list, not a message]\n")
    problems = _load_problems(kb_copy)
    assert any(p.startswith(f"{outside}:3:") and "line of text" in p for p in problems)
    outside.write_text("examples: book me a flight\n")
    assert any(f"{outside}:1:" in p and "`examples:`" in p for p in _load_problems(kb_copy))


def test_out_of_scope_examples_are_read_once_each_in_file_order(kb_copy):
    outside = kb_copy / "out_of_scope.yaml"
    outside.write_text(
        "examples:\n  - book me  a flight\n  - what's the weather\n  - book me a flight\n"
    )
    assert load_knowledge(kb_copy).out_of_scope == ("book me a flight", "what's the weather")
    outside.unlink()
    assert load_knowledge(kb_copy).out_of_scope == ()


@pytest.mark.parametrize("reference", ["<someone2>", "<Someone>", "<some one>"])
def test_a_signal_naming_a_group_the_file_does_not_define_is_reported(kb_copy, reference):
    # Only `<[a-z_]+>` used to count as a group, so `<someone2>` stayed literal text that
    # no message could match: a silent hole in the safety rules.
    safety = kb_copy / "safety.yaml"
    _edit(safety, "    - hands around <possessive> neck", f"    - hands around {reference} neck")
    problems = _load_problems(kb_copy)
    assert any(p.startswith(f"{safety}:") and f"unknown group {reference}" in p for p in problems)


def test_groups_using_groups_expand_in_the_order_written_and_a_loop_is_reported(kb_copy):
    safety = kb_copy / "safety.yaml"
    text = safety.read_text(encoding="utf-8")
    groups = (
        "groups:\n  test_who: [he, <test_kin>]\n  test_kin: [my dad, my mom]\n"
        "  test_loop: [a, <test_loop> b]\n"
    )
    safety.write_text(text.replace("groups:\n", groups, 1), encoding="utf-8")
    _edit(safety, "    - hands around <possessive> neck", "    - <test_who> zorbled <test_kin>")
    signals = load_knowledge(kb_copy).safety.signals
    found = [p for table in signals.values() for p in table if "zorbled" in p]
    assert found == [
        f"{who} zorbled {kin}" for who in ("he", "my dad", "my mom") for kin in ("my dad", "my mom")
    ]
    _edit(safety, "    - <test_who> zorbled <test_kin>", "    - <test_loop> hurts")
    problems = _load_problems(kb_copy)
    assert any(
        p.startswith(f"{safety}:") and "group <test_loop> uses itself" in p for p in problems
    )
