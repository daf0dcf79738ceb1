"""Helpers every benchmark shares: percentiles, the machine, resident memory.

The machine is shared and noisy, so each benchmark measures its baseline in the
same run and reports medians and ratios rather than single timings.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def percentile(values: Sequence[float], share: float) -> float:
    """The `share` (0-1) percentile by nearest rank: the value a share of runs stay under."""
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def fastest(call, argument: str, rounds: int) -> float:
    """The fastest of `rounds` timings of `call(argument)`, in seconds: the code's own cost,
    without other people's processes."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        call(argument)
        best = min(best, time.perf_counter() - start)
    return best


def median(values: Sequence[float]) -> float:
    """The median of `values`."""
    return statistics.median(values)


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo (or what platform knows)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> str:
    """One line saying what the figures were measured on."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} cores ({cpu_model()}), Python {platform.python_version()}, "
        f"load average {load}"
    )


def resident_mb() -> tuple[float, float]:
    """(current, peak) resident memory of this process in MB, from /proc/self/status."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return fields.get("VmRSS", 0.0), fields.get("VmHWM", 0.0)


def verdict(ok: bool) -> str:
    """PASS or MISS, for the target lines every benchmark prints."""
    return "PASS" if ok else "MISS"
