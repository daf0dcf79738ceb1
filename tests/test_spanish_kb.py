"""A second language end to end: the Spanish test knowledge base in `ask`, the REPL and the API.

Adding a language is one data file (faqbot/languages/es.yaml) plus a knowledge-base
folder (tests/fixtures/kb_es/); nothing here is Spanish-specific code.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from faqbot.bot import Bot
from faqbot.cli.environment import Environment
from faqbot.cli.main import main
from faqbot.language import get_language
from faqbot.reply import Kind

KB_ES = Path(__file__).resolve().parent / "fixtures" / "kb_es"
SPANISH = get_language("es")


@pytest.fixture(scope="module")
def spanish_bot() -> Bot:
    return Bot.load(KB_ES)


def ask_json(question: str) -> dict:
    out = io.StringIO()
    env = Environment(stdin=io.StringIO(), stdout=out, stderr=io.StringIO(), environ={})
    assert main(["ask", "--json", "--kb", str(KB_ES), question], env) == 0
    return json.loads(out.getvalue())


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("tengo q quitarme la ropa??", "sin-desnudez"),
        ("puedo ir sin mi novio", "venir-sin-pareja"),
        ("cuanto cuesta", "precio"),
        ("nos mandan ejercicios para casa", "tareas"),
        ("qué es eso de la terapia sexual", "que-es"),
    ],
)
def test_ask_answers_a_spanish_question_with_the_right_entry(question, expected):
    reply = ask_json(question)
    assert (reply["kind"], reply["id"]) == ("answer", expected)


def test_a_spanish_crisis_message_gets_the_spanish_resources_first():
    reply = ask_json("de verdad quiero morir")
    assert reply["kind"] == "crisis"
    assert reply["resources"][0]["contact"] == "Llama al 112"


def test_a_spanish_exception_is_not_a_crisis(spanish_bot: Bot):
    assert spanish_bot.reply("me muero de ganas de empezar").kind is not Kind.CRISIS


def test_the_repl_welcomes_and_heads_in_spanish(spanish_bot: Bot):
    from faqbot.repl import app
    from faqbot.repl.output import Printer, plain_writer

    screen = io.StringIO()
    with create_pipe_input() as pipe, create_app_session(pipe, DummyOutput()):
        pipe.send_text("puedo venir sola\r/help\r/nada\r\x04")
        printer = Printer(plain_writer(screen), lambda: 80)
        app.run_terminal(spanish_bot, input=pipe, output=DummyOutput(), printer=printer)
    text = screen.getvalue()
    messages = SPANISH.messages
    assert text.startswith("faqbot — preguntas sobre terapia sexual con Consulta Lucía Ortega")
    assert "Hola, bienvenida o bienvenido." in text
    # The knowledge base says none of these: they are the language's defaults.
    for name in ("start_heading", "related_heading", "repl_commands", "repl_help_topics"):
        assert messages[name] in text, name
    assert "No existe el comando /nada." in text
    assert text.rstrip().endswith(messages["goodbye"])


def test_the_welcome_api_carries_the_widgets_words_in_spanish(spanish_bot: Bot, web_client):
    client = web_client(with_bot=spanish_bot)
    welcome = client.get("/api/welcome").json()
    assert welcome["strings"] == SPANISH.widget
    assert welcome["headings"]["start_heading"] == "Puedes empezar por:"
    assert welcome["headings"]["crisis_heading"].startswith("Pide ayuda ahora")


def test_api_errors_are_in_the_knowledge_bases_language(spanish_bot: Bot, web_client):
    client = web_client(with_bot=spanish_bot)
    error = client.post("/api/ask", content=b"{", headers={"content-type": "application/json"})
    assert error.json()["error"]["message"] == SPANISH.messages["error_invalid_json"]
    too_long = client.post("/api/ask", json={"question": "a" * 5000}).json()["error"]
    assert too_long["message"] == "La pregunta es demasiado larga: como mucho 1000 caracteres."
    assert client.get("/nada").json()["error"]["message"] == SPANISH.messages["error_404"]


def test_the_demo_page_is_in_spanish_with_its_crisis_line_from_safety_yaml(
    spanish_bot: Bot, web_client
):
    page = web_client(with_bot=spanish_bot).get("/").text
    assert '<html lang="es">' in page
    assert "Terapia sexual para personas y parejas en Madrid" in page
    assert spanish_bot.knowledge.safety.summary in page
    assert '<a href="tel:+34910000000">910 000 000</a>' in page


def test_what_practice_yaml_leaves_unsaid_the_language_says(spanish_bot: Bot):
    practice = spanish_bot.knowledge.practice
    assert practice.message("clarify") == SPANISH.messages["clarify"]
    assert spanish_bot.reply_for_id("no-such-entry").answer == SPANISH.messages["unknown_id"]


def test_eval_measures_the_spanish_knowledge_base():
    # Questions written apart from the knowledge base; measured as it is, not tuned on.
    eval_set = KB_ES.parent / "kb_es_eval.yaml"
    out = io.StringIO()
    env = Environment(stdin=io.StringIO(), stdout=out, stderr=io.StringIO(), environ={})
    bars = ["--min-top1", "0.7", "--min-crisis-recall", "1", "--max-false-alarms", "0"]
    status = main(["eval", str(eval_set), "--kb", str(KB_ES), "--json", *bars], env)
    assert status == 0, out.getvalue()
    assert json.loads(out.getvalue())["cases"]["crisis"] == 3
