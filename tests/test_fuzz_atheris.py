"""A short coverage-guided fuzzing run of `Bot.reply` (tests/fuzz/fuzz_reply.py) in CI."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import atheris  # noqa: F401  - part of the test extra; a missing install must fail, not skip
import pytest

TARGET = Path(__file__).resolve().parent / "fuzz" / "fuzz_reply.py"
SECONDS = 12
# The target loads the bot from the start-up cache this test fills first; the limit only
# catches a hang.
STARTUP_ALLOWANCE = 240
MIN_RUNS = 200
# The same interpreter and import path as the target, so the cache is the one it reads.
WARM = "from faqbot.bot import Bot; Bot.load(cache=True)"


@pytest.mark.slow
def test_a_short_fuzzing_run_finds_no_crash(tmp_path):
    subprocess.run([sys.executable, "-c", WARM], cwd=tmp_path, check=True, timeout=240)
    result = subprocess.run(
        [
            sys.executable,
            str(TARGET),
            f"-max_total_time={SECONDS}",
            f"-artifact_prefix={tmp_path}/",
            "-print_final_stats=1",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=SECONDS + STARTUP_ALLOWANCE,
    )
    crashes = sorted(p.name for p in tmp_path.glob("crash-*"))
    assert result.returncode == 0 and not crashes, result.stderr[-4000:]
    runs = re.search(r"Done (\d+) runs", result.stderr)
    # Each reply embeds the message (one encoder call, ~3-15 ms on a shared machine), so a
    # run of 12 s tries hundreds of inputs, not thousands: enough to say the fuzzer ran.
    assert runs and int(runs.group(1)) > MIN_RUNS, result.stderr[-2000:]
