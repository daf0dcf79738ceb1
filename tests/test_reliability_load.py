"""Short versions of the soak and fault scripts in benchmarks/, against a real
`python -m faqbot serve` subprocess on 127.0.0.1 (the full runs: docs/reliability.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import server_faults
import soak

pytestmark = pytest.mark.slow


def test_twenty_clients_for_five_seconds_get_only_200s_and_memory_stays_flat():
    result = soak.soak(duration=5, clients=20)
    assert result["failures"] == 0, result
    assert result["requests_served"] > 100, result
    assert result["rss_growth"] <= 0.10, result


def test_a_broken_then_a_good_kb_edit_under_load_loses_no_request():
    result = soak.reload_under_load(duration=16, clients=10)
    assert result["failures"] == 0, result
    assert result["marker_ok"], result


def test_killing_one_of_two_workers_leaves_the_other_answering_and_it_comes_back():
    result = server_faults.kill_worker(duration=9, clients=10)
    assert result["ok"], str(result)  # a string, so pytest shows every figure


def test_sigterm_lets_every_request_in_flight_finish():
    result = server_faults.sigterm_in_flight(requests=50)
    assert result["answered_200"] == result["in_flight"], result
    assert result["ok"], result
