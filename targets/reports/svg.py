"""Small inline SVG line charts for the HTML and PDF reports (vector, no script, no external file).

One chart per indicator: a line per region (distinct colour AND marker shape, labelled at its
end so no legend lookup is needed), the goal as a dashed line, the trend projection dotted.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from targets.display import goal_text, is_missing, number, year_tick_step
from targets.region_style import region_style
from targets.reports.model import CHART_REGIONS, IndicatorDetail, Report

WIDTH, HEIGHT = 680, 270
LEFT, RIGHT, TOP, BOTTOM = 58, 128, 14, 30
FONT = "'Noto Sans CJK SC', 'Noto Sans SC', sans-serif"
LABEL_GAP = 11  # px between stacked end labels


@dataclass(frozen=True)
class Line:
    label: str
    region: str  # its colour and marker: targets.region_style, the same as on screen
    points: tuple[tuple[int, float, bool], ...]  # year, value, derived
    projected: float | None


def ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """About n round tick values covering [lo, hi]."""
    span = hi - lo
    if span <= 0:
        return [lo]
    raw = span / n
    step = 10 ** math.floor(math.log10(raw))
    for mult in (1, 2, 2.5, 5, 10):
        if raw <= step * mult:
            step *= mult
            break
    first = math.ceil(lo / step - 1e-9) * step
    out = []
    x = first
    while x <= hi + step * 1e-9:
        out.append(round(x, 10))
        x += step
    return out


def _bounds(values: Sequence[float]) -> tuple[float, float]:
    lo, hi = min(values), max(values)
    span = hi - lo or abs(hi) * 0.1 or 1.0
    lo, hi = lo - span * 0.08, hi + span * 0.08
    t = ticks(lo, hi)
    step = t[1] - t[0] if len(t) > 1 else span
    lo_b, hi_b = math.floor(lo / step) * step, math.ceil(hi / step) * step
    if min(values) >= 0 > lo_b:
        lo_b = 0.0
    return lo_b, hi_b


def marker(shape: str, x: float, y: float, colour: str, hollow: bool = False) -> str:
    """An SVG marker of a given shape centred on (x, y)."""
    fill = "#ffffff" if hollow else colour
    style = f'fill="{fill}" stroke="{colour}" stroke-width="1.3"'
    r = 3.4
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" {style}/>'
    if shape == "square":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r}" height="{2 * r}" {style}/>'
    polygons = {
        "triangle": [(0, -1.25), (1.1, 0.8), (-1.1, 0.8)],
        "down": [(0, 1.25), (1.1, -0.8), (-1.1, -0.8)],
        "diamond": [(0, -1.3), (1.1, 0), (0, 1.3), (-1.1, 0)],
        "star": [
            (
                math.cos(a) * (1.35 if k % 2 == 0 else 0.6),
                math.sin(a) * (1.35 if k % 2 == 0 else 0.6),
            )
            for k, a in enumerate(-math.pi / 2 + i * math.pi / 5 for i in range(10))
        ],
    }
    if shape in polygons:
        pts = " ".join(f"{x + dx * r:.1f},{y + dy * r:.1f}" for dx, dy in polygons[shape])
        return f'<polygon points="{pts}" {style}/>'
    d = r * 1.1
    if shape == "cross":
        path = f"M{x - d:.1f},{y - d:.1f}L{x + d:.1f},{y + d:.1f}M{x - d:.1f},{y + d:.1f}L{x + d:.1f},{y - d:.1f}"
    else:  # plus
        path = f"M{x - d:.1f},{y:.1f}L{x + d:.1f},{y:.1f}M{x:.1f},{y - d:.1f}L{x:.1f},{y + d:.1f}"
    return f'<path d="{path}" stroke="{colour}" stroke-width="1.8" fill="none"/>'


def _spread(wanted: list[float], low: float, high: float) -> list[float]:
    """Label positions near `wanted`, at least LABEL_GAP apart, inside [low, high]."""
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    placed: dict[int, float] = {}
    last = low - LABEL_GAP
    for i in order:
        placed[i] = max(wanted[i], last + LABEL_GAP)
        last = placed[i]
    ceiling = high
    for i in reversed(order):  # push the stack back up from the bottom edge
        placed[i] = min(placed[i], ceiling)
        ceiling = placed[i] - LABEL_GAP
    return [placed[i] for i in range(len(wanted))]


def line_chart(
    detail: IndicatorDetail,
    lines: Sequence[Line],
    goals: Sequence[tuple[str, float]],
    milestone: int,
    *,
    title: str,
) -> str:
    """An inline <svg> of `lines` against `goals` up to the milestone year."""
    years = [y for ln in lines for y, _, _ in ln.points] + [milestone]
    values = [v for ln in lines for _, v, _ in ln.points]
    values += [g for _, g in goals] + [ln.projected for ln in lines if ln.projected is not None]
    if not values:
        return ""
    x0, x1 = min(years), max(years)
    if x1 == x0:
        x0 -= 1
    y0, y1 = _bounds(values)
    pw, ph = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def sx(year: float) -> float:
        return LEFT + (year - x0) / (x1 - x0) * pw

    def sy(value: float) -> float:
        return TOP + (1 - (value - y0) / (y1 - y0)) * ph

    out = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-label="{escape(title)}" font-family="{FONT}" font-size="10">',
        f"<title>{escape(title)}</title>",
    ]
    # grid and y axis
    label_decimals = max(0, min(detail.decimals, 2))
    for tv in ticks(y0, y1):
        y = sy(tv)
        out.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + pw}" y2="{y:.1f}" stroke="#e3e6ea"/>'
        )
        out.append(
            f'<text x="{LEFT - 6}" y="{y + 3.5:.1f}" text-anchor="end" fill="#444">'
            f"{escape(number(tv, label_decimals))}</text>"
        )
    # x axis: every year when few, else every fifth (the dashboard's charts alike)
    step = year_tick_step(x1 - x0)
    for yr in range(x0, x1 + 1):
        x = sx(yr)
        out.append(
            f'<line x1="{x:.1f}" y1="{TOP + ph}" x2="{x:.1f}" y2="{TOP + ph + 3}" stroke="#888"/>'
        )
        if (yr - x0) % step == 0 or yr == milestone:
            weight = ' font-weight="bold"' if yr == milestone else ""
            out.append(
                f'<text x="{x:.1f}" y="{TOP + ph + 15}" text-anchor="middle" fill="#444"{weight}>{yr}</text>'
            )
    out.append(
        f'<line x1="{LEFT}" y1="{TOP + ph}" x2="{LEFT + pw}" y2="{TOP + ph}" stroke="#888"/>'
    )
    # the goal year
    mx = sx(milestone)
    out.append(
        f'<line x1="{mx:.1f}" y1="{TOP}" x2="{mx:.1f}" y2="{TOP + ph}" stroke="#bbb" stroke-dasharray="2,3"/>'
    )

    labels: list[tuple[float, str, str]] = []  # wanted y, text, colour
    for label, target in goals:
        y = sy(target)
        out.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + pw}" y2="{y:.1f}" stroke="#333" '
            f'stroke-width="1.4" stroke-dasharray="6,4"/>'
        )
        labels.append((y, label, "#333"))
    for ln in lines:
        colour, shape = region_style(ln.region)
        pts = [(sx(y), sy(v)) for y, v, _ in ln.points]
        if len(pts) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
            out.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="1.8"/>'
            )
        last_year, last_value, _ = ln.points[-1]
        end_x, end_y = pts[-1]
        if ln.projected is not None and last_year < milestone:
            px, py = sx(milestone), sy(ln.projected)
            out.append(
                f'<line x1="{end_x:.1f}" y1="{end_y:.1f}" x2="{px:.1f}" y2="{py:.1f}" '
                f'stroke="{colour}" stroke-width="1.3" stroke-dasharray="1.5,2.5"/>'
            )
            out.append(marker(shape, px, py, colour, hollow=True))
            end_y = py
        for (x, y), (_, _, derived) in zip(pts, ln.points, strict=True):
            out.append(marker(shape, x, y, colour, hollow=derived))
        labels.append((end_y, ln.label, colour))
    placed = _spread([w for w, _, _ in labels], TOP + 4, TOP + ph)
    for (_, text, colour), y in zip(labels, placed, strict=True):
        out.append(
            f'<text x="{LEFT + pw + 6}" y="{y + 3.5:.1f}" fill="{colour}">{escape(text)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def goal_label(sign_word: str, comparator: str, target: float, decimals: int) -> str:
    """'目标 ≥ 3.00'."""
    return f"{sign_word} {goal_text(comparator, target, decimals, '')}"


def lines_of(detail: IndicatorDetail, regions: Sequence[str]) -> list[Line]:
    """One Line per region with values, in `regions` order."""
    rows = detail.rows.set_index("region")
    out = []
    for region in regions:
        s = detail.series[detail.series["region"] == region].sort_values("year")
        s = s[s["value"].notna()]
        if s.empty:
            continue
        projected = rows.at[region, "projected"] if region in rows.index else None
        out.append(
            Line(
                label=str(s["region_name"].iloc[0]),
                region=str(region),
                points=tuple(
                    (int(y), float(v), bool(d))
                    for y, v, d in zip(s["year"], s["value"], s["derived"], strict=True)
                ),
                projected=None if projected is None or is_missing(projected) else float(projected),
            )
        )
    return out


@dataclass(frozen=True)
class Chart:
    """One indicator's chart as a report shows it: the SVG, its caption, how many regions."""

    svg: str
    caption: str
    shown: int
    total: int


def detail_chart(report: Report, detail: IndicatorDetail) -> Chart | None:
    """The chart of an indicator's series (at most CHART_REGIONS lines), or None without values."""
    regions = [r for r in detail.regions if r in set(detail.series["region"])]
    shown = regions[:CHART_REGIONS]
    lines = lines_of(detail, shown)
    targets: dict[float, str] = {}
    for r in detail.rows[detail.rows["region"].isin(shown)].to_dict("records"):
        if not is_missing(r["target"]):
            targets.setdefault(float(r["target"]), str(r["comparator"]))
    word = report.t("goal")
    goals = [(goal_label(word, c, v, detail.decimals), v) for v, c in targets.items()]
    caption = report.t("chart_caption", name=detail.name, unit=detail.unit, year=report.milestone)
    svg = line_chart(detail, lines, goals, report.milestone, title=caption)
    if not svg:
        return None
    return Chart(svg=svg, caption=caption, shown=len(shown), total=len(regions))


def to_png(svg: str, scale: float = 2.0) -> bytes:
    """An inline chart as PNG (for Word, which takes no SVG), drawn by CairoSVG at `scale`×."""
    import cairosvg

    if 'xmlns="http://www.w3.org/2000/svg"' not in svg:
        svg = svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    png = cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=scale)
    assert isinstance(png, bytes)
    return png
