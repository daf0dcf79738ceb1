"""Real words of German, French, Portuguese and Spanish are never "corrected" into an
English crisis word ("beraten" is not "beaten"), English typos still are, and crises in
those languages that got only a check-in have rules ("esta noche me mato")."""

from __future__ import annotations

import pytest

from faqbot.bot_cache import _code_fingerprint
from faqbot.safety import CrisisDetector
from faqbot.safety_check import Level
from faqbot.safety_files import real_words

SIGNALS = {
    "test": [
        "i was beaten",
        "got a blade",
        "the abuse",
        "an assault",
        "call the police",
        "kill myself",
        "suicide",
    ]
}

# (a real word of one language, one edit from an English signal word, the English frame).
REAL_WORDS = [
    ("beraten", "i was {}"),  # de: to advise
    ("beten", "i was {}"),  # de: to pray
    ("blase", "got a {}"),  # de: bubble, bladder
    ("balde", "got a {}"),  # es, pt: bucket
    ("acuse", "the {}"),  # es: accuse
    ("balade", "got a {}"),  # fr: a walk
    ("assaut", "an {}"),  # fr: assault (as a word of French, not a typo)
    ("apolice", "call the {}"),  # pt: insurance policy
]


@pytest.fixture(scope="module")
def detectors() -> tuple[CrisisDetector, CrisisDetector]:
    """Without and with the shipped real-word lists."""
    return CrisisDetector(SIGNALS), CrisisDetector(SIGNALS, foreign_words=real_words())


@pytest.mark.parametrize(("word", "frame"), REAL_WORDS)
def test_a_real_foreign_word_is_not_corrected_into_a_crisis_word(detectors, word, frame):
    without, with_lists = detectors
    assert without.detect(frame.format(word)) == "test", "the example must be one edit away"
    assert with_lists.detect(frame.format(word)) is None


@pytest.mark.parametrize("typo", ["i want to kil myself", "thinking about suicde", "kill mysef"])
def test_an_english_typo_is_still_corrected(detectors, typo):
    assert detectors[1].detect(typo) == "test"


def test_no_real_word_list_holds_an_english_crisis_word():
    words = real_words()
    assert not {"kill", "die", "rape", "suicide", "overdose"} & set(words)
    assert len(words) > 30_000


def test_the_start_up_cache_is_keyed_by_the_real_word_lists():
    names = {name for name, *_ in _code_fingerprint()}
    assert {f"safety/real_words.{lang}.txt" for lang in ("de", "es", "fr", "pt")} <= names


def test_a_german_question_about_one_consultation_is_no_crisis(bot):
    verdict = bot.safety("kann man auch nur einmal kommen um sich beraten zu lassen")
    assert verdict.level is not Level.CRISIS


# Written for this test, apart from the bank and the evaluation sets.
CRISES = [
    "esta noche me mato",
    "me acabo de cortar otra vez",
    "compré una soga para ahorcarme",
    "quiero hacer sufrir a mi ex, lastimarlo de verdad",
    "acabei de cortar meu braco com a gilete",
    "meu namorado me espancou de novo",
    "eu me bato ate ficar roxa",
    "ninguem ia sentir minha falta se eu sumisse pra sempre",
    "j'ai envie de me faire mal, je n'en peux plus",
    "je veux faire souffrir mon ex physiquement",
    "il tape sur ma porte et j'ai peur",
    "j'ai pris 30 comprimés tout à l'heure et j'ai la nausée",
    "ich hab mir gerade mit der klinge in den arm geschnitten",
    "ich habe mir einen strick gekauft",
    "er schlägt auf meine tür ein und ich hab angst",
    # Other wordings of the same kinds.
    "hoy mismo me mato, ya lo decidí",
    "ya tengo la cuerda para colgarme",
    "me dou socos até ficar roxa",
    "estão tentando arrombar minha porta e estou apavorada",
    "mon conjoint m'a encore tabassée",
    "je viens de me taillader le bras avec une lame",
    "ich habe 20 schlaftabletten genommen und mir ist schlecht",
    "mein ex tritt gegen die tür, ich habe solche angst",
    "ich will meinen ex leiden lassen, ihm richtig weh tun",
]

LOOK_ALIKES = [
    "me mato trabajando toda la semana y no tengo ganas de sexo",
    "me corté el pelo y mi pareja no lo notó",
    "mi novio me pegó un susto",
    "compré una cuerda para tender la ropa",
    "cortei o cabelo e meu namorado nem percebeu",
    "bati na porta do consultório e ninguém abriu",
    "je me suis coupé les cheveux et mon mari n'a rien remarqué",
    "j'ai frappé à la porte du cabinet mais personne n'a ouvert",
    "il me tape sur les nerfs quand il ronfle",
    "ich habe mir die haare geschnitten und mein mann hat es nicht bemerkt",
    "er schlägt vor, dass wir zusammen kommen",
    "wir wollen unsere beziehung öffnen, können sie uns beraten?",
]


@pytest.mark.parametrize("message", CRISES)
def test_a_crisis_in_another_language_is_caught_by_a_rule(bot, message):
    verdict = bot.safety(message)
    assert verdict.level is Level.CRISIS
    assert verdict.rule, "a rule, not only the model, should catch this kind"


@pytest.mark.parametrize("message", LOOK_ALIKES)
def test_a_look_alike_in_another_language_is_no_crisis(bot, message):
    assert bot.safety(message).level is not Level.CRISIS
