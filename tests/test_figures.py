"""The figure builders of dashboard/figures.py, on hand-made frames in the engine's shape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import figures
from dashboard import format as fmt

NAMES = {"anhui": "安徽", "jiangsu": "江苏", "yrd": "长三角"}


def checked(build: Callable[..., dict[str, Any]]) -> Callable[..., go.Figure]:
    """A builder of a dict figure, its answer read back through go.Figure, which rejects any
    property plotly.js does not know (a misspelt key would otherwise reach the browser)."""

    def call(*args: Any, **kwargs: Any) -> go.Figure:
        fig = build(*args, **kwargs)
        assert isinstance(fig, dict)
        return go.Figure(fig)

    return call


series_figure = checked(figures.series_figure)
gap_bar_figure = checked(figures.gap_bar_figure)
tile_map_figure = checked(figures.tile_map_figure)


def obs_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region": ["anhui"] * 4 + ["jiangsu"] * 3,
            "year": [2018, 2020, 2022, 2023, 2018, 2022, 2023],
            "value": [2.16, 2.28, 2.56, 2.69, 2.70, 3.12, 3.29],
        }
    )


def gaps_frame() -> pd.DataFrame:
    """Two regions' gap rows for a '>= 3 by 2025' goal."""
    return pd.DataFrame(
        {
            "indicator": ["rd_intensity", "rd_intensity"],
            "region": ["anhui", "jiangsu"],
            "year": [2023, 2023],
            "value": [2.69, 3.29],
            "milestone_year": [2025, 2025],
            "target": [3.0, 3.0],
            "comparator": [">=", ">="],
            "gap": [0.31, 0.0],
            "gap_pct": [0.31 / 3, 0.0],
            "baseline_year": [2018, 2018],
            "baseline_value": [2.16, 2.70],
            "projected": [2.95, 3.60],
            "status": ["moderate", "achieved"],
            "schedule_years": [-0.8, 1.5],
        }
    )


def traces(fig, kind: str, region: str | None = None) -> list:
    return [
        tr
        for tr in fig.data
        if tr.meta
        and tr.meta.get("kind") == kind
        and (region is None or tr.meta.get("region") == region)
    ]


def test_series_figure_draws_observed_goal_baseline_projection_and_required_path() -> None:
    fig = series_figure(
        obs_frame(), gaps_frame(), region_names=NAMES, lang="zh", decimals=2, unit="%"
    )
    observed = traces(fig, "observed")
    assert [tr.name for tr in observed] == ["安徽", "江苏"]
    assert list(observed[0].x) == [2018, 2020, 2022, 2023]
    assert list(observed[0].y) == pytest.approx([2.16, 2.28, 2.56, 2.69])

    (goal,) = traces(fig, "goal")
    assert list(goal.y) == [3.0, 3.0]
    assert list(goal.x) == [2018, 2025]
    assert goal.line.dash == figures.GOAL_DASH
    assert "2025" in goal.name and "≥ 3.00%" in goal.name

    (base,) = traces(fig, "baseline", "anhui")
    assert (list(base.x), list(base.y)) == ([2018], [2.16])
    assert base.marker.symbol == "diamond-open"

    (proj,) = traces(fig, "projection", "anhui")
    assert proj.line.dash == "dash"
    assert proj.x[0] == 2023 and proj.x[-1] == 2025
    assert proj.y[0] == pytest.approx(2.69) and proj.y[-1] == pytest.approx(2.95)

    (req,) = traces(fig, "required", "anhui")
    assert req.line.dash == "dot"
    assert req.y[0] == pytest.approx(2.69) and req.y[-1] == pytest.approx(3.0)
    # constant growth rate: the middle year is the geometric mean of its neighbours
    assert req.y[1] == pytest.approx((2.69 * 3.0) ** 0.5)
    # the projection and required path share the region's colour and legend group
    assert proj.line.color == req.line.color == observed[0].line.color
    assert proj.legendgroup == "anhui"


def test_series_figure_ticks_every_year_over_a_short_span_every_five_over_a_long_one() -> None:
    fig = series_figure(
        obs_frame(), gaps_frame(), region_names=NAMES, lang="en", decimals=1, unit="%"
    )
    assert fig.layout.xaxis.dtick == 1  # 2018-2025
    # a national series from 1995: a tick a year stood the labels on end, into the legend
    long = pd.DataFrame({"region": ["anhui"] * 30, "year": range(1995, 2025), "value": 2.0})
    fig = series_figure(long, gaps_frame(), region_names=NAMES, lang="en", decimals=1, unit="%")
    assert fig.layout.xaxis.dtick == 5 and fig.layout.xaxis.tickformat == "d"
    assert fig.layout.xaxis.title.text == "Year"


def test_year_axis_reads_numpy_years_and_skips_missing_ones() -> None:
    axis = figures.year_axis([np.int64(2010), float("nan"), 2030, None], "year")
    assert axis["dtick"] == 5  # 2010-2030, the NaN and None left out
    assert figures.year_axis([np.int64(2020), 2025.0], "year")["dtick"] == 1
    assert figures.year_axis([], "year")["dtick"] == 1


def test_series_figure_one_goal_line_per_region_when_targets_differ() -> None:
    gaps = gaps_frame().assign(target=[2.9, 3.1])
    fig = series_figure(obs_frame(), gaps, region_names=NAMES, lang="en", decimals=1, unit="%")
    goals = traces(fig, "goal")
    assert sorted(tr.y[0] for tr in goals) == [2.9, 3.1]
    assert {tuple(tr.meta["regions"]) for tr in goals} == {("anhui",), ("jiangsu",)}


def test_series_figure_draws_no_required_path_to_a_goal_already_met() -> None:
    fig = series_figure(
        obs_frame(), gaps_frame(), region_names=NAMES, lang="zh", decimals=2, unit="%"
    )
    # Jiangsu (3.29 >= 3) is achieved: its projection stays, the required path goes
    assert traces(fig, "required", "jiangsu") == []
    assert len(traces(fig, "projection", "jiangsu")) == 1


def test_series_figure_skips_paths_when_latest_year_reaches_the_milestone() -> None:
    gaps = gaps_frame().assign(year=[2025, 2025])
    fig = series_figure(obs_frame(), gaps, region_names=NAMES, lang="zh", decimals=2, unit="%")
    assert traces(fig, "projection") == [] and traces(fig, "required") == []


def test_series_figure_without_observations_says_no_data() -> None:
    fig = series_figure(
        obs_frame().iloc[0:0], gaps_frame(), region_names=NAMES, lang="en", decimals=2, unit="%"
    )
    assert fig.data == ()
    assert fig.layout.annotations[0].text == "No data"


def test_path_between_is_linear_when_a_value_is_not_positive() -> None:
    years, values = figures.path_between(2020, -1.0, 2024, 3.0)
    assert years == [2020, 2021, 2022, 2023, 2024]
    assert values == pytest.approx([-1.0, 0.0, 1.0, 2.0, 3.0])


def test_gap_bar_figure_orders_largest_gap_on_top_with_status_symbols() -> None:
    gaps = pd.concat(
        [
            gaps_frame(),
            pd.DataFrame(
                {"region": ["yrd"], "year": [2023], "gap": [0.5], "status": ["insufficient"]}
            ),
        ],
        ignore_index=True,
    )
    fig = gap_bar_figure(gaps, region_names=NAMES, lang="zh", decimals=2, unit="%")
    # plotly draws the first category at the bottom: the largest gap is last in the array
    assert list(fig.layout.yaxis.categoryarray) == ["江苏", "安徽", "长三角"]
    by_status = {tr.meta["status"]: tr for tr in fig.data}
    assert set(by_status) == {"achieved", "moderate", "insufficient"}
    assert list(by_status["moderate"].x) == [0.31]
    assert by_status["moderate"].text[0] == f"{fmt.status_symbol('moderate')} 0.31 (2023)"
    assert by_status["moderate"].marker.color == fmt.STATUS_COLOURS["moderate"][0]
    assert by_status["moderate"].name == fmt.status_text("moderate", "zh")


def test_gap_bar_figure_leaves_out_rows_without_gap() -> None:
    gaps = gaps_frame().assign(gap=[None, None])
    fig = gap_bar_figure(gaps, region_names=NAMES, lang="en", decimals=2, unit="%")
    assert fig.data == ()


@pytest.mark.parametrize(
    ("value", "target", "comparator", "share"),
    [
        (2.7, 3.0, ">=", 0.9),
        (35.0, 35.0, "<=", 1.0),
        (50.0, 35.0, "<=", 0.7),
        (None, 3.0, ">=", None),
    ],
)
def test_goal_share(value, target, comparator, share) -> None:
    result = figures.goal_share(value, target, comparator)
    assert result == (pytest.approx(share) if share is not None else None)


def test_bullet_figure_normalises_each_indicator_to_its_goal() -> None:
    gaps = pd.DataFrame(
        {
            "indicator": ["rd_intensity", "pm25", "words"],
            "region": ["anhui"] * 3,
            "year": [2023, 2023, None],
            "value": [2.7, 50.0, None],
            "target": [3.0, 35.0, None],
            "comparator": [">=", "<=", None],
            "baseline_value": [2.16, 70.0, None],
            "status": ["moderate", "moving_away", "no_data"],
        }
    )
    fig = figures.bullet_figure(
        gaps,
        names={"rd_intensity": "研发", "pm25": "PM2.5"},
        decimals={"rd_intensity": 2, "pm25": 0},
        units={"rd_intensity": "%", "pm25": "μg/m³"},
        lang="zh",
    )
    shares = {tr.y[0]: tr.x[0] for tr in fig.data if tr.meta["kind"] == "share"}
    assert shares == {"研发": pytest.approx(90.0), "PM2.5": pytest.approx(70.0)}
    (base,) = [tr for tr in fig.data if tr.meta["kind"] == "baseline"]
    assert dict(zip(base.y, base.x, strict=True)) == {
        "研发": pytest.approx(72.0),
        "PM2.5": pytest.approx(50.0),
    }
    # first indicator on top; the words-only row is left out
    assert list(fig.layout.yaxis.categoryarray) == ["PM2.5", "研发"]
    assert fig.layout.shapes[0].x0 == 100  # the goal line


# The narrowest plot the region page draws the bullet chart at on a desktop (a 1024 px window in
# English: 530 px for the axis's 195%), and a label's characters as Chromium draws them at 13 px
# (6.6-6.7 px each, measured): a label that fits here fits at every wider size.
NARROW_PX_PER_PCT = 530 / 195
LABEL_CHAR_PX = 6.7
GOAL_LINE_HALF_PX = 1.5  # the goal line is 3 px wide


def bullet_labels(fig: go.Figure) -> dict[str, tuple[float, float, str]]:
    """Each row's value label: where its text starts (x in % of the goal, then px right of that)
    and the text, whether plotly draws it beside the bar or it is an annotation past a point."""
    starts: dict[str, tuple[float, float, str]] = {}
    for tr in fig.data:
        if tr.meta["kind"] != "share":
            continue
        assert tr.textposition == "outside"
        for y, x, text in zip(tr.y, tr.x, tr.text, strict=True):
            if text:
                starts[y] = (x, figures.BULLET_TEXT_PAD, text)
    for note in fig.layout.annotations:
        if note.yref == "y":
            assert note.y not in starts  # a label drawn once
            assert note.xanchor == "left"
            starts[note.y] = (note.x, note.xshift, note.text)
    return starts


def bullet_rows(shares: dict[str, float], bases: dict[str, float] | None = None) -> pd.DataFrame:
    """Gap rows of goals of 10 (to reach) whose latest values are `shares` of the goal."""
    bases = bases or {}
    return pd.DataFrame(
        {
            "indicator": list(shares),
            "region": ["anhui"] * len(shares),
            "year": [2024] * len(shares),
            "value": [10 * s for s in shares.values()],
            "target": [10.0] * len(shares),
            "comparator": [">="] * len(shares),
            "baseline_value": [10 * bases[i] if i in bases else None for i in shares],
            "baseline_year": [2018] * len(shares),
            "status": ["moderate"] * len(shares),
        }
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bullet_labels_near_the_goal_start_past_the_goal_line(lang: str) -> None:
    shares = {"a": 0.95, "b": 1.0, "c": 1.04, "d": 0.85, "e": 1.01, "f": 0.3, "g": 1.3, "h": 0.1}
    fig = figures.bullet_figure(
        bullet_rows(shares),
        names={},
        decimals={i: 2 for i in shares},
        units={i: "%" for i in shares},
        lang=lang,
    )
    labels = bullet_labels(fig)
    assert set(labels) == set(shares)
    assert [s.x0 for s in fig.layout.shapes] == [100]  # the goal line
    for row, (x, shift, text) in labels.items():
        assert "(2024)" in text and text.startswith(fmt.status_symbol("moderate") + " ")
        start_px = (x - 100) * NARROW_PX_PER_PCT + shift  # from the goal line's centre
        end_px = start_px + len(text) * LABEL_CHAR_PX
        # past the line, clear of it by a label's margin; or ending short of it, even narrow
        assert start_px >= GOAL_LINE_HALF_PX + figures.BULLET_SHIFT - 2 or end_px < 0, (row, x)
    # bars ending near the goal (85-104%): the label starts past the goal line
    for row in "abcde":
        x, shift, _ = labels[row]
        assert x >= 100 and (x - 100) * NARROW_PX_PER_PCT + shift >= 8, row
    assert labels["a"][:2] == (100, figures.BULLET_SHIFT)  # 95%: moved past the line
    assert labels["b"][:2] == (100, figures.BULLET_SHIFT)
    assert labels["e"][:2] == (pytest.approx(101), figures.BULLET_SHIFT)  # as a diamond's label
    # far from the goal the label stays beside its bar, where plotly draws it
    assert labels["c"][:2] == (pytest.approx(104), figures.BULLET_TEXT_PAD)
    assert labels["f"][:2] == (pytest.approx(30), figures.BULLET_TEXT_PAD)
    assert labels["g"][:2] == (pytest.approx(130), figures.BULLET_TEXT_PAD)
    assert labels["h"][:2] == (pytest.approx(10), figures.BULLET_TEXT_PAD)


def test_bullet_label_past_a_diamond_near_the_goal_also_clears_the_goal_line() -> None:
    # a diamond just short of the goal: the label would follow it across the line; a diamond
    # past the goal: the label follows it as before; a diamond inside a short bar changes nothing
    shares = {"a": 0.6, "b": 0.8, "c": 0.2}
    fig = figures.bullet_figure(
        bullet_rows(shares, bases={"a": 0.98, "b": 1.2, "c": 0.1}),
        names={},
        decimals={i: 1 for i in shares},
        units={},
        lang="zh",
    )
    labels = bullet_labels(fig)
    assert labels["a"][:2] == (100, figures.BULLET_SHIFT)
    assert labels["b"][:2] == (pytest.approx(120), figures.BULLET_SHIFT)
    assert labels["c"][:2] == (pytest.approx(20), figures.BULLET_TEXT_PAD)


def tiles() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region": ["a1", "a2", "b1"],
            "name": ["甲一", "甲二", "乙<一>"],
            "col": [0, 1, 1],
            "row": [0, 0, 1],
            "group": ["a", "a", "b"],
            "group_name": ["甲", "甲", "乙"],
            "status": ["achieved", "no_data", "moving_away"],
            "label": ["1.0", "—", "2.0"],
            "year": [2023, None, 2022],
        }
    )


def test_tile_map_draws_one_square_per_tile_coloured_by_status() -> None:
    fig = tile_map_figure(tiles(), lang="zh")
    rects = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(rects) == 3
    assert [r.fillcolor for r in rects] == [
        fmt.STATUS_COLOURS[s][0] for s in ("achieved", "no_data", "moving_away")
    ]
    # row 1 is drawn south of row 0
    assert rects[2].y0 < rects[0].y0
    (text,) = [tr for tr in fig.data if tr.meta["kind"] == "tiles"]
    assert text.text[0] == (
        f"甲一<br>{fmt.status_symbol('achieved')} 1.0<br><span style='font-size:0.85em'>2023</span>"
    )
    assert text.text[1] == f"甲二<br>{fmt.status_symbol('no_data')} —"  # no value, no year
    # names are escaped: plotly's text markup never sees a tag from the data
    assert text.text[2].startswith("乙&lt;一&gt;")
    assert list(text.textfont.color) == [
        fmt.STATUS_COLOURS[s][1] for s in ("achieved", "no_data", "moving_away")
    ]
    legend = [tr.meta["status"] for tr in fig.data if tr.meta["kind"] == "legend"]
    assert legend == ["achieved", "moving_away", "no_data"]
    assert [a.text for a in fig.layout.annotations] == ["<b>甲</b>", "<b>乙</b>"]


def test_outline_segments_follow_group_borders() -> None:
    segments = figures.outline_segments(tiles())
    # a1+a2 form a 2x1 block (6 outer edges), b1 is alone (4 edges), one edge shared
    assert len(segments) == 9
    # the edge between a2 (1,0) and b1 (1,1) is drawn once
    assert segments.count(((0.5, -0.5), (1.5, -0.5))) == 1


def test_tiles_frame_marks_regions_without_rows_as_no_data() -> None:
    frame = figures.tiles_frame(
        [
            {"region": "anhui", "name": "安徽", "col": 0, "row": 0},
            {"region": "x", "name": "X", "col": 1, "row": 0},
        ],
        gaps_frame(),
        decimals=2,
    )
    assert frame["status"].tolist() == ["moderate", "no_data"]
    assert frame["label"].tolist() == ["2.69", "—"]
    assert frame["year"].tolist()[0] == 2023


def test_status_colours_are_readable() -> None:
    """WCAG AA: every status's text colour on its background has contrast >= 4.5."""
    for status, (bg, fg) in fmt.STATUS_COLOURS.items():
        assert fmt.contrast_ratio(bg, fg) >= 4.5, status


def test_number_formatting() -> None:
    assert fmt.number(1234.5, 1) == "1,234.5"
    assert fmt.number(float("nan"), 2) == "—"
    assert fmt.number(None) == "—"
    assert fmt.number(-0.001, 2) == "0.00"
    assert fmt.value_with_unit(2.694, 2, "%") == "2.69%"
    assert fmt.value_with_unit(35, 0, "微克/立方米") == "35 微克/立方米"
    assert fmt.percent(0.823) == "82%"


# ---------------------------------------------------------------- the chart toolbar

# what plotly.js would otherwise offer: "Share chart"/"Edit in Chart Studio" uploads the chart's
# data to a third-party cloud, the logo and the link go to plotly.com
CLOUD_OFF = {
    "displaylogo": False,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "showLink": False,
}


def test_graph_config_offers_no_cloud_link_or_logo_and_keeps_the_download() -> None:
    for zoom in (True, False):
        config = figures.graph_config("rd_intensity-series", "en", zoom=zoom)
        assert {k: config[k] for k in CLOUD_OFF} == CLOUD_OFF
        assert config["plotlyServerURL"] == "" and "linkText" not in config
        assert {"sendChartToCloud", "sendDataToCloud"} <= set(config["modeBarButtonsToRemove"])
        assert config["toImageButtonOptions"]["filename"] == "rd_intensity-series"
        assert config.get("displayModeBar", "hover") is not False
    assert figures.graph_config("x", "en", zoom=False)["modeBarButtons"] == [["toImage"]]


def test_the_chart_toolbar_speaks_the_pages_language() -> None:
    """plotly.js names its buttons in English; a Chinese page's charts get its Chinese words."""
    zh = figures.graph_config("x", "zh")
    assert zh["locale"] == "zh-CN"
    words = zh["locales"]["zh-CN"]["dictionary"]
    assert words["Download plot as a PNG"] == "下载图片（PNG）" and words["Zoom in"] == "放大"
    assert "locale" not in figures.graph_config("x", "en")


def test_every_graph_of_every_page_uses_the_one_config(tmp_path: Any, monkeypatch: Any) -> None:
    """Each page's layout, in both languages, rendered and walked for dcc.Graph components."""
    import dash
    from dash import dcc
    from dash.development.base_component import Component

    from dashboard.app import create_app
    from tests.fixtures import build_fixture_db

    monkeypatch.setenv("TARGETS_SECRET_KEY", "test-secret-key-0123456789abcdef")
    app = create_app(build_fixture_db(f"sqlite:///{tmp_path / 'targets.db'}"))
    params = {"indicator_id": "rd_intensity", "region_id": "anhui"}

    def graphs(node: Any) -> list[Any]:
        if isinstance(node, list | tuple):
            return [g for child in node for g in graphs(child)]
        if not isinstance(node, Component):
            return []
        found = [node] if isinstance(node, dcc.Graph) else []
        return found + graphs(getattr(node, "children", None))

    seen = set()
    with app.server.test_request_context("/"):
        for page in dash.page_registry.values():
            template = page.get("path_template") or ""
            args = {k: v for k, v in params.items() if f"<{k}>" in template}
            for lang in ("zh", "en"):
                for graph in graphs(page["layout"](lang=lang, **args)):
                    config = graph.config
                    assert {k: config.get(k) for k in CLOUD_OFF} == CLOUD_OFF, graph.id
                    assert config == figures.graph_config(
                        config["toImageButtonOptions"]["filename"],
                        lang,
                        zoom="modeBarButtons" not in config,
                    ), graph.id
                    seen.add(graph.id)
    # the pages that draw charts: indicator (two), region, map (two), assessment
    assert len(seen) >= 6, seen


def test_a_region_keeps_its_colour_and_marker_whatever_else_is_shown() -> None:
    """Anhui is drawn alike alone, after Jiangsu, and in the report's SVG chart."""
    from targets.region_style import REGION_STYLES, region_style
    from targets.reports.model import IndicatorDetail
    from targets.reports.svg import Line, line_chart

    obs = obs_frame()

    def anhui(frame: pd.DataFrame) -> tuple[str, str]:
        fig = series_figure(
            frame, pd.DataFrame(), region_names=NAMES, lang="zh", decimals=2, unit="%"
        )
        (trace,) = [t for t in fig.data if t.meta["region"] == "anhui"]
        return trace.line.color, trace.marker.symbol

    alone = anhui(obs[obs["region"] == "anhui"])
    second = anhui(pd.concat([obs[obs["region"] == "jiangsu"], obs[obs["region"] == "anhui"]]))
    assert alone == second == ("#D55E00", "x")
    assert region_style("anhui") == REGION_STYLES["anhui"] == ("#D55E00", "cross")
    # the provinces and the whole region: seven distinct colours
    assert len({c for c, _ in REGION_STYLES.values()}) == len(REGION_STYLES)
    # a city keeps one style too
    assert region_style("hefei") == region_style("hefei")
    lines = [
        Line("江苏", "jiangsu", ((2018, 2.7, False), (2023, 3.3, False)), projected=None),
        Line("安徽", "anhui", ((2018, 2.2, False), (2023, 2.7, False)), projected=None),
    ]
    detail = IndicatorDetail(
        id="x", name="X", unit="%", category="科创产业", decimals=1, direction="higher_is_better",
        goal_text="", sources=(), rows=pd.DataFrame(), series=pd.DataFrame(), regions=("a",),
    )  # fmt: skip
    svg = line_chart(detail, lines, [], 2025, title="t")
    assert 'stroke="#D55E00"' in svg and 'stroke="#009E73"' in svg
