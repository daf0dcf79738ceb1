"""Connection limits and the shared rate limit against a real `faqbot serve` on 127.0.0.1
(issue 16, rows 1-3): each bounded to a few seconds and a few megabytes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import server_abuse

pytestmark = pytest.mark.slow


def test_a_header_flood_gets_431_and_memory_stays_flat():
    result = server_abuse.header_flood(megabytes=4, connections=3)
    assert result["statuses"] == [431, 431, 431], result
    assert result["rss_kib_peak"] - result["rss_kib_before"] < 10_000, result
    assert result["healthz_after"] == 200, result


def test_silent_slow_and_kept_alive_connections_are_closed_after_the_timeout():
    result = server_abuse.idle(timeout=1)
    for kind in ("silent_closed_after_s", "slow_head_closed_after_s", "kept_alive_closed_after_s"):
        assert result[kind] is not None and 0.9 <= result[kind] < 3, result


def test_past_the_concurrency_limit_a_request_gets_503_and_then_service_resumes():
    result = server_abuse.concurrency(limit=3)
    assert (result["status_over_limit"], result["status_after_release"]) == (503, 200), result


def test_sigterm_with_a_half_sent_body_exits_within_the_graceful_timeout():
    result = server_abuse.sigterm_half_body(graceful=1)
    assert result["exit_code"] is not None and result["exit_after_s"] < 4, result


def test_two_workers_sharing_redis_let_through_exactly_the_limit(redis_uri):
    result = server_abuse.redis_limit(requests=24, limit=8, workers=2, uri=redis_uri)
    assert (result["answered_200"], result["refused_429"]) == (8, 16), result
