"""`pasokh bench sip` at a tiny scale: every call goes through the whole path, none fails.

Not a timing: the figures are checked for shape and for zero failures only (the speed is
measured by the command itself and recorded in docs/PERFORMANCE.md).
"""

from __future__ import annotations

import json
import os

import pytest

from pasokh.voice.tests.peers import require

pytestmark = [pytest.mark.voice, pytest.mark.slow]


def test_the_sip_benchmark_passes_a_few_calls_through_the_whole_path() -> None:
    require("sipp")
    require("rtpengine")
    from pasokh.voice.bench import run_sip_benchmark

    figures = run_sip_benchmark(cps=2, calls=4, hold=2.0, agents=3)

    assert {"cps", "failed_calls", "max_concurrent", "bare_cps"} <= figures.keys()
    json.dumps(figures)
    assert figures["failed_calls"] == 0, figures
    assert figures["calls"] == 4
    assert figures["cps"] == 2
    assert figures["max_concurrent"] >= 2, figures  # calls overlap: 2 a second, each > 3 s
    assert figures["open_interactions_at_2"] == 0, figures
    assert figures["peers_cpu_pct_at_2"] > 0, figures  # the sipp customers and phones ran
    # The machine's busy time holds every process the bench measured, and anything else: up
    # to the kernel's tick sampling (/proc/stat), which counted a few per cent less than the
    # processes' own accounts in a run here.
    measured = sum(figures[f"{who}_cpu_pct_at_2"] for who in ("service", "rtpengine", "peers"))
    assert 0.8 * measured <= figures["machine_cpu_pct_at_2"] <= 100 * (os.cpu_count() or 1)
    assert figures["bare_cps"] == 2, figures
