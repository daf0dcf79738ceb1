"""A large knowledge base is read in parts by forked helpers: the same bot as one read, or an error.

The bundled knowledge base is far below the size where helpers pay, so these
tests ask for parts directly (`_parts_worth_having`) and check the result
against `load_knowledge`, which reads every file in this process.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from faqbot import parallel_load
from faqbot.bot import Bot
from faqbot.errors import KnowledgeError
from faqbot.evaluation import load_eval_set
from faqbot.loader import load_knowledge
from faqbot.parallel_load import HELPER_MIN_BYTES, _balanced, _parts_worth_having

EVAL = Path(__file__).parent / "eval"
PARENT = os.getpid()


@pytest.fixture
def in_parts(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Read in three parts (two helpers); the list says, per helper, whether it answered."""
    answered: list[bool] = []
    result = parallel_load._Helper.result

    def recorded(helper: parallel_load._Helper) -> parallel_load.Part | None:
        part = result(helper)
        answered.append(part is not None)
        return part

    monkeypatch.setattr(parallel_load, "_parts_worth_having", lambda total: 3)
    monkeypatch.setattr(parallel_load._Helper, "result", recorded)
    return answered


def questions() -> list[str]:
    cases = load_eval_set(EVAL / "visitor_questions.yaml").cases
    return [case.question for case in cases]


def test_parts_read_by_helpers_make_the_same_bot_as_one_read(in_parts, kb_copy):
    one_read = Bot(load_knowledge(kb_copy))
    in_three = Bot.load(kb_copy)
    assert in_parts == [True, True]  # both helpers sent their part
    assert in_three.knowledge == one_read.knowledge
    assert in_three.normalizer.vocabulary == one_read.normalizer.vocabulary
    for question in questions():
        assert in_three.explain(question) == one_read.explain(question), question


def test_a_part_whose_helper_fails_is_read_here(in_parts, kb_copy, monkeypatch):
    read = parallel_load.read_topic_files

    def fails_in_a_helper(files, practice, *limits):
        if os.getpid() != PARENT:
            raise RuntimeError("a bug that only shows in a helper")
        return read(files, practice, *limits)

    monkeypatch.setattr(parallel_load, "read_topic_files", fails_in_a_helper)
    bot = Bot.load(kb_copy)
    assert in_parts == [False, False]
    assert bot.knowledge == load_knowledge(kb_copy)


def test_a_helper_that_dies_costs_nothing_but_time(in_parts, kb_copy, monkeypatch):
    read = parallel_load.read_topic_files

    def dies_in_a_helper(files, practice, *limits):
        if os.getpid() != PARENT:
            os._exit(9)  # as if killed: no exception, no message, nothing sent
        return read(files, practice, *limits)

    monkeypatch.setattr(parallel_load, "read_topic_files", dies_in_a_helper)
    bot = Bot.load(kb_copy)
    assert in_parts == [False, False]
    assert bot.knowledge == load_knowledge(kb_copy)
    assert bot.reply("is there nudity in sex therapy").id == "no-nudity"


def test_a_broken_file_read_by_a_helper_is_reported_with_its_line(in_parts, kb_copy):
    last = sorted((kb_copy / "faq").glob("*.yaml"))[-1]
    last.write_text(last.read_text(encoding="utf-8") + "  - id: [unclosed\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as one_read:
        load_knowledge(kb_copy)
    with pytest.raises(KnowledgeError) as in_three:
        Bot.load(kb_copy)
    assert in_parts == [True, True]
    assert in_three.value.problems == one_read.value.problems
    broken = in_three.value.problems[0]  # then every link to the entries it held
    assert (broken.path, "invalid YAML" in broken.message) == (last, True)
    # libyaml notices the missing "]" where the file ends, just after the broken line.
    assert broken.line >= len(last.read_text(encoding="utf-8").splitlines())


def test_files_are_cut_in_order_into_parts_of_about_equal_size():
    files = [Path(f"{name}.yaml") for name in "abcdef"]
    assert _balanced(files, [10, 10, 10, 10, 10, 10], 2) == [files[:3], files[3:]]
    assert _balanced(files, [50, 1, 1, 1, 1, 1], 2) == [files[:1], files[1:]]
    assert _balanced(files, [1, 1, 1, 1, 1, 50], 3) == [files[:4], files[4:5], files[5:]]
    # Never more parts than files, and never an empty one.
    assert _balanced(files[:2], [1, 1], 4) == [files[:1], files[1:2]]
    assert _balanced([], [], 2) == [[]]


def test_helpers_are_used_only_where_they_pay(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(parallel_load.sys, "platform", "linux")
    assert _parts_worth_having(HELPER_MIN_BYTES - 1) == 1  # the shipped knowledge base
    assert _parts_worth_having(100 * HELPER_MIN_BYTES) == 2  # one per core
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert _parts_worth_having(100 * HELPER_MIN_BYTES) == 1
    monkeypatch.setattr(parallel_load.sys, "platform", "darwin")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert _parts_worth_having(100 * HELPER_MIN_BYTES) == 1


def test_a_process_running_threads_is_never_forked(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(parallel_load.sys, "platform", "linux")
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert _parts_worth_having(100 * HELPER_MIN_BYTES) == 1
    finally:
        stop.set()
        thread.join()
