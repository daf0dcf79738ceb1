"""The one pipeline every front end calls: normalize -> safety -> retrieve -> decide -> `Reply`.

A `Bot` is built once per knowledge base and is then read-only, so one instance
serves any number of threads, and a server worker can swap in a freshly loaded
bot atomically.  Nothing about a visitor is kept here: what a follow-up needs
arrives in a `Context`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from faqbot.bulk import built_in_bulk
from faqbot.decide import Decision, decide
from faqbot.message_views import asking_sentence
from faqbot.model import Entry, KnowledgeBase, Safety
from faqbot.normalize import Normalizer, clean
from faqbot.paths import default_knowledge_dir
from faqbot.reply import Choice, Kind, Reply
from faqbot.retrieval import SEMANTIC_SIGNALS, Candidate, EntryEvidence, RetrievalIndex, View
from faqbot.retrieval import ranked as rank_of
from faqbot.safety_check import Level, SafetyVerdict
from faqbot.safety_files import safety_check_for
from faqbot.semantic import Embed

if TYPE_CHECKING:
    from faqbot.encoder import MessageEncoder


class Context(NamedTuple):
    """What the previous turn left behind, sent back by the client (the server keeps nothing)."""

    previous_id: str | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> Context:
        """Tolerant of anything a client sends: unknown keys and wrong types are ignored."""
        if not isinstance(data, Mapping):
            return cls()
        previous = data.get("previous_id")
        return cls(previous if isinstance(previous, str) and len(previous) <= 100 else None)


class Explanation(NamedTuple):
    """Why a question got the reply it got: for `ask --explain`, `/why` and the evaluator."""

    question: str
    tokens: tuple[str, ...]
    crisis: str | None
    candidates: tuple[Candidate, ...]
    reply: Reply
    # Signal name -> weight: what each candidate's score is made of.
    weights: Mapping[str, float] = {}
    # The safety layer's decision and its evidence (the rule, or the model's score).
    safety: SafetyVerdict | None = None


class Bot:
    """Answers questions from one loaded knowledge base."""

    @built_in_bulk
    def __init__(self, knowledge: KnowledgeBase, embed: Embed | None = None) -> None:
        """`embed`: knowledge-base texts -> unit vectors (default: the shipped sentence
        encoder through the embedding store)."""
        self.knowledge = knowledge
        self._by_id = {entry.id: entry for entry in knowledge.entries}
        settings = knowledge.settings
        self._normalizer = Normalizer.configured(
            knowledge.synonyms, settings, knowledge.common_words
        )
        self._normalizer.learn(knowledge.synonyms)
        self._index = RetrievalIndex(
            knowledge.entries,
            self._normalizer,
            settings,
            embed or _knowledge_embedder(),
            knowledge.out_of_scope,
            _knowledge_tokenizer(),
        )
        self._check = safety_check_for(
            knowledge, self._normalizer.vocabulary, self._normalizer.language
        )

    @classmethod
    def load(cls, root: Path | str | None = None, cache: bool = False) -> Bot:
        """Load and index a knowledge base folder (default: the bundled one).

        With `cache`, a copy built earlier from exactly the same files is reused
        (see `faqbot.bot_cache`): command-line runs start several times faster.
        """
        folder = Path(root) if root is not None else default_knowledge_dir()
        if not cache:
            return cls._build(folder)
        from faqbot.bot_cache import cached

        bot = cached(folder, cls._build)
        return bot if isinstance(bot, Bot) else cls._build(folder)

    @classmethod
    def _build(cls, root: Path) -> Bot:
        # Imported here: a start from the cache never needs YAML or the validators.
        from faqbot.loader import load_knowledge

        return cls(load_knowledge(root))

    @property
    def normalizer(self) -> Normalizer:
        """The normalizer this bot's index was built with."""
        return self._normalizer

    def reply(self, text: str, context: Context | None = None) -> Reply:
        """The reply to one visitor message."""
        return self.explain(text, context, limit=0).reply

    def explain(self, text: str, context: Context | None = None, limit: int = 5) -> Explanation:
        """The reply plus the evidence behind it (top `limit` candidates)."""
        settings = self.knowledge.settings
        encoder = _message_encoder()
        verdict = self._check.verdict(self._checked_part(text), encoder)
        if verdict.level is Level.CRISIS:
            reply = self._crisis_reply(verdict)
            return Explanation(text, (), verdict.category, (), reply, {}, verdict)
        question = clean(text, settings.max_question_chars)
        if not question:
            return Explanation(text, (), None, (), self._fallback("empty"), {}, verdict)
        tokens = self._normalizer.tokens(question)
        views = self._views(question, tokens, encoder if self._weighs_meaning() else None)
        ranked = rank_of(self._index.evidence(*views), settings.weights)
        reply = self._reply_for(decide(ranked, settings, self._follow_ups(context)))
        if len(text) > settings.max_question_chars and reply.kind is Kind.ANSWER:
            reply = _prefixed(reply, self.knowledge.practice.message("too_long"))
        if verdict.level is Level.CHECKIN:
            reply = self._with_checkin(reply, verdict)
        candidates = tuple(ranked[:limit])
        return Explanation(text, tokens, None, candidates, reply, settings.weights, verdict)

    def evidence(self, text: str) -> list[EntryEvidence]:
        """Every signal's value for the candidate entries of `text`, unweighted (for tuning).

        The safety layer is not consulted: this is retrieval's view of the text alone.
        """
        question = clean(text, self.knowledge.settings.max_question_chars)
        if not question:
            return []
        views = self._views(question, self._normalizer.tokens(question), _message_encoder())
        return self._index.evidence(*views)

    def _views(
        self, question: str, tokens: tuple[str, ...], encoder: MessageEncoder | None
    ) -> list[View]:
        """The whole message and the sentence that asks, with vectors when they count."""
        texts = [question]
        asking = asking_sentence(question)
        if asking:
            texts.append(asking)
        embedded = encoder is not None and self._index.embedded
        vectors = encoder.encode(texts) if embedded else None
        ids = encoder.token_ids(texts) if encoder is not None else [None] * len(texts)
        token_lists = [tokens, *map(self._normalizer.tokens, texts[1:])]
        return [
            View(text, words, vectors[row] if vectors is not None else None, ids[row])
            for row, (text, words) in enumerate(zip(texts, token_lists, strict=True))
        ]

    def _weighs_meaning(self) -> bool:
        weights = self.knowledge.settings.weights
        return any(weights.get(name, 0) > 0 for name in SEMANTIC_SIGNALS)

    def safety(self, text: str) -> SafetyVerdict:
        """The safety layer's verdict on `text` alone, without retrieval (for `faqbot check`)."""
        return self._check.verdict(self._checked_part(text))

    def safety_of_phrasings(self, texts: list[str]) -> list[SafetyVerdict]:
        """`safety` of each of the knowledge base's own phrasings (for `faqbot check`): their
        pieces are knowledge-base text, so their vectors are kept in the embedding store."""
        embed = _knowledge_embedder() or _message_encoder().encode
        return self._check.verdicts([self._checked_part(t) for t in texts], embed)

    def rule_saying_all_of(self, text: str) -> str:
        """The strong crisis rule whose phrase is all of `text`, or "" (for `check --strict`)."""
        return self._check.rule_saying_all_of(self._checked_part(text))

    def _checked_part(self, text: str) -> str:
        """What the safety layer reads: far more than retrieval, but bounded."""
        return text[: self.knowledge.settings.max_question_chars * 20]

    def reply_for_id(self, entry_id: str) -> Reply:
        """The answer to a picked follow-up or clarify option (no retrieval involved)."""
        entry = self.entry(entry_id)
        if entry is None:
            return self._fallback("unknown_id")
        return self._answer(entry, 100.0)

    def entry(self, entry_id: str) -> Entry | None:
        """The entry with this id, if there is one."""
        return self._by_id.get(entry_id)

    def choices(self, ids: tuple[str, ...]) -> tuple[Choice, ...]:
        """`{id, question}` pairs for the ids that exist, in order."""
        entries = (self.entry(i) for i in ids)
        return tuple(Choice(e.id, e.question) for e in entries if e is not None)

    def headings(self) -> dict[str, str]:
        """The sentences front ends put around replies, from the knowledge base."""
        practice = self.knowledge.practice
        names = ("start_heading", "related_heading", "fallback_heading", "goodbye")
        return {
            "crisis_heading": self.knowledge.safety.heading,
            **{name: practice.message(name) for name in names},
        }

    def suggestions(self) -> tuple[Choice, ...]:
        """The questions offered when a conversation starts."""
        return self.choices(self.knowledge.practice.suggestions.get("start", ()))

    def topics(self) -> dict[str, tuple[Choice, ...]]:
        """Entries grouped by topic, in knowledge-base order, for a browse view."""
        grouped: dict[str, list[Choice]] = {topic: [] for topic in self.knowledge.topics}
        for entry in self.knowledge.entries:
            grouped.setdefault(entry.topic, []).append(Choice(entry.id, entry.question))
        return {topic: tuple(items) for topic, items in grouped.items() if items}

    def _follow_ups(self, context: Context | None) -> tuple[str, ...]:
        """The entries the previous answer suggested: they win a near-tie, nothing more."""
        previous = self.entry(context.previous_id) if context and context.previous_id else None
        return previous.related if previous is not None else ()

    def _reply_for(self, decision: Decision) -> Reply:
        if decision.kind is Kind.ANSWER:
            best = decision.chosen[0]
            return self._answer(best.entry, best.score)
        if decision.kind is Kind.CLARIFY:
            options = tuple(Choice(c.entry.id, c.entry.question) for c in decision.chosen)
            return Reply(
                Kind.CLARIFY,
                self.knowledge.practice.message("clarify"),
                score=decision.chosen[0].score,
                options=options,
            )
        return self._fallback("fallback")

    def _answer(self, entry: Entry, score: float) -> Reply:
        return Reply(
            Kind.ANSWER,
            entry.answer,
            entry.id,
            entry.question,
            score,
            related=self.choices(entry.related),
        )

    def _fallback(self, message: str) -> Reply:
        practice = self.knowledge.practice
        related = self.choices(practice.suggestions.get("fallback", ()))
        return Reply(Kind.FALLBACK, practice.message(message), related=related)

    def _crisis_reply(self, verdict: SafetyVerdict) -> Reply:
        safety = self._safety_in(verdict.language)
        text = "\n\n".join(part for part in (safety.message, safety.after_resources) if part)
        resources = safety.resources_for(verdict.category)
        heading = "" if safety is self.knowledge.safety else safety.heading
        return Reply(Kind.CRISIS, text, score=100.0, resources=resources, resources_heading=heading)

    def _with_checkin(self, reply: Reply, verdict: SafetyVerdict) -> Reply:
        safety = self._safety_in(verdict.language)
        return reply._replace(
            checkin=safety.checkin or safety.heading,
            resources=safety.resources_for(verdict.category),
        )

    def _safety_in(self, language: str) -> Safety:
        """The safety file for replies in `language` (English when there is none)."""
        safety = self.knowledge.safety
        return safety.translations.get(language, safety)


def _prefixed(reply: Reply, note: str) -> Reply:
    return reply._replace(answer=f"{note}\n\n{reply.answer}") if note else reply


def _knowledge_embedder():
    """Knowledge-base texts -> vectors, through the embedding store (None without a model)."""
    from faqbot.embedding_store import EmbeddingStore
    from faqbot.encoder import EncoderError, shared_encoder

    try:
        return EmbeddingStore.in_cache_folder(shared_encoder()).embed
    except EncoderError:
        return None


def _knowledge_tokenizer():
    """Knowledge-base texts -> the encoder's token ids, for the word model (None without
    a model)."""
    from faqbot.encoder import EncoderError, shared_encoder

    try:
        return shared_encoder().token_ids
    except EncoderError:
        return None


def _message_encoder() -> MessageEncoder:
    """A fresh memo for one message (never stored); the model loads on its first text."""
    from faqbot.encoder import MessageEncoder, shared_encoder

    return MessageEncoder(shared_encoder)
