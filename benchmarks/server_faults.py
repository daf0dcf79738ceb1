"""Faults under load, on loopback: a worker killed, and SIGTERM with requests in flight.

    python benchmarks/server_faults.py kill-worker --duration 15 --clients 20
    python benchmarks/server_faults.py sigterm --requests 50

kill-worker: `faqbot serve --workers 2` under load; a third of the way in one
worker gets SIGKILL.  The other keeps answering (no failure from two seconds
after the kill on: only connections that were open to the dead worker may fail),
uvicorn's supervisor starts a replacement, and the replacement serves requests
(its CPU time grows under load).

sigterm: `faqbot serve` gets SIGTERM while `--requests` requests are in flight -
each connection has sent its headers and half its body.  The rest of each body is
sent after the signal; every one of those requests must still get a 200, new
connections must be refused, and the server must exit cleanly (0, or by the
re-raised SIGTERM as uvicorn does after a finished graceful shutdown).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from live_server import HOST, children, faqbot_server, printed
from soak import Tally, load

# uvicorn re-raises the SIGTERM it handled once shutdown is complete (0.29+).
GRACEFUL_EXIT = (0, -signal.SIGTERM)


def workers(master: int) -> list[int]:
    """uvicorn's worker processes (spawned children, not multiprocessing helpers)."""
    found = []
    for pid in children(master):
        try:
            if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(pid)
        except OSError:
            continue
    return found


def cpu_ticks(pid: int) -> int:
    """User plus system CPU time of `pid`, in clock ticks (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def wait_for_workers(master: int, count: int, timeout: float = 30) -> list[int]:
    found: list[int] = []

    def counted() -> bool:
        found[:] = workers(master)
        return len(found) == count

    if not _until(counted, timeout):
        raise RuntimeError(f"expected {count} workers, found {found}")
    return found


def wait_for_started(process, count: int, timeout: float = 60) -> None:
    """Until `count` workers have loaded the app (uvicorn says so after loading it)."""
    if not _until(lambda: printed(process).count("Started server process [") >= count, timeout):
        raise RuntimeError(f"{count} workers did not start: {printed(process)[-2000:]}")


def _until(condition: Callable[[], bool], timeout: float) -> bool:
    """Whether `condition()` came true within `timeout` seconds (checked every 0.1 s)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def kill_worker(duration: float, clients: int) -> dict:
    with faqbot_server(None, "--workers", "2") as (url, process):
        first = wait_for_workers(process.pid, 2)
        # /healthz answered means one worker is serving; on a busy machine the other may be
        # loading still, and killing the only one serving would leave nobody to answer.
        wait_for_started(process, 2)
        tally = Tally()
        facts: dict = {}
        asyncio.run(_load_and_kill(url, duration, clients, tally, process.pid, first, facts))
        facts["workers_at_end"] = len(workers(process.pid))
    late = [t for t in tally.error_times if t > facts["killed_at"] + 2]
    served_after = facts.pop("served_after_kill")
    return {
        "clients": clients,
        "seconds": duration,
        "requests_served": tally.served,
        "failures": tally.failures,
        "failures_after_grace": len(late),
        "served_in_the_second_after_the_kill": served_after,
        **facts,
        "ok": not late
        and served_after > 0
        and facts["replacement_cpu_ticks"] > 0
        and facts["workers_at_end"] == 2,
    }


async def _load_and_kill(url, duration, clients, tally, master, first, facts) -> None:
    started = time.monotonic()

    async def kill() -> None:
        await asyncio.sleep(duration / 3)
        victim = first[0]
        os.kill(victim, signal.SIGKILL)
        facts["killed_at"] = time.monotonic() - started
        served = tally.served
        replacement = await _replacement(master, set(first))
        facts["restarted_after_s"] = round(time.monotonic() - started - facts["killed_at"], 2)
        # Served in the second after the kill: a replacement is spawned at once (on a busy
        # machine before the survivor has finished one reply) but loads for a while yet.
        await asyncio.sleep(max(0.0, started + facts["killed_at"] + 1.0 - time.monotonic()))
        facts["served_after_kill"] = tally.served - served
        ticks = cpu_ticks(replacement)
        await asyncio.sleep(max(1.0, started + duration - time.monotonic() - 0.5))
        # The replacement's work, or, if the supervisor has replaced it in turn (a worker
        # that misses a health check while it loads is killed), its successors' (all new).
        now = set(workers(master)) - set(first)
        if replacement in now:
            facts["replacement_cpu_ticks"] = cpu_ticks(replacement) - ticks
        else:
            facts["replacement_cpu_ticks"] = sum(map(cpu_ticks, now))
        facts["replacement_replaced"] = replacement not in now

    await asyncio.gather(load(url, duration, clients, tally), kill())


async def _replacement(master: int, old: set[int], timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        new = set(workers(master)) - old
        if new:
            return new.pop()
        await asyncio.sleep(0.1)
    raise RuntimeError("no replacement worker started")


def sigterm_in_flight(requests: int) -> dict:
    body = json.dumps({"question": "do we have to get naked"}).encode()
    half = len(body) // 2
    with faqbot_server() as (url, process):
        port = int(url.rsplit(":", 1)[1])
        sockets = [_start_request(port, body[:half], len(body)) for _ in range(requests)]
        time.sleep(1.0)  # the server has read every request's headers by now
        process.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        refused = _refuses_new_connections(port)
        statuses = [_finish_request(sock, body[half:]) for sock in sockets]
        exit_code = process.wait(timeout=20)
    answered = statuses.count(200)
    return {
        "in_flight": requests,
        "answered_200": answered,
        "statuses": statuses[:5],
        "new_connections_refused": refused,
        "exit_code": exit_code,
        "ok": answered == requests and refused and exit_code in GRACEFUL_EXIT,
    }


def _start_request(port: int, first_half: bytes, length: int) -> socket.socket:
    sock = socket.create_connection((HOST, port), timeout=20)
    head = (
        f"POST /api/ask HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {length}\r\nConnection: close\r\n\r\n"
    ).encode()
    sock.sendall(head + first_half)
    return sock


def _finish_request(sock: socket.socket, rest: bytes) -> int | str:
    try:
        sock.sendall(rest)
        response = b""
        while chunk := sock.recv(65536):
            response += chunk
        return int(response.split(b" ", 2)[1]) if response else "no response"
    except OSError as error:
        return type(error).__name__
    finally:
        sock.close()


def _refuses_new_connections(port: int) -> bool:
    try:
        socket.create_connection((HOST, port), timeout=2).close()
    except OSError:
        return True
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="check", required=True)
    kill = commands.add_parser("kill-worker", help="SIGKILL one of two workers under load")
    kill.add_argument("--duration", type=float, default=15)
    kill.add_argument("--clients", type=int, default=20)
    term = commands.add_parser("sigterm", help="SIGTERM with requests in flight")
    term.add_argument("--requests", type=int, default=50)
    args = parser.parse_args(argv)
    if args.check == "kill-worker":
        result = kill_worker(args.duration, args.clients)
    else:
        result = sigterm_in_flight(args.requests)
    print(json.dumps(result, indent=2))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
