"""Building a knowledge base pauses Python's cyclic collector, and always gives it back."""

from __future__ import annotations

import gc

import pytest

from faqbot.bot import Bot
from faqbot.bulk import collector_paused
from faqbot.errors import KnowledgeError
from faqbot.loader import load_knowledge


def test_the_collector_is_paused_inside_and_running_after():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_someone_else_turned_off_stays_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_broken_knowledge_base_does_not_leave_the_collector_off(tmp_path):
    with pytest.raises(KnowledgeError):
        load_knowledge(tmp_path / "missing")
    assert gc.isenabled()


def test_building_a_bot_leaves_the_collector_running(bot):
    Bot(bot.knowledge)
    assert gc.isenabled()
