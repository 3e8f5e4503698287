"""`pasokh simulate` and `pasokh bench` through the real entry point (no Django)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pasokh.cli import bench
from pasokh.cli.main import main

EXAMPLES = Path(__file__).resolve().parents[4] / "examples"
ERLANG_C = str(EXAMPLES / "erlang_c.toml")
QUICK = ["--replications", "3", "--no-progress"]

SMALL = """
name = "small"
duration_s = 7200
replications = 2
seed = 4

[[queues]]
name = "sales"
handle_time = { mean_s = 120 }
arrivals = { interval_s = 1800, calls = [40] }

[[queues]]
name = "support"
handle_time = { distribution = "lognormal", mean_s = 200, cv = 0.6 }
patience = { mean_s = 120 }
arrivals = { interval_s = 1800, calls = [20, 40] }

[[agents]]
name = "sales"
count = 3
skills = { sales = 4 }

[[agents]]
name = "all-round"
count = 3
skills = { sales = 2, support = 4 }
"""


@pytest.fixture
def small(tmp_path: Path) -> str:
    path = tmp_path / "small.toml"
    path.write_text(SMALL, encoding="utf-8")
    return str(path)


def run_json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict[str, Any]:
    assert main([*argv, "--json"]) == 0
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    return result


def test_simulate_json_has_every_measure_with_its_interval(
    capsys: pytest.CaptureFixture[str], small: str
) -> None:
    result = run_json(capsys, ["simulate", small, "--no-progress"])
    assert set(result["queues"]) == {"sales", "support"}
    for values in (*result["queues"].values(), result["overall"]):
        for measure in ("service_level", "asa", "abandonment", "occupancy"):
            assert isinstance(values[measure], float)
            assert values[f"{measure}_ci"] >= 0
        assert values["offered"] > 0
    assert result["queues"]["sales"]["abandonment"] == 0
    assert result["queues"]["support"]["service_level_ci"] > 0
    assert result["queues"]["support"]["abandonment"] > 0
    assert result["replications"] == 2
    assert result["events_per_s"] > 0
    assert set(result["groups"]) == {"sales", "all-round"}


def test_simulate_options_override_the_scenario(
    capsys: pytest.CaptureFixture[str], small: str
) -> None:
    first = run_json(capsys, ["simulate", small, "--replications", "3", "--seed", "9"])
    again = run_json(capsys, ["simulate", small, "--replications", "3", "--seed", "9"])
    other = run_json(capsys, ["simulate", small, "--replications", "3", "--seed", "10"])
    assert first["replications"] == 3
    assert first["seed"] == 9
    assert first["queues"] == again["queues"]
    assert first["queues"] != other["queues"]


def test_simulate_table_shows_means_and_half_widths(
    capsys: pytest.CaptureFixture[str], small: str
) -> None:
    assert main(["simulate", small, "--no-progress"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("small: 2 replications, seed 4")
    header = next(line for line in lines if line.startswith("queue"))
    for title in ("offered", "service level", "ASA", "abandonment", "occupancy"):
        assert title in header
    assert any(line.startswith("overall") and "±" in line for line in lines)
    assert "events/s" in lines[-1]


def test_simulate_shows_a_progress_bar_on_stderr_when_asked(
    capsys: pytest.CaptureFixture[str], small: str
) -> None:
    assert main(["simulate", small, "--progress", "--json"]) == 0
    captured = capsys.readouterr()
    assert "simulating [" in captured.err
    assert "100%" in captured.err
    json.loads(captured.out)  # the bar never mixes into the JSON


def test_simulate_writes_a_self_contained_html_chart(
    capsys: pytest.CaptureFixture[str], small: str, tmp_path: Path
) -> None:
    out = tmp_path / "chart.html"
    assert main(["simulate", small, "--no-progress", "--chart-html", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<svg" in html
    assert "<script" not in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "style=" not in html
    assert html.count("<path") >= 4  # confidence whiskers
    assert "Service level" in html


def test_simulate_writes_a_png_chart(
    capsys: pytest.CaptureFixture[str], small: str, tmp_path: Path
) -> None:
    out = tmp_path / "chart.png"
    assert main(["simulate", small, "--no-progress", "--chart", str(out)]) == 0
    assert out.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert out.stat().st_size > 10_000


def test_simulate_escapes_names_in_the_html_chart(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    scenario = tmp_path / "evil.toml"
    scenario.write_text(SMALL.replace('"small"', '"<script>alert(1)</script>"'), encoding="utf-8")
    out = tmp_path / "chart.html"
    assert main(["simulate", str(scenario), "--no-progress", "--chart-html", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name = ", "not valid TOML"),
        (SMALL.replace("mean_s = 120 }", "mean_s = -1 }", 1), "mean_s must be"),
        (SMALL.replace('"sales"\ncount', '"sales"\ncolour = 1\ncount'), "unknown key"),
    ],
)
def test_simulate_refuses_a_bad_scenario_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    assert main(["simulate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("pasokh simulate: error:")
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_simulate_reports_a_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "/nonexistent/scenario.toml"]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_simulate_refuses_zero_replications(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", ERLANG_C, "--replications", "0"]) == 2
    assert "--replications must be at least 1" in capsys.readouterr().err


def test_simulate_runs_the_erlang_c_example(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_json(capsys, ["simulate", ERLANG_C, *QUICK])
    sales = result["queues"]["sales"]
    # Erlang C: 0.888350 and 0.714 (see examples/erlang_c.toml); three replications only.
    assert abs(sales["service_level"] - 0.888350) < 0.05
    assert abs(sales["occupancy"] - 0.714) < 0.03


def test_bench_wfm_json_has_both_figures(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pasokh.simulation.bench.BENCH_SCENARIO", _small_bench())
    result = run_json(capsys, ["bench", "wfm"])
    assert set(result) == {"staffing_1000_intervals_s", "simulator_events_per_s"}
    assert 0 < result["staffing_1000_intervals_s"] < 5
    assert result["simulator_events_per_s"] > 100


def test_bench_registry_lists_benchmarks_by_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert "wfm" in bench.BENCHMARKS
    assert main(["bench", "nonesuch"]) == 2
    assert "unknown benchmark 'nonesuch'" in capsys.readouterr().err


def _small_bench() -> dict[str, Any]:
    from pasokh.simulation.bench import BENCH_SCENARIO

    return {**BENCH_SCENARIO, "duration_s": 3600, "warmup_s": 0, "replications": 1}
