"""Language is data: every language file is complete, and settings.yaml chooses one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from faqbot.errors import KnowledgeError
from faqbot.language import UnknownLanguage, get_language, known_languages
from faqbot.loader import load_knowledge
from faqbot.normalize import Normalizer
from faqbot.review import readability, syllables
from faqbot.safety import CrisisDetector

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
ENGLISH = get_language("en")
OTHERS = [name for name in known_languages() if name != "en"]


def test_spanish_ships_beside_english():
    assert {"en", "es"} <= set(known_languages())


@pytest.mark.parametrize("name", OTHERS)
@pytest.mark.parametrize("section", ["messages", "widget", "page"])
def test_every_language_says_every_sentence_english_says(name, section):
    english, other = getattr(ENGLISH, section), getattr(get_language(name), section)
    assert set(other) == set(english)
    for key, text in english.items():
        # A value a front end fills in ({error}, {seconds}) must be in the translation too.
        assert set(PLACEHOLDER.findall(other[key])) == set(PLACEHOLDER.findall(text)), key


@pytest.mark.parametrize("name", known_languages())
def test_every_word_list_holds_lower_case_words(name):
    language = get_language(name)
    for words in (language.stop_words, language.fillers, language.chat_spellings):
        assert all(isinstance(w, str) and w == w.lower() and w.strip() for w in words)
    assert language.stem("sessions")  # the stemmer it names exists


def test_a_name_that_is_not_a_shipped_language_is_refused():
    for name in ("xx", "../en", ""):
        with pytest.raises(UnknownLanguage):
            get_language(name)


def test_an_unknown_language_is_a_problem_at_its_line(kb_copy: Path):
    settings = kb_copy / "settings.yaml"
    lines = settings.read_text("utf-8").splitlines(keepends=True)
    line = lines.index("language: en\n")
    lines[line] = "language: klingon\n"
    settings.write_text("".join(lines), "utf-8")
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(kb_copy)
    [problem] = [p for p in raised.value.problems if "language" in p.message]
    assert (Path(problem.path).name, problem.line) == ("settings.yaml", line + 1)
    assert "unknown language `klingon`" in problem.message and "en, es" in problem.message


def test_the_language_decides_the_stop_words_and_the_stemmer():
    english, spanish = Normalizer({}), Normalizer({}, language=get_language("es"))
    assert english.tokens("what are the sessions like") == ("session",)
    assert spanish.tokens("cómo son las sesiones") == ("sesion",)


def test_chat_spellings_are_the_languages_own():
    spanish = Normalizer({}, language=get_language("es"))
    assert spanish.words("q hago x mi pareja") == ["que", "hago", "por", "mi", "pareja"]
    assert Normalizer({}).words("q hago") == ["q", "hago"]


def test_the_safety_layer_drops_the_languages_fillers():
    spanish = get_language("es")
    detector = CrisisDetector({"suicidio": ("quiero morir",)}, language=spanish)
    assert detector.detect("de verdad realmente quiero morir") == "suicidio"
    english = CrisisDetector({"suicide": ("want to die",)})
    assert english.detect("i really want to die") == "suicide"
    assert english.detect("realmente quiero morir") is None


def test_readability_follows_the_language():
    assert syllables("terapia", get_language("es")) == 3
    assert syllables("make") == 1  # English drops the silent e; Spanish has none
    spanish = readability("La terapia es hablada. Vienes sola.", get_language("es"))
    assert (spanish.words, spanish.sentences, spanish.grade) == (6, 2, None)
    assert readability("We talk. You are safe here.").grade is not None


def test_practice_yaml_overrides_a_default_sentence(kb_copy: Path):
    practice = kb_copy / "practice.yaml"
    text = practice.read_text("utf-8").replace(
        "messages:\n", 'messages:\n  repl_rate_failed: "Not kept ({error})."\n', 1
    )
    text = text.replace('  send: "Send"\n', '  send: "Ask"\n').replace('  typing: "Typing…"\n', "")
    practice.write_text(text, "utf-8")
    loaded = load_knowledge(kb_copy).practice
    assert loaded.widget["send"] == "Ask"
    assert loaded.widget["typing"] == ENGLISH.widget["typing"]  # no longer in practice.yaml
    assert loaded.message("repl_rate_failed", error="disk full") == "Not kept (disk full)."


def test_a_placeholder_no_default_has_is_still_a_problem(kb_copy: Path):
    practice = kb_copy / "practice.yaml"
    text = practice.read_text("utf-8").replace(
        "messages:\n", 'messages:\n  repl_rate_failed: "Not kept ({mistake})."\n', 1
    )
    practice.write_text(text, "utf-8")
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(kb_copy)
    assert any("{mistake}" in p.message for p in raised.value.problems)


def test_without_a_summary_the_page_line_lists_the_crisis_contacts(kb_copy: Path):
    from faqbot.web.pages import crisis_line

    safety = kb_copy / "safety.yaml"
    lines = safety.read_text("utf-8").splitlines(keepends=True)
    safety.write_text("".join(line for line in lines if not line.startswith("summary:")), "utf-8")
    loaded = load_knowledge(kb_copy).safety
    assert loaded.summary == ""
    line = crisis_line(loaded)
    assert all(resource.contact in line for resource in loaded.resources)
