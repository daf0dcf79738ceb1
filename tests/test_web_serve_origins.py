"""`faqbot serve` says at start-up when a public server allows no site to embed the widget."""

from __future__ import annotations

import io
import os

import pytest

from faqbot.cli.environment import Environment
from faqbot.cli.main import main


@pytest.fixture
def served(monkeypatch) -> dict:
    """uvicorn.run replaced: what it would have served, without binding a port."""
    import uvicorn

    from faqbot.cli import serve_checks

    calls: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.update(options))
    # Port 8000 may be taken on a shared machine; the busy-port check has its own test.
    monkeypatch.setattr(serve_checks, "port_problem", lambda host, port: None)
    monkeypatch.setattr(os, "environ", dict(os.environ))
    return calls


def serve(*argv: str) -> str:
    err = io.StringIO()
    env = Environment(stdin=io.StringIO(), stdout=io.StringIO(), stderr=err, environ={})
    assert main(["serve", "--kb", "knowledge", *argv], env) == 0
    return err.getvalue()


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "faq.example.org"])
def test_a_public_server_without_origins_warns_that_browsers_will_refuse_the_widget(served, host):
    warning = serve("--host", host)
    assert "no --origins" in warning and "CORS" in warning
    assert served["host"] == host  # a warning, not a refusal


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_a_server_on_this_machine_only_does_not_warn(served, host):
    assert "origins" not in serve("--host", host)


def test_a_public_server_with_origins_does_not_warn(served):
    assert "origins" not in serve("--host", "0.0.0.0", "--origins", "https://www.example.org")
