"""HTTP: `/api/ask` throughput against `/healthz` on the same server, in the same run.

    python benchmarks/http_throughput.py [--duration 5] [--connections 64] [--workers 1 2]

Starts `faqbot serve --rate-limit off` on a loopback port (once with the shipped
knowledge base, once with a 10,000-paraphrase synthetic one), then drives it with
Debian's `wrk` from a second process: `/healthz` and `/api/ask` alternately, twice
each, and reports median requests/s, the ask/healthz ratio, p99 latency and
errors.  `/api/ask` cycles through the evaluation questions (shipped knowledge)
or through synthetic questions (synthetic knowledge).
Targets (one worker): ratio >= 60% shipped, >= 25% at 10,000 paraphrases; no errors.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from latency import evaluation_questions
from live_server import faqbot_server
from measure import ROOT, machine, median, verdict
from synthetic import questions, synthetic_knowledge, write_knowledge

TARGETS = {"shipped": 0.60, "10k": 0.25}
REPEATS = 2

# wrk's Lua side: cycle through the request bodies and print one parseable line at the end.
WRK_SCRIPT = """
local bodies = {%(bodies)s}
local counter = 0
request = function()
  if #bodies == 0 then return wrk.format("GET", "/healthz") end
  counter = counter + 1
  return wrk.format("POST", "/api/ask", {["Content-Type"] = "application/json"},
                    bodies[(counter %% #bodies) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d %%d %%.0f %%.0f\\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


@dataclass(frozen=True, slots=True)
class Run:
    """One wrk run: requests per second, latency percentiles (ms) and error count."""

    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def wrk(url: str, script: Path, duration: int, connections: int) -> Run:
    """One bounded wrk run against the loopback server."""
    threads = min(2, connections)
    done = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 30,
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT"))
    requests, micros, *errors, p50, p99 = (float(x) for x in line.split()[1:])
    return Run(requests / (micros / 1e6), p50 / 1e3, p99 / 1e3, int(sum(errors)))


def lua_script(folder: Path, name: str, texts: list[str]) -> Path:
    """A wrk script posting `texts` in turn (or GET /healthz when there are none)."""
    bodies = ", ".join(_lua_string(json.dumps({"question": t})) for t in texts)
    path = folder / f"{name}.lua"
    path.write_text(WRK_SCRIPT % {"bodies": bodies}, encoding="utf-8")
    return path


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def measure(
    kb: Path, texts: list[str], workers: int, args: argparse.Namespace, folder: Path
) -> dict[str, object]:
    """Healthz and ask throughput on one server, alternating so both see the same machine."""
    health, ask = lua_script(folder, "healthz", []), lua_script(folder, "ask", texts)
    with faqbot_server(kb, "--workers", str(workers)) as (url, _):
        wrk(url, ask, 2, args.connections)  # warm-up: caches, connections, JIT-less Python
        runs: dict[str, list[Run]] = {"healthz": [], "ask": []}
        for _ in range(REPEATS):
            runs["healthz"].append(wrk(url, health, args.duration, args.connections))
            runs["ask"].append(wrk(url, ask, args.duration, args.connections))
    summary = {
        name: {
            "rps": median([r.rps for r in rs]),
            "p50_ms": median([r.p50_ms for r in rs]),
            "p99_ms": median([r.p99_ms for r in rs]),
            "errors": sum(r.errors for r in rs),
        }
        for name, rs in runs.items()
    }
    summary["ratio"] = summary["ask"]["rps"] / summary["healthz"]["rps"]
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install -y wrk)", file=sys.stderr)
        return 2
    print(f"machine: {machine()}")
    print(
        f"wrk -c{args.connections}, {args.duration} s per run, healthz/ask alternating "
        f"x{REPEATS}, medians"
    )
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        synthetic = synthetic_knowledge(10_000)
        cases = {
            "shipped": (ROOT / "knowledge", evaluation_questions()),
            "10k": (
                write_knowledge(synthetic, folder / "kb-10k"),
                [q.text for q in questions(synthetic, 400)],
            ),
        }
        print(
            "| knowledge | workers | healthz req/s | ask req/s | ask/healthz | "
            "ask p50 / p99 ms | healthz p99 ms | errors |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for name, (kb, texts) in cases.items():
            for workers in args.workers:
                s = measure(kb, texts, workers, args, folder)
                errors = s["ask"]["errors"] + s["healthz"]["errors"]
                print(
                    f"| {name} | {workers} | {s['healthz']['rps']:.0f} | {s['ask']['rps']:.0f} | "
                    f"{s['ratio']:.0%} | {s['ask']['p50_ms']:.0f} / {s['ask']['p99_ms']:.0f} | "
                    f"{s['healthz']['p99_ms']:.0f} | {errors} |",
                    flush=True,
                )
                if workers == 1:
                    passed = s["ratio"] >= TARGETS[name] and errors == 0
                    ok &= passed
                    print(
                        f"{verdict(passed)}  {name}, 1 worker: ask/healthz {s['ratio']:.0%} "
                        f"(>= {TARGETS[name]:.0%}), {errors} errors",
                        flush=True,
                    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
