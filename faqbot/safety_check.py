"""The safety verdict on one message: crisis, check-in or none, and why.

Rules (faqbot.safety) read the whole canonical message; a learned detector
(faqbot.safety_model), when the bot has one, reads the whole message and each of
its sentences and clauses (faqbot.sentences) in one batch.  Crisis when a crisis
rule fires or the model's score reaches its crisis line; check-in when a
check-in rule fires ("what is suicide?") or the score lies in the band below.
A weak crisis signal (one word, or written `~ phrase` in the safety file: what
an everyday sentence holds, "what percentage of suicides are men?") is, with a
model, a crisis when the model's score reaches a lower line (`weak_rule_line`),
else a check-in.
The verdict also says which language the reply should be in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from faqbot.safety import CrisisDetector, RuleMatch
from faqbot.sentences import Splitter

if TYPE_CHECKING:
    import numpy

    from faqbot.safety_model import TextEncoder

# A message is in another language when at least this share of its words are that
# language's `language_words` (and at least one is).
LANGUAGE_SHARE = 0.3
# The model alone calls a crisis only on messages of at least this many words.
MIN_MODEL_WORDS = 2


class Level(StrEnum):
    """How worried the safety layer is about a message."""

    CRISIS = "crisis"
    CHECKIN = "checkin"
    NONE = "none"


class Neighbour(NamedTuple):
    """An exemplar close to the message: its text, category and cosine similarity."""

    text: str
    category: str
    similarity: float


class ModelScore(NamedTuple):
    """What the learned detector says about the most worrying piece of a message."""

    crisis: float
    concern: float
    category: str
    piece: str
    nearest: tuple[Neighbour, ...] = ()
    # The word model's score of that piece, before the piece penalty (None: no word model).
    words: float | None = None


class Detector(Protocol):
    """A learned detector (faqbot.safety_model.SafetyModel)."""

    crisis_line: float
    checkin_line: float
    weak_rule_line: float

    def score(self, pieces: list[str], encoder: TextEncoder | None = None) -> ModelScore: ...

    def score_many(
        self, piece_lists: Sequence[list[str]], vectors: Sequence[numpy.ndarray]
    ) -> list[ModelScore]: ...


class SafetyVerdict(NamedTuple):
    """The safety layer's decision on one message, with the evidence for it."""

    level: Level
    category: str | None = None
    # The rule that fired (as written in the safety file), or "" when the model decided.
    rule: str = ""
    model: ModelScore | None = None
    language: str = "en"

    @property
    def reason(self) -> str:
        """One line a maintainer reads: the rule, or the model's score."""
        if self.rule:
            return f"rule: {self.rule}"
        if self.model is not None:
            words = "" if self.model.words is None else f" (words {self.model.words:.2f})"
            return f"model: crisis {self.model.crisis:.2f}{words}, concern {self.model.concern:.2f}"
        return "no rule fired"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, for `ask --json --explain`."""
        model = self.model
        return {
            "level": str(self.level),
            "category": self.category,
            "reason": self.reason,
            "rule": self.rule or None,
            "language": self.language,
            "model": None
            if model is None
            else {
                "crisis": round(model.crisis, 3),
                "concern": round(model.concern, 3),
                "category": model.category,
                "piece": model.piece,
                "words": None if model.words is None else round(model.words, 3),
                "nearest": [n._asdict() for n in model.nearest],
            },
        }


class SafetyCheck:
    """Rules, then the model over the message's pieces: one verdict (see the module)."""

    def __init__(
        self,
        rules: CrisisDetector,
        splitter: Splitter,
        language_words: Mapping[str, frozenset[str]],
        model: Detector | None = None,
    ) -> None:
        self._rules = rules
        self._splitter = splitter
        self._languages = dict(language_words)
        self.model = model

    def verdict(self, text: str, encoder: TextEncoder | None = None) -> SafetyVerdict:
        """The verdict on `text` (a crisis rule wins over everything).

        `encoder`: the message's encoder, when retrieval will encode the same sentences."""
        canonical = self._rules.canonical(text)
        return self._decide(canonical, lambda: self._model_score(canonical, encoder))

    def verdicts(
        self, texts: Sequence[str], embed: Callable[[list[str]], numpy.ndarray]
    ) -> list[SafetyVerdict]:
        """`verdict` of each of `texts`, their pieces embedded by `embed` in one call and
        scored in blocks.

        For `faqbot check`, which reads every phrasing of the knowledge base: `embed` is
        the knowledge base's embedding store, so a second check encodes nothing."""
        canonicals = [self._rules.canonical(text) for text in texts]
        scores: list[ModelScore | None] = [None] * len(canonicals)
        if self.model is not None:
            # Blank text has no pieces and no score, as in `verdict`.
            scored = {i: self._splitter.pieces(c) for i, c in enumerate(canonicals) if c.strip()}
            unique = list(dict.fromkeys(p for pieces in scored.values() for p in pieces))
            row = {piece: i for i, piece in enumerate(unique)}
            vectors = embed(unique) if unique else None
            found = self.model.score_many(
                list(scored.values()),
                [vectors[[row[p] for p in pieces]] for pieces in scored.values()],
            )
            for i, score in zip(scored, found, strict=True):
                scores[i] = score
        return [
            self._decide(canonical, lambda score=score: score)
            for canonical, score in zip(canonicals, scores, strict=True)
        ]

    def _decide(
        self, canonical: str, model_score: Callable[[], ModelScore | None]
    ) -> SafetyVerdict:
        """Rules, then the model's score (asked for only when a rule does not settle it)."""
        language = self.language(canonical)
        rule = self._rules.match(canonical, canonical=True)
        crisis_rule = rule is not None and rule.level == "crisis"
        if crisis_rule and (self.model is None or not rule.weak):
            return SafetyVerdict(Level.CRISIS, rule.category, rule.signal, None, language)
        score = model_score()
        if crisis_rule and score is not None and score.crisis >= self.model.weak_rule_line:
            return SafetyVerdict(Level.CRISIS, rule.category, rule.signal, score, language)
        # A check-in phrase ("what is suicide?") in the very piece the model worries about
        # is the maintainer's word that it asks for a check-in, not a crisis.
        modelled = score is not None and score.crisis >= self.model.crisis_line
        # A word or a fragment ("nake", typed so far) is too little for the model to call,
        # and so is text without one real word: keyboard mashing ("zzxq vvbnt kkrw") lands
        # nearest whatever the bank holds in chat spelling, by a margin that means nothing.
        words = self._rules.words(canonical)
        real = self._rules.knows_a_word(words)
        modelled = modelled and real and len(words) >= MIN_MODEL_WORDS
        if modelled and (rule is None or not self._is_checkin(score.piece, rule)):
            return SafetyVerdict(Level.CRISIS, score.category, "", score, language)
        if rule is not None:
            # A check-in rule, or a weak crisis signal the model does not confirm.
            return SafetyVerdict(Level.CHECKIN, rule.category, rule.signal, score, language)
        near = score is not None and max(score.crisis, score.concern) >= self.model.checkin_line
        if near and real:
            return SafetyVerdict(Level.CHECKIN, score.category, "", score, language)
        return SafetyVerdict(Level.NONE, None, "", score, language)

    def rule_saying_all_of(self, text: str) -> str:
        """The strong crisis rule whose phrase is all of `text`, or "".

        For `faqbot check --strict`: a bank example that only repeats a rule teaches the
        model nothing the rule does not catch already, and a bare phrase is the wording
        an evaluation message is most likely to share word for word."""
        canonical = self._rules.canonical(text)
        rule = self._rules.match(canonical, canonical=True)
        if rule is None or rule.level != "crisis" or rule.weak:
            return ""
        whole = len(self._rules.words(canonical)) <= len(rule.signal.split())
        return rule.signal if whole else ""

    def language(self, canonical: str) -> str:
        """The language of a canonical message: another one's, or English."""
        found = self._rules.words(canonical[:2000])
        if not found:
            return "en"
        for language, known in self._languages.items():
            hits = sum(word in known for word in found)
            if hits and hits / len(found) >= LANGUAGE_SHARE:
                return language
        return "en"

    def _is_checkin(self, piece: str, rule: RuleMatch) -> bool:
        """Whether a check-in phrase speaks for `piece`: one in the piece itself, or (when
        the whole message asks for a check-in) one that hid the piece's crisis phrase in
        context ("abused as a child" + "years ago" + "healed")."""
        found = self._rules.match(piece, canonical=True)
        if found is None:
            return False
        return found.level == "checkin" or rule.level == "checkin"

    def _model_score(self, canonical: str, encoder: TextEncoder | None) -> ModelScore | None:
        if self.model is None or not canonical.strip():
            return None
        return self.model.score(self._splitter.pieces(canonical), encoder)
