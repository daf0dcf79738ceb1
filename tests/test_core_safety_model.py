"""The learned detector: trained from the exemplar bank in YAML, one encoder call per message."""

from __future__ import annotations

import hashlib
import pickle
import shutil
from pathlib import Path

import numpy as np
import pytest

from faqbot.errors import KnowledgeError
from faqbot.loader import load_knowledge
from faqbot.safety_bank import Exemplar
from faqbot.safety_check import Level
from faqbot.safety_files import safety_check_for
from faqbot.safety_model import ModelSettings, SafetyModel

BANK = {
    "suicide.en.yaml": (
        "suicide",
        [
            "i am so tired of being alive",
            "nobody would miss me if i was gone",
            "i do not see the point of being alive",
        ],
    ),
    "concern.en.yaml": ("concern", ["my friend talks about being tired of life"]),
    "none.en.yaml": (
        "none",
        ["i am so tired after work", "do you offer evening sessions", "is the office open late"],
    ),
}


class WordHashEncoder:
    """Bag-of-words vectors: texts sharing words are close (deterministic, no model)."""

    calls = 0

    def encode(self, texts):
        type(self).calls += 1
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                out[row, int(hashlib.sha1(word.encode()).hexdigest(), 16) % 384] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


ENCODER = WordHashEncoder()


def fake_encoder() -> WordHashEncoder:
    return ENCODER


def write_bank(root: Path, files: dict[str, tuple[str, list[str]]]) -> None:
    """`files` as the whole exemplar bank of the knowledge base at `root`."""
    folder = root / "safety_examples"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for name, (category, examples) in files.items():
        lines = "".join(f"  - {text}\n" for text in examples)
        (folder / name).write_text(f"category: {category}\nlang: en\nexamples:\n{lines}")


def with_model_settings(path: Path, **settings: float) -> None:
    """The safety file with its `model:` section replaced by `settings`."""
    text = path.read_text(encoding="utf-8")
    kept = text.split("\nmodel:\n")[0].rstrip("\n")
    lines = "".join(f"  {name}: {value}\n" for name, value in settings.items())
    path.write_text(f"{kept}\nmodel:\n{lines}", encoding="utf-8")


@pytest.fixture
def check(kb_copy, monkeypatch):
    monkeypatch.setenv("FAQBOT_CACHE", "off")  # no embedding store: vectors from the encoder
    write_bank(kb_copy, BANK)
    with_model_settings(kb_copy / "safety.yaml", neighbours=1, crisis_line=0.05)
    knowledge = load_knowledge(kb_copy)
    return safety_check_for(knowledge, (), encoder=fake_encoder)


def test_a_message_near_the_banks_crisis_examples_is_a_crisis_without_any_rule(check):
    verdict = check.verdict("honestly i am tired of being alive")
    assert verdict.level is Level.CRISIS
    assert verdict.category == "suicide" and verdict.rule == ""
    assert verdict.model.nearest[0].text == "i am so tired of being alive"


def test_a_message_near_harmless_examples_is_no_concern(check):
    assert check.verdict("do you offer sessions in the evening").level is Level.NONE


def test_all_pieces_of_a_message_are_encoded_in_one_call(check):
    before = WordHashEncoder.calls
    verdict = check.verdict("is the office open late? nobody would miss me if i was gone")
    assert WordHashEncoder.calls == before + 1
    assert verdict.level is Level.CRISIS
    assert verdict.model.piece == "nobody would miss me if i was gone"


def test_the_trained_detector_pickles_with_the_same_scores(check):
    copy = pickle.loads(pickle.dumps(check))
    message = "i do not see the point anymore"
    assert copy.verdict(message).model == check.verdict(message).model


def test_a_rule_still_decides_before_the_model(check):
    verdict = check.verdict("i want to kill myself")
    assert verdict.level is Level.CRISIS and verdict.rule == "kill myself"


def _near(crisis: float, concern: float, harmless: float) -> np.ndarray:
    """A piece's vector whose similarities to the three axis examples are these."""
    return np.array([crisis, concern, harmless], dtype=np.float32)


@pytest.fixture
def axes_model() -> SafetyModel:
    """One crisis, one concern and one harmless example on three axes; one neighbour."""
    examples = [
        Exemplar("a decision to die", "suicide"),
        Exemplar("low mood", "concern"),
        Exemplar("a booking question", "none"),
    ]
    settings = ModelSettings(crisis_line=0.06, checkin_line=0.01, neighbours=1, piece_penalty=0.06)
    return SafetyModel(examples, np.eye(3, dtype=np.float32), settings, fake_encoder)


def test_a_short_piece_of_a_message_that_reads_harmless_earns_a_checkin_not_a_crisis(axes_model):
    # The message is near the booking example (0.8); its short piece "i've decided" is
    # nearer the crisis example (0.55) than the harmless one (0.3), but not as near as the
    # message is to harmless: the message says what the piece means, and the piece is held
    # at the check-in line (the resources beside the answer), not the crisis reply.
    vectors = np.stack([_near(0.5, 0.2, 0.8), _near(0.55, 0.1, 0.3)])
    pieces = ["i've decided. how do i book a first session?", "i've decided"]
    assert axes_model.score_vectors(pieces, vectors).crisis == pytest.approx(0.01)
    # A short piece that was below the check-in line stays there.
    calm = np.stack([_near(0.5, 0.2, 0.8), _near(0.3, 0.1, 0.25)])
    assert axes_model.score_vectors(pieces, calm).crisis < 0.01
    # The same closeness in more words decides alone, as before.
    longer = [
        "how do i book? after that i've decided to end it",
        "after that i've decided to end it",
    ]
    assert axes_model.score_vectors(longer, vectors).crisis > 0.06


def test_a_short_piece_near_a_crisis_example_still_decides_in_a_practical_message(axes_model):
    # "what are your fees? goodbye everyone": the piece is nearer a crisis example (0.9)
    # than the message is to a harmless one (0.6).
    vectors = np.stack([_near(0.5, 0.1, 0.6), _near(0.9, 0.1, 0.3)])
    pieces = ["what are your fees? goodbye everyone", "goodbye everyone"]
    score = axes_model.score_vectors(pieces, vectors)
    assert score.crisis > 0.06 and score.piece == "goodbye everyone"


def test_a_short_piece_decides_alone_when_the_message_does_not_read_harmless(axes_model):
    vectors = np.stack([_near(0.55, 0.1, 0.52), _near(0.55, 0.1, 0.3)])
    pieces = ["i've made my decision. i'm ready.", "i'm ready"]
    assert axes_model.score_vectors(pieces, vectors).crisis > 0.06


@pytest.mark.parametrize(
    ("content", "complaint"),
    [
        ("category: sadness\nlang: en\nexamples: [a]\n", "`category` 'sadness' is not one of"),
        ("category: suicide\nlang: en\nexamples: i want to die\n", "`examples` must be a list"),
        ("category: suicide\nlang: en\nexamples:\n  - ok\n  - [a, b]\n", "line of text"),
    ],
)
def test_a_broken_bank_file_is_reported_with_its_file_and_line(kb_copy, content, complaint):
    write_bank(kb_copy, {})
    (kb_copy / "safety_examples" / "suicide.en.yaml").write_text(content)
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(kb_copy)
    message = str(raised.value)
    assert complaint in message and "suicide.en.yaml:" in message


def test_check_reads_every_phrasing_as_a_visitor_s_message_would_be_read(bot):
    """`faqbot check` scores the knowledge base's phrasings in blocks, from the embedding
    store; what it reports must be what a visitor typing the same words would get."""
    phrasings = [p for entry in bot.knowledge.entries for p in (entry.question, *entry.paraphrases)]
    texts = [
        *phrasings[::7],
        "i want to die",
        "is there homework? he hits me when he drinks and i'm scared to go home",
        "what is suicide?",
        "i used to cut myself but that was years ago",
        "",
        "   ",
    ]
    together = bot.safety_of_phrasings(texts)
    assert [v.level for v in together].count(Level.CRISIS) >= 2
    for text, bulk in zip(texts, together, strict=True):
        alone = bot.safety(text)
        assert bulk[:3] == alone[:3] and bulk.language == alone.language, text
        if alone.model is not None:
            # A block's matrix product rounds differently from one row's, in the last bits.
            assert bulk.model.crisis == pytest.approx(alone.model.crisis, abs=1e-5), text
            assert bulk.model.piece == alone.model.piece, text
