"""Three outcomes (crisis, a check-in beside an ordinary reply, nothing), in English and Spanish."""

from __future__ import annotations

import json

import pytest

from faqbot.render.text import reply_text
from faqbot.reply import Kind
from faqbot.safety_check import Level

CHECK_INS = [
    "what is suicide?",
    "what does suicidal ideation mean",
    "Years ago I struggled with self-harm, I've been well for a decade. Do you see couples?",
    "i used to cut myself as a teenager, does that matter for therapy?",
    "what are the signs of grooming? i want to protect my kids",
]


@pytest.mark.parametrize("message", CHECK_INS)
def test_a_crisis_topic_without_a_crisis_gets_a_check_in_beside_the_reply(bot, message):
    explanation = bot.explain(message)
    assert explanation.safety.level is Level.CHECKIN
    reply = explanation.reply
    assert reply.kind is not Kind.CRISIS
    assert reply.checkin == bot.knowledge.safety.checkin
    assert reply.resources


def test_a_crisis_beside_a_check_in_phrase_is_still_a_crisis(bot):
    reply = bot.reply("what is suicide like? i want to kill myself tonight")
    assert reply.kind is Kind.CRISIS


@pytest.mark.parametrize(
    "message",
    [
        "roughly how many women go through a sexual assault at some point, do you know",
        "for my criminology seminar: is domestic violence more common in some age groups?",
    ],
)
def test_a_crime_named_as_a_topic_is_a_check_in_not_a_crisis(bot, message):
    # "sexual assault" stems like "sexually assaulted": the noun alone names a topic.
    assert bot.explain(message).safety.level is Level.CHECKIN


@pytest.mark.parametrize(
    "message",
    [
        "i was sexually assaulted at a party last weekend and i can't stop shaking",
        "my boyfriend hits me, it's domestic violence isn't it, i'm scared to go home",
    ],
)
def test_the_same_words_in_a_disclosure_are_still_a_crisis(bot, message):
    assert bot.reply(message).kind is Kind.CRISIS


def test_asking_how_to_commit_suicide_is_a_crisis_not_a_check_in(bot):
    # The check-in phrase "committed suicide" (someone's death) stems alike.
    assert bot.reply("whats the quickest way to commit suicide").kind is Kind.CRISIS
    assert bot.reply("i keep thinking about committing suicide").kind is Kind.CRISIS
    assert (
        bot.explain("my grandfather committed suicide, can we talk about grief?").safety.level
        is Level.CHECKIN
    )


@pytest.mark.parametrize(
    "message",
    [
        "how would one commit suicide if they really wanted to",
        "how could someone commit suicide without anyone noticing",
        "how do people commit suicide with pills",
    ],
)
def test_asking_how_someone_else_would_commit_suicide_is_a_crisis(bot, message):
    # Asking for the means, about "someone" or "people": the check-in "committed suicide"
    # stems alike but a crisis phrase longer than it is not hidden.
    assert bot.reply(message).kind is Kind.CRISIS


@pytest.mark.parametrize(
    "message",
    [
        "why do so many young men commit suicide",
        "how many people commit suicide in prison",
        "my best friend's dad committed suicide",
    ],
)
def test_why_how_often_and_whose_suicide_stay_check_ins(bot, message):
    assert bot.explain(message).safety.level is Level.CHECKIN


@pytest.mark.parametrize(
    "message",
    [
        "the train was late again, this city makes me want to die lol. do you do evenings?",
        "one more group trip and i will shoot myself 😂 ok real question: are you on zoom",
    ],
)
def test_hyperbole_marked_as_a_joke_is_not_a_crisis(bot, message):
    # A crisis phrase in a message that says it is joking is weak: the detector decides.
    assert bot.reply(message).kind is not Kind.CRISIS


@pytest.mark.parametrize(
    "message",
    [
        "i want to die lol",
        "lol i dont even care anymore i want to kill myself, not kidding",
        "me quiero morir y no es broma",
    ],
)
def test_a_joke_marker_does_not_hide_a_crisis(bot, message):
    assert bot.reply(message).kind is Kind.CRISIS


def test_asking_how_to_stop_cutting_is_a_crisis_and_stopping_long_ago_a_check_in(bot):
    assert bot.reply("i dont know how to stop cutting, its every night").kind is Kind.CRISIS
    past = "i stopped cutting when i was 19, does it matter for couples therapy?"
    assert bot.explain(past).safety.level is Level.CHECKIN


def test_ordinary_questions_get_no_check_in(bot):
    reply = bot.reply("is there homework?")
    assert reply.checkin == "" and reply.resources == ()
    assert bot.explain("is there homework?").safety.level is Level.NONE


def test_every_text_front_end_shows_the_check_in_and_its_resources(bot):
    reply = bot.reply("what is suicide?")
    text = reply_text(reply, 80, bot.headings())
    assert "don't have to carry it alone" in text
    assert "988" in text


def test_the_check_in_travels_in_the_json(bot):
    data = json.loads(bot.reply("what is suicide?").to_json())
    assert data["checkin"] and data["resources"]


@pytest.mark.parametrize(
    ("message", "first"),
    [
        ("i was raped last week", "RAINN"),
        ("my husband hits me", "National Domestic Violence Hotline"),
        ("I want to end my life", "988"),
        ("How do I kill my wife?", "Emergency"),
    ],
)
def test_resources_follow_the_category(bot, message, first):
    reply = bot.reply(message)
    assert reply.kind is Kind.CRISIS
    assert first in reply.resources[0].name


def test_intent_to_harm_another_person_gets_911_and_988_first(bot):
    reply = bot.reply("how do i kill my wife")
    assert [r.link for r in reply.resources[:2]] == ["tel:911", "tel:988"]
    assert bot.explain("how do i kill my wife").crisis == "harm_to_others"


@pytest.mark.parametrize(
    "message",
    [
        "quiero morir",
        "ya no quiero vivir",
        "me quiero matar, no aguanto más",
        "me violaron en una fiesta",
        "mi esposo me pega cuando bebe",
        "tengo miedo de que me mate",
        "QUIERO MORIRME 😭",
    ],
)
def test_spanish_crisis_messages_get_the_spanish_crisis_reply(bot, message):
    explanation = bot.explain(message)
    reply = explanation.reply
    assert reply.kind is Kind.CRISIS
    assert explanation.safety.language == "es"
    assert reply.resources_heading == bot.knowledge.safety.translations["es"].heading
    contacts = " ".join(r.contact for r in reply.resources)
    assert "oprima 2" in contacts and "911" in contacts


@pytest.mark.parametrize(
    "message",
    ["je veux mourir", "ich will nicht mehr leben", "quero morrer", "vou me matar hoje"],
)
def test_common_suicidal_phrases_in_other_languages_raise_the_crisis_reply(bot, message):
    assert bot.reply(message).kind is Kind.CRISIS


@pytest.mark.parametrize(
    ("message", "category"),
    [
        ("seit wochen denke ich daran, mich umzubringen", "suicide"),
        ("ich habe vor, mir das leben zu nehmen", "suicide"),
        ("ich bin lebensmüde und weiß nicht weiter", "suicide"),
        ("hab mich eben wieder geritzt", "self_harm"),
        ("je pense souvent à mourir en ce moment", "suicide"),
        ("mein mann droht mich umzubringen", "partner_violence"),
    ],
)
def test_german_and_french_forms_beyond_the_first_person_wish(bot, message, category):
    """German says it with a zu-infinitive or one word, French with "penser à": the
    commonest forms after "ich will sterben" and "je veux mourir"."""
    verdict = bot.safety(message)
    assert (verdict.level, verdict.category) == (Level.CRISIS, category)


@pytest.mark.parametrize(
    "message",
    [
        "me muero de risa con mi novio",
        "te quiero mucho, mi amor",
        "bist du lebensmüde? fahr langsamer",
    ],
)
def test_everyday_spanish_and_german_are_not_a_crisis(bot, message):
    assert bot.reply(message).kind is not Kind.CRISIS


def test_an_english_crisis_reply_stays_english(bot):
    reply = bot.reply("i want to die")
    assert reply.resources_heading == ""
    assert "Call or text 988" in {r.contact for r in reply.resources}


def test_explain_shows_the_safety_decision_and_the_rule_that_fired(bot):
    from faqbot.render.explain import explanation_dict, explanation_text

    explanation = bot.explain("what is suicide?")
    assert "safety:   checkin (suicide), rule: what is suicide" in explanation_text(explanation)
    data = explanation_dict(explanation)["safety"]
    assert data["level"] == "checkin" and data["rule"] == "what is suicide"
    crisis = explanation_dict(bot.explain("quiero morir"))["safety"]
    assert crisis["level"] == "crisis" and crisis["language"] == "es"


@pytest.mark.parametrize(
    "message",
    [
        "i was molested as a kid, but after years of therapy i'm in a good place. "
        "we'd like help with desire",
        "my girlfriend was raped in college, she's worked through it. how do we start",
    ],
)
def test_abuse_long_past_and_worked_through_is_a_check_in_not_a_crisis(bot, message):
    # The check-in phrase hides the disclosure in context, so the detector's worry about
    # the disclosure on its own ("i was molested as a kid") does not raise the crisis reply.
    assert bot.explain(message).safety.level is Level.CHECKIN


def test_abuse_in_the_past_with_current_danger_is_still_a_crisis(bot):
    reply = bot.reply("i was abused as a kid and worked through it, but he still comes to my room")
    assert reply.kind is Kind.CRISIS


@pytest.mark.parametrize("message", ["qwzx plorb", "zzxq vvbnt kkrw"])
def test_keyboard_mashing_gets_no_check_in(bot, message):
    reply = bot.reply(message)
    assert reply.kind is Kind.FALLBACK and not reply.checkin
