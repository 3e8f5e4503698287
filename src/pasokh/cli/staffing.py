"""`pasokh staffing`: the fewest agents that meet a service-level target (no Django).

Erlang C by default, Erlang A with ``--patience``. Times are in seconds. ``--json``
prints ``raw_agents`` (on the phones), ``agents`` (to schedule, after shrinkage) and the
measures achieved with ``raw_agents``: ``traffic``, ``p_wait``, ``service_level``, ``asa``,
``occupancy`` (and ``p_abandon`` with ``--patience``).
"""

from __future__ import annotations

import argparse
from typing import Any

from pasokh.cli.erlang import fraction, non_negative, positive, print_result, run_safely
from pasokh.wfm.staffing import StaffingTarget, required_agents


def _handle(args: argparse.Namespace) -> int:
    def body() -> int:
        calls = non_negative("--calls", args.calls)
        interval = positive("--interval", args.interval)
        aht = positive("--aht", args.aht)
        target = StaffingTarget(
            service_level=fraction("--sl", args.sl, low_open=False, high_open=True),
            target_s=non_negative("--target", args.target),
            max_asa_s=None if args.asa is None else positive("--asa", args.asa),
            max_occupancy=fraction(
                "--max-occupancy", args.max_occupancy, low_open=True, high_open=False
            ),
            shrinkage=fraction("--shrinkage", args.shrinkage, low_open=False, high_open=True),
            patience_s=None if args.patience is None else positive("--patience", args.patience),
            max_abandon=None
            if args.max_abandon is None
            else fraction("--max-abandon", args.max_abandon, low_open=False, high_open=False),
        )
        if target.max_abandon is not None and target.patience_s is None:
            raise ValueError("--max-abandon needs --patience (Erlang A)")
        result = required_agents(calls, interval, aht, target)
        metrics = result.metrics
        values: dict[str, float | int] = {
            "raw_agents": result.raw_agents,
            "agents": result.agents,
            "traffic": metrics.traffic,
            "p_wait": metrics.p_wait,
            "service_level": metrics.service_level,
            "asa": metrics.asa,
            "occupancy": metrics.occupancy,
        }
        model = "Erlang C"
        if target.patience_s is not None:
            values["p_abandon"] = metrics.p_abandon
            model = f"Erlang A (mean patience {target.patience_s:g} s)"
        note = (
            f"{model}: target {target.service_level:.0%} within {target.target_s:g} s, "
            f"max occupancy {target.max_occupancy:.0%}, shrinkage {target.shrinkage:.0%}."
        )
        print_result(values, args.json, note)
        return 0

    return run_safely("staffing", body)


def register(subparsers: Any) -> None:
    """Add ``staffing`` to the ``pasokh`` command."""
    parser = subparsers.add_parser(
        "staffing",
        help="agents needed for a service-level target",
        description="Fewest agents meeting a service level (Erlang C, or Erlang A with "
        "--patience). All times are in seconds.",
    )
    parser.add_argument("--calls", type=float, required=True, help="arrivals in the interval")
    parser.add_argument(
        "--interval", type=float, default=1800.0, help="interval length, s (default 1800)"
    )
    parser.add_argument("--aht", type=float, required=True, help="average handle time, s")
    parser.add_argument(
        "--sl", type=float, default=0.8, help="service-level target, fraction (default 0.8)"
    )
    parser.add_argument(
        "--target", type=float, default=20.0, help="answer-time threshold, s (default 20)"
    )
    parser.add_argument("--asa", type=float, help="also require ASA at most this, s")
    parser.add_argument(
        "--max-occupancy", type=float, default=1.0, help="occupancy ceiling (default 1)"
    )
    parser.add_argument(
        "--shrinkage", type=float, default=0.0, help="fraction of paid time off the phones"
    )
    parser.add_argument("--patience", type=float, help="mean caller patience, s (Erlang A)")
    parser.add_argument(
        "--max-abandon", type=float, help="abandonment ceiling, fraction (with --patience)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=_handle)
