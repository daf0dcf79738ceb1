"""Hostile input never breaks the core: any text gets a valid reply, any YAML a clear error.

Properties checked with Hypothesis over the shipped knowledge base:
- `Bot.reply` on any Unicode string (surrogates, controls, escapes, emoji, up to
  the documented maximum) returns a valid `Reply`, quickly and deterministically,
  with or without an arbitrary client-sent context;
- the normalizer never raises and `clean()` leaves no control characters;
- the loader, fed arbitrary YAML or bytes in place of one knowledge file, either
  loads or raises `KnowledgeError` with located problems - never anything else.
"""

from __future__ import annotations

import json
import re
import shutil
import time
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import utils

from faqbot.bot import Bot, Context
from faqbot.errors import KnowledgeError
from faqbot.language import get_language
from faqbot.loader import _single_spaced, load_knowledge
from faqbot.reply import Kind, Reply
from faqbot.words import WordSplitter, clean, contraction_pattern

ENGLISH = get_language("en")
SPLITTER = WordSplitter(ENGLISH)
words, words_of_processed = SPLITTER.words, SPLITTER.words_of_processed

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
MAX_SECONDS_PER_REPLY = 0.5
MAX_SECONDS_PER_LOAD = 2.0
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Every code point, lone surrogates included: JSON ("\ud800") can deliver them.
ANY_CHAR = st.characters(exclude_categories=())
NASTY = st.sampled_from(
    [
        "\x00",
        "\x1b[31m",
        "\x1b]0;title\x07",
        "\x1b",
        "\u202e",
        "\u200b",
        "\ufeff",
        "\r\n",
        "\u0301",
        "ﷺ",
        "ß",
        "İ",
        "\U0001f346",
        "\U0001f351",
        "'",
        "n't",
        "’s",
        "<script>",
        "{phone}",
        "%s",
        "\\",
        "\ud800",
        "\udfff",
        "\u2028",
        "\x85",
        "\t",
        " ",
    ]
)


def _vocabulary_words() -> list[str]:
    return sorted(Bot.load(KNOWLEDGE).normalizer.vocabulary)


VOCABULARY = st.sampled_from(_vocabulary_words())
# Text near what the bot knows, so answers, clarifies and crisis replies are all reached.
WORDY = st.lists(st.one_of(VOCABULARY, NASTY, st.text(ANY_CHAR, max_size=6)), max_size=40).map(
    " ".join
)


def questions(max_size: int) -> st.SearchStrategy[str]:
    """Any string, weighted towards the shapes that stress normalization and retrieval."""
    return st.one_of(
        st.text(ANY_CHAR, max_size=max_size),
        st.lists(st.one_of(ANY_CHAR, NASTY), max_size=max_size // 8).map("".join),
        WORDY,
        st.integers(0, max_size).flatmap(
            lambda n: st.sampled_from(["a", "é", "\x00", " ", "🍆"]).map(lambda c: c * n)
        ),
    ).map(lambda text: text[:max_size])


JSON_LIKE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(ANY_CHAR, max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=10,
)


@pytest.fixture(scope="module")
def limit(bot: Bot) -> int:
    return bot.knowledge.settings.max_question_chars


@pytest.fixture(scope="module")
def twin() -> Bot:
    """A second bot over the same files, with its own caches."""
    return Bot.load(KNOWLEDGE)


def timed_reply(bot: Bot, text: str, context: Context | None = None) -> Reply:
    # CPU time, not wall time: on a busy CI machine other processes can stall this one.
    start = time.process_time()
    reply = bot.reply(text, context)
    elapsed = time.process_time() - start
    assert elapsed < MAX_SECONDS_PER_REPLY, f"{elapsed:.3f}s for {text[:80]!r}"
    return reply


def assert_valid_reply(bot: Bot, reply: Reply) -> None:
    """Everything a front end relies on when it renders a reply."""
    ids = {entry.id: entry for entry in bot.knowledge.entries}
    assert isinstance(reply.kind, Kind)
    assert 0 <= reply.score <= 100
    assert isinstance(reply.answer, str) and reply.answer.strip()
    assert all(choice.id in ids for choice in (*reply.options, *reply.related))
    if reply.kind is Kind.ANSWER:
        assert reply.id in ids and reply.question == ids[reply.id].question
    if reply.kind is Kind.CLARIFY:
        assert reply.options
    if reply.kind is Kind.CRISIS:
        assert reply.resources
    encoded = reply.to_json()
    encoded.encode("utf-8")  # what an HTTP response or a JSON-lines file will need
    assert json.loads(encoded) == reply.to_dict()


@FUZZ
@given(text=questions(1000))
def test_any_text_up_to_the_limit_gets_a_valid_reply_quickly(bot, limit, text):
    assert limit == 1000  # the documented maximum the strategies are sized for
    assert_valid_reply(bot, timed_reply(bot, text))


@FUZZ
@given(text=questions(1000))
def test_the_same_text_always_gets_the_same_reply(bot, twin, text):
    first = timed_reply(bot, text)
    assert timed_reply(bot, text) == first
    assert timed_reply(twin, text) == first


@FUZZ
@given(
    text=questions(300),
    context=JSON_LIKE,
    previous=st.sampled_from([None, "no-nudity", "homework"]),
)
def test_any_context_a_client_sends_still_gets_a_valid_reply(bot, text, context, previous):
    if previous is not None and isinstance(context, dict):
        context = {**context, "previous_id": previous}
    reply = timed_reply(bot, text, Context.from_mapping(context))
    assert_valid_reply(bot, reply)


@settings(max_examples=20, deadline=None)
@given(text=questions(1000).filter(bool), length=st.integers(1001, 20_000))
def test_text_far_over_the_limit_is_still_answered_quickly(bot, text, length):
    long_text = (text * (length // len(text) + 1))[:length]
    assert_valid_reply(bot, timed_reply(bot, long_text))


@FUZZ
@given(text=questions(1000))
def test_the_normalizer_never_raises_and_leaves_no_control_characters(bot, text):
    cleaned = clean(text)
    assert not [c for c in cleaned if unicodedata.category(c) == "Cc"]
    assert cleaned == cleaned.strip()
    assert "  " not in cleaned
    assert all(word and not any(ch.isspace() for ch in word) for word in words(text))
    tokens = bot.normalizer.tokens(text)
    assert all(isinstance(token, str) and token.strip() == token != "" for token in tokens)


@FUZZ
@given(text=st.text(ANY_CHAR, max_size=200), limit=st.integers(0, 300))
def test_clean_reads_only_the_first_max_chars(text, limit):
    assert clean(text, limit) == clean(text[:limit])


@FUZZ
@given(text=st.text(st.characters(max_codepoint=127), max_size=200))
def test_plain_ascii_takes_a_shortcut_to_the_same_words(text):
    # words() skips unescaping and contractions when nothing in the text needs them.
    assert words(text) == words_in_full(text)


@FUZZ
@given(
    text=st.text(st.characters(max_codepoint=127), max_size=200) | st.text(ANY_CHAR, max_size=80)
)
def test_words_read_off_rapidfuzz_processing_are_the_same_words(text):
    # The index splits default_process's output instead of running words() a second time.
    assert words_of_processed(text, utils.default_process(text)) == words(text)


def words_in_full(text: str) -> list[str]:
    """words() with every step applied: the reference the shortcut must agree with."""
    found = SPLITTER._words_of_unusual(text)
    return words(" ".join(found)) if found else []


@FUZZ
@given(text=st.text(st.sampled_from("can'twon'tsrevmldi _-é1"), max_size=80))
def test_contractions_are_found_where_the_plain_pattern_finds_them(text):
    # The pattern built from en.yaml has a lookahead for speed; it must match exactly this.
    plain = re.compile(r"\bcan't\b|\bwon't\b|n't\b|'(?:re|m|ve|ll|d|s)\b")
    built = contraction_pattern(ENGLISH.contractions)
    assert [m.span() for m in built.finditer(text)] == [m.span() for m in plain.finditer(text)]


@FUZZ
@given(
    texts=st.lists(
        st.text(st.sampled_from(" \t\n\r\xa0\u2028ab?"), max_size=12)
        | st.text(ANY_CHAR, max_size=40),
        max_size=6,
    )
)
def test_paraphrases_are_single_spaced_whatever_the_white_space(texts):
    assert [_single_spaced(t) for t in texts] == [" ".join(t.split()) for t in texts]


# --- the loader -------------------------------------------------------------------------


KB_FILES = ["practice.yaml", "settings.yaml", "safety.yaml", "synonyms.yaml", "faq/practical.yaml"]
YAML_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.sampled_from(["homework", "no-nudity", "{phone}", "<someone>"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "question",
                    "paraphrases",
                    "answer",
                    "related",
                    "entries",
                    "topic",
                    "messages",
                    "signals",
                    "resources",
                    "retrieval",
                    "decision",
                    "limits",
                    "weights",
                    "max_options",
                    "candidates",
                    "name",
                    "contact",
                ]
            )
            | st.text(max_size=8),
            children,
            max_size=5,
        )
    ),
    max_leaves=25,
)


@st.composite
def mutated(draw, original: str) -> str:
    """The original file with a few lines deleted, duplicated, replaced or spliced."""
    lines = original.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "replace", "splice", "indent"]))
        if action == "delete":
            del lines[at]
        elif action == "duplicate":
            lines.insert(at, lines[at])
        elif action == "replace":
            lines[at] = draw(st.text(max_size=40)) + "\n"
        elif action == "splice":
            cut = draw(st.integers(0, len(lines[at])))
            lines[at] = (
                lines[at][:cut] + draw(st.text(ANY_CHAR, max_size=10) | NASTY) + lines[at][cut:]
            )
        else:
            lines[at] = draw(st.sampled_from(["  ", "- ", "\t", "? ", "&a ", "*a "])) + lines[at]
    return "".join(lines)


@st.composite
def broken_file(draw) -> tuple[str, bytes]:
    name = draw(st.sampled_from(KB_FILES))
    original = (KNOWLEDGE / name).read_text(encoding="utf-8")
    content = draw(
        st.one_of(
            st.binary(max_size=300),
            st.text(ANY_CHAR, max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
            YAML_VALUES.map(lambda v: yaml.safe_dump(v, allow_unicode=True).encode("utf-8")),
            mutated(original).map(lambda t: t.encode("utf-8", "surrogatepass")),
            mutated(original).map(lambda t: t.encode("utf-8", "surrogatepass")),
        )
    )
    return name, content


@pytest.fixture(scope="module")
def scratch_kb(tmp_path_factory) -> Path:
    return Path(shutil.copytree(KNOWLEDGE, tmp_path_factory.mktemp("fuzz") / "knowledge"))


def load_or_explain(root: Path):
    """The loaded knowledge base, or None after checking the error is one a person can act on."""
    start = time.process_time()
    try:
        return load_knowledge(root)
    except KnowledgeError as error:
        assert error.problems
        for problem in error.problems:
            assert str(problem.path) and problem.message.strip()
            assert isinstance(problem.line, int) and problem.line >= 0
        assert str(error)
        return None
    finally:
        assert time.process_time() - start < MAX_SECONDS_PER_LOAD


@settings(FUZZ, max_examples=150)
@given(case=broken_file())
def test_any_file_content_loads_or_raises_a_located_knowledge_error(scratch_kb, case):
    name, content = case
    target = scratch_kb / name
    try:
        target.write_bytes(content)
        load_or_explain(scratch_kb)
    finally:
        shutil.copyfile(KNOWLEDGE / name, target)


SETTING_VALUES = st.one_of(
    st.integers(-5, 2000),
    st.floats(-1, 2000, allow_nan=False),
    st.booleans(),
    st.none(),
    st.text(max_size=5),
    st.lists(st.integers(0, 5), max_size=2),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    section_key=st.sampled_from(
        [
            ("retrieval", "typo_similarity"),
            ("retrieval", "typo_min_length"),
            ("retrieval", "candidates"),
            ("decision", "answer"),
            ("decision", "clarify"),
            ("decision", "clarify_margin"),
            ("decision", "max_options"),
            ("decision", "clear_lead"),
            ("limits", "max_question_chars"),
        ]
    ),
    value=SETTING_VALUES,
    question=st.sampled_from(["is there nudity", "parking", "", "x" * 1500]),
)
def test_settings_that_load_give_a_bot_that_answers(scratch_kb, section_key, value, question):
    section, key = section_key
    try:
        write_setting(scratch_kb, section, key, value)
        knowledge = load_or_explain(scratch_kb)
        if knowledge is not None:
            bot = Bot(knowledge)
            assert_valid_reply(bot, bot.reply(question, Context("no-nudity")))
    finally:
        shutil.copyfile(KNOWLEDGE / "settings.yaml", scratch_kb / "settings.yaml")


def write_setting(root: Path, section: str, key: str, value: object) -> None:
    data = yaml.safe_load((KNOWLEDGE / "settings.yaml").read_text(encoding="utf-8"))
    data[section][key] = value
    (root / "settings.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")


# --- loader bugs found by fuzzing, pinned: each is a KnowledgeError ---------------------------

BROKEN_SAFETY_FILES = ["message: [\n", "", "- a list, not a mapping\n"]
WRONG_TYPES = [
    ("practice.yaml", ("suggestions",), 5),
    ("practice.yaml", ("suggestions", "start"), 5),
    ("safety.yaml", ("resources",), "abc"),
    ("safety.yaml", ("groups",), [1]),
    ("safety.yaml", ("exceptions",), 7),
    ("safety.yaml", ("signals", "abuse"), 3),
    ("settings.yaml", ("retrieval", "weights"), 5),
]


@pytest.mark.parametrize("text", BROKEN_SAFETY_FILES)
def test_fuzz_found_a_broken_safety_file_is_a_knowledge_error(kb_copy, text):
    (kb_copy / "safety.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError):
        load_knowledge(kb_copy)


@pytest.mark.parametrize(("name", "keys", "value"), WRONG_TYPES)
def test_fuzz_found_wrong_types_are_a_knowledge_error(kb_copy, name, keys, value):
    path = kb_copy / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    parent = data
    for key in keys[:-1]:
        parent = parent.setdefault(key, {})
    parent[keys[-1]] = value
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(KnowledgeError):
        load_knowledge(kb_copy)


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ("decision", "max_options"),
        ("limits", "max_question_chars"),
        ("retrieval", "candidates"),
    ],
)
def test_fuzz_found_fractional_counts_are_a_knowledge_error(kb_copy, section, key):
    write_setting(kb_copy, section, key, 2.5)
    with pytest.raises(KnowledgeError):
        Bot.load(kb_copy).reply("is there nudity in sessions")


def test_fuzz_found_a_similarity_over_100_is_a_knowledge_error(kb_copy):
    write_setting(kb_copy, "retrieval", "typo_similarity", 150)
    with pytest.raises(KnowledgeError):
        Bot.load(kb_copy).reply("is there nuditty")
