"""`pasokh erlang b|c|a`: queueing measures of one interval (pure Python, no Django).

Times are in seconds. ``--json`` prints one object whose keys are exactly the measure
names (``traffic``, ``p_wait``, ``service_level``, ``asa``, ``occupancy``, and
``p_abandon`` for Erlang A; ``traffic``, ``blocking``, ``occupancy`` for Erlang B).
Invalid input prints an error to stderr and exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable, Mapping
from typing import Any

from pasokh.wfm.erlang import (
    erlang_a_for_traffic,
    erlang_b,
    erlang_c_for_traffic,
    traffic_intensity,
)

Handler = Callable[[argparse.Namespace], int]

# label shown in the table, unit suffix, number format
_DISPLAY: dict[str, tuple[str, str, str]] = {
    "traffic": ("Traffic", "Erlangs", ".4f"),
    "raw_agents": ("Agents on the phones", "", "d"),
    "agents": ("Agents to schedule", "", "d"),
    "blocking": ("Blocking probability", "", ".6f"),
    "p_wait": ("Probability of waiting", "", ".6f"),
    "service_level": ("Service level", "", ".6f"),
    "asa": ("Average speed of answer", "s", ".2f"),
    "occupancy": ("Occupancy", "", ".6f"),
    "p_abandon": ("Probability of abandoning", "", ".6f"),
}


class InputError(ValueError):
    """A command-line value that the planning tools cannot use."""


def positive(name: str, value: float | None) -> float:
    if value is None or not math.isfinite(value) or value <= 0:
        raise InputError(f"{name} must be a number greater than 0 (got {value})")
    return value


def non_negative(name: str, value: float | None) -> float:
    if value is None or not math.isfinite(value) or value < 0:
        raise InputError(f"{name} must be a number of at least 0 (got {value})")
    return value


def fraction(name: str, value: float, *, low_open: bool, high_open: bool) -> float:
    low_ok = value > 0 if low_open else value >= 0
    high_ok = value < 1 if high_open else value <= 1
    if math.isnan(value) or not (low_ok and high_ok):
        interval = ("(" if low_open else "[") + "0, 1" + (")" if high_open else "]")
        raise InputError(f"{name} must be in {interval} (got {value})")
    return value


def print_result(values: Mapping[str, float | int], as_json: bool, note: str = "") -> None:
    """JSON object, or an aligned two-column table followed by an optional note."""
    if as_json:
        print(json.dumps(dict(values)))
        return
    width = max(len(_DISPLAY[key][0]) for key in values)
    for key, value in values.items():
        label, unit, spec = _DISPLAY[key]
        text = format(value, spec)
        print(f"{label:<{width}}  {text:>14}{' ' + unit if unit else ''}")
    if note:
        print(note)


def run_safely(command: str, body: Callable[[], int]) -> int:
    """Turn an input problem into a clear message on stderr and exit status 2."""
    try:
        return body()
    except ValueError as error:  # InputError, UnstableQueueError and model checks
        print(f"pasokh {command}: error: {error}", file=sys.stderr)
        return 2


def _traffic_from(args: argparse.Namespace) -> float:
    if getattr(args, "traffic", None) is not None:
        if args.calls is not None:
            raise InputError("give either --traffic or --calls/--aht, not both")
        return non_negative("--traffic", args.traffic)
    if args.calls is None or args.aht is None:
        raise InputError("give --calls and --aht (and --interval), or --traffic")
    calls = non_negative("--calls", args.calls)
    interval = positive("--interval", args.interval)
    aht = positive("--aht", args.aht)
    return traffic_intensity(calls, interval, aht)


def _agents_from(args: argparse.Namespace, minimum: int) -> int:
    agents: int = args.agents
    if agents < minimum:
        raise InputError(f"--agents must be an integer of at least {minimum} (got {agents})")
    return agents


def _handle_b(args: argparse.Namespace) -> int:
    def body() -> int:
        traffic = _traffic_from(args)
        agents = _agents_from(args, 0)
        blocking = erlang_b(agents, traffic)
        occupancy = traffic * (1 - blocking) / agents if agents else 0.0
        values = {"traffic": traffic, "blocking": blocking, "occupancy": occupancy}
        print_result(values, args.json, f"Erlang B: {agents} servers, blocked calls cleared.")
        return 0

    return run_safely("erlang b", body)


def _handle_queue(model: str) -> Handler:
    def handler(args: argparse.Namespace) -> int:
        def body() -> int:
            calls = non_negative("--calls", args.calls)
            interval = positive("--interval", args.interval)
            aht = positive("--aht", args.aht)
            target = non_negative("--target", args.target)
            agents = _agents_from(args, 1)
            traffic = traffic_intensity(calls, interval, aht)
            values: dict[str, float | int]
            if model == "c":
                metrics = erlang_c_for_traffic(traffic, aht, agents, target)
            else:
                patience = positive("--patience", args.patience)
                metrics = erlang_a_for_traffic(traffic, aht, agents, target, patience)
            values = {
                "traffic": metrics.traffic,
                "p_wait": metrics.p_wait,
                "service_level": metrics.service_level,
                "asa": metrics.asa,
                "occupancy": metrics.occupancy,
            }
            note = f"Erlang {model.upper()}: {agents} agents, service level within {target:g} s"
            if model == "a":
                values["p_abandon"] = metrics.p_abandon
                note += f", mean patience {args.patience:g} s (abandoning counts as failure)"
            print_result(values, args.json, note + ".")
            return 0

        return run_safely(f"erlang {model}", body)

    return handler


def _add_interval_options(parser: argparse.ArgumentParser, *, calls_required: bool) -> None:
    parser.add_argument(
        "--calls", type=float, required=calls_required, help="arrivals in the interval"
    )
    parser.add_argument(
        "--interval", type=float, default=1800.0, help="interval length, s (default 1800)"
    )
    parser.add_argument("--aht", type=float, required=calls_required, help="average handle time, s")


def register(subparsers: Any) -> None:
    """Add ``erlang`` with its ``b``, ``c`` and ``a`` models to the ``pasokh`` command."""
    erlang = subparsers.add_parser(
        "erlang",
        help="Erlang B/C/A measures of one interval",
        description="Queueing measures of one interval. All times are in seconds.",
    )
    erlang.set_defaults(handler=lambda _args: _usage(erlang))
    models = erlang.add_subparsers(dest="model", metavar="MODEL")

    b = models.add_parser("b", help="Erlang B: blocking probability of a loss system")
    b.add_argument("--traffic", type=float, help="offered load in Erlangs")
    _add_interval_options(b, calls_required=False)
    b.add_argument("--agents", type=int, required=True, help="servers (lines, agents)")
    b.add_argument("--json", action="store_true", help="print JSON")
    b.set_defaults(handler=_handle_b)

    for model, text in (
        ("c", "Erlang C (M/M/N): callers wait as long as needed"),
        ("a", "Erlang A (M/M/N+M): callers abandon after an exponential patience"),
    ):
        parser = models.add_parser(model, help=text, description=text)
        _add_interval_options(parser, calls_required=True)
        parser.add_argument("--agents", type=int, required=True, help="agents on the phones")
        parser.add_argument(
            "--target", type=float, default=20.0, help="service-level answer time, s (default 20)"
        )
        if model == "a":
            parser.add_argument(
                "--patience", type=float, required=True, help="mean caller patience, s"
            )
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.set_defaults(handler=_handle_queue(model))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2
