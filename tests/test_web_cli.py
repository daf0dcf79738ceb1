"""`faqbot serve` and `faqbot widget`: options, environment variables and printed snippets."""

from __future__ import annotations

import importlib
import io
import os
import subprocess
import sys

import pytest

from faqbot.cli.environment import Environment, ExitStatus
from faqbot.cli.main import main
from faqbot.web.assets import asset
from faqbot.web.config import WebSettings


def run(*argv: str, environ: dict[str, str] | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    env = Environment(stdin=io.StringIO(), stdout=out, stderr=err, environ=environ or {})
    status = main(list(argv), env)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def any_port_is_free(monkeypatch):
    """Port 8000 may be taken on a shared machine; the port check has its own test."""
    from faqbot.cli import serve_checks

    monkeypatch.setattr(serve_checks, "port_problem", lambda host, port: None)


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
        rate_limit_storage="redis://127.0.0.1:6379",
        trusted_proxies=("127.0.0.1", "10.0.0.0/8"),
        request_timeout=2.5,
        docs=True,
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


def test_a_port_in_use_has_its_own_exit_code_and_one_line(monkeypatch):
    import socket

    from faqbot.cli import serve_checks

    monkeypatch.undo()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        status, _, err = run("serve", "--port", str(port))
        assert serve_checks.port_problem("127.0.0.1", port) is not None
    assert status == ExitStatus.PORT_IN_USE != ExitStatus.KNOWLEDGE_ERROR
    assert err.strip().count("\n") == 0 and "already in use" in err


def test_a_corrupt_unanswered_log_stops_serve_before_any_worker(uvicorn_run, tmp_path):
    log = tmp_path / "corrupt.sqlite3"
    log.write_bytes(b"this is not a database" * 100)
    status, _, err = run("serve", "--workers", "2", "--log-unanswered", str(log))
    assert status == ExitStatus.LOG_UNUSABLE and not uvicorn_run
    assert err.startswith("--log-unanswered: ") and err.strip().count("\n") == 0
    assert "Traceback" not in err


def test_an_unwritable_unanswered_log_stops_serve_with_one_line(uvicorn_run, tmp_path):
    (tmp_path / "a-file").write_text("x")
    status, _, err = run("serve", "--log-unanswered", str(tmp_path / "a-file" / "log.sqlite3"))
    assert status == ExitStatus.LOG_UNUSABLE and not uvicorn_run
    assert err.strip().count("\n") == 0


def test_an_unreachable_rate_limit_storage_stops_serve(uvicorn_run):
    from faqbot.web.ratelimit import open_storage  # noqa: F401  (the redis driver is there)

    status, _, err = run("serve", "--rate-limit-storage", "redis://127.0.0.1:1")
    assert status == ExitStatus.RATE_LIMIT_STORAGE_DOWN and not uvicorn_run
    assert err.startswith("--rate-limit-storage: ")


def test_serve_refuses_what_check_rejects_with_the_same_messages(uvicorn_run, kb_copy):
    path = kb_copy / "faq" / "visiting.yaml"
    path.write_text(
        "topic: Visiting\nentries:\n  - id: visit\n    question: Where are you?\n"
        "    paraphrases: [where is the office, how do i find you]\n"
        "    answer: '<b>Here</b>, see [map](javascript:alert(1))'\n",
        encoding="utf-8",
    )
    status, _, err = run("serve", "--kb", str(kb_copy))
    check_status, _, check_err = run("check", "--kb", str(kb_copy))
    assert status == check_status == ExitStatus.KNOWLEDGE_ERROR and not uvicorn_run
    problems = [line.strip() for line in err.splitlines()[1:]]
    assert problems and all(problem in check_err for problem in problems)
    assert any("javascript" in p for p in problems) and any("HTML" in p for p in problems)


def test_serve_hands_uvicorn_every_connection_limit(uvicorn_run):
    from faqbot.web.protocol import GuardedH11Protocol

    flags = ["--timeout-keep-alive", "3", "--timeout-graceful-shutdown", "4"]
    status, _, _ = run("serve", *flags, "--limit-concurrency", "50", "--timeout-request", "6")
    assert status == 0
    assert uvicorn_run["http"] is GuardedH11Protocol
    assert uvicorn_run["h11_max_incomplete_event_size"] == 16 * 1024
    assert (uvicorn_run["timeout_keep_alive"], uvicorn_run["timeout_graceful_shutdown"]) == (3, 4)
    assert uvicorn_run["limit_concurrency"] == 50 and uvicorn_run["proxy_headers"] is False
    assert os.environ["FAQBOT_REQUEST_TIMEOUT"] == "6.0"


@pytest.mark.parametrize("flag", ["--timeout-request", "--limit-concurrency"])
def test_a_limit_of_zero_is_refused(flag):
    status, _, err = run("serve", flag, "0")
    assert status == ExitStatus.USAGE and flag in err


def test_a_bad_trusted_proxy_is_refused():
    status, _, err = run("serve", "--forwarded-allow-ips", "127.0.0.1,proxy.example")
    assert status == ExitStatus.USAGE and "proxy.example" in err
