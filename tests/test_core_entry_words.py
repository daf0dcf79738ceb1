"""Retrieval's word model: trained on the phrasings at every load, one named signal."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import numpy as np
from test_core_lexical_head import ids

from faqbot.bot import Bot
from faqbot.entry_words import EntryWords
from faqbot.word_features import LexicalSettings

# Three entries and what is out of scope, in words of their own.
PHRASINGS = {
    0: ["how much is the copay", "what is my copay per visit", "is the copay high"],
    1: ["do i stay dressed", "do we get undressed", "are clothes kept on"],
    2: ["when are you open", "what are your hours", "are you open on sunday"],
}
OUTSIDE = ["book me a flight", "what is the weather", "tell me a joke about cats"]


def trained(phrasings=PHRASINGS, outside=OUTSIDE, rounds: int = 60) -> EntryWords:
    texts = [t for entry in phrasings.values() for t in entry] + outside
    labels = [n for n, entry in phrasings.items() for _ in entry] + [len(phrasings)] * len(outside)
    settings = LexicalSettings(rounds=rounds, step=0.1)
    model = EntryWords.trained([ids(t) for t in texts], labels, len(phrasings), settings)
    assert model is not None
    return model


def test_a_word_only_one_entry_uses_makes_that_entry_the_likeliest():
    found = trained().probabilities([ids("the copay amount"), ids("stay dressed please")])
    assert found[0].argmax() == 0 and found[1].argmax() == 1
    assert found[0, 0] > 0.5 > found[0, 1]


def test_out_of_scope_words_leave_every_entry_unlikely():
    found = trained().probabilities([ids("a joke about the weather"), ids("the copay")])
    assert found[0].max() < 0.3 < found[1, 0]
    assert (found.sum(axis=1) <= 1 + 1e-9).all()  # the rest is out of scope


def test_without_out_of_scope_examples_the_entries_share_all_of_the_probability():
    found = trained(outside=[]).probabilities([ids("a joke about the weather")])
    assert found.shape == (1, 3) and abs(found.sum() - 1) < 1e-9


def test_training_is_deterministic_and_survives_the_start_up_cache():
    probe = [ids("copay on sunday"), ids("dressed")]
    first, second = trained(), trained()
    assert first.probabilities(probe).tolist() == second.probabilities(probe).tolist()
    copy = pickle.loads(pickle.dumps(first))
    assert copy.probabilities(probe).tolist() == first.probabilities(probe).tolist()


def test_a_text_without_tokens_or_with_unseen_ones_gets_the_prior():
    model = trained()
    empty, unseen = model.probabilities([(101, 102), ids("zzz qqq")])
    assert np.isfinite(empty).all() and empty.tolist() == unseen.tolist()


def test_a_knowledge_base_too_large_to_train_on_gets_no_word_model_and_still_answers(
    kb_copy: Path, monkeypatch
):
    from faqbot import entry_words

    monkeypatch.setattr(entry_words, "MAX_WORK", 1_000)  # far below the shipped base's
    bot = Bot.load(kb_copy)
    explained = bot.explain("do we get homework")
    assert explained.reply.id == "homework"
    assert all(c.signals["entry_words"] == 0 for c in explained.candidates)


def with_weights(kb: Path, **weights: float) -> None:
    """settings.yaml with these signal weights and every other one at 0."""
    path = kb / "settings.yaml"
    text = path.read_text(encoding="utf-8")
    for name in re.findall(r"^    (\w+): [\d.]+$", text, flags=re.M):
        weight = f"    {name}: {weights.get(name, 0)}"
        text = re.sub(rf"^    {name}: [\d.]+$", weight, text, flags=re.M)
    path.write_text(text, encoding="utf-8")


def test_a_maintainers_new_word_reaches_its_entry_at_the_next_load(kb_copy: Path):
    # The score is the word model alone, so nothing else can find the entry.
    with_weights(kb_copy, entry_words=1)
    question = "is the snorkelwhistle included"
    before = Bot.load(kb_copy).explain(question)
    assert before.candidates[0].entry.id != "fees-insurance"
    faq = kb_copy / "faq" / "practical.yaml"
    text = faq.read_text(encoding="utf-8")
    anchor = re.search(r"^(\s+)- id: fees-insurance\n(?:.*\n)*?\1  paraphrases:\n", text, re.M)
    assert anchor, "the fees entry's paraphrases are where this test expects them"
    indent = anchor.group(1) + "    "
    paraphrase = f'{indent}- "does the snorkelwhistle plan cover it"\n'
    faq.write_text(text[: anchor.end()] + paraphrase + text[anchor.end() :], encoding="utf-8")
    after = Bot.load(kb_copy).explain(question)
    assert after.candidates[0].entry.id == "fees-insurance"
    old = {c.entry.id: c.signals["entry_words"] for c in before.candidates}
    assert after.candidates[0].signals["entry_words"] > old.get("fees-insurance", 0)


def test_the_shipped_bot_weighs_the_word_model_and_explains_its_term(bot: Bot):
    assert bot.knowledge.settings.weights["entry_words"] > 0
    top = bot.explain("how much of the fee does my insurance pay").candidates[0]
    assert 0 < top.signals["entry_words"] <= 1
