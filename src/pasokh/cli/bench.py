"""`pasokh bench NAME [--json]`: measured speed of one part of Pasokh.

``BENCHMARKS`` maps a name to ``"module:function"``; the function takes no argument and
returns a flat ``dict`` of figures. Modules are imported only when their benchmark runs, so
a benchmark that needs Django (``routing``, ``chat`` …) can be added here with one line
without slowing the others down::

    BENCHMARKS["routing"] = "pasokh.routing.bench:run_routing_benchmark"
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable
from typing import Any

BENCHMARKS: dict[str, str] = {
    "wfm": "pasokh.cli.bench:wfm_benchmark",
    "chat": "pasokh.webchat.bench:run_chat_benchmark",
    "routing": "pasokh.router.bench:run_routing_benchmark",
    "sip": "pasokh.voice.bench:run_sip_benchmark",
}


def wfm_benchmark() -> dict[str, float]:
    """Staffing over 1,000 intervals (seconds) and simulator speed (events per second)."""
    from pasokh.simulation.bench import simulator_events_per_s
    from pasokh.wfm.bench import run_wfm_benchmark

    figures = dict(run_wfm_benchmark())
    figures["simulator_events_per_s"] = round(simulator_events_per_s(), 1)
    return figures


def resolve(name: str) -> Callable[[], dict[str, Any]]:
    module_name, _, function_name = BENCHMARKS[name].partition(":")
    function: Callable[[], dict[str, Any]] = getattr(
        importlib.import_module(module_name), function_name
    )
    return function


def _handle(args: argparse.Namespace) -> int:
    if args.name not in BENCHMARKS:
        names = ", ".join(sorted(BENCHMARKS))
        print(
            f"pasokh bench: error: unknown benchmark {args.name!r} (have: {names})", file=sys.stderr
        )
        return 2
    options = ("customers", "agents", "pause", "messages", "cps", "calls", "hold", "scale_out")
    sizes = {k: v for k in options if (v := getattr(args, k, None)) is not None}
    figures = resolve(args.name)(**sizes)
    if args.json:
        print(json.dumps(figures))
    else:
        width = max(len(key) for key in figures)
        for key, value in figures.items():
            print(f"{key:<{width}}  {value:>14,.6g}")
    return 0


def register(subparsers: Any) -> None:
    """Add ``bench`` to the ``pasokh`` command."""
    parser = subparsers.add_parser(
        "bench",
        help="measure the speed of a part of Pasokh",
        description="Run a benchmark and print its figures (times in seconds).",
    )
    parser.add_argument("name", metavar="NAME", help=f"one of: {', '.join(sorted(BENCHMARKS))}")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--customers", type=int, help="chat: simulated customers (default 500)")
    parser.add_argument("--agents", type=int, help="chat, sip: agents (default 200; sip 700)")
    parser.add_argument(
        "--pause", type=float, help="chat: mean seconds between a customer's messages (default 5)"
    )
    parser.add_argument(
        "--messages", type=int, help="chat: messages per customer once all chats are open (3)"
    )
    parser.add_argument(
        "--cps", type=float, help="sip: one run at this call rate (default: search)"
    )
    parser.add_argument("--calls", type=int, help="sip: calls in a run (default 10 s of calls)")
    parser.add_argument("--hold", type=float, help="sip: seconds a customer stays after the digit")
    parser.add_argument(
        "--scale-out",
        action="store_true",
        default=None,
        help="sip: PostgreSQL, and the voice service as `pasokh voice` beside `pasokh run`",
    )
    parser.set_defaults(handler=_handle)
