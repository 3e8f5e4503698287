"""`pasokh erlang` and `pasokh staffing` through the real entry point (no Django)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pasokh.cli.main import main

ERLANG_C_14 = ["--calls", "100", "--interval", "1800", "--aht", "180", "--agents", "14"]


def run_json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict[str, Any]:
    assert main([*argv, "--json"]) == 0
    out = capsys.readouterr().out
    result: dict[str, Any] = json.loads(out)
    return result


def test_erlang_c_json(capsys: pytest.CaptureFixture[str]) -> None:
    # pyworkforce README/tests: 100 calls per 30 min, AHT 3 min, 14 agents, 20 s target.
    result = run_json(capsys, ["erlang", "c", *ERLANG_C_14, "--target", "20"])
    assert set(result) == {"traffic", "p_wait", "service_level", "asa", "occupancy"}
    assert result["traffic"] == pytest.approx(10.0)
    assert round(result["p_wait"], 3) == 0.174
    assert round(result["service_level"], 3) == 0.888
    assert round(result["occupancy"], 3) == 0.714
    assert result["asa"] == pytest.approx(7.8359, abs=1e-4)


def test_erlang_c_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["erlang", "c", *ERLANG_C_14, "--target", "20"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Traffic")
    assert lines[0].endswith("10.0000 Erlangs")
    assert any("Service level" in line and "0.888350" in line for line in lines)
    # the value column is right-aligned: every number ends in the same column
    table = lines[:-1]
    assert len(table) == 5
    ends = {len(line.removesuffix(" Erlangs").removesuffix(" s")) for line in table}
    assert len(ends) == 1


def test_erlang_a_json_adds_abandonment(capsys: pytest.CaptureFixture[str]) -> None:
    # pyworkforce tests/test_abandonment.py snapshot (patience 5 min = 300 s).
    result = run_json(capsys, ["erlang", "a", *ERLANG_C_14, "--target", "20", "--patience", "300"])
    assert set(result) == {"traffic", "p_wait", "service_level", "asa", "occupancy", "p_abandon"}
    assert round(result["p_abandon"], 6) == 0.013984
    assert round(result["service_level"], 6) == 0.916792


def test_erlang_b_json(capsys: pytest.CaptureFixture[str]) -> None:
    # Wolfram ErlangB documentation: four modems, 2 Erlangs -> 2/21.
    result = run_json(capsys, ["erlang", "b", "--traffic", "2", "--agents", "4"])
    assert result["blocking"] == pytest.approx(2 / 21, abs=1e-12)
    calls = run_json(capsys, ["erlang", "b", "--calls", "40", "--aht", "180", "--agents", "4"])
    assert calls["traffic"] == pytest.approx(4.0)


def test_staffing_json(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["staffing", "--calls", "100", "--interval", "1800", "--aht", "180"]
    argv += ["--sl", "0.8", "--target", "20", "--max-occupancy", "0.85", "--shrinkage", "0.3"]
    result = run_json(capsys, argv)
    assert (result["raw_agents"], result["agents"]) == (14, 20)
    assert round(result["service_level"], 3) == 0.888
    assert round(result["occupancy"], 3) == 0.714
    assert {"traffic", "p_wait", "asa"} <= set(result)


def test_staffing_max_occupancy_binds(capsys: pytest.CaptureFixture[str]) -> None:
    # pyworkforce test_over_occupancy_erlangc: max occupancy 0.7 -> 15 raw, 22 scheduled.
    argv = ["staffing", "--calls", "100", "--aht", "180", "--sl", "0.8", "--target", "20"]
    result = run_json(capsys, [*argv, "--max-occupancy", "0.7", "--shrinkage", "0.3"])
    assert (result["raw_agents"], result["agents"]) == (15, 22)


def test_staffing_erlang_a(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["staffing", "--calls", "100", "--aht", "180", "--sl", "0.8", "--patience", "300"]
    result = run_json(capsys, argv)
    assert result["raw_agents"] == 13
    assert result["service_level"] >= 0.8
    assert "p_abandon" in result


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["erlang", "c", *ERLANG_C_14[:-1], "10"], "unstable queue"),
        (["erlang", "c", "--calls", "-5", "--aht", "180", "--agents", "3"], "--calls"),
        (["erlang", "c", "--calls", "5", "--aht", "0", "--agents", "3"], "--aht"),
        (["erlang", "c", "--calls", "5", "--aht", "60", "--agents", "-3"], "--agents"),
        (["erlang", "a", *ERLANG_C_14, "--patience", "-1"], "--patience"),
        (["erlang", "b", "--agents", "3"], "--traffic"),
        (["staffing", "--calls", "100", "--aht", "180", "--sl", "1.5"], "--sl"),
        (["staffing", "--calls", "100", "--aht", "180", "--shrinkage", "1"], "--shrinkage"),
        (["staffing", "--calls", "100", "--aht", "-1"], "--aht"),
        (["staffing", "--calls", "1", "--aht", "1", "--max-occupancy", "0"], "--max-occupancy"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""


def test_erlang_without_model_shows_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["erlang"]) == 2
    assert "MODEL" in capsys.readouterr().err


def test_planning_commands_do_not_import_django() -> None:
    """`pasokh erlang` and `pasokh staffing` must start without Django (or NumPy): their
    modules and pasokh.wfm are imported and run in a fresh interpreter."""
    import subprocess
    import sys
    from pathlib import Path

    src = str(Path(__file__).resolve().parents[3])
    code = (
        "import argparse, sys; from pasokh.cli import erlang, staffing; "
        "p = argparse.ArgumentParser(); sub = p.add_subparsers(); "
        "erlang.register(sub); staffing.register(sub); "
        "args = p.parse_args(['staffing', '--calls', '100', '--aht', '180', '--json']); "
        "assert args.handler(args) == 0; "
        "args = p.parse_args(['erlang', 'a', '--calls', '9', '--aht', '60', '--agents', '1', "
        "'--patience', '30']); assert args.handler(args) == 0; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'django', 'numpy', 'scipy'}); print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run(  # noqa: S603 - fixed command, the test's own interpreter
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": src, "PATH": ""},
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
