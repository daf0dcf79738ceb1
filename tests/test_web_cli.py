"""`faqbot serve` and `faqbot widget`: options, environment variables and printed snippets."""

from __future__ import annotations

import importlib
import io
import os
import subprocess
import sys

import pytest

from faqbot.cli.environment import Environment
from faqbot.cli.main import main
from faqbot.web.assets import asset
from faqbot.web.config import WebSettings


def run(*argv: str, environ: dict[str, str] | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    env = Environment(stdin=io.StringIO(), stdout=out, stderr=err, environ=environ or {})
    status = main(list(argv), env)
    return status, out.getvalue(), err.getvalue()


def test_widget_prints_the_one_tag_and_the_csp_sources():
    status, out, _ = run("widget", "--url", "https://faq.example.org/")
    assert status == 0
    version = asset("widget.js").version
    assert f'<script src="https://faq.example.org/widget.js?v={version}" defer></script>' in out
    assert "script-src https://faq.example.org;" in out
    assert "connect-src https://faq.example.org;" in out


def test_widget_options_become_escaped_data_attributes():
    _, out, _ = run(
        "widget",
        "--url",
        "https://f.example",
        "--title",
        'Ask "us"',
        "--discreet",
        "--theme",
        "dark",
    )
    assert 'data-title="Ask &quot;us&quot;"' in out
    assert 'data-discreet="true"' in out and 'data-theme="dark"' in out


def test_widget_refuses_a_url_that_is_not_http():
    status, _, err = run("widget", "--url", "javascript:alert(1)")
    assert status == 2 and "--url" in err


def test_serve_refuses_a_malformed_rate_limit_before_starting(monkeypatch):
    status, _, err = run("serve", "--rate-limit", "lots")
    assert status == 2 and "--rate-limit" in err


def test_serve_reports_a_broken_knowledge_base_instead_of_starting(monkeypatch):
    from faqbot.bot import Bot
    from faqbot.errors import KnowledgeError, Problem

    def broken(root=None, cache=False):
        raise KnowledgeError([Problem("faq/x.yaml", 3, "answer is missing")])

    monkeypatch.setattr(Bot, "load", broken)
    status, _, err = run("serve")
    assert status == 3
    assert "faq/x.yaml:3: answer is missing" in err


@pytest.fixture
def uvicorn_run(monkeypatch) -> dict:
    """What `faqbot serve` hands to uvicorn (which is not started); the environment is restored."""
    import uvicorn

    served: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.update(app=app, **options))
    monkeypatch.setattr(os, "environ", dict(os.environ))
    return served


def test_serve_with_one_worker_serves_the_bot_it_checked_without_loading_again(
    uvicorn_run, monkeypatch
):
    from fastapi.testclient import TestClient

    from faqbot.bot import Bot

    loads = []
    load = Bot.load
    monkeypatch.setattr(
        Bot, "load", lambda root=None, cache=False: loads.append(root) or load(root, cache)
    )
    status, out, _ = run("serve", "--rate-limit", "off")
    assert status == 0 and "entries from" in out
    assert len(loads) == 1  # a large knowledge base takes seconds to load: once is enough
    client = TestClient(uvicorn_run["app"])
    reply = client.post("/api/ask", json={"question": "can i come on my own, without my partner"})
    assert reply.json()["id"] == "individual-sessions"


def test_serve_reads_its_defaults_from_the_injected_environment(uvicorn_run, monkeypatch):
    monkeypatch.setenv("FAQBOT_PORT", "9999")  # the process's own: must not be read
    environ = {"FAQBOT_PORT": "8123", "FAQBOT_HOST": "127.0.0.2", "FAQBOT_ACCESS_LOG": "1"}
    status, out, _ = run("serve", "--rate-limit", "off", environ=environ)
    assert status == 0 and "http://127.0.0.2:8123/" in out
    assert (uvicorn_run["port"], uvicorn_run["access_log"]) == (8123, True)
    status, _, _ = run("serve", "--rate-limit", "off", "--port", "8200", environ=environ)
    assert uvicorn_run["port"] == 8200  # a flag wins over the variable


def test_serve_refuses_a_port_that_is_not_a_number():
    status, _, err = run("serve", environ={"FAQBOT_PORT": "eighty"})
    assert status == 2 and "FAQBOT_PORT must be a whole number" in err


def test_serve_workers_read_the_bot_the_command_cached(uvicorn_run, monkeypatch):
    from fastapi.testclient import TestClient

    from faqbot.bot import Bot
    from faqbot.web.app import app_from_env

    status, _, _ = run("serve", "--workers", "2", "--rate-limit", "off")
    assert status == 0
    assert uvicorn_run["app"] == "faqbot.web.app:app_from_env" and uvicorn_run["factory"]
    assert uvicorn_run["workers"] == 2

    def built_again(root):
        raise AssertionError("a worker built the knowledge base again")

    monkeypatch.setattr(Bot, "_build", built_again)
    client = TestClient(app_from_env())  # what each worker runs, with the settings serve set
    assert client.get("/healthz").json()["status"] == "ok"


def test_settings_round_trip_through_the_environment_for_workers():
    settings = WebSettings(
        kb="/kb",
        origins=("https://a.example", "https://b.example"),
        rate_limit="10/second",
        log_unanswered="/tmp/u.sqlite3",
        watch=True,
    )
    assert WebSettings.from_environ(settings.to_environ()) == settings
    off = WebSettings(rate_limit=None)
    assert WebSettings.from_environ(off.to_environ()) == off


def test_app_from_env_builds_an_app_from_faqbot_variables(monkeypatch):
    from fastapi.testclient import TestClient

    from faqbot.web.app import app_from_env

    monkeypatch.setenv("FAQBOT_ORIGINS", "https://www.example.org")
    monkeypatch.setenv("FAQBOT_RATE_LIMIT", "off")
    client = TestClient(app_from_env())
    response = client.get("/healthz", headers={"Origin": "https://www.example.org"})
    assert response.headers["access-control-allow-origin"] == "https://www.example.org"


def test_ask_does_not_import_the_web_stack():
    code = (
        "import sys; from faqbot.cli.main import main; main(['ask', 'homework']); "
        "print('fastapi' in sys.modules or 'uvicorn' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().endswith("False")


@pytest.mark.parametrize("command", ["serve", "widget"])
def test_web_commands_are_listed_with_their_help(command, capsys):
    module = importlib.import_module(f"faqbot.cli.{command}_command")
    assert run("--help")[0] == 0
    assert module.HELP in " ".join(capsys.readouterr().out.split())
