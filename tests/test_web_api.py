"""The JSON API answers like the core does, statelessly, and serves the widget and demo page."""

from __future__ import annotations

from pathlib import Path

import pytest

from faqbot.reply import Kind, Reply
from faqbot.web.assets import asset


@pytest.fixture
def client(web_client):
    return web_client()


def ask(client, **body) -> dict:
    response = client.post("/api/ask", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_no_nudity_question_gets_the_no_nudity_answer_with_follow_ups(client):
    reply = ask(client, question="is there nudity?")
    assert reply["kind"] == "answer"
    assert reply["id"] == "no-nudity"
    assert "never any nudity" in reply["answer"]
    assert {c["id"] for c in reply["related"]} >= {"homework"}


def test_the_reply_has_exactly_the_documented_fields(client, bot):
    reply = ask(client, question="is there nudity?")
    assert reply == bot.reply("is there nudity?").to_dict()


def test_a_picked_follow_up_is_answered_by_id(client):
    reply = ask(client, id="homework")
    assert (reply["kind"], reply["id"]) == ("answer", "homework")


def test_an_unknown_id_gets_a_polite_fallback_not_an_error(client):
    assert ask(client, id="no-such-entry")["kind"] == "fallback"


def test_context_carries_the_previous_answer_so_the_server_keeps_nothing(client, bot):
    from faqbot.bot import Context

    question = "what do people talk about"
    with_context = ask(client, question=question, context={"previous_id": "no-nudity"})
    expected = bot.reply(question, Context(previous_id="no-nudity"))
    assert with_context == expected.to_dict()


def test_junk_in_context_is_ignored(client):
    reply = ask(client, question="is there nudity?", context={"previous_id": 5, "x": [1]})
    assert reply["id"] == "no-nudity"


def test_an_ambiguous_question_gets_clarify_options_that_can_be_picked(web_client, lookalike_bot):
    client = web_client(with_bot=lookalike_bot)
    reply = ask(client, question="where can I park")
    assert reply["kind"] == "clarify"
    assert len(reply["options"]) >= 2
    picked = ask(client, id=reply["options"][0]["id"])
    assert picked["id"] == reply["options"][0]["id"]


def test_a_crisis_message_gets_resources_with_tappable_links(client):
    reply = ask(client, question="I want to kill myself")
    assert reply["kind"] == Kind.CRISIS
    assert any(r["link"] == "tel:988" for r in reply["resources"])


def test_welcome_gives_greeting_suggestions_and_the_question_limit(client, bot):
    data = client.get("/api/welcome").json()
    assert data["greeting"] == bot.knowledge.practice.message("welcome")
    assert [s["id"] for s in data["suggestions"]] == [c.id for c in bot.suggestions()]
    assert data["max_question_chars"] == bot.knowledge.settings.max_question_chars


def test_welcome_gives_the_knowledge_bases_headings(client, bot):
    headings = client.get("/api/welcome").json()["headings"]
    assert headings == bot.headings()
    assert set(headings) == {
        "crisis_heading",
        "start_heading",
        "related_heading",
        "fallback_heading",
        "goodbye",
    }


def test_topics_list_every_entry_once_grouped_by_topic(client, bot):
    topics = client.get("/api/topics").json()["topics"]
    ids = [e["id"] for topic in topics for e in topic["entries"]]
    assert sorted(ids) == sorted(e.id for e in bot.knowledge.entries)
    assert [t["title"] for t in topics] == list(bot.topics())


def test_healthz_says_ok_and_counts_entries(client, bot):
    assert client.get("/healthz").json() == {"status": "ok", "entries": len(bot.knowledge.entries)}


def test_widget_js_is_served_as_javascript(client):
    response = client.get("/widget.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert "window.FaqBot" in response.text


def test_widget_stays_small():
    size = (Path(__file__).parent.parent / "faqbot/web/static/widget.js").stat().st_size
    assert size < 32 * 1024  # see "Size" in docs/web.md
    assert len(asset("widget.js").gzipped) < 11 * 1024  # what a visitor downloads


def test_the_demo_page_embeds_the_widget_with_one_tag(client, bot):
    page = client.get("/").text
    assert page.count(f'<script src="/widget.js?v={asset("widget.js").version}" defer') == 1
    assert bot.knowledge.practice.details["phone"] in page
    assert "{{" not in page


def test_the_demo_page_takes_its_words_and_crisis_line_from_the_knowledge_base(client, bot):
    page = client.get("/").text
    assert bot.knowledge.safety.summary in page  # safety.yaml `summary:`
    assert "{name}" not in page and bot.knowledge.practice.details["location"] in page
    assert page.count("<script src=") == 1


def test_the_openapi_schema_documents_the_reply_and_the_question_limit(client, bot):
    schema = client.get("/openapi.json").json()
    ask_request = schema["components"]["schemas"]["AskRequest"]["properties"]["question"]
    limit = bot.knowledge.settings.max_question_chars
    assert any(alt.get("maxLength") == limit for alt in ask_request["anyOf"])
    reply = schema["components"]["schemas"]["ReplyModel"]["properties"]
    # The API documents exactly the Reply every front end renders (its shape: test_core_replies).
    assert set(reply) == set(Reply._fields)
    welcome = schema["components"]["schemas"]["WelcomeModel"]
    assert "headings" in welcome["required"]
    headings = schema["components"]["schemas"]["HeadingsModel"]
    assert set(headings["required"]) == set(bot.headings())


def test_a_bot_provider_is_asked_on_every_request_so_a_reloader_can_swap_bots(web_client, bot):
    calls = []

    def provider():
        calls.append(1)
        return bot

    client = web_client(with_bot=provider)
    before = len(calls)
    client.post("/api/ask", json={"question": "homework"})
    client.get("/api/topics")
    assert len(calls) >= before + 2


class FakeLog:
    def __init__(self, fail: bool = False) -> None:
        self.recorded: list[tuple[str, str]] = []
        self.ratings: list[tuple[str, bool]] = []
        self.fail = fail

    def record(self, question, reply) -> bool:
        if self.fail:
            raise OSError("disk full")
        self.recorded.append((question, str(reply.kind)))
        return True

    def rate(self, entry_id, helpful) -> None:
        self.ratings.append((entry_id, helpful))


def test_questions_go_to_the_unanswered_log_only_when_it_is_on(web_client):
    log = FakeLog()
    web_client(unanswered=log).post("/api/ask", json={"question": "asdkjh qwpoe"})
    assert log.recorded == [("asdkjh qwpoe", "fallback")]


def test_a_broken_unanswered_log_never_costs_the_visitor_an_answer(web_client):
    response = web_client(unanswered=FakeLog(fail=True)).post("/api/ask", json={"question": "x y"})
    assert response.status_code == 200


def test_feedback_is_accepted_and_stored_only_when_logging_is_on(web_client):
    log = FakeLog()
    assert (
        web_client().post("/api/feedback", json={"id": "homework", "helpful": True}).status_code
        == 204
    )
    response = web_client(unanswered=log).post(
        "/api/feedback", json={"id": "homework", "helpful": False}
    )
    assert response.status_code == 204
    assert log.ratings == [("homework", False)]


def test_feedback_for_an_unknown_id_is_not_stored(web_client):
    log = FakeLog()
    web_client(unanswered=log).post("/api/feedback", json={"id": "nope", "helpful": True})
    assert log.ratings == []


def test_feedback_reaches_the_real_sqlite_log(web_client, tmp_path):
    client = web_client(log_unanswered=str(tmp_path / "unanswered.sqlite3"))
    client.post("/api/ask", json={"question": "qwzx plorb"})
    assert client.post("/api/feedback", json={"id": "homework", "helpful": True}).status_code == 204
    from faqbot.unanswered import UnansweredLog

    log = UnansweredLog(tmp_path / "unanswered.sqlite3", create=False)
    assert [q.question for q in log.questions()] == ["qwzx plorb"]
    assert log.ratings()[0].total == 1


def test_welcome_says_whether_feedback_is_stored_and_its_greeting_agrees(web_client, tmp_path):
    quiet = web_client().get("/api/welcome").json()
    logging_on = web_client(log_unanswered=str(tmp_path / "u.sqlite3")).get("/api/welcome").json()
    assert quiet["feedback_stored"] is False and logging_on["feedback_stored"] is True
    assert "nothing you type here is stored" in quiet["greeting"]
    assert "stored" not in logging_on["greeting"].replace("nothing else you type is stored", "")
    assert "kept" in logging_on["greeting"]
