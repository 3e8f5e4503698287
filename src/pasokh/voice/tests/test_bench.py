"""`pasokh bench sip` at a tiny scale: every call goes through the whole path, none fails.

Not a timing: the figures are checked for shape and for zero failures only (the speed is
measured by the command itself and recorded in docs/PERFORMANCE.md).
"""

from __future__ import annotations

import json

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
    assert figures["bare_cps"] == 2, figures
