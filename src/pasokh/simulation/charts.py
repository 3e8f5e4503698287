"""Charts of a simulation result: bars per queue with 95 % confidence-interval whiskers.

``svg_chart`` draws with SVG presentation attributes only — no ``style`` attribute, no
``<style>``, no script — so the same markup can be embedded in a page served under a strict
Content-Security-Policy. ``html_report`` wraps it in a self-contained file. ``write_png``
uses matplotlib, imported only when a PNG is asked for.
"""

from __future__ import annotations

import math
from html import escape
from pathlib import Path

from pasokh.simulation.runner import SimulationResult
from pasokh.simulation.statistics import Estimate

# (measure, title, unit, scale to show, fixed upper bound or None)
PANELS: tuple[tuple[str, str, str, float, float | None], ...] = (
    ("service_level", "Service level", "%", 100.0, 100.0),
    ("asa", "Average speed of answer", "s", 1.0, None),
    ("abandonment", "Abandonment", "%", 100.0, None),
    ("occupancy", "Occupancy", "%", 100.0, 100.0),
)
_BAR = "#2f6f8f"
_OVERALL = "#8f5a2f"
_INK = "#222222"
_GRID = "#d8d8d8"
_PANEL_W, _PANEL_H, _TOP, _BOTTOM, _LEFT = 460, 260, 34, 46, 52


def _series(result: SimulationResult, measure: str) -> list[tuple[str, Estimate, bool]]:
    rows = [(name, queue.estimates[measure], False) for name, queue in result.queues.items()]
    if len(rows) > 1:
        rows.append(("overall", result.overall.estimates[measure], True))
    return rows


def _nice_ceiling(value: float) -> float:
    if value <= 0 or not math.isfinite(value):
        return 1.0
    magnitude = float(10.0 ** math.floor(math.log10(value)))
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def _panel(result: SimulationResult, index: int) -> str:
    measure, title, unit, scale, bound = PANELS[index]
    rows = _series(result, measure)
    highs = [(e.high if e.half_width else e.mean) * scale for _, e, _ in rows if e.mean == e.mean]
    top = bound if bound is not None else _nice_ceiling(max(highs, default=1.0) * 1.1)
    x0, y0 = (index % 2) * _PANEL_W, (index // 2) * _PANEL_H
    plot_w, plot_h = _PANEL_W - _LEFT - 16, _PANEL_H - _TOP - _BOTTOM
    bottom = y0 + _TOP + plot_h
    parts = [
        f'<g aria-label="{escape(title)}">',
        f'<text x="{x0 + _LEFT}" y="{y0 + 20}" font-size="14" font-weight="bold" '
        f'fill="{_INK}">{escape(title)} ({escape(unit)})</text>',
    ]
    for tick in range(5):
        level = top * tick / 4
        y = bottom - plot_h * tick / 4
        parts.append(
            f'<line x1="{x0 + _LEFT}" y1="{y:.1f}" x2="{x0 + _LEFT + plot_w}" y2="{y:.1f}" '
            f'stroke="{_GRID}" stroke-width="1"/>'
            f'<text x="{x0 + _LEFT - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="{_INK}">{level:g}</text>'
        )
    slot = plot_w / max(len(rows), 1)
    for position, (name, value, overall) in enumerate(rows):
        if value.mean != value.mean:
            continue
        mean = min(value.mean * scale, top)
        x = x0 + _LEFT + slot * position + slot * 0.2
        height = plot_h * mean / top
        label = f"{name}: {value.mean * scale:.2f}"
        if value.half_width is not None:
            label += f" ± {value.half_width * scale:.2f}"
        parts.append(
            f'<rect x="{x:.1f}" y="{bottom - height:.1f}" width="{slot * 0.6:.1f}" '
            f'height="{height:.1f}" fill="{_OVERALL if overall else _BAR}">'
            f"<title>{escape(label)} {escape(unit)}</title></rect>"
        )
        centre = x + slot * 0.3
        if value.half_width:
            low = bottom - plot_h * max(value.low * scale, 0.0) / top
            high = bottom - plot_h * min(value.high * scale, top) / top
            parts.append(
                f'<path d="M{centre:.1f} {low:.1f}V{high:.1f}M{centre - 6:.1f} {low:.1f}'
                f'h12M{centre - 6:.1f} {high:.1f}h12" stroke="{_INK}" stroke-width="1.5" '
                'fill="none"/>'
            )
        parts.append(
            f'<text x="{centre:.1f}" y="{bottom + 16}" font-size="11" text-anchor="middle" '
            f'fill="{_INK}">{escape(name[:14])}</text>'
        )
    parts.append("</g>")
    return "".join(parts)


def svg_chart(result: SimulationResult) -> str:
    """Four panels (service level, ASA, abandonment, occupancy) as one inline SVG."""
    width, height = 2 * _PANEL_W, 2 * _PANEL_H
    panels = "".join(_panel(result, index) for index in range(len(PANELS)))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" font-family="sans-serif" '
        f'aria-label="{escape(result.scenario)}">{panels}</svg>'
    )


def html_report(result: SimulationResult) -> str:
    """A self-contained HTML page: the chart and a note on the whiskers. No script."""
    title = escape(result.scenario)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title>"
        "<style>body{font-family:sans-serif;margin:1.5rem;color:#222}"
        "svg{max-width:100%;height:auto}</style></head><body>"
        f"<h1>{title}</h1>"
        f"<p>{result.replications} replications, seed {result.seed}. "
        "Bars are means over replications; whiskers are 95 % confidence intervals "
        "(Student t).</p>"
        f"{svg_chart(result)}</body></html>\n"
    )


def write_png(result: SimulationResult, path: Path) -> None:
    """The same four panels as a PNG, drawn by matplotlib's Agg backend."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(2, 2, figsize=(10, 6.5))
    try:
        for axis, (measure, title, unit, scale, bound) in zip(axes.flat, PANELS, strict=True):
            rows = [row for row in _series(result, measure) if row[1].mean == row[1].mean]
            means = [value.mean * scale for _, value, _ in rows]
            halves = [(value.half_width or 0.0) * scale for _, value, _ in rows]
            ceiling = math.inf if bound is None else bound
            axis.bar(
                [name for name, _, _ in rows],
                means,
                # Whiskers stop at what the measure can reach (no negative waits or rates).
                yerr=[
                    [min(half, mean) for mean, half in zip(means, halves, strict=True)],
                    [min(half, ceiling - mean) for mean, half in zip(means, halves, strict=True)],
                ],
                color=[_OVERALL if overall else _BAR for _, _, overall in rows],
                capsize=5,
            )
            axis.set_title(f"{title} ({unit})")
            axis.set_ylim(0, bound)
            axis.grid(axis="y", color=_GRID)
            axis.tick_params(axis="x", labelrotation=30)
        figure.suptitle(f"{result.scenario} — 95 % confidence intervals")
        figure.tight_layout()
        figure.savefig(path, dpi=110)
    finally:
        pyplot.close(figure)
