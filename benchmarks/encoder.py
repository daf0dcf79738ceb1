"""What the sentence encoder costs: latency per message, start-up, memory.

    python benchmarks/encoder.py [--rounds 200]

Single thread, as faqbot runs it.  Each message is timed `--rounds` times and
the p50/p99 printed; beside it, in the same run, the lexical baseline (rapidfuzz
`extractOne` of the same text against every shipped phrasing, WRatio), and for
start-up a fresh interpreter that only imports onnxruntime and tokenizers, then
one that also creates the same session.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable

from measure import ROOT, machine, median, percentile, resident_mb

ONE = "is it normal to feel nervous before the first session with a sex therapist here"
THREE_HUNDRED = (
    "My partner and I have been together for nine years and things have gone quiet. "
    "We love each other but we rarely touch anymore and it has started to hurt. "
    "I looked at your website and I am not sure whether this is something you help with. "
    "Would we have to come in together, or can I start on my own?"
)
SESSION = (
    "import onnxruntime as ort, tokenizers; o = ort.SessionOptions(); "
    "o.intra_op_num_threads = 1; o.inter_op_num_threads = 1; "
    "ort.InferenceSession({path!r}, o, providers=['CPUExecutionProvider'])"
)


def sentences(text: str) -> list[str]:
    """The message cut after each . ? or ! (the benchmark's own rough splitter)."""
    return [part for part in re.split(r"(?<=[.?!])\s+", text) if part]


def timings_ms(call: Callable[[], object], rounds: int) -> tuple[float, float]:
    """(p50, p99) of `call()` in milliseconds, after one warm-up call."""
    call()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1e3)
    return median(times), percentile(times, 0.99)


# onnxruntime's telemetry off in every run, as faqbot runs (faqbot.encoder.imported_onnxruntime).
QUIET_ENV = {**os.environ, "ORT_DISABLE_TELEMETRY": "1"}


def fresh_seconds(codes: list[str], runs: int = 7) -> list[float]:
    """Median wall time of `python -c code` in fresh interpreters, one per code, the codes
    run in turn `runs` times (interleaved, so a busier moment hits them all alike)."""
    times: list[list[float]] = [[] for _ in codes]
    for _ in range(runs):
        for code, spent in zip(codes, times, strict=True):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, env=QUIET_ENV)
            spent.append(time.perf_counter() - start)
    return [median(spent) for spent in times]


def phrasings() -> list[str]:
    """Every question and paraphrase the shipped knowledge base has."""
    from rapidfuzz import utils

    from faqbot.bot import Bot

    bot = Bot.load(ROOT / "knowledge")
    return [utils.default_process(p) for e in bot.knowledge.entries for p in e.phrasings]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    from rapidfuzz import fuzz, process, utils

    from faqbot.encoder import MODEL_DIR, Encoder, imported_onnxruntime, manifest

    choices = phrasings()
    rss_before = resident_mb()[0]
    import numpy  # noqa: F401  (counted apart from the session)

    imported_onnxruntime()
    import tokenizers  # noqa: F401

    rss_imports = resident_mb()[0]
    start = time.perf_counter()
    encoder = Encoder()
    creations = [time.perf_counter() - start]
    rss_loaded = resident_mb()[0]
    for _ in range(4):
        start = time.perf_counter()
        Encoder()
        creations.append(time.perf_counter() - start)
    created = median(creations)
    thousand = (THREE_HUNDRED + " ") * 3 + THREE_HUNDRED[:100]
    messages = {
        "1 sentence (80 chars)": [ONE],
        f"300 chars as {len(sentences(THREE_HUNDRED))} sentences": sentences(THREE_HUNDRED),
        "300 chars whole + its sentences": [THREE_HUNDRED, *sentences(THREE_HUNDRED)],
        f"{len(thousand)} chars, one text (cut at 128 tokens)": [thousand],
    }
    print(f"machine: {machine()}")
    print(
        f"model: {manifest()['name']}, {(MODEL_DIR / 'model.onnx').stat().st_size / 1e6:.1f} MB, "
        f"quantization: {'int8 MatMul' if manifest()['quantization'] else 'none'}"
    )
    print(f"{'message':42} {'encoder p50/p99 ms':>20} {'rapidfuzz extractOne p50/p99 ms':>34}")
    for name, texts in messages.items():
        ours = timings_ms(lambda texts=texts: encoder.encode(texts), args.rounds)
        joined = utils.default_process(" ".join(texts))
        theirs = timings_ms(
            lambda joined=joined: process.extractOne(joined, choices, scorer=fuzz.WRatio),
            args.rounds,
        )
        print(f"{name:42} {ours[0]:9.2f} / {ours[1]:6.2f} {theirs[0]:21.2f} / {theirs[1]:6.2f}")
    print(f"Encoder() (tokenizer + session) in-process, median of 5: {created * 1e3:.0f} ms")
    print(
        f"RSS: {rss_before:.0f} MB before, {rss_imports:.0f} MB after importing onnxruntime/"
        f"tokenizers/numpy, {rss_loaded:.0f} MB with the session, "
        f"{resident_mb()[0]:.0f} MB after the runs (peak {resident_mb()[1]:.0f} MB)"
    )
    path = str(MODEL_DIR / "model.onnx")
    blank, imports, session, ours, first = fresh_seconds(
        [
            "pass",
            "import onnxruntime, tokenizers",
            SESSION.format(path=path),
            "from faqbot.encoder import shared_encoder; shared_encoder()",
            "from faqbot.encoder import shared_encoder; shared_encoder().encode(['hi'])",
        ]
    )
    print(
        f"fresh interpreter, median of 7 interleaved: python -c pass {blank * 1e3:.0f} ms; "
        f"import onnxruntime, tokenizers {imports * 1e3:.0f} ms; + create the session "
        f"{session * 1e3:.0f} ms; faqbot shared_encoder() {ours * 1e3:.0f} ms "
        f"({ours / session:.2f}x the baseline); + first encode {first * 1e3:.0f} ms"
    )


if __name__ == "__main__":
    main()
