"""What visitors get: answers, clarifications, the referral, and the Reply contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from faqbot.bot import Bot, Context
from faqbot.reply import Kind

REQUIRED_IDS = [
    "what-is-sex-therapy",
    "no-nudity",
    "misconceptions",
    "homework",
    "who-it-helps",
    "individual-sessions",
    "reluctant-partner",
    "what-we-talk-about",
    "first-session",
    "how-long",
    "no-sex-couples",
    "obligatory-sex",
    "lost-spark",
    "why-desire-fades",
    "emotional-intimacy",
    "oxytocin",
    "vulnerability",
    "talking-about-sex",
    "book-consultation",
    "about-therapist",
    "fees-insurance",
    "confidentiality",
    "medical-concerns",
    "bot-identity",
    "greeting",
    "thanks",
    "help",
]


def test_the_knowledge_base_has_every_required_entry(bot):
    ids = {entry.id for entry in bot.knowledge.entries}
    assert set(REQUIRED_IDS) <= ids


def test_every_entry_has_enough_paraphrases(bot):
    thin = [e.id for e in bot.knowledge.entries if len(e.paraphrases) < 6]
    assert not thin


def test_no_nudity_question_gets_the_no_nudity_answer_corrected_first(bot):
    reply = bot.reply("do I have to get naked?")
    assert (reply.kind, reply.id) == (Kind.ANSWER, "no-nudity")
    assert reply.answer.startswith("No")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("is there homework?", "homework"),
        ("can I come without my partner", "individual-sessions"),
        ("how much does it cost", "fees-insurance"),
        ("hello", "greeting"),
        ("thank you!", "thanks"),
        ("are you a real person?", "bot-identity"),
    ],
)
def test_common_questions_get_their_entry(bot, question, expected):
    reply = bot.reply(question)
    assert (reply.kind, reply.id) == (Kind.ANSWER, expected)


@pytest.mark.parametrize(
    "question",
    [
        "what's the weather",
        "write me a python function that sorts a list",
        "where can I buy cheap sneakers",
        "how many mg of viagra should I take",
        "write me an explicit sex story",
    ],
)
def test_out_of_scope_questions_get_the_referral(bot, question):
    reply = bot.reply(question)
    assert reply.kind is Kind.FALLBACK
    assert bot.knowledge.practice.details["phone"] in reply.answer
    assert reply.id is None


def test_a_short_greeting_does_not_swallow_a_real_question(bot):
    reply = bot.reply("hi! is there nudity in sex therapy?")
    assert reply.id == "no-nudity"


def test_answers_offer_related_follow_ups_that_exist(bot):
    reply = bot.reply("is there homework?")
    assert reply.related
    for choice in reply.related:
        assert bot.entry(choice.id).question == choice.question


def test_a_picked_follow_up_is_answered_by_id(bot):
    reply = bot.reply_for_id("homework")
    assert (reply.kind, reply.id, reply.score) == (Kind.ANSWER, "homework", 100.0)


def test_an_unknown_id_falls_back_politely(bot):
    assert bot.reply_for_id("no-such-entry").kind is Kind.FALLBACK


@pytest.mark.parametrize("text", ["", "   ", "\x00\x1b[2J", "\n\n\t"])
def test_empty_input_gets_a_gentle_prompt(bot, text):
    reply = bot.reply(text)
    assert reply.kind is Kind.FALLBACK
    assert reply.answer == bot.knowledge.practice.message("empty")


def test_a_megabyte_of_text_gets_a_reply(bot):
    reply = bot.reply("is there homework " + "x" * 1_000_000)
    assert reply.kind in set(Kind)


def test_binary_junk_gets_a_reply(bot):
    junk = bytes(range(256)).decode("latin-1") * 40
    assert bot.reply(junk).kind is Kind.FALLBACK


def test_html_is_treated_as_text(bot):
    reply = bot.reply("<script>alert(1)</script> is there homework")
    assert "<script>" not in reply.answer


def test_same_question_same_reply(bot):
    assert bot.reply("can my wife come too") == bot.reply("can my wife come too")


def test_a_clarify_offers_two_or_three_options(bot):
    from faqbot.decide import decide
    from faqbot.model import Settings

    ranked = bot.explain("sex therapy", limit=10).candidates
    decision = decide(
        list(ranked), Settings(answer=101, clarify=0, clarify_margin=100, clear_lead=100)
    )
    assert decision.kind is Kind.CLARIFY
    assert 2 <= len(decision.chosen) <= 3


def test_a_question_nearer_to_an_out_of_scope_example_than_to_any_phrasing_falls_back(bot):
    from faqbot.decide import decide
    from faqbot.retrieval import Candidate

    settings = bot.knowledge.settings
    assert settings.min_scope == 0.5

    def kind(**signals: float) -> Kind:
        values = {"ratio": 0.5, "wording": 0.5, "semantic": 0.8, "scope": 0.45, **signals}
        ranked = [Candidate(bot.entry("about-therapist"), "", 90.0, values, 10.0)]
        return decide(ranked, settings).kind

    assert kind() is Kind.FALLBACK
    assert kind(scope=0.55) is Kind.ANSWER
    assert kind(ratio=1.0) is Kind.ANSWER  # written word for word
    assert kind(semantic=0.0) is Kind.ANSWER  # no encoder: nothing was measured
    assert bot.reply("how do i become a certified sex therapist").kind is Kind.FALLBACK


def _candidate(bot, entry_id: str, score: float):
    from faqbot.retrieval import Candidate

    return Candidate(bot.entry(entry_id), "", score, {"ratio": 0.5, "wording": 0.5}, 10.0)


def test_a_follow_up_breaks_a_near_tie_towards_the_previous_answers_suggestion(bot):
    from faqbot.decide import decide

    # A margin of 2 points: the shipped one is fitted (and may be 0, ties only).
    settings = bot.knowledge.settings._replace(clarify_margin=2)
    tied = [_candidate(bot, "homework", 70.0), _candidate(bot, "no-nudity", 69.0)]
    assert decide(tied, settings).kind is Kind.CLARIFY
    decision = decide(tied, settings, preferred=("no-nudity",))
    assert decision.kind is Kind.ANSWER and decision.chosen[0].entry.id == "no-nudity"


def test_a_follow_up_never_answers_what_would_fall_back(bot):
    from faqbot.decide import decide

    settings = bot.knowledge.settings
    weak = [_candidate(bot, "homework", settings.clarify - 0.5)]
    assert decide(weak, settings, preferred=("homework",)).kind is Kind.FALLBACK


def test_a_follow_up_never_overturns_a_clear_answer(bot):
    from faqbot.decide import decide

    settings = bot.knowledge.settings
    clear = [_candidate(bot, "homework", 90.0), _candidate(bot, "no-nudity", 80.0)]
    decision = decide(clear, settings, preferred=("no-nudity",))
    assert decision.chosen[0].entry.id == "homework"


def test_context_changes_no_score(bot):
    question = "sex therapy"
    before = [(c.entry.id, c.score) for c in bot.explain(question, limit=50).candidates]
    for entry in bot.knowledge.entries:
        after = bot.explain(question, Context(previous_id=entry.id), limit=50).candidates
        assert [(c.entry.id, c.score) for c in after] == before


def test_out_of_scope_questions_fall_back_after_any_answer(bot):
    from faqbot.decide import decide
    from faqbot.eval_set import load_eval_set

    settings = bot.knowledge.settings
    cases = load_eval_set(Path(__file__).parent / "eval" / "visitor_questions.yaml")
    for case in cases.section("out_of_scope"):
        explained = bot.explain(case.question, limit=10)
        if explained.reply.kind is not Kind.FALLBACK:
            continue  # a miss of its own, measured by the evaluation
        assert (
            explained.candidates == bot.explain(case.question, Context("homework"), 10).candidates
        )
        for entry in bot.knowledge.entries:  # context only ever reaches `decide`
            decision = decide(list(explained.candidates), settings, preferred=entry.related)
            assert decision.kind is Kind.FALLBACK, (entry.id, case.question)


def test_context_from_a_client_is_tolerant_of_junk():
    assert Context.from_mapping({"previous_id": 5}) == Context()
    assert Context.from_mapping("junk") == Context()  # type: ignore[arg-type]
    assert Context.from_mapping({"previous_id": "homework", "x": 1}).previous_id == "homework"


def test_reply_json_has_the_documented_shape(bot):
    data = json.loads(bot.reply("is there homework?").to_json())
    assert set(data) == {
        "kind",
        "id",
        "question",
        "answer",
        "score",
        "options",
        "related",
        "resources",
        "checkin",
        "resources_heading",
    }
    assert data["kind"] == "answer" and 0 <= data["score"] <= 100
    assert data["checkin"] == "" and data["resources"] == []
    assert all(set(item) == {"id", "question"} for item in data["related"])


def test_crisis_json_lists_resources_with_name_and_contact(bot):
    data = json.loads(bot.reply("i want to end my life").to_json())
    assert data["kind"] == "crisis"
    assert all({"name", "contact"} <= set(r) for r in data["resources"])


def test_bot_identity_says_it_is_automated(bot):
    reply = bot.reply("am i talking to a real person")
    assert "automated" in reply.answer.lower() or "not a person" in reply.answer.lower()


def test_bundled_knowledge_base_loads_without_a_path(monkeypatch):
    monkeypatch.delenv("FAQBOT_KB", raising=False)
    assert Bot.load().knowledge.entries


def test_one_bot_serves_many_threads_while_its_caches_churn():
    """A server's worker threads share one bot; its caches must never race into an error."""
    import random
    import threading

    bot = Bot.load()
    bot.normalizer._stems = ChurningCache()  # as if full: cleared between checks and reads
    words = ["nakd", "homwork", "therapst", "insurence", "partnr", "zzq", "consultaton"]
    errors: list[BaseException] = []

    def ask(seed: int) -> None:
        rng = random.Random(seed)
        try:
            for _ in range(150):
                bot.reply(" ".join(rng.choice(words) for _ in range(4)))
        except BaseException as error:  # any failure in a thread is reported below
            errors.append(error)

    threads = [threading.Thread(target=ask, args=(seed,)) for seed in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors


class ChurningCache(dict):
    """A dict another thread keeps clearing: every membership test is followed by a clear."""

    def __contains__(self, key: object) -> bool:
        found = super().__contains__(key)
        self.clear()
        return found
