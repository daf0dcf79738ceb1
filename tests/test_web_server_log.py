"""A real `faqbot serve` process logs neither what visitors ask nor where they come from."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.request

QUESTION = "my husband and i have not had sex in four years, is it too late"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ask(port: int) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/ask",
        data=json.dumps({"question": QUESTION}).encode(),
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def _serve_and_ask(*flags: str) -> str:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "faqbot", "serve", "--port", str(port), *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                assert _ask(port)["kind"] == "answer"
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    finally:
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=30)
    return output


def test_the_default_server_log_has_no_question_and_no_client_address():
    log = _serve_and_ask()
    assert "Application startup complete" in log  # the log itself works
    assert "four years" not in log
    assert "127.0.0.1:" not in log.replace("http://127.0.0.1:", "")


def test_the_access_log_is_there_only_when_asked_for():
    log = _serve_and_ask("--access-log")
    assert '"POST /api/ask HTTP/1.1" 200' in log
    assert "four years" not in log
