"""A line chart of series over years, as an SVG string generated here (no chart library, no script).

Every label is escaped (report text is data, never markup); the chart carries ``<title>`` tooltips and
a legend, and is readable without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from markupsafe import Markup, escape

PALETTE = ("#0b5cad", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#16a085", "#7f8c8d", "#b8860b")
WIDTH, HEIGHT = 900, 340
LEFT, RIGHT, TOP, BOTTOM = 64, 300, 20, 40


@dataclass(slots=True)
class Series:
    """One line: a name (place · indicator · unit) and its points (year → value)."""

    name: str
    points: dict[int, Decimal] = field(default_factory=dict)


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        top = step * magnitude
        if top >= value:
            return float(top)
    return float(10 * magnitude)


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 or float(value).is_integer() else f"{value:,.2f}"


def line_chart(series: list[Series], *, title: str) -> Markup:
    """An SVG line chart of ``series`` (years on x, values on y from 0); an empty chart says so."""
    years = sorted({y for s in series for y in s.points})
    top_value = max((float(v) for s in series for v in s.points.values()), default=0.0)
    y_max = _nice_max(top_value)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    if not years:
        parts.append(
            f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">没有数据 No figures</text></svg>'
        )
        return Markup("".join(parts))

    def x_of(year: int) -> float:
        if len(years) == 1:
            return LEFT + plot_w / 2
        return LEFT + plot_w * (year - years[0]) / (years[-1] - years[0])

    def y_of(value: float) -> float:
        return TOP + plot_h * (1 - value / y_max)

    # axes and grid
    for i in range(5):
        v = y_max * i / 4
        y = y_of(v)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" stroke="#d8dde3"/>')
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{_fmt(v)}</text>'
        )
    for year in years:
        x = x_of(year)
        parts.append(
            f'<line x1="{x:.1f}" y1="{TOP + plot_h}" x2="{x:.1f}" y2="{TOP + plot_h + 4}" stroke="#5b6570"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{TOP + plot_h + 18}" text-anchor="middle" font-size="12">{year}</text>'
        )
    parts.append(
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}" stroke="#5b6570"/>'
    )
    # lines, points, legend
    for n, s in enumerate(series):
        colour = PALETTE[n % len(PALETTE)]
        pts = sorted(s.points.items())
        coords = " ".join(f"{x_of(y):.1f},{y_of(float(v)):.1f}" for y, v in pts)
        parts.append(f'<g class="series" data-series="{n}">')
        if len(pts) > 1:
            parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{coords}"/>')
        for y, v in pts:
            tip = f"{s.name} {y}: {v}"
            parts.append(
                f'<circle cx="{x_of(y):.1f}" cy="{y_of(float(v)):.1f}" r="4" fill="{colour}">'
                f"<title>{escape(tip)}</title></circle>"
            )
        parts.append("</g>")
        ly = TOP + 14 + 18 * n
        parts.append(f'<rect x="{LEFT + plot_w + 12}" y="{ly - 9}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{LEFT + plot_w + 26}" y="{ly}" font-size="12">{escape(s.name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
