"""Plotly figures as pure functions: DataFrames and plain arguments in, a figure out.

The figures of the national-scale pages (series, gap bars, tile maps) are plain dicts (Dash takes
a dict figure as it is): `go.Figure` validates and deep-copies every trace and shape, which took
most of a map view at 1 M values (340 tiles); the tests check them through `go.Figure(fig)`,
which validates every property. The small charts stay `go.Figure`.

No Dash, no tracker, no I/O: the pages look data up and pass it in, and the unit tests check the
traces without a browser. Every trace carries `meta={"kind": ..., ...}` so tests (and readers of
the JSON) can tell the observed series from the goal line, the projection and the required path.
Status is always shown by symbol and word as well as colour.
"""

from __future__ import annotations

import html
import numbers
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboard import format as fmt
from dashboard.i18n import t
from targets.display import year_tick_step
from targets.region_style import plotly_symbol, region_colour

FONT = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, Arial, sans-serif"
GOAL_COLOUR = "#333333"
GOAL_DASH = "longdash"
PROJECTION_DASH = "dash"
REQUIRED_DASH = "dot"
OUTLINE_COLOUR = "#1a1a1a"
CV_COLOUR = "#0072B2"  # the spread across provinces: no region's colour


# The toolbar of every chart. plotly.js can offer "Share chart"/"Edit in Chart Studio" (which
# uploads the chart's data to a third-party cloud), a link to plotly.com and its logo: a statistics
# tool never offers to send data off the machine, so all of them are off here, in one place.
# Downloading the picture stays (rendered in the browser, no request leaves it).
PRIVATE_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "showLink": False,
    "plotlyServerURL": "",
    "responsive": True,
    "scrollZoom": False,
    # plotly.js 4 names the cloud button sendChartToCloud; older ones sendDataToCloud
    "modeBarButtonsToRemove": [
        "sendChartToCloud",
        "sendDataToCloud",
        "editInChartStudio",
        "select2d",
        "lasso2d",
    ],
}


# plotly.js's own words (its toolbar's button names, its hints) -> our catalogue's key: on a
# Chinese page the chart speaks Chinese too (config `locale`, its dictionary from dashboard.i18n)
PLOTLY_WORDS: dict[str, str] = {
    "Autoscale": "plotly_autoscale",
    "Reset axes": "plotly_reset_axes",
    "Reset view": "plotly_reset_axes",
    "Zoom": "plotly_zoom",
    "Zoom in": "plotly_zoom_in",
    "Zoom out": "plotly_zoom_out",
    "Pan": "plotly_pan",
    "Box Select": "plotly_box_select",
    "Lasso Select": "plotly_lasso_select",
    "Download plot as a png": "plotly_download_png",
    "Download plot as a PNG": "plotly_download_png",
    "Download plot": "plotly_download",
    "Toggle Spike Lines": "plotly_spikes",
    "Show closest data on hover": "plotly_hover_closest",
    "Compare data on hover": "plotly_hover_compare",
    "Double-click to zoom back out": "plotly_double_click",
    "Taking snapshot - this may take a few seconds": "plotly_snapshot_taking",
    "Snapshot succeeded": "plotly_snapshot_done",
    "Sorry, there was a problem downloading your snapshot!": "plotly_snapshot_failed",
}


def graph_config(name: str, lang: str, *, zoom: bool = True) -> Any:
    """The config of every dcc.Graph: PNG download named `name`, no cloud, link or logo, the
    toolbar in `lang`.

    `zoom=False` (maps, small static charts) leaves only the download button in the toolbar.
    A plain dict (typed Any: dcc.Graph's Config TypedDict would bring Dash into this module).
    """
    config: dict[str, Any] = {
        **PRIVATE_CONFIG,
        "toImageButtonOptions": {"format": "png", "filename": name, "scale": 2},
    }
    if lang == "zh":
        words = {phrase: t(key, lang) for phrase, key in PLOTLY_WORDS.items()}
        config["locale"] = "zh-CN"
        config["locales"] = {"zh-CN": {"dictionary": words}}
    if not zoom:
        config["modeBarButtons"] = [["toImage"]]
    return config


# a light template: plotly's named templates are deep-copied on every use, which costs more
# than drawing the figure (a callback should answer in well under 200 ms)
AXIS = {
    "gridcolor": "#e6e6e6",
    "zerolinecolor": "#d0d0d0",
    "linecolor": "#bfbfbf",
    "automargin": True,
}
BASE_LAYOUT: dict[str, Any] = {
    "paper_bgcolor": "#ffffff",
    "plot_bgcolor": "#ffffff",
    "font": {"family": FONT, "size": 13, "color": "#1a1a1a"},
    "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
    "legend": {"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
    "hoverlabel": {"font": {"family": FONT}},
}


def _layout(height: int, **layout: Any) -> dict[str, Any]:
    merged = {**BASE_LAYOUT, "height": height, **layout}
    for axis in ("xaxis", "yaxis"):
        merged[axis] = {**AXIS, **merged.get(axis, {})}
    return merged


@cache
def _template() -> dict[str, Any]:
    """plotly's default template as JSON, made once and shared (never changed): what
    `go.Figure` puts in every figure it makes, so a dict figure looks the same."""
    template: dict[str, Any] = pio.templates[pio.templates.default].to_plotly_json()
    return template


def year_axis(years: Sequence[Any], title: str) -> dict[str, Any]:
    """An x axis of whole years: a tick each year over a short span, else every five years."""
    whole = [int(float(y)) for y in years if isinstance(y, numbers.Real) and y == y]  # not NaN
    span = max(whole) - min(whole) if whole else 0
    return {"title": {"text": title}, "dtick": year_tick_step(span), "tickformat": "d"}


def _plain(traces: Sequence[Any], *, height: int, **layout: Any) -> dict[str, Any]:
    """A figure as the dict plotly.js reads: traces (dicts with their "type") and the layout."""
    return {"data": list(traces), "layout": {"template": _template(), **_layout(height, **layout)}}


def _figure(traces: Sequence[Any], *, height: int, **layout: Any) -> go.Figure:
    """One go.Figure built in one pass (adding shapes one by one is quadratic in plotly)."""
    return go.Figure(data=list(traces), layout=_layout(height, **layout))


def _scatter(**trace: Any) -> dict[str, Any]:
    return {"type": "scatter", **trace}


def _bar(**trace: Any) -> dict[str, Any]:
    return {"type": "bar", **trace}


def blank(message: str, *, height: int = 240) -> dict[str, Any]:
    """A blank figure (a plain dict) that says why it is blank."""
    return _plain(
        [],
        height=height,
        annotations=[{"text": html.escape(message), "showarrow": False, "font": {"size": 16}}],
        xaxis={"visible": False},
        yaxis={"visible": False},
    )


def empty_figure(message: str, *, height: int = 240) -> go.Figure:
    """A blank go.Figure that says why it is blank."""
    return go.Figure(blank(message, height=height))


HOVER_WIDTH = 60  # characters a hover line holds before it is wrapped


def _wrapped(text: str, width: int = HOVER_WIDTH, lines: int = 3) -> str:
    """Escaped text in lines of `width` characters (an address has no spaces to break at), at
    most `lines` of them, the last ending in … when cut."""
    chunks = [text[i : i + width] for i in range(0, len(text), width)] or [""]
    if len(chunks) > lines:
        chunks = chunks[:lines]
        chunks[-1] = chunks[-1][: width - 1] + "…"
    return "<br>".join(html.escape(c) for c in chunks)


def source_lines(note: Any, import_id: Any, derived: Any, lang: str) -> str:
    """The hover lines under a value: official or repost and the address, the import, the note.

    The note's words are data and keep their language; the words around them follow `lang`.
    """
    from targets.source_notes import note_text, parse_note

    if bool(derived) and not isinstance(derived, str):
        return html.escape(t("hover_derived", lang))
    parsed = parse_note(None if fmt.is_missing(note) else str(note))
    kind = {"official": "source_official", "repost": "source_repost", "derived": "source_derived"}
    out = [html.escape(t(kind.get(parsed.kind, "source_unstated"), lang))]
    if parsed.address:
        out.append(_wrapped(parsed.address))
    if not fmt.is_missing(import_id):
        out.append(html.escape(t("hover_import", lang, id=int(import_id))))
    if parsed.remark:
        out.append(_wrapped(t("hover_note", lang, note=note_text(parsed.remark, lang))))
    return "<br>".join(out)


def _hover(unit: str, decimals: int) -> str:
    return f"%{{fullData.name}}<br>%{{x}}: %{{y:,.{decimals}f}}{html.escape(fmt.unit_suffix(unit))}<extra></extra>"


def path_between(
    start_year: int, start: float, end_year: int, end: float
) -> tuple[list[int], list[float]]:
    """Yearly points from (start_year, start) to (end_year, end) at a constant rate of change.

    Geometric (constant growth rate, as the method's required_rate) when both ends are positive,
    else linear (the method's linear analogue).
    """
    years = list(range(int(start_year), int(end_year) + 1))
    span = int(end_year) - int(start_year)
    if span <= 0:
        return [int(start_year)], [float(start)]
    if start > 0 and end > 0:
        values = [start * (end / start) ** ((y - start_year) / span) for y in years]
    else:
        values = [start + (end - start) * (y - start_year) / span for y in years]
    values[-1] = float(end)  # exact goal/projection at the end, whatever the rounding
    return years, values


def series_figure(
    observations: pd.DataFrame,
    gaps: pd.DataFrame,
    *,
    region_names: Mapping[str, str],
    lang: str,
    decimals: int,
    unit: str,
) -> dict[str, Any]:
    """Time series per region with goal line, baseline marker, projection and required path.

    `observations`: region, year, value (one indicator). `gaps`: the gap rows of that indicator for
    one milestone (region, year, value, target, milestone_year, baseline_year, baseline_value,
    projected). Regions are drawn in the order of their first appearance in `observations`.
    """
    if observations.empty:
        return blank(t("no_data", lang), height=380)
    traces: list[Any] = []
    # columns as lists once and each region's rows by position: a frame filter per region and
    # a note parsed per point took most of the chart's time with a country's 34 default regions
    n = len(observations)
    region_col = observations["region"].tolist()
    years = observations["year"].astype(int).tolist()
    values = observations["value"].astype(float).tolist()
    notes = observations["note"].tolist() if "note" in observations else [None] * n
    imports = observations["import_id"].tolist() if "import_id" in observations else [None] * n
    derived = observations["derived"].tolist() if "derived" in observations else [False] * n
    rows_of: dict[str, list[int]] = {}
    for i, region in enumerate(region_col):
        rows_of.setdefault(region, []).append(i)
    first_gap = (
        {str(g["region"]): g for g in gaps.drop_duplicates("region").to_dict("records")}
        if not gaps.empty
        else {}
    )
    lines: dict[tuple[Any, Any, Any], str] = {}  # the same note and import, the same lines

    def source(i: int) -> str:
        key = (notes[i], imports[i], derived[i])
        if key not in lines:
            lines[key] = source_lines(*key, lang)
        return lines[key]

    hover = _hover(unit, decimals)
    for region, rows in rows_of.items():
        colour = region_colour(region)  # the region's colour on every chart and report
        name = region_names.get(region, region)
        rows = sorted(rows, key=years.__getitem__)
        traces.append(
            _scatter(
                x=[years[i] for i in rows],
                y=[values[i] for i in rows],
                mode="lines+markers",
                name=name,
                legendgroup=region,
                line={"color": colour, "width": 2.5},
                marker={"symbol": plotly_symbol(region), "size": 8},
                # each value's source, import and note under it (customdata: pre-escaped lines)
                customdata=[source(i) for i in rows],
                hovertemplate=hover.replace("<extra>", "<br>%{customdata}<extra>"),
                meta={"kind": "observed", "region": region},
            )
        )
        gap = first_gap.get(region)
        if gap is not None:
            traces += _region_paths(gap, region, name, colour, lang, hover)
    traces += _goal_lines(gaps, observations, region_names, lang, decimals, unit)
    return _plain(
        traces,
        height=440,
        hovermode="closest",
        legend={"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0, "traceorder": "normal"},
        xaxis=year_axis([x for tr in traces for x in tr.get("x", ())], t("year", lang)),
        yaxis={"title": {"text": unit}, "tickformat": f",.{decimals}f"},
    )


def _region_paths(
    row: Any, region: str, name: str, colour: str, lang: str, hover: str
) -> list[Any]:
    """Baseline marker, projection (dashed) and required path (dotted) of one region."""
    traces: list[Any] = []
    if not fmt.is_missing(row.get("baseline_value")) and not fmt.is_missing(
        row.get("baseline_year")
    ):
        traces.append(
            _scatter(
                x=[int(row["baseline_year"])],
                y=[float(row["baseline_value"])],
                mode="markers",
                name=f"{name} {t('baseline', lang)} {int(row['baseline_year'])}",
                legendgroup=region,
                showlegend=False,
                marker={
                    "symbol": "diamond-open",
                    "size": 14,
                    "color": colour,
                    "line": {"width": 2.5},
                },
                hovertemplate=hover,
                meta={"kind": "baseline", "region": region},
            )
        )
    latest_year, latest = row.get("year"), row.get("value")
    goal_year = row.get("milestone_year")
    if fmt.is_missing(latest) or fmt.is_missing(latest_year) or fmt.is_missing(goal_year):
        return traces
    if int(latest_year) >= int(goal_year):
        return traces
    for kind, end, dash, label in (
        ("projection", row.get("projected"), PROJECTION_DASH, t("projected", lang)),
        ("required", row.get("target"), REQUIRED_DASH, t("required_path", lang)),
    ):
        # a goal already met needs no path to it (the line would run away from the goal)
        if fmt.is_missing(end) or (kind == "required" and row.get("status") == "achieved"):
            continue
        xs, ys = path_between(int(latest_year), float(latest), int(goal_year), float(end))
        traces.append(
            _scatter(
                x=xs,
                y=ys,
                mode="lines",
                name=f"{name}：{label}" if lang == "zh" else f"{name}: {label}",
                legendgroup=region,
                line={"color": colour, "dash": dash, "width": 2},
                hovertemplate=hover,
                meta={"kind": kind, "region": region},
            )
        )
    return traces


def _goal_lines(
    gaps: pd.DataFrame,
    observations: pd.DataFrame,
    region_names: Mapping[str, str],
    lang: str,
    decimals: int,
    unit: str,
) -> list[Any]:
    """One horizontal goal line per distinct target (per region when the targets differ)."""
    traces: list[Any] = []
    if gaps.empty or "target" not in gaps:
        return traces
    rows = gaps.dropna(subset=["target", "milestone_year"])
    if rows.empty:
        return traces
    starts = [observations["year"].min()]
    if "baseline_year" in rows:
        starts += rows["baseline_year"].dropna().tolist()
    x0 = int(min(starts))
    shown = set(observations["region"])
    groups: list[tuple[float, int, list[str]]] = []
    for (target, year), g in rows.groupby(["target", "milestone_year"], sort=False):
        groups.append((float(target), int(year), [r for r in g["region"] if r in shown]))
    shared = len(groups) == 1
    for target, year, regions in groups:
        if not shared and not regions:
            continue
        comparator = (
            rows.loc[rows["target"] == target, "comparator"].iloc[0] if "comparator" in rows else ""
        )
        label = (
            f"{t('goal_year', lang, year=year)} {fmt.goal_text(comparator, target, decimals, unit)}"
        )
        if not shared:
            label = f"{label} ({', '.join(region_names.get(r, r) for r in regions)})"
        traces.append(
            _scatter(
                x=[x0, year],
                y=[target, target],
                mode="lines+markers",
                name=label,
                line={"color": GOAL_COLOUR, "dash": GOAL_DASH, "width": 2},
                marker={"symbol": ["line-ew", "star"], "size": [1, 14], "color": GOAL_COLOUR},
                hovertemplate=f"{html.escape(label)}<extra></extra>",
                meta={"kind": "goal", "target": target, "regions": regions},
            )
        )
    return traces


def gap_bar_figure(
    gaps: pd.DataFrame,
    *,
    region_names: Mapping[str, str],
    lang: str,
    decimals: int,
    unit: str,
) -> dict[str, Any]:
    """Horizontal bars of the gap still to go, one per region, largest on top, coloured by status.

    Rows without a gap (no data) are left out; achieved regions show a zero-length bar with text.
    """
    rows = gaps.dropna(subset=["gap"]) if "gap" in gaps else gaps.iloc[0:0]
    if rows.empty:
        return blank(t("no_data", lang), height=200)
    rows = rows.sort_values(["gap", "region"], ascending=[True, True])
    order = [region_names.get(r, r) for r in rows["region"].tolist()]
    traces: list[Any] = []
    for status in fmt.STATUS_COLOURS:
        part = rows[rows["status"] == status]
        if part.empty:
            continue
        bg, _ = fmt.status_colours(status)
        traces.append(
            _bar(
                x=part["gap"].astype(float).tolist(),
                y=[region_names.get(r, r) for r in part["region"].tolist()],
                orientation="h",
                name=fmt.status_text(status, lang),
                marker={"color": bg, "line": {"color": OUTLINE_COLOUR, "width": 1}},
                text=[
                    f"{fmt.status_symbol(status)} {fmt.number(g, decimals)} ({fmt.year_text(y)})"
                    for g, y in zip(part["gap"].tolist(), part["year"].tolist(), strict=True)
                ],
                textposition="outside",
                cliponaxis=False,
                hovertemplate=f"%{{y}}: %{{x:,.{decimals}f}}{html.escape(fmt.unit_suffix(unit))}<extra>{html.escape(fmt.status_text(status, lang))}</extra>",
                meta={"kind": "gap", "status": status},
            )
        )
    # room on the right for the text outside the longest bar
    longest = float(rows["gap"].max())
    return _plain(
        traces,
        height=max(220, 90 + 30 * len(rows)),
        barmode="overlay",
        bargap=0.35,
        yaxis={"categoryorder": "array", "categoryarray": order},
        xaxis={
            "title": {"text": f"{t('gap', lang)} ({unit})"},
            "range": [0, longest * 1.45 if longest > 0 else 1],
        },
        margin={"l": 10, "r": 20, "t": 40, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
    )


def goal_share(value: Any, target: Any, comparator: Any) -> float | None:
    """Value as a share of the goal, direction-adjusted (1.0 = goal met exactly).

    value / target for goals to reach (>=, >); target / value for goals to stay under (<=, <).
    None where that is undefined (missing, zero or negative numbers).
    """
    if fmt.is_missing(value) or fmt.is_missing(target):
        return None
    v, goal = float(value), float(target)
    if str(comparator) in ("<=", "<"):
        return goal / v if v > 0 and goal >= 0 else None
    return v / goal if goal > 0 and v >= 0 else None


BULLET_CAP = 1.5  # bars stop at 150% so one overshooting value does not squash the others
# a base-year diamond less than this (in % of the goal) short of its bar's end, or past it, would
# cover the value's label; the label is then drawn BULLET_SHIFT px past the diamond's centre (or
# the bar's end, whichever is further right)
BULLET_NEAR = 3.0
BULLET_SHIFT = 10
BULLET_AXIS = BULLET_CAP * 100 + 45  # the axis's end (%): room for the labels past the cap
# A label beside a bar ending short of the goal, or just past it, would run across the goal line
# (unreadable where they cross, worst on a projector); it is then drawn BULLET_SHIFT px past the
# line instead. Whether it would cross depends on the chart's width in pixels, which the figure
# does not know: the label's width is estimated for the narrowest plot it is drawn at on a
# desktop (a 1024 px window in English, whose long indicator names leave 530 px of plot; the
# picture download is 1100 px wide, 645 px of plot) from its characters at the 13 px font
# (6.6-6.7 px each in Chromium: digits, brackets, the status symbols).
BULLET_PLOT_PX = 520
BULLET_CHAR_PX = 7.0
BULLET_TEXT_PAD = 3  # px plotly leaves between a bar's end and its outside label


def _bullet_x(share: float) -> float:
    """Where a share of the goal is drawn on the bullet chart's axis (in %, capped)."""
    return min(share, BULLET_CAP) * 100


def _label_start(label: str, end: float, base: float | None) -> tuple[float, bool]:
    """Where (% of the goal, on the axis) the value label of a bar ending at `end` starts, and
    whether it is drawn as an annotation BULLET_SHIFT px past that point (True) or by plotly
    beside the bar's end (False). `base`: the base-year diamond's x, if any."""
    x, shifted = end, False
    if base is not None and base > end - BULLET_NEAR:
        # the base-year diamond at or past the bar's end would cover the label: the label
        # follows the diamond instead
        x, shifted = max(base, end), True
    px_per_pct = BULLET_PLOT_PX / BULLET_AXIS
    text_px = len(label) * BULLET_CHAR_PX + (BULLET_SHIFT if shifted else BULLET_TEXT_PAD)
    if x < 100 and x + text_px / px_per_pct > 100 - BULLET_NEAR:
        x, shifted = 100.0, True  # it would cross the goal line: past it instead
    elif 100 <= x < 100 + BULLET_NEAR:
        shifted = True  # just past the line: as far from it as a label past a diamond
    return x, shifted


def bullet_figure(
    gaps: pd.DataFrame,
    *,
    names: Mapping[str, str],
    decimals: Mapping[str, int],
    units: Mapping[str, str],
    lang: str,
) -> go.Figure:
    """One bullet per indicator: latest value as % of goal (bar), the goal (100%), the baseline.

    `gaps`: the gap rows of one region, in display order (first on top). Rows whose share cannot be
    computed (no value, words-only goal) are left out.
    """
    records = []
    for row in gaps.itertuples(index=False):
        share = goal_share(row.value, row.target, row.comparator)
        if share is None:
            continue
        base = goal_share(getattr(row, "baseline_value", None), row.target, row.comparator)
        if getattr(row, "baseline_year", None) == row.year:
            base = None  # a single value is its own baseline: no second marker on the bar's end
        records.append((row, share, base))
    if not records:
        return empty_figure(t("no_data", lang), height=200)
    traces: list[Any] = []
    labels = [names.get(r.indicator, r.indicator) for r, _, _ in records]
    # (row, x, label): labels drawn past a diamond or the goal line
    after: list[tuple[str, float, str]] = []
    for status in fmt.STATUS_COLOURS:
        part = [(r, s, b) for r, s, b in records if r.status == status]
        if not part:
            continue
        bg, _ = fmt.status_colours(status)
        texts, hovers = [], []
        for r, s, b in part:
            d, u = decimals.get(r.indicator, 1), units.get(r.indicator, "")
            # short beside the bar (long units would run off the chart); the whole in the hover
            label = f"{fmt.status_symbol(status)} {fmt.number(r.value, d)} ({fmt.year_text(r.year)}) · {s * 100:.0f}%"
            x, shifted = _label_start(label, _bullet_x(s), None if b is None else _bullet_x(b))
            if shifted:
                after.append((names.get(r.indicator, r.indicator), x, label))
                label = ""
            texts.append(label)
            hovers.append(
                html.escape(
                    f"{fmt.status_text(status, lang)}: {fmt.value_with_unit(r.value, d, u)} "
                    f"({fmt.year_text(r.year)}) / {fmt.goal_text(r.comparator, r.target, d, u)} "
                    f"· {s * 100:.0f}%"
                )
            )
        traces.append(
            go.Bar(
                x=[_bullet_x(s) for _, s, _ in part],
                y=[names.get(r.indicator, r.indicator) for r, _, _ in part],
                orientation="h",
                name=fmt.status_text(status, lang),
                marker={"color": bg, "line": {"color": OUTLINE_COLOUR, "width": 1}},
                text=texts,
                textposition="outside",
                # full size, as the labels drawn past a diamond are (plotly would shrink an
                # outside label to the bar's thickness)
                constraintext="inside",
                cliponaxis=False,
                customdata=hovers,
                hovertemplate="%{y}<br>%{customdata}<extra></extra>",
                meta={"kind": "share", "status": status, "share": [s for _, s, _ in part]},
            )
        )
    bases = [(names.get(r.indicator, r.indicator), b) for r, _, b in records if b is not None]
    if bases:
        traces.append(
            go.Scatter(
                x=[_bullet_x(b) for _, b in bases],
                y=[n for n, _ in bases],
                mode="markers",
                name=t("baseline", lang),
                marker={
                    "symbol": "diamond",
                    "size": 11,
                    "color": "#ffffff",
                    "line": {"color": OUTLINE_COLOUR, "width": 2},
                },
                hovertemplate=f"%{{y}}<br>{t('baseline', lang)}: %{{x:.0f}}%<extra></extra>",
                meta={"kind": "baseline"},
            )
        )
    goal_line = {
        "type": "line", "x0": 100, "x1": 100, "xref": "x", "y0": 0, "y1": 1, "yref": "paper",
        "line": {"color": GOAL_COLOUR, "width": 3},
    }  # fmt: skip
    goal_label = {
        "x": 100, "xref": "x", "y": 1, "yref": "paper", "yanchor": "bottom",
        "text": t("goal", lang), "showarrow": False,
    }  # fmt: skip
    past_diamond = [
        {"x": x, "xref": "x", "y": row, "yref": "y", "xanchor": "left", "xshift": BULLET_SHIFT,
         "text": label, "showarrow": False}
        for row, x, label in after
    ]  # fmt: skip
    return _figure(
        traces,
        height=max(260, 110 + 34 * len(records)),
        margin={"l": 10, "r": 20, "t": 40, "b": 10},
        barmode="overlay",
        bargap=0.45,
        shapes=[goal_line],
        annotations=[goal_label, *past_diamond],
        # first row on top: plotly draws the first category at the bottom
        yaxis={"categoryorder": "array", "categoryarray": labels[::-1]},
        # the ticks say "%"; the caption under the chart says of what
        xaxis={"range": [0, BULLET_AXIS], "ticksuffix": "%"},
    )


def tile_map_figure(
    tiles: pd.DataFrame,
    *,
    lang: str,
    outline: bool = True,
    tile_px: int = 70,
) -> dict[str, Any]:
    """A tile-grid map: one square per region at (col, row), coloured by status, symbol + value in it.

    `tiles`: region, name, col, row, status, label (formatted value, may be '—'), year, and for
    outlines `group` (the province id) and `group_name`. Rows grow southwards. Outlines are drawn
    along every tile edge where the neighbour belongs to another group (or is absent).
    """
    if tiles.empty:
        return blank(t("no_data", lang), height=200)
    half = 0.46
    shapes = [
        {
            "type": "rect",
            "x0": row.col - half,
            "x1": row.col + half,
            "y0": -row.row - half,
            "y1": -row.row + half,
            "fillcolor": fmt.status_colours(row.status)[0],
            "line": {"color": "#7f7f7f", "width": 1},
            "layer": "below",
        }  # fmt: skip
        for row in tiles.itertuples(index=False)
    ]
    texts, hovers, colours = [], [], []
    for row in tiles.itertuples(index=False):
        _, fg = fmt.status_colours(row.status)
        name = html.escape(str(row.name))
        # "Suzhou (Anhui)" does not fit a tile on one line
        shown = name.replace(" (", "<br>(")
        text = f"{shown}<br>{fmt.status_symbol(row.status)} {html.escape(str(row.label))}"
        has_year = "year" in tiles and not fmt.is_missing(row.year)
        if has_year:  # the latest year goes wherever a value is shown
            text += f"<br><span style='font-size:0.85em'>{fmt.year_text(row.year)}</span>"
        texts.append(text)
        when = f" ({fmt.year_text(row.year)})" if has_year else ""
        hovers.append(
            f"{name}: {html.escape(fmt.status_text(row.status, lang))} · {html.escape(str(row.label))}{when}"
        )
        colours.append(fg)
    traces: list[Any] = [
        _scatter(
            x=tiles["col"].tolist(),
            y=[-r for r in tiles["row"]],
            mode="text",
            text=texts,
            textfont={"color": colours, "size": 12 if lang == "zh" else 10},
            customdata=hovers,
            hovertemplate="%{customdata}<extra></extra>",
            showlegend=False,
            meta={
                "kind": "tiles",
                "regions": tiles["region"].tolist(),
                "statuses": tiles["status"].tolist(),
            },
        )
    ]
    # legend: one entry per status present, symbol and word
    for status in fmt.STATUS_COLOURS:
        if not (tiles["status"] == status).any():
            continue
        bg, _ = fmt.status_colours(status)
        traces.append(
            _scatter(
                x=[None], y=[None], mode="markers",
                name=fmt.status_text(status, lang),
                marker={"symbol": "square", "size": 14, "color": bg, "line": {"color": "#7f7f7f", "width": 1}},
                meta={"kind": "legend", "status": status},
            )
        )  # fmt: skip
    annotations: list[dict[str, Any]] = []
    cells: dict[Any, tuple[int, int]] = {}
    if outline and "group" in tiles:
        traces.append(_outline_trace(tiles))
        if "group_name" in tiles:
            cells = label_cells(tiles)
            # each group's name once (a row lookup per group took a tenth of a national map)
            group_names: dict[Any, Any] = {}
            for group, name in zip(tiles["group"], tiles["group_name"], strict=True):
                group_names.setdefault(group, name)
            annotations = [
                {
                    "x": col,
                    "y": -row,
                    "showarrow": False,
                    "text": f"<b>{html.escape(str(group_names[group]))}</b>",
                    "font": {"size": 14, "color": OUTLINE_COLOUR},
                }  # fmt: skip
                for group, (col, row) in cells.items()
            ]
    # the axes cover the tiles and any label written in an empty cell beyond them
    cols = tiles["col"].tolist() + [c for c, _ in cells.values()]
    rows = tiles["row"].tolist() + [r for _, r in cells.values()]
    n_rows = int(max(rows) - min(rows) + 1)
    return _plain(
        traces,
        shapes=shapes,
        annotations=annotations,
        xaxis={"visible": False, "range": [min(cols) - 0.55, max(cols) + 0.55], "fixedrange": True},
        yaxis={
            "visible": False,
            "range": [-max(rows) - 0.55, -min(rows) + 0.55],
            "scaleanchor": "x",
            "scaleratio": 1,
            "fixedrange": True,
        },  # fmt: skip
        height=int(tile_px * (n_rows + 0.6) + 90),
        margin={"l": 5, "r": 5, "t": 5, "b": 5},
        legend={"orientation": "h", "yanchor": "top", "y": 0, "x": 0},
        plot_bgcolor="#ffffff",
    )


def outline_segments(tiles: pd.DataFrame) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Edges between tiles of different groups (or a tile and the sea): ((x0, y0), (x1, y1))."""
    where = {(int(r.col), int(r.row)): r.group for r in tiles.itertuples(index=False)}
    segments: list[tuple[tuple[float, float], tuple[float, float]]] = []
    seen: set[tuple[tuple[float, float], tuple[float, float]]] = set()
    for (c, r), group in where.items():
        y = -r
        for dc, dr, seg in (
            (0, -1, ((c - 0.5, y + 0.5), (c + 0.5, y + 0.5))),  # north
            (0, 1, ((c - 0.5, y - 0.5), (c + 0.5, y - 0.5))),  # south
            (-1, 0, ((c - 0.5, y - 0.5), (c - 0.5, y + 0.5))),  # west
            (1, 0, ((c + 0.5, y - 0.5), (c + 0.5, y + 0.5))),  # east
        ):
            # a border between two groups is met from both sides: draw it once
            if where.get((c + dc, r + dr)) != group and seg not in seen:
                seen.add(seg)
                segments.append(seg)
    return segments


def _outline_trace(tiles: pd.DataFrame) -> dict[str, Any]:
    xs: list[float | None] = []
    ys: list[float | None] = []
    for (x0, y0), (x1, y1) in outline_segments(tiles):
        xs += [x0, x1, None]
        ys += [y0, y1, None]
    return _scatter(
        x=xs, y=ys, mode="lines", line={"color": OUTLINE_COLOUR, "width": 3},
        hoverinfo="skip", showlegend=False, meta={"kind": "outline"},
    )  # fmt: skip


def label_cells(tiles: pd.DataFrame) -> dict[Any, tuple[int, int]]:
    """Where to write each group's name: an empty grid cell beside the group (col, row).

    Preferred: a cell touching no other group, nearest the group's centre; a group with no empty
    neighbour gets the cell above its northernmost tile.
    """
    taken = {(int(r.col), int(r.row)): r.group for r in tiles.itertuples(index=False)}
    used: set[tuple[int, int]] = set()
    out: dict[Any, tuple[int, int]] = {}
    steps = ((0, -1), (0, 1), (-1, 0), (1, 0))
    for group, g in tiles.groupby("group", sort=False):
        cells = [(int(c), int(r)) for c, r in zip(g["col"], g["row"], strict=True)]
        cx, cy = sum(c for c, _ in cells) / len(cells), sum(r for _, r in cells) / len(cells)
        candidates = {
            (c + dc, r + dr)
            for c, r in cells
            for dc, dr in steps
            if (c + dc, r + dr) not in taken and (c + dc, r + dr) not in used
        }

        def score(
            cell: tuple[int, int], group: Any = group, cx: float = cx, cy: float = cy
        ) -> tuple:
            others = sum(
                1 for dc, dr in steps if taken.get((cell[0] + dc, cell[1] + dr), group) != group
            )
            return (others, (cell[0] - cx) ** 2 + (cell[1] - cy) ** 2, cell)

        if candidates:
            best = min(candidates, key=score)
        else:
            top = min(cells, key=lambda cell: (cell[1], cell[0]))
            best = (top[0], top[1] - 1)
        used.add(best)
        out[group] = best
    return out


def tiles_frame(
    regions: Sequence[Mapping[str, Any]],
    gaps: pd.DataFrame,
    *,
    decimals: int,
) -> pd.DataFrame:
    """Join region tile positions with one indicator's gap rows into the frame tile_map_figure takes.

    `regions`: dicts with region, name, col, row and optionally group, group_name.
    """
    # the first row of each region, as plain dicts: a group-by with a row lookup per region
    # took most of the map's time at national scale (~3,000 regions)
    # (of the regions drawn only: the gap table has every county too)
    wanted = gaps[gaps["region"].isin([reg["region"] for reg in regions])] if len(gaps) else gaps
    by_region: dict[Any, Mapping[str, Any]] = (
        {r["region"]: r for r in wanted.drop_duplicates("region").to_dict("records")}
        if not wanted.empty
        else {}
    )
    rows = []
    for reg in regions:
        gap = by_region.get(reg["region"])
        status = "no_data" if gap is None else str(gap["status"])
        value = None if gap is None else gap.get("value")
        rows.append(
            {
                **reg,
                "status": status,
                "label": fmt.number(value, decimals),
                "year": None
                if gap is None or fmt.is_missing(gap.get("year"))
                else int(gap["year"]),
            }
        )
    return pd.DataFrame(rows)


def cv_figure(spread: pd.DataFrame, *, title: str, lang: str) -> go.Figure:
    """The coefficient of variation across regions by year (targets.convergence.spread).

    A falling line is convergence. Years whose cv is undefined (mean not positive) are left out;
    the hover names the lowest and highest region of the year.
    """
    rows = spread.dropna(subset=["cv"]) if "cv" in spread else spread.iloc[0:0]
    if rows.empty:
        return empty_figure(t("no_data", lang), height=220)
    years = pd.to_numeric(rows["year"]).astype(int).tolist()
    low, high = t("lowest", lang), t("highest", lang)
    hover = [
        f"{y}: cv {float(cv):.3f}<br>{low}: {html.escape(str(lo))}<br>{high}: {html.escape(str(hi))}"
        for y, cv, lo, hi in zip(
            years, rows["cv"], rows["min_region"], rows["max_region"], strict=True
        )
    ]
    trace = go.Scatter(
        x=years,
        y=rows["cv"].astype(float).tolist(),
        mode="lines+markers",
        name="cv",
        line={"color": CV_COLOUR, "width": 2},
        marker={"symbol": "circle", "size": 8},
        hovertext=hover,
        hoverinfo="text",
        meta={"kind": "cv"},
    )
    return _figure(
        [trace],
        height=260,
        title={"text": html.escape(title), "font": {"size": 14}},
        xaxis=year_axis(years, "年份" if lang != "en" else "year"),
        yaxis={"title": {"text": "cv", "font": {"size": 12}}, "rangemode": "tozero"},
        showlegend=False,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
    )
