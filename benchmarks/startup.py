"""Start-up: `faqbot ask "hello"` from process start to printed answer.

    python benchmarks/startup.py [--runs 15]

Baseline, in the same run and interleaved with it: a script that imports the libraries
`ask` needs (onnxruntime, tokenizers, numpy, rapidfuzz, yaml), loads the same tokenizer,
creates the same ONNX session (same options) and encodes "hello" once: what any program
answering with this model pays.  Target: median ratio <= 1.3 (faqbot's own overhead,
reading its cached knowledge base and rules and deciding, at most 30%).  Also checks that
`ask` imports no web framework and no prompt-toolkit.

Both commands run as an installed program does: with compiled bytecode.  pip
compiles an installed package's `.pyc` files, and the baseline's libraries have
theirs, so PYTHONDONTWRITEBYTECODE is dropped for the runs and faqbot is
compiled first; otherwise faqbot alone would pay for compiling its source (about
25 ms on every start in a checkout where bytecode is never written).
"""

from __future__ import annotations

import argparse
import compileall
import os
import subprocess
import sys
import time
from pathlib import Path

from measure import ROOT, machine, median, verdict

import faqbot

TARGET_RATIO = 1.3
HEAVY = ("fastapi", "starlette", "uvicorn", "pydantic", "prompt_toolkit")
MODEL = Path(faqbot.__file__).parent / "models" / "minilm"
# The session options of faqbot.encoder._load_session, written out so the baseline
# imports nothing of faqbot.
SESSION_SCRIPT = f"""
import numpy, onnxruntime, rapidfuzz, tokenizers, yaml
tokenizer = tokenizers.Tokenizer.from_file({str(MODEL / "tokenizer.json")!r})
tokenizer.no_padding()
options = onnxruntime.SessionOptions()
options.intra_op_num_threads = 1
options.inter_op_num_threads = 1
options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
options.log_severity_level = 3
session = onnxruntime.InferenceSession(
    {str(MODEL / "model.onnx")!r}, options, providers=["CPUExecutionProvider"]
)
ids = tokenizer.encode("hello").ids
feeds = {{
    "input_ids": numpy.array([ids], dtype=numpy.int64),
    "attention_mask": numpy.ones((1, len(ids)), dtype=numpy.int64),
}}
session.run(None, feeds)
"""
BASELINE = [sys.executable, "-c", SESSION_SCRIPT]


def faqbot_command() -> list[str]:
    """The installed `faqbot` console script next to this Python, else `python -m faqbot`."""
    script = Path(sys.executable).parent / "faqbot"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "faqbot"]


# As after `pip install`: Python reads bytecode instead of compiling source.
# Both with onnxruntime's telemetry off, as faqbot runs (faqbot.encoder.imported_onnxruntime):
# the baseline would otherwise also pay for writing a device id and an event queue.
INSTALLED_ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "ORT_DISABLE_TELEMETRY": "1",
}


def timed(command: list[str]) -> tuple[float, str]:
    """Seconds from spawning `command` to its exit (its answer printed), and its output."""
    start = time.perf_counter()
    done = subprocess.run(
        command, capture_output=True, text=True, cwd=ROOT, env=INSTALLED_ENV, check=True
    )
    return time.perf_counter() - start, done.stdout


def heavy_modules_imported_by_ask() -> list[str]:
    """Top-level packages from HEAVY that `faqbot ask hello` leaves in sys.modules."""
    probe = (
        "import contextlib, io, sys\n"
        "from faqbot.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['ask', 'hello'])\n"
        f"print(' '.join(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return done.stdout.split()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    command = [*faqbot_command(), "ask", "hello"]
    compileall.compile_dir(Path(faqbot.__file__).parent, quiet=1)
    timed(BASELINE), timed(command)  # warm the page cache and .pyc files
    baseline, startup = [], []
    answer = ""
    for _ in range(args.runs):
        baseline.append(timed(BASELINE)[0])
        seconds, answer = timed(command)
        startup.append(seconds)
    ratio = median(startup) / median(baseline)
    heavy = heavy_modules_imported_by_ask()
    print(f"machine: {machine()}")
    print(f"command: {' '.join(command)}  ({args.runs} runs, interleaved with the baseline)")
    print(f"answer starts: {answer.splitlines()[0] if answer else '(nothing printed)'}")
    print(
        f"baseline  imports + session + encode  median {median(baseline) * 1e3:7.1f} ms  "
        f"(min {min(baseline) * 1e3:.1f})"
    )
    print(
        f"faqbot    ask hello                   median {median(startup) * 1e3:7.1f} ms  "
        f"(min {min(startup) * 1e3:.1f})"
    )
    print(f"ratio {ratio:.2f}x (target <= {TARGET_RATIO}x): {verdict(ratio <= TARGET_RATIO)}")
    print(f"heavy imports by ask: {', '.join(heavy) or 'none'}: {verdict(not heavy)}")
    return 0 if ratio <= TARGET_RATIO and not heavy else 1


if __name__ == "__main__":
    sys.exit(main())
