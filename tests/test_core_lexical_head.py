"""The safety layer's word model: trained from the bank at every load, beside the margin."""

from __future__ import annotations

import hashlib
import pickle

import numpy as np
import pytest
from test_core_safety_model import with_model_settings, write_bank

from faqbot.lexical_head import LexicalHead, LexicalSettings
from faqbot.loader import load_knowledge
from faqbot.safety_check import Level
from faqbot.safety_files import safety_check_for


def ids(text: str) -> tuple[int, ...]:
    """Word ids between [CLS] and [SEP], as the encoder's tokenizer gives them."""
    words = [int(hashlib.sha1(w.encode()).hexdigest(), 16) % 30_000 for w in text.split()]
    return (101, *words, 102)


class SameVectorEncoder:
    """Every text gets the same vector: the neighbours' margin is 0 for every message, so
    only the word model can tell a crisis from harmless text."""

    def encode(self, texts):
        out = np.zeros((len(texts), 384), dtype=np.float32)
        out[:, 0] = 1.0
        return out

    def token_ids(self, texts):
        return [ids(text.lower()) for text in texts]


ENCODER = SameVectorEncoder()

# Words no rule of the shipped safety file holds: only the bank can teach them.
CRISIS = [
    "i filled the blue jar for tonight",
    "the blue jar is ready",
    "counting the blue jar again",
]
HARMLESS = ["i am tired after work", "do you offer evening sessions", "is the office open late"]


def trained(texts: list[str], crisis: list[bool]) -> LexicalHead:
    return LexicalHead.trained([ids(t) for t in texts], crisis, LexicalSettings(rounds=80))


def test_a_word_only_crisis_examples_hold_raises_the_log_odds():
    head = trained(CRISIS + HARMLESS, [True] * len(CRISIS) + [False] * len(HARMLESS))
    worried, calm = head.log_odds(
        [ids("where is the blue jar"), ids("are you open in the evening")]
    )
    assert worried > 0 > calm


def test_training_is_deterministic_and_survives_the_start_up_cache():
    texts, labels = CRISIS + HARMLESS, [True] * len(CRISIS) + [False] * len(HARMLESS)
    first, second = trained(texts, labels), trained(texts, labels)
    probe = [ids("the blue jar tonight"), ids("office hours")]
    assert first.log_odds(probe).tolist() == second.log_odds(probe).tolist()
    copy = pickle.loads(pickle.dumps(first))
    assert copy.log_odds(probe).tolist() == first.log_odds(probe).tolist()


def test_a_text_without_tokens_gets_the_models_prior_not_an_error():
    head = trained(CRISIS + HARMLESS, [True] * len(CRISIS) + [False] * len(HARMLESS))
    assert np.isfinite(head.log_odds([(101, 102), ()])).all()


def load_check(kb_copy, bank: dict, **settings: float):
    write_bank(kb_copy, bank)
    lines = {"neighbours": 1, "crisis_line": 0.05, "checkin_line": 0.01, **settings}
    with_model_settings(kb_copy / "safety.yaml", **lines)
    return safety_check_for(load_knowledge(kb_copy), (), encoder=lambda: ENCODER)


@pytest.fixture
def bank() -> dict:
    return {
        "suicide.en.yaml": ("suicide", CRISIS),
        "none.en.yaml": ("none", HARMLESS),
        "concern.en.yaml": ("concern", ["my friend seems low lately"]),
    }


def test_the_word_model_decides_where_the_vectors_cannot_tell(kb_copy, monkeypatch, bank):
    monkeypatch.setenv("FAQBOT_CACHE", "off")
    check = load_check(kb_copy, bank, lexical_scale=0.2, lexical_shift=0.0)
    verdict = check.verdict("my blue jar is full")
    assert verdict.level is Level.CRISIS and verdict.model.words > 0.05
    assert check.verdict("are you open late in the evening").level is Level.NONE
    assert "words" in verdict.reason and verdict.to_dict()["model"]["words"] > 0.05


def test_a_maintainers_new_example_teaches_the_word_model_at_the_next_load(
    kb_copy, monkeypatch, bank
):
    monkeypatch.setenv("FAQBOT_CACHE", "off")
    message = "the green crate waits in the shed"
    before = load_check(kb_copy, bank, lexical_scale=0.2, lexical_shift=0.0)
    assert before.verdict(message).level is not Level.CRISIS
    bank["suicide.en.yaml"] = (
        "suicide",
        [*CRISIS, "i hid the green crate in the shed", "green crate tonight"],
    )
    after = load_check(kb_copy, bank, lexical_scale=0.2, lexical_shift=0.0)
    assert after.verdict(message).level is Level.CRISIS


def test_a_lexical_scale_of_zero_turns_the_word_model_off(kb_copy, monkeypatch, bank):
    monkeypatch.setenv("FAQBOT_CACHE", "off")
    check = load_check(kb_copy, bank, lexical_scale=0)
    verdict = check.verdict("my blue jar is full")
    assert verdict.level is not Level.CRISIS and verdict.model.words is None
    assert verdict.to_dict()["model"]["words"] is None


def test_the_shipped_detector_shows_the_word_models_score(bot):
    verdict = bot.safety("do you give us homework to do between appointments?")
    assert isinstance(verdict.model.words, float) and verdict.level is Level.NONE
    assert f"words {verdict.model.words:.2f}" in verdict.reason
    assert verdict.to_dict()["model"]["words"] == round(verdict.model.words, 3)


def test_the_word_model_counts_only_where_the_neighbours_do_not_disagree(
    kb_copy, monkeypatch, bank
):
    monkeypatch.setenv("FAQBOT_CACHE", "off")
    # The floor above the neighbours' margin (0 here, every text on one vector): not heard.
    check = load_check(kb_copy, bank, lexical_scale=0.2, lexical_shift=0.0, lexical_floor=0.01)
    verdict = check.verdict("my blue jar is full")
    assert verdict.level is not Level.CRISIS and verdict.model.words > 0.05
