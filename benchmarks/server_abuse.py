"""Hostile clients on loopback: header floods, idle and slow connections, SIGTERM with a
half-sent body, and a rate limit shared by two workers through Redis.

    python benchmarks/server_abuse.py header-flood --megabytes 19 --connections 6
    python benchmarks/server_abuse.py header-flood --baseline    # plain uvicorn + httptools
    python benchmarks/server_abuse.py idle --timeout 5
    python benchmarks/server_abuse.py concurrency --limit 20
    python benchmarks/server_abuse.py sigterm-half-body --graceful 3
    python benchmarks/server_abuse.py redis-limit --requests 60 --limit 20

header-flood: each connection sends a request line and then header lines until
`--megabytes` are sent or the server hangs up; the server's peak VmRSS and the
status each connection got are reported.  `--baseline` runs the same against
`uvicorn --http httptools` (what `uvicorn[standard]` picks by default).
idle: seconds until the server closes a connection that sends nothing, one that
sends a header byte every half second, and a kept-alive one after a response.
concurrency: what a request gets while `--limit` connections are held open.
sigterm-half-body: seconds from SIGTERM to exit while a client holds a half-sent body.
redis-limit: `--workers 2` with a `--limit` per minute in Redis; each request on a
new connection.  Exactly `--limit` may succeed, however the kernel spreads them.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from live_server import HOST, faqbot_server, free_port, redis_server, serving
from soak import rss_kib

HEADER_LINE = b"X-Flood: " + b"a" * 22 + b"\r\n"  # 33 bytes, like the red team's 19 MB / 2M lines


def baseline_server():
    """The app under uvicorn's defaults with httptools: what ran before these limits."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "faqbot.web.app:app_from_env", "--factory"]
    command += ["--http", "httptools", "--host", HOST, "--port", str(port), "--log-level", "error"]
    return serving(command, port, {**os.environ, "FAQBOT_RATE_LIMIT": "off"})


def header_flood(megabytes: float, connections: int, baseline: bool = False) -> dict:
    """Flood `connections` connections at once; peak RSS and what each got back."""
    server = baseline_server() if baseline else faqbot_server()
    with server as (url, process):
        port = int(url.rsplit(":", 1)[1])
        before = rss_kib(process.pid)
        peak = [before]
        done = threading.Event()
        sampler = threading.Thread(target=_sample_rss, args=(process.pid, peak, done))
        sampler.start()
        results: list[dict] = [{} for _ in range(connections)]
        floods = [
            threading.Thread(target=_flood, args=(port, int(megabytes * 1e6), results[i]))
            for i in range(connections)
        ]
        started = time.monotonic()
        for flood in floods:
            flood.start()
        for flood in floods:
            flood.join()
        done.set()
        sampler.join()
        healthy = _status(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    return {
        "server": "uvicorn+httptools (baseline)" if baseline else "faqbot serve (h11, guarded)",
        "connections": connections,
        "megabytes_each": megabytes,
        "rss_kib_before": before,
        "rss_kib_peak": peak[0],
        "seconds": round(time.monotonic() - started, 2),
        "statuses": [r.get("status") for r in results],
        "megabytes_sent": [round(r.get("sent", 0) / 1e6, 2) for r in results],
        "healthz_after": healthy,
    }


def _sample_rss(pid: int, peak: list[int], done: threading.Event) -> None:
    while not done.wait(0.05):
        peak[0] = max(peak[0], rss_kib(pid))


def _flood(port: int, limit: int, result: dict) -> None:
    chunk = HEADER_LINE * 2000  # 66 KB a send
    sent = 0
    with socket.create_connection((HOST, port), timeout=30) as sock:
        try:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            while sent < limit:
                sock.sendall(chunk)
                sent += len(chunk)
            sock.sendall(b"\r\n")
        except OSError:
            pass  # the server hung up: that is the point
        result["sent"] = sent
        result["status"] = _read_status(sock)


def _read_status(sock: socket.socket) -> int | str:
    try:
        head = sock.recv(64)
    except OSError as error:
        return type(error).__name__
    return int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else "closed"


def _status(port: int, request: bytes) -> int | str:
    with socket.create_connection((HOST, port), timeout=10) as sock:
        sock.sendall(request)
        return _read_status(sock)


def idle(timeout: float) -> dict:
    """Seconds until each kind of idle connection is closed by the server."""
    flags = ("--timeout-request", str(timeout), "--timeout-keep-alive", str(timeout))
    with faqbot_server(None, *flags) as (url, _):
        port = int(url.rsplit(":", 1)[1])
        silent = _seconds_until_closed(socket.create_connection((HOST, port)), timeout * 4)
        slow = _slowloris(port, timeout * 4)
        kept = socket.create_connection((HOST, port))
        kept.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        kept.recv(65536)
        kept_alive = _seconds_until_closed(kept, timeout * 4)
    return {
        "timeout": timeout,
        "silent_closed_after_s": silent,
        "slow_head_closed_after_s": slow,
        "kept_alive_closed_after_s": kept_alive,
    }


def _seconds_until_closed(sock: socket.socket, limit: float) -> float | None:
    """When the peer closes `sock` (recv returns b""), or None if still open after `limit`."""
    started = time.monotonic()
    sock.settimeout(limit)
    with sock:
        try:
            while sock.recv(65536):
                pass
        except TimeoutError:
            return None
        except OSError:
            pass
    return round(time.monotonic() - started, 2)


def _slowloris(port: int, limit: float) -> float | None:
    """One header byte every half second; seconds until the server hangs up."""
    started = time.monotonic()
    with socket.create_connection((HOST, port)) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        while time.monotonic() - started < limit:
            try:
                sock.sendall(b"X")
            except OSError:
                return round(time.monotonic() - started, 2)
            time.sleep(0.5)
            sock.settimeout(0.01)
            try:
                if sock.recv(1) == b"":
                    return round(time.monotonic() - started, 2)
            except TimeoutError:
                pass
            except OSError:
                return round(time.monotonic() - started, 2)
    return None


def concurrency(limit: int) -> dict:
    """With `limit` connections held open, what a further request gets (503 past the limit)."""
    with faqbot_server(None, "--limit-concurrency", str(limit)) as (url, _):
        port = int(url.rsplit(":", 1)[1])
        held = [socket.create_connection((HOST, port)) for _ in range(limit)]
        time.sleep(0.2)
        over = _status(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        for sock in held:
            sock.close()
        time.sleep(0.2)
        after = _status(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    return {"limit": limit, "status_over_limit": over, "status_after_release": after}


def sigterm_half_body(graceful: float) -> dict:
    """Seconds from SIGTERM to exit while one client holds half a request body."""
    flags = ("--timeout-graceful-shutdown", str(graceful), "--timeout-request", "60")
    with faqbot_server(None, *flags) as (url, process):
        port = int(url.rsplit(":", 1)[1])
        sock = socket.create_connection((HOST, port))
        sock.sendall(
            b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b'Content-Length: 100\r\n\r\n{"question": '
        )
        time.sleep(0.5)
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        try:
            exit_code = process.wait(timeout=graceful + 20)
        except subprocess.TimeoutExpired:
            exit_code = None
        seconds = round(time.monotonic() - started, 2)
        sock.close()
    return {"graceful_timeout": graceful, "exit_after_s": seconds, "exit_code": exit_code}


def redis_limit(requests: int, limit: int, workers: int = 2, uri: str | None = None) -> dict:
    """How many of `requests` (each on a new connection) two workers let through."""
    if uri is None:
        with redis_server() as started:
            return redis_limit(requests, limit, workers, started)
    flags = ("--workers", str(workers), "--rate-limit", f"{limit}/minute")
    with faqbot_server(None, *flags, "--rate-limit-storage", uri) as (url, _):
        port = int(url.rsplit(":", 1)[1])
        body = b'{"question": "is there homework"}'
        request = (
            b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Connection: close\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
        )
        statuses = [_status(port, request) for _ in range(requests)]
    return {
        "workers": workers,
        "storage": uri.split(":", 1)[0],
        "limit": limit,
        "requests": requests,
        "answered_200": statuses.count(200),
        "refused_429": statuses.count(429),
        "exact": statuses.count(200) == limit,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="check", required=True)
    flood = commands.add_parser("header-flood")
    flood.add_argument("--megabytes", type=float, default=19)
    flood.add_argument("--connections", type=int, default=6)
    flood.add_argument("--baseline", action="store_true")
    commands.add_parser("idle").add_argument("--timeout", type=float, default=5)
    commands.add_parser("concurrency").add_argument("--limit", type=int, default=20)
    commands.add_parser("sigterm-half-body").add_argument("--graceful", type=float, default=3)
    limit = commands.add_parser("redis-limit")
    limit.add_argument("--requests", type=int, default=60)
    limit.add_argument("--limit", type=int, default=20)
    limit.add_argument("--storage", help="e.g. memory:// for the per-worker baseline")
    args = parser.parse_args(argv)
    if args.check == "header-flood":
        result = header_flood(args.megabytes, args.connections, args.baseline)
    elif args.check == "idle":
        result = idle(args.timeout)
    elif args.check == "concurrency":
        result = concurrency(args.limit)
    elif args.check == "sigterm-half-body":
        result = sigterm_half_body(args.graceful)
    else:
        result = redis_limit(args.requests, args.limit, uri=args.storage)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
