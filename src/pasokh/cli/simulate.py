"""`pasokh simulate SCENARIO.toml`: a what-if run of the real router (pure Python, no Django).

Prints each queue's service level, ASA, abandonment and occupancy with the half-width of
its 95 % confidence interval — as a table, or with ``--json`` as one object::

    {"queues": {"sales": {"service_level": …, "service_level_ci": …, "asa": …, "asa_ci": …,
     "abandonment": …, "abandonment_ci": …, "occupancy": …, "occupancy_ci": …,
     "offered": …, …}}, "overall": {…}, "groups": {…}, "replications": N, "seed": S,
     "events_per_s": …}

Every figure depends only on the scenario, ``--replications`` and ``--seed``, except
``events_per_s`` (wall-clock speed). A bad scenario prints one error line and exits with 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from pasokh.cli.erlang import run_safely
from pasokh.simulation import Scenario, SimulationResult, run_scenario

# column title, measure, scale, unit
_COLUMNS = (
    ("service level", "service_level", 100.0, "%"),
    ("ASA", "asa", 1.0, "s"),
    ("abandonment", "abandonment", 100.0, "%"),
    ("occupancy", "occupancy", 100.0, "%"),
)


class ProgressBar:
    """A plain-text bar redrawn in place on stderr, at most once per percent."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream, self.width, self.shown = stream, width, -1

    def __call__(self, fraction: float) -> None:
        percent = int(fraction * 100)
        if percent == self.shown:
            return
        self.shown = percent
        filled = round(self.width * fraction)
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\rsimulating [{bar}] {percent:3d}%")
        if percent >= 100:
            self.stream.write("\n")
        self.stream.flush()


def _cell(values: dict[str, Any], measure: str, scale: float, unit: str) -> str:
    mean, half = values[measure], values[f"{measure}_ci"]
    if mean is None:
        return "—"
    text = f"{mean * scale:.2f}"
    if half is not None:
        text += f" ± {half * scale:.2f}"
    return f"{text} {unit}"


def format_table(result: SimulationResult) -> str:
    data = result.to_dict()
    rows = [("queue", "offered", *(title for title, *_ in _COLUMNS))]
    named = list(data["queues"].items())
    if len(named) > 1:
        named.append(("overall", data["overall"]))
    for name, values in named:
        offered = values["offered"]
        rows.append(
            (
                name,
                "—" if offered is None else f"{offered:.1f}",
                *(_cell(values, measure, scale, unit) for _, measure, scale, unit in _COLUMNS),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        f"{result.scenario}: {result.replications} replications, seed {result.seed}; "
        "mean ± 95 % confidence half-width",
        "",
    ]
    for row in rows:
        cells = [row[0].ljust(widths[0])]
        cells += [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells))
    lines.append("")
    lines.append("occupancy by agent group:")
    for group, values in data["groups"].items():
        lines.append(f"  {group}: {_cell(values, 'occupancy', 100.0, '%')}")
    lines.append(f"{result.events} events at {result.events_per_s:,.0f} events/s")
    return "\n".join(lines)


def _handle(args: argparse.Namespace) -> int:
    def body() -> int:
        path = Path(args.scenario)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ValueError(f"cannot read {path}: {error}") from None
        scenario = Scenario.from_toml(text)
        if args.replications is not None and args.replications < 1:
            raise ValueError("--replications must be at least 1")
        show = args.progress if args.progress is not None else sys.stderr.isatty()
        progress: Callable[[float], None] | None = ProgressBar(sys.stderr) if show else None
        result = run_scenario(scenario, args.replications, args.seed, progress)
        if args.chart_html:
            from pasokh.simulation.charts import html_report

            Path(args.chart_html).write_text(html_report(result), encoding="utf-8")
        if args.chart:
            from pasokh.simulation.charts import write_png

            write_png(result, Path(args.chart))
        if args.json:
            print(json.dumps(result.to_dict()))
        else:
            print(format_table(result))
        return 0

    return run_safely("simulate", body)


def register(subparsers: Any) -> None:
    """Add ``simulate`` to the ``pasokh`` command."""
    parser = subparsers.add_parser(
        "simulate",
        help="simulate a scenario through the real router, with confidence intervals",
        description=(
            "Run a what-if scenario (TOML, see docs/simulation.md) through the routing "
            "engine on a virtual clock. Times are in seconds."
        ),
    )
    parser.add_argument("scenario", metavar="SCENARIO.toml", help="scenario file")
    parser.add_argument("--replications", type=int, help="override the scenario's count")
    parser.add_argument("--seed", type=int, help="override the scenario's seed")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--chart", metavar="OUT.png", help="write a PNG chart (matplotlib)")
    parser.add_argument(
        "--chart-html", metavar="OUT.html", help="write a self-contained HTML chart (SVG)"
    )
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr (default: when stderr is a terminal)",
    )
    parser.set_defaults(handler=_handle)
