"""Soak `faqbot serve` with concurrent clients on loopback; optionally edit the KB under load.

    python benchmarks/soak.py                               # 100 clients, 60 s
    python benchmarks/soak.py --duration 5 --clients 20     # the CI-sized run
    python benchmarks/soak.py --reload-test                 # broken, then good KB edit

The server is a real subprocess (`python -m faqbot serve --port P`, rate limit off)
bound to 127.0.0.1.  Reported: requests served, errors (5xx, connection errors,
other non-200), p50/p99 latency, and the server's resident memory (VmRSS, summed
over uvicorn workers) after warm-up and at the end.  Exit status 1 when any
request failed or memory grew more than `--max-growth` (10%).

With --reload-test the server answers from a copy of the knowledge base with
`--watch`; a marker entry says "version 1".  A quarter of the way in, a broken
edit is saved (invalid YAML), half way in, a good edit ("version 2").  Every
request must be answered throughout, and the marker must read "version 1" until
the good edit and only then "version 2"; if the rebuild outlasts the load, the
marker alone is asked until it switches (up to 90 s more).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from live_server import children, faqbot_server

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
MARKER_FILE = "faq/practical.yaml"
MARKER_ENTRY = """
  - id: soak-marker
    question: What does the soak marker say?
    paraphrases: [soak marker]
    answer: soak marker {version}
"""
JUNK = [
    "",
    "?",
    "a" * 900,
    "\x1b[31mhi\x1b[0m",
    "<img src=x onerror=alert(1)>",
    "🍆🍑" * 50,
    "é" * 999,
    "how much is it",
    "do i have to get naked",
    "nudty",
    "ok thx bye",
]


def rss_kib(pid: int) -> int:
    """Resident memory of `pid` plus its children, in KiB (VmRSS from /proc)."""
    total = 0
    for each in (pid, *children(pid)):
        try:
            status = Path(f"/proc/{each}/status").read_text()
        except OSError:
            continue
        total += next(
            (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0
        )
    return total


# --- the clients ----------------------------------------------------------------------


@dataclass
class Tally:
    """What the clients saw."""

    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    connection_errors: int = 0
    error_times: list[float] = field(default_factory=list)
    markers: list[tuple[float, str]] = field(default_factory=list)

    @property
    def served(self) -> int:
        return self.statuses.get(200, 0)

    @property
    def failures(self) -> int:
        return (
            sum(n for status, n in self.statuses.items() if status != 200) + self.connection_errors
        )

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def questions() -> list[str]:
    """Every phrasing in the knowledge base, some misspelled, plus hostile junk."""
    sys.path.insert(0, str(ROOT))
    from faqbot.loader import load_knowledge

    phrasings = [p for e in load_knowledge(KNOWLEDGE).entries for p in e.phrasings]
    rng = random.Random(7)
    typos = [p[:i] + p[i + 1 :] for p in rng.sample(phrasings, 200) for i in [len(p) // 2]]
    return phrasings + typos + JUNK


async def client(
    http: httpx.AsyncClient,
    texts: list[str],
    until: float,
    tally: Tally,
    marker: bool,
    started: float,
) -> None:
    rng = random.Random()
    while time.monotonic() < until:
        body = {"id": "soak-marker"} if marker else {"question": rng.choice(texts)}
        begin = time.monotonic()
        try:
            response = await http.post("/api/ask", json=body)
        except httpx.TransportError:
            tally.connection_errors += 1
            tally.error_times.append(begin - started)
            continue
        tally.latencies.append(time.monotonic() - begin)
        tally.statuses[response.status_code] = tally.statuses.get(response.status_code, 0) + 1
        if response.status_code != 200:
            tally.error_times.append(begin - started)
        elif marker:
            tally.markers.append((time.monotonic() - started, response.json()["answer"]))


async def load(url: str, seconds: float, clients: int, tally: Tally, marker: bool = False) -> None:
    """`clients` concurrent clients, each on its own keep-alive connection, for `seconds`."""
    texts = questions()
    limits = httpx.Limits(max_connections=clients + 1, max_keepalive_connections=clients + 1)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as http:
        started = time.monotonic()
        until = started + seconds
        tasks = [client(http, texts, until, tally, False, started) for _ in range(clients)]
        if marker:
            tasks.append(client(http, texts, until, tally, True, started))
        await asyncio.gather(*tasks)


# --- the runs -------------------------------------------------------------------------


def soak(duration: float, clients: int, workers: int = 1) -> dict:
    """Warm up, note memory, load for `duration`, note memory again."""
    with faqbot_server(None, "--workers", str(workers)) as (url, process):
        asyncio.run(load(url, max(2.0, duration / 6), clients, Tally()))
        before = rss_kib(process.pid)
        tally = Tally()
        asyncio.run(load(url, duration, clients, tally))
        after = rss_kib(process.pid)
    return report(tally, duration, clients, before=before, after=after)


def reload_under_load(duration: float, clients: int) -> dict:
    """Serve a KB copy with --watch; save a broken edit, then a good one, under load."""
    with tempfile.TemporaryDirectory() as scratch:
        kb = Path(shutil.copytree(KNOWLEDGE, Path(scratch) / "knowledge"))
        marker_file = kb / MARKER_FILE
        original = marker_file.read_text(encoding="utf-8")
        marker_file.write_text(original + MARKER_ENTRY.format(version="version 1"), "utf-8")
        with faqbot_server(kb, "--watch") as (url, _process):
            tally = Tally()
            edits: dict[str, float] = {}
            asyncio.run(
                _load_with_edits(url, duration, clients, tally, marker_file, original, edits)
            )
    result = report(tally, duration, clients)
    result.update(check_marker(tally.markers, edits))
    return result


async def _load_with_edits(url, duration, clients, tally, marker_file, original, edits) -> None:
    started = time.monotonic()

    # The good edit comes at half time: a rebuild (a settle wait, the new phrasing embedded,
    # the safety detector retrained) must have the other half to be served in.
    async def edit() -> None:
        await asyncio.sleep(duration / 4)
        marker_file.write_text(original + "  - id: [broken\n", "utf-8")
        edits["broken"] = time.monotonic() - started
        await asyncio.sleep(duration / 4)
        marker_file.write_text(original + MARKER_ENTRY.format(version="version 2"), "utf-8")
        edits["good"] = time.monotonic() - started

    await asyncio.gather(load(url, duration, clients, tally, marker=True), edit())
    await _until_switched(url, tally, started)


async def _until_switched(url: str, tally: Tally, started: float, patience: float = 90) -> None:
    """Ask for the marker alone until it reads version 2 (or `patience` s pass).

    How long the rebuild takes depends on the machine and its load, not on the code:
    on a busy shared machine it can outlast the load phase.  Waiting for the switch
    keeps the check about order (never version 2 before the good edit, never back)
    rather than about speed; `marker_switched_at` reports the speed.
    """
    if any(answer.endswith("version 2") for _, answer in tally.markers):
        return
    waiting = Tally()  # its requests are not load: only its markers and failures count
    until = time.monotonic() + patience
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        while time.monotonic() < until and not any(
            answer.endswith("version 2") for _, answer in waiting.markers[-5:]
        ):
            await client(http, [], time.monotonic() + 0.5, waiting, True, started)
    tally.markers.extend(waiting.markers)
    tally.connection_errors += waiting.connection_errors
    for status, count in waiting.statuses.items():
        if status != 200:
            tally.statuses[status] = tally.statuses.get(status, 0) + count


def check_marker(markers: list[tuple[float, str]], edits: dict[str, float]) -> dict:
    """The marker reads version 1, then version 2 - switching only after the good edit."""
    answers = [answer for _, answer in markers]
    switch = next((t for t, answer in markers if answer.endswith("version 2")), None)
    ordered = answers == sorted(answers)  # "... version 1" sorts before "... version 2"
    known = all(a.endswith(("version 1", "version 2")) for a in answers)
    return {
        "edits_at": edits,
        "marker_switched_at": switch,
        "marker_answers": len(answers),
        "marker_ok": bool(answers)
        and known
        and ordered
        and switch is not None
        and switch >= edits.get("good", float("inf")),
    }


def report(tally: Tally, duration: float, clients: int, **memory: int) -> dict:
    result = {
        "clients": clients,
        "seconds": duration,
        "requests_served": tally.served,
        "failures": tally.failures,
        "connection_errors": tally.connection_errors,
        "statuses": tally.statuses,
        "rps": round(len(tally.latencies) / duration),
        "p50_ms": round(tally.percentile(0.50) * 1000, 1),
        "p99_ms": round(tally.percentile(0.99) * 1000, 1),
    }
    if memory:
        before, after = memory["before"], memory["after"]
        result.update(
            rss_after_warmup_kib=before,
            rss_at_end_kib=after,
            rss_growth=round((after - before) / before, 3),
        )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (60)")
    parser.add_argument("--clients", type=int, default=100, help="concurrent clients (100)")
    parser.add_argument("--workers", type=int, default=1, help="server workers (1)")
    parser.add_argument(
        "--max-growth", type=float, default=0.10, help="allowed memory growth after warm-up (0.10)"
    )
    parser.add_argument(
        "--reload-test",
        action="store_true",
        help="serve a KB copy with --watch and edit it under load",
    )
    args = parser.parse_args(argv)
    if args.reload_test:
        result = reload_under_load(args.duration, args.clients)
        ok = result["failures"] == 0 and result["marker_ok"]
    else:
        result = soak(args.duration, args.clients, args.workers)
        ok = result["failures"] == 0 and result["rss_growth"] <= args.max_growth
    print(json.dumps(result, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
