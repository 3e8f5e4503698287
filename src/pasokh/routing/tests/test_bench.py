"""The benchmark runs end to end on a small floor (its figures are printed, not asserted)."""

from pasokh.routing.bench import run_core_benchmark


def test_the_benchmark_reports_throughput_and_latency_figures():
    figures = run_core_benchmark(seed=1, commands=300, agents=40, queues=5, waiting=100)
    assert figures["commands"] == 300
    for key in ("core_commands_per_s", "core_p50_us", "core_p99_us", "core_cpu_commands_per_s"):
        assert figures[key] > 0
