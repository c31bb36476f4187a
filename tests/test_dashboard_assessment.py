"""The assessment page (/assessment) without a browser, and its cv figure."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pandas as pd
import pytest
from dash import html

from dashboard import figures, ids
from dashboard.app import create_app
from dashboard.pages import assessment as page
from dashboard.pages import overview as overview_page
from tests.fixtures import add_value, build_fixture_db
from tests.test_dashboard_callbacks import find, text, walk


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TARGETS_SECRET_KEY", "test-secret-key-0123456789abcdef")


@pytest.fixture
def tracker(tmp_path: Path) -> Any:
    return build_fixture_db(f"sqlite:///{tmp_path / 'targets.db'}")


@pytest.fixture
def ctx(tracker: Any) -> Iterator[None]:
    app = create_app(tracker)
    with app.server.test_request_context("/"):
        yield


def _rows(node: Any) -> list[html.Tr]:
    return [c for c in walk(node) if isinstance(c, html.Tr)]


def test_page_is_registered(ctx: None) -> None:
    assert "/assessment" in {p["path"] for p in dash.page_registry.values()}


def test_final_table_has_one_row_per_goal_with_verdict_in_words(tracker: Any, ctx: None) -> None:
    layout = page.layout(lang="en", milestone="2025")
    final = find(layout, ids.ASSESSMENT_FINAL + "-table")
    body = _rows(final)[1:]  # the header row first
    assert len(body) == len(tracker.assessment(2025, "en"))
    anhui = next(r for r in body if "Anhui" in text(r) and "R&D" in text(r))
    cells = [text(c) for c in anhui.children]
    # symbol and word, not colour only; Anhui is compared with the delta's goal, and says so
    assert "… pending ※ benchmark: the plan sets this goal for Yangtze River Delta" in cells
    assert "2.69% of GDP (2023)" in cells  # pending: the latest value, with its year
    assert "test fixture (not published statistics)" in cells


def test_convergence_table_and_cv_figure_for_rd_intensity(tracker: Any, ctx: None) -> None:
    layout = page.layout(lang="en", indicator="rd_intensity")
    conv = text(find(layout, ids.ASSESSMENT_CONVERGENCE + "-table"))
    assert "narrowing" in conv
    graph = find(layout, ids.ASSESSMENT_CV_GRAPH)
    (trace,) = graph.figure.data
    spread = tracker.spread("rd_intensity")
    assert list(trace.x) == spread.dropna(subset=["cv"])["year"].astype(int).tolist()
    assert trace.y[0] > trace.y[-1]  # narrowing: the cv falls


def test_methods_table_says_disagreement_in_words(tracker: Any, ctx: None) -> None:
    frame = tracker.methods(2025)
    frame = frame[frame["status_ratio"] != "no_data"]
    # its own request, on the first paint as on a change of the controls
    assert "Updating…" in text(find(page.layout(lang="en"), ids.ASSESSMENT_METHODS))
    rows = _rows(html.Div(page.update_methods("2025", None, None, "?lang=en")))[1:]
    assert len(rows) == len(frame)
    n_disagree = int(frame["agree"].eq(False).fillna(False).sum())
    marked = [r for r in rows if "⚠ disagree" in text(r)]
    assert len(marked) == n_disagree
    assert all("disagree" in getattr(r, "className", "") for r in marked)


def test_update_callback_follows_the_milestone(ctx: None) -> None:
    final, fig, meta, search, parts, part = page.update(
        2025, "rd_intensity", None, None, "?lang=zh"
    )
    assert meta["spec"] == {"kind": "spread", "indicator": "rd_intensity", "level": "province"}
    assert search == "?milestone=2025&indicator=rd_intensity&scope=all&lang=zh"
    assert "2025年目标实现情况" in text(final)
    assert fig.data[0].meta == {"kind": "cv"}


def _regions_in(tracker: Any, node: Any) -> set[str]:
    names = {tracker.regions.name(r.id, "en"): r.id for r in tracker.regions}
    return {names[text(r.children[1])] for r in _rows(node)[1:]}


def test_a_table_too_long_to_read_shows_provinces_first_and_drills_down(
    tracker: Any, ctx: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    cities = pd.DataFrame(
        {
            "indicator": "rd_intensity",
            "region": ["hefei", "wuhu", "nanjing", "suzhou_js"],
            "year": 2025,
            "value": [3.9, 2.9, 3.7, 4.1],
            "unit": "%",
        }
    )
    cities = cities[cities["region"].isin({r.id for r in tracker.regions})]
    tracker.store.write_import(cities, file_name="cities.csv", sha256="c" * 64)
    frame = tracker.assessment(2025, "en")
    levels = {r.id: r.level for r in tracker.regions}
    top = frame[frame["region"].map(levels).isin(page.TOP_LEVELS)]
    assert 0 < len(top) < len(frame)  # the fixture has city rows to hide
    monkeypatch.setattr(page, "MAX_TABLE_ROWS", len(frame) - 1)
    layout = page.layout(lang="en", milestone="2025")
    assert find(layout, page.ids.ASSESSMENT_SCOPE).value == page.SCOPE_TOP
    final = find(layout, page.ids.ASSESSMENT_FINAL + "-table")
    shown = _regions_in(tracker, final)
    assert shown == set(top["region"])
    assert all(levels[r] in page.TOP_LEVELS for r in shown)
    # one province: it, its cities and their counties, nothing of another province
    final, _fig, _meta, search, _parts, _part = page.update(
        2025, "rd_intensity", "anhui", None, "?lang=en"
    )
    shown = _regions_in(tracker, final)
    inside = tracker.regions.within(["anhui"])
    methods = _regions_in(tracker, html.Div(page.update_methods(2025, "anhui", None, "?lang=en")))
    assert methods and methods <= inside
    assert shown and shown <= inside and "jiangsu" not in shown
    assert shown == set(frame.loc[frame["region"].isin(inside), "region"])
    assert "scope=anhui" in search


def test_rows_past_the_bound_are_cut_with_a_sentence_saying_so(
    tracker: Any, ctx: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    total = len(tracker.assessment(2025, "en"))
    monkeypatch.setattr(page, "MAX_TABLE_ROWS", 3)
    final = page.final_table(tracker, 2025, "en", page.SCOPE_ALL)
    assert len(_rows(final)) == 1 + 3
    assert f"{total:,} rows: the first 3 are shown" in text(final)


def test_overview_behind_list_uses_the_pace_text(tracker: Any, ctx: None) -> None:
    behind = find(overview_page.layout(lang="en"), ids.OVERVIEW_BEHIND)
    paces = tracker.behind_schedule(2025, "en")["pace"].tolist()
    items = [text(c) for c in walk(behind) if isinstance(c, html.Li)]
    assert len(items) == len(paces) > 0
    for item, pace in zip(items, paces, strict=True):
        assert pace in item


def test_cv_figure_draws_cv_by_year_and_names_extremes() -> None:
    spread = pd.DataFrame(
        {
            "year": [2018, 2019, 2020],
            "cv": [0.30, float("nan"), 0.20],
            "min_region": ["anhui", "anhui", "anhui"],
            "max_region": ["shanghai", "shanghai", "shanghai"],
        }
    )
    fig = figures.cv_figure(spread, title="R&D", lang="en")
    (trace,) = fig.data
    assert list(trace.x) == [2018, 2020] and list(trace.y) == [0.30, 0.20]
    assert "lowest: anhui" in trace.hovertext[0] and "highest: shanghai" in trace.hovertext[1]
    empty = figures.cv_figure(spread.iloc[0:0], title="x", lang="en")
    assert not empty.data


def test_history_shows_the_warnings_stored_with_an_import(tracker: Any, ctx: None) -> None:
    from dashboard.pages import history
    from targets.ingest import import_files

    data = "地区,指标,年份,数值\n安徽,研发投入强度,2024,3.05\n".encode()
    result = import_files(
        tracker.store, tracker.catalogue, tracker.regions, [("a.csv", data)], lang="en"
    )
    (fr,) = result.report.files
    assert fr.warnings and tracker.store.get_import(fr.import_id).warnings == fr.warnings
    shown = text(history.imports_table(tracker.store.imports(), False, "en"))
    assert f"{len(fr.warnings)} warning(s)" in shown and fr.warnings[0].en in shown
    # the same import on the Chinese page: its warnings in Chinese, though imported in English
    shown = text(history.imports_table(tracker.store.imports(), False, "zh"))
    assert f"{len(fr.warnings)} 条提示" in shown and fr.warnings[0].zh in shown
    assert fr.warnings[0].en not in shown


def test_contribution_section_on_the_bundled_data(tmp_path: Path) -> None:
    from targets.bundled import ensure_bundled
    from targets.tracker import Tracker

    tr = Tracker(db_url=f"sqlite:///{tmp_path / 'bundled.db'}")
    ensure_bundled(tr)
    app = create_app(tr)
    with app.server.test_request_context("/assessment"):
        frames = {ind: (year, frame) for ind, year, frame in tr.regional_contributions()}
        # R&D: 2023 lacks provincial R&D expenditure; 2020 has every component
        year, rd = frames["rd_intensity"]
        assert year == 2020
        total = rd.set_index("region").loc["yrd"]
        assert total["derived_value"] == pytest.approx(
            (1615.7 + 3005.9 + 1859.9 + 883.2) / (41603.9 + 104566.6 + 67164.5 + 38628.8) * 100
        )
        # PCT applications (a count with a regional goal): shares of the 2023 total 18,997
        year, pct = frames["pct_applications"]
        assert year == 2023
        shares = pct.set_index("region")["share_of_total"]
        assert shares["anhui"] == pytest.approx(1901 / 18997)
        table = page.contribution_table(tr, "en")
        assert "Share of the total: 10.0%" in text(table)
        assert "R&D intensity (2020)" in text(table)


def test_no_contribution_shown_for_a_goal_the_region_meets(tmp_path: Path) -> None:
    from targets.bundled import ensure_bundled
    from targets.tracker import Tracker

    tr = Tracker(db_url=f"sqlite:///{tmp_path / 'bundled.db'}")
    ensure_bundled(tr)
    shown = {ind for ind, _, _ in tr.regional_contributions()}
    # 2024: Σ urban / Σ resident population = 73.7% >= 70%: met, nothing to attribute
    assert "urbanization_rate" not in shown
    # 2020 R&D from components: 7364.7 / 251963.8 = 2.92% < 3%: a gap, attributed
    assert "rd_intensity" in shown


def test_drafted_paragraphs_are_the_draft_models_each_with_a_copy_button(
    tracker: Any, ctx: None
) -> None:
    from targets.reports.drafting import draft_assessment

    layout = page.layout(lang="zh", milestone="2025")
    assert text(find(layout, ids.ASSESSMENT_DRAFT)) == "更新中…"  # its own request fills it
    shown, parts, part = page.update_draft("2025", None, "?lang=zh")
    assert part == page.PART_ALL and parts[0]["value"] == page.PART_ALL  # short: all at once
    section = html.Div(shown)
    paragraphs = [c for c in walk(section) if isinstance(c, html.P) and isinstance(c.id, dict)]
    draft = draft_assessment(tracker, 2025, "zh")
    assert [(p.id["key"], p.children) for p in paragraphs] == [
        (p.key, p.text) for p in draft.paragraphs()
    ]
    buttons = [c for c in walk(section) if isinstance(c, html.Button)]
    assert [b.id for b in buttons] == [
        {"type": ids.ASSESSMENT_COPY, "key": p.key} for p in draft.paragraphs()
    ]
    rd = next(b for b in buttons if b.id["key"] == "goal:rd_intensity")
    assert getattr(rd, "aria-label") == "复制这一段：研发投入强度"
    # the milestone select redraws the text in the page's language
    redrawn, _parts, _part = page.update_draft("2025", page.PART_ALL, "?lang=en")
    assert text(html.Div(redrawn)).startswith("Summary")


def _count(node: Any, kind: str) -> int:
    """Components of type `kind` in a callback's JSON answer."""
    if isinstance(node, list):
        return sum(_count(n, kind) for n in node)
    if isinstance(node, dict):
        own = 1 if node.get("type") == kind and "props" in node else 0
        return own + sum(_count(v, kind) for v in node.values())
    return 0


def test_at_national_size_each_assessment_response_stays_bounded(national_tracker: Any) -> None:
    """Synthetic national data (31 provinces, 136 cities, 30 years): the page's first paint,
    its methods table and its drafted text come in separate answers, each under 1 MB, the tables
    at most MAX_TABLE_ROWS rows, the drafted text one part at a time."""
    import json

    from bench.national import national_calls
    from tests.conftest import national_client

    tr = national_tracker
    app = create_app(tr)
    post = national_client(app)
    calls = {c.label: c.body for c in national_calls(app, tr) if "/assessment" in c.label}
    assert len(calls) == 5  # the page, its controls, a province drilled down, methods, text
    sizes = {}
    for label, body in calls.items():
        answer = post(body)
        sizes[label] = len(answer.data)
        shown = json.loads(answer.data)
        assert _count(shown, "Tr") <= 1 + page.MAX_TABLE_ROWS + 1, label  # head, rows, caption
    assert max(sizes.values()) < 1_000_000, sizes
    paragraphs = tr.draft(2025, "zh")
    assert paragraphs["text"].str.len().sum() > page.DRAFT_MAX_CHARS  # too long to show whole
    with app.server.test_request_context("/assessment"):
        shown, parts, part = page.update_draft(2025, None, "?lang=zh")
    assert part == page.PART_OVERVIEW and page.PART_ALL not in [p["value"] for p in parts]
    overview = paragraphs[paragraphs["kind"].isin(["summary", "area"])]
    assert len(shown) == len(overview)
    # every paragraph is in exactly one area part, or in the overview
    areas = [p["value"] for p in parts if p["value"].startswith(page.PART_AREA)]
    keys = [k for a in areas for k in page.draft_part(paragraphs, a)["key"]]
    goals = paragraphs.loc[paragraphs["kind"] != "summary", "key"].tolist()
    assert sorted(keys) == sorted(goals)


def test_a_provisional_verdict_is_worded_as_on_the_region_page_in_both_languages(
    tracker: Any, ctx: None
) -> None:
    """Anhui's 2025 urbanization 62 is approximate: the assessment page words its verdict with
    targets.provenance's provisional_words, the words of the region page; final rows carry
    none."""
    from dashboard.pages import region as region_page

    add_value(
        tracker, "urbanization_rate", "anhui", 2025, 62.0, sha="8", flag="approx",
        note="test fixture (not published statistics)",
    )  # fmt: skip
    words = {
        "zh": "初步（约数）：约数（左右/超过/突破），实际值经取整或只给出界限（2025年数值）",
        "en": "provisional (approximate): an approximate figure (左右/超过/突破): the outturn "
        "rounded or bounded (2025 value)",
    }
    names = {
        "zh": ("安徽", "常住人口城镇化率"),
        "en": ("Anhui", "Urbanization rate of the resident population"),
    }
    for lang in ("zh", "en"):
        final = find(page.layout(lang=lang, milestone="2025"), ids.ASSESSMENT_FINAL + "-table")
        region, goal = names[lang]
        by_row = {(text(r.children[0]), text(r.children[1])): r for r in _rows(final)[1:]}
        verdict = by_row[(goal, region)].children[4]
        marks = [c for c in walk(verdict) if "verdict-provisional" in getattr(c, "className", "")]
        assert [text(m) for m in marks] == [words[lang]]
        assert verdict.title.endswith(("——" if lang == "zh" else " — ") + words[lang])
        others = [r for k, r in by_row.items() if k != (goal, region)]
        assert others and not any(words[lang] in text(r) for r in others)
    table = find(region_page.layout(region_id="anhui", lang="zh", milestone="2025"),
                 ids.REGION_GOALS)  # fmt: skip
    assert words["zh"] in text(table)


def test_at_national_size_the_final_table_is_shown_one_area_at_a_time(
    national_tracker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Synthetic national data: the provinces-and-above table (31 provinces, the delta and its
    zones × 30 goals) is past TABLE_PART_ROWS, so it comes one area of goals at a time, chosen
    under a labelled select; the page says how many rows there are and which are shown; the
    parts hold every row once; an answer carries one area's rows only."""
    from urllib.parse import parse_qs

    import dash_bootstrap_components as dbc

    from bench.national import national_calls
    from targets import assessment
    from targets.display import category_name
    from tests.conftest import national_client

    tr = national_tracker
    app = create_app(tr)
    levels = {r.id: r.level for r in tr.regions}
    frame = tr.assessment(2025, "en")
    top = frame[frame["region"].map(levels).isin(page.TOP_LEVELS)]
    assert page.TABLE_PART_ROWS < len(top) <= page.MAX_TABLE_ROWS
    areas = assessment.areas(tr.catalogue, top)
    assert len(areas) > 1
    with app.server.test_request_context("/assessment"):
        layout = page.layout(lang="en", milestone="2025")
        select = find(layout, ids.ASSESSMENT_TABLE_PART)
        values = [o["value"] for o in select.options]
        assert values == [page.PART_AREA + a for a in areas] and select.value == values[0]
        label = next(
            c for c in walk(layout)
            if isinstance(c, dbc.Label) and c.html_for == ids.ASSESSMENT_TABLE_PART
        )  # fmt: skip
        assert text(label) == "Part of the table shown"
        first = assessment.in_area(tr.catalogue, top, areas[0])
        assert select.options[0]["label"] == f"{category_name(areas[0], 'en')} ({len(first)} rows)"
        final = find(layout, ids.ASSESSMENT_FINAL)
        assert len(_rows(final)) == 1 + len(first)
        assert (
            f"The table has {len(top):,} rows; shown: “{category_name(areas[0], 'en')}”, "
            f"{len(first):,} rows." in text(final)
        )
        seen = 0
        for value, area in zip(values, areas, strict=True):
            shown, _fig, _meta, search, parts, part = page.update(
                2025, "rd_intensity", None, value, "?lang=en"
            )
            assert part == value and parse_qs(search[1:])["table"] == [value]
            assert [p["value"] for p in parts] == values
            want = assessment.in_area(tr.catalogue, top, area)
            goals = {page._ind_name(tr, i, "en") for i in want["indicator"]}
            body = _rows(html.Div(shown))[1:]
            assert len(body) == len(want) and {text(r.children[0]) for r in body} == goals
            seen += len(body)
        assert seen == len(top)
        # the methods table compares the rows of the part shown, and says so
        methods = tr.methods(2025)
        methods = methods[methods["region"].isin(set(top["region"]))]
        methods = methods[methods["status_ratio"] != "no_data"]
        second = assessment.in_area(tr.catalogue, methods, areas[1])
        assert 0 < len(second) < len(methods)
        compared = html.Div(page.update_methods(2025, None, values[1], "?lang=en"))
        goals = {page._ind_name(tr, i, "en") for i in second["indicator"]}
        body = _rows(compared)[1:]
        assert len(body) == len(second) and {text(r.children[0]) for r in body} == goals
        assert (
            f"The comparison has {len(methods):,} rows; shown, as above under “Part of the table "
            f"shown”: “{category_name(areas[1], 'en')}”, {len(second):,} rows." in text(compared)
        )
        # a province drilled down keeps the area chosen
        *_, parts, part = page.update(2025, "rd_intensity", "syn_p01", values[1], "?lang=en")
        assert part == values[1]
    # real answers through the app: the first part against the whole table of the same call
    post = national_client(app)
    (body,) = [
        c.body for c in national_calls(app, tr) if c.label.endswith("milestone/indicator callback")
    ]
    part_answer = post(body).data
    monkeypatch.setattr(page, "TABLE_PART_ROWS", len(top))  # the whole table at once
    whole_answer = post(body).data
    assert _count(json.loads(whole_answer), "Tr") == 1 + len(top)
    assert _count(json.loads(part_answer), "Tr") == 1 + len(first)
    assert len(part_answer) < len(whole_answer) * (len(first) + 50) / len(top)


def test_an_area_too_long_for_one_answer_is_shown_one_goal_at_a_time(
    national_tracker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 10 M values each goal's paragraph names a country's every benchmark county, and one
    area's paragraphs could pass 1 MB: an area past DRAFT_PART_MAX_CHARS comes one goal at a
    time, each paragraph still in exactly one part, whole (the Word document keeps the same
    text). Here the bound is lowered to just below the longest area of the synthetic data."""
    tr = national_tracker
    paragraphs = tr.draft(2025, "zh")
    goals = paragraphs[paragraphs["kind"] == "goal"]
    size = goals.groupby("area", sort=False)["text"].apply(lambda x: int(x.str.len().sum()))
    big = str(size.idxmax())
    assert size[big] > size.min()  # the areas differ: some split, some do not
    assert size[big] <= page.DRAFT_PART_MAX_CHARS  # at this size every area is one part
    monkeypatch.setattr(page, "DRAFT_PART_MAX_CHARS", int(size[big]) - 1)
    app = create_app(tr)
    with app.server.test_request_context("/assessment"):
        _, parts, first = page.update_draft(2025, None, "?lang=zh")
        values = [p["value"] for p in parts]
        assert first == page.PART_OVERVIEW and page.PART_AREA + big not in values
        own = goals.loc[goals["area"] == big, "key"].tolist()
        assert len(own) > 1 and [v for v in values if v.startswith(page.PART_GOAL)] == own
        # every goal's paragraph in exactly one part, whole
        shown_in = [page.draft_part(paragraphs, v) for v in values[1:]]
        keys = [k for p in shown_in for k in p.loc[p["kind"] == "goal", "key"]]
        assert sorted(keys) == sorted(goals["key"])
        for key in own:
            shown, _parts, part = page.update_draft(2025, key, "?lang=zh")
            (paragraph,) = [c for c in walk(html.Div(shown)) if getattr(c, "id", None) ==
                            {"type": ids.ASSESSMENT_COPY_TEXT, "key": key}]  # fmt: skip
            assert part == key and paragraph.children == goals.set_index("key").loc[key, "text"]
            label = next(p["label"] for p in parts if p["value"] == key)
            heading = goals.set_index("key").loc[key, "heading"]
            area_title = goals.set_index("key").loc[key, "area_title"]
            assert label == f"{area_title} · {heading}"
    # each goal's answer is a part of what the area's answer was while it fitted the budget
    post = national_client_for(app)
    goal_answers = [post(key) for key in own]
    monkeypatch.setattr(page, "DRAFT_PART_MAX_CHARS", int(size[big]))
    area_answer = post(page.PART_AREA + big)
    assert sum(goal_answers) > area_answer > max(goal_answers) * 2


def national_client_for(app: Any) -> Any:
    """The size in bytes of the drafted-text answer for a part, through the app's endpoint."""
    from bench.national import _callback_body
    from tests.conftest import national_client

    post = national_client(app)

    def size(part: str) -> int:
        body = _callback_body(
            app,
            "assessment-draft.children",
            {"assessment-milestone.value": 2025, "assessment-draft-part.value": part,
             "_pages_location.search": "?lang=zh"},
        )  # fmt: skip
        return len(post(body).data)

    return size
