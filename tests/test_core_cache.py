"""The start-up cache: replies as from a fresh build, rebuilt when any knowledge file changes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from faqbot import bot as bot_module
from faqbot.bot import Bot

QUESTIONS = ["is there homework", "i want to end my life", "what's the weather", "hi", ""]
# Replies that hinge on the word list (common_words.txt), which the cache stores as text:
# without it "stocks" reads as a typo of a crisis word, and "harming" is not protected.
WORD_LIST_QUESTIONS = ["what stocks should i invest in", "ive been self harming since i was 14"]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("FAQBOT_CACHE", str(folder))
    return folder


def test_a_cached_bot_answers_exactly_like_a_fresh_one(kb_copy, cache):
    fresh = Bot.load(kb_copy)
    Bot.load(kb_copy, cache=True)  # builds and stores
    cached = Bot.load(kb_copy, cache=True)  # reads
    assert [cached.reply(q) for q in QUESTIONS] == [fresh.reply(q) for q in QUESTIONS]
    assert list(cache.iterdir())


def test_the_word_list_comes_back_from_the_cache_whole(kb_copy, cache):
    fresh = Bot.load(kb_copy)
    Bot.load(kb_copy, cache=True)
    cached = Bot.load(kb_copy, cache=True)
    assert set(cached.knowledge.common_words) == set(fresh.knowledge.common_words)
    kinds = [cached.reply(q).kind for q in WORD_LIST_QUESTIONS]
    assert kinds == [fresh.reply(q).kind for q in WORD_LIST_QUESTIONS] == ["fallback", "crisis"]


def test_the_second_start_does_not_read_the_yaml(kb_copy, cache, monkeypatch):
    Bot.load(kb_copy, cache=True)

    def no_build(root):
        raise AssertionError("the cache was not used")

    monkeypatch.setattr(bot_module.Bot, "_build", classmethod(lambda cls, root: no_build(root)))
    assert Bot.load(kb_copy, cache=True).reply("is there homework").id == "homework"


def test_an_edit_to_the_knowledge_base_is_seen_at_once(kb_copy, cache):
    Bot.load(kb_copy, cache=True)
    practice = kb_copy / "practice.yaml"
    practice.write_text(practice.read_text().replace("(917) 742-2624", "(555) 010-0000"))
    assert "(555) 010-0000" in Bot.load(kb_copy, cache=True).reply("what's the weather").answer


def test_a_corrupt_cache_file_is_ignored(kb_copy, cache):
    Bot.load(kb_copy, cache=True)
    for path in cache.iterdir():
        path.write_bytes(b"not a pickle")
    assert Bot.load(kb_copy, cache=True).reply("is there homework").id == "homework"


def test_a_truncated_cache_file_is_rebuilt_not_read(kb_copy, cache):
    Bot.load(kb_copy, cache=True)
    (path,) = cache.glob("kb-*.pickle")
    whole = path.read_bytes()
    for size in (0, 12, len(whole) // 2, len(whole) - 1):
        path.write_bytes(whole[:size])
        assert Bot.load(kb_copy, cache=True).reply("is there homework").id == "homework"
        assert path.read_bytes() == whole  # written afresh


def test_cached_embeddings_are_read_only_views_equal_to_the_built_ones(kb_copy, cache):
    import numpy as np

    built = Bot.load(kb_copy, cache=True)
    cached = Bot.load(kb_copy, cache=True)
    for bot in (built, cached):
        assert bot._check.model._vectors.dtype == np.float32
    assert np.array_equal(cached._check.model._vectors, built._check.model._vectors)
    assert not cached._check.model._vectors.flags.writeable


def test_the_cache_can_be_turned_off(kb_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("FAQBOT_CACHE", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    Bot.load(kb_copy, cache=True)
    assert not (tmp_path / "xdg").exists()


def test_cache_files_are_private(kb_copy, cache):
    Bot.load(kb_copy, cache=True)
    assert cache.stat().st_mode & 0o077 == 0
    assert all(p.stat().st_mode & 0o077 == 0 for p in cache.iterdir())


def test_an_unwritable_cache_is_not_an_error(kb_copy, tmp_path, monkeypatch):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    monkeypatch.setenv("FAQBOT_CACHE", str(blocked / "cache"))
    assert Bot.load(kb_copy, cache=True).reply("hi").kind
    assert os.path.isfile(blocked)


def test_a_change_to_faqbots_code_invalidates_the_cache(kb_copy, cache, monkeypatch):
    from faqbot import bot_cache

    Bot.load(kb_copy, cache=True)
    monkeypatch.setattr(bot_cache, "_code_fingerprint", lambda: (("bot.py", 1, 2),))
    built = []
    monkeypatch.setattr(bot_module.Bot, "_build", classmethod(lambda cls, r: built.append(r)))
    Bot.load(kb_copy, cache=True)
    assert built, "a bot pickled by other code was reused"


def test_a_different_encoder_model_invalidates_the_cache(kb_copy, cache, monkeypatch):
    from faqbot import bot_cache

    Bot.load(kb_copy, cache=True)
    monkeypatch.setattr(bot_cache, "model_sha256", lambda: "0" * 64)
    built = []
    monkeypatch.setattr(bot_module.Bot, "_build", classmethod(lambda cls, r: built.append(r)))
    Bot.load(kb_copy, cache=True)
    assert built, "a bot built beside another model's embeddings was reused"


def test_only_the_most_recent_knowledge_bases_are_remembered(kb_copy, cache, monkeypatch):
    from faqbot import bot_cache

    monkeypatch.setattr(bot_cache, "KEEP", 2)
    copies = [kb_copy]
    for number in (2, 3):
        copies.append(Path(shutil.copytree(kb_copy, kb_copy.parent / f"copy-{number}")))
    for folder in copies:
        Bot.load(folder, cache=True)
    assert len(list(cache.glob("kb-*.pickle"))) == 2
    # The newest is among them: loading it again reads the cache, builds nothing.
    monkeypatch.setattr(bot_module.Bot, "_build", classmethod(lambda cls, r: 1 / 0))
    assert Bot.load(copies[-1], cache=True).reply("is there homework").id == "homework"


class Planted:
    """A pickle that, when loaded, leaves a file behind: proof that it ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def _planted_bytes(marker: Path) -> bytes:
    """A cache file in the cache's own format whose pickle runs code when loaded."""
    import io

    from faqbot import cache_file

    file = io.BytesIO()
    cache_file.dump(Planted(marker), file)
    return file.getvalue()


def _plant(cache: Path, kb: Path, marker: Path) -> Path:
    """A planted cache file at the exact name the cache reads for `kb`."""
    import zlib

    cache.mkdir(exist_ok=True)
    crc = zlib.crc32(str(kb.resolve()).encode("utf-8", "surrogatepass"))
    path = cache / f"kb-{crc:08x}.pickle"
    path.write_bytes(_planted_bytes(marker))
    return path


def test_a_planted_file_in_a_private_folder_would_run(kb_copy, cache, tmp_path):
    """The control for the tests below: the planted file is live, so only the guards stop it."""
    marker = tmp_path / "it-ran"
    cache.mkdir(mode=0o700)
    _plant(cache, kb_copy, marker).chmod(0o600)
    Bot.load(kb_copy, cache=True)
    assert marker.exists()


@pytest.fixture
def once(monkeypatch):
    from faqbot import bot_cache

    monkeypatch.setattr(bot_cache, "_warned", set())


def test_a_pickle_planted_in_a_world_writable_folder_is_never_loaded(
    kb_copy, cache, tmp_path, capsys, once
):
    marker = tmp_path / "it-ran"
    _plant(cache, kb_copy, marker)
    cache.chmod(0o777)
    assert Bot.load(kb_copy, cache=True).reply("is there homework").kind == "answer"
    Bot.load(kb_copy, cache=True)
    assert not marker.exists()
    err = capsys.readouterr().err
    assert err.count("not using the start-up cache") == 1 and "writable by group or others" in err


def test_a_group_writable_cache_file_is_never_loaded(kb_copy, cache, tmp_path, capsys, once):
    marker = tmp_path / "it-ran"
    cache.mkdir(mode=0o700)
    _plant(cache, kb_copy, marker).chmod(0o660)
    Bot.load(kb_copy, cache=True)
    assert not marker.exists()
    assert "writable by group or others" in capsys.readouterr().err


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_a_cache_file_owned_by_someone_else_is_never_loaded(kb_copy, cache, tmp_path, once):
    marker = tmp_path / "it-ran"
    cache.mkdir(mode=0o700)
    os.chown(_plant(cache, kb_copy, marker), 65534, 65534)
    Bot.load(kb_copy, cache=True)
    assert not marker.exists()


def test_a_symlinked_cache_file_is_not_followed(kb_copy, cache, tmp_path, once):
    elsewhere = tmp_path / "elsewhere.pickle"
    marker = tmp_path / "it-ran"
    elsewhere.write_bytes(_planted_bytes(marker))
    planted = _plant(cache, kb_copy, marker)
    planted.unlink()
    planted.symlink_to(elsewhere)
    Bot.load(kb_copy, cache=True)
    assert not marker.exists()


def test_a_symlink_at_the_old_temporary_name_is_not_followed(kb_copy, cache, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    planted = _plant(cache, kb_copy, tmp_path / "unused")
    planted.unlink()
    # The name the cache used to write to (pid-based, so guessable), and some neighbours.
    for pid in range(os.getpid() - 2, os.getpid() + 3):
        planted.with_name(f"{planted.name}.{pid}.tmp").symlink_to(victim)
    Bot.load(kb_copy, cache=True)
    assert victim.read_text() == "keep me"
    assert planted.is_file() and not planted.is_symlink()  # the cache was still written


def test_new_cache_files_are_made_exclusively_with_a_random_name(kb_copy, cache, monkeypatch):
    import tempfile

    made = []
    real = tempfile.mkstemp
    monkeypatch.setattr(tempfile, "mkstemp", lambda **kw: made.append(kw) or real(**kw))
    Bot.load(kb_copy, cache=True)
    assert made and made[0]["dir"] == cache
