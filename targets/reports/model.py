"""The one report model every format renders: built once from the tracker, then frozen.

The numbers come from `Tracker.gaps` (the same frame as the dashboard and `targets gaps`); this
module only selects, orders and words them. Writers never compute: they lay out a `Report`.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import pandas as pd

from targets import roles, statuses, verdicts
from targets.display import (
    DASH,
    goal_text,
    is_missing,
    number,
    percent,
    year_text,
)
from targets.models import Indicator
from targets.progress import method_text, status_counts
from targets.provenance import provisional_mark, provisional_text
from targets.reports import analyses
from targets.reports.steps import Progress, ProgressCallback, as_progress
from targets.reports.text import TEXT

if TYPE_CHECKING:
    from targets.reports.drafting import Draft
    from targets.tracker import Tracker

LANGS = ("zh", "en")
MOVERS_SHOWN = 8
CHART_REGIONS = 8  # lines per chart before it stops being readable; the tables keep every region


@dataclass(frozen=True)
class SourceRef:
    """Where a goal stands: the plan's title and date, the section, the words quoted."""

    document: str
    issued: date | None
    section: str
    quote: str
    note: str | None = None


@dataclass(frozen=True, eq=False)
class IndicatorDetail:
    """One indicator's page: its goal, sources, gap rows and yearly series by region."""

    id: str
    name: str
    unit: str
    category: str
    decimals: int
    direction: str | None
    goal_text: str
    sources: tuple[SourceRef, ...]
    rows: pd.DataFrame  # the indicator's rows of `Report.rows`
    series: pd.DataFrame  # long: region, region_name, year, value, derived
    regions: tuple[str, ...]  # region ids, in the gap table's order

    def wide(self) -> pd.DataFrame:
        """The series as region rows × year columns (values stay numbers)."""
        if self.series.empty:
            return pd.DataFrame(index=pd.Index([], name="region"))
        wide = self.series.pivot_table(
            index="region", columns="year", values="value", aggfunc="last", sort=True
        )
        return wide.reindex([r for r in self.regions if r in wide.index])


@dataclass(frozen=True)
class Vintage:
    """An import whose values are in force in this report."""

    id: int
    file_name: str
    created_at: datetime
    user: str
    state: str
    rows: int
    note: str
    used: int  # values of this report's scope that come from it


@dataclass(frozen=True)
class Threshold:
    status: str
    symbol: str
    label: str
    rule: str


@dataclass(frozen=True, eq=False)
class Report:
    """Everything a gap report shows, in one language, for one milestone and scope."""

    title: str
    generated_at: datetime
    lang: str
    milestone: int
    scope_regions: str
    scope_indicators: str
    counts: tuple[tuple[str, int], ...]  # (status, count) in rank order
    missed: pd.DataFrame
    movers: pd.DataFrame
    rows: pd.DataFrame  # the gap frame (GAP_COLUMNS...) + name, unit, decimals, category columns
    table: pd.DataFrame  # display strings, columns TABLE_COLUMNS
    details: tuple[IndicatorDetail, ...]
    method: str
    thresholds: tuple[Threshold, ...]
    word_goals: tuple[tuple[str, str], ...]  # (indicator name, goal text) of goals in words only
    vintages: tuple[Vintage, ...]
    # display strings, columns ASSESSMENT_TABLE_COLUMNS / CONVERGENCE_TABLE_COLUMNS (keys of TEXT)
    assessment: pd.DataFrame = field(default_factory=pd.DataFrame)
    convergence: pd.DataFrame = field(default_factory=pd.DataFrame)
    contribution: pd.DataFrame = field(default_factory=pd.DataFrame)
    methods: pd.DataFrame = field(default_factory=pd.DataFrame)
    # the drafted assessment text of the milestone (targets.reports.drafting)
    draft: Draft | None = None
    # the data version: the latest active import in the store (id, time), whatever its scope
    data_version: tuple[int, datetime] | None = None

    def t(self, key: str, **kwargs: Any) -> str:
        """A report word in the report's language."""
        text = TEXT[self.lang][key]
        return text.format(**kwargs) if kwargs else text

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)

    @property
    def data_as_of(self) -> datetime | None:
        """When the newest import used here was made."""
        return max((v.created_at for v in self.vintages), default=None)

    @property
    def latest_year(self) -> int | None:
        years = self.rows["year"].dropna()
        return int(years.max()) if len(years) else None

    def categories(self) -> list[tuple[str, list[IndicatorDetail]]]:
        """Details grouped by category, in catalogue order."""
        groups: dict[str, list[IndicatorDetail]] = {}
        for d in self.details:
            groups.setdefault(d.category, []).append(d)
        return list(groups.items())


# display columns of the gap table, in order (keys of TEXT)
TABLE_COLUMNS: tuple[str, ...] = (
    "indicator", "region", "year", "value", "goal", "gap", "progress", "time_elapsed",
    "required_rate", "actual_rate", "projected", "status",
)  # fmt: skip


def _rate_text(rate: Any, linear: bool, decimals: int, per_year: str) -> str:
    if linear:
        return number(rate, decimals, sign=True) + (per_year if not is_missing(rate) else "")
    return percent(rate, 1, sign=True)


def _enrich(tracker: Tracker, gaps: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The gap frame with the names, unit, decimals and category each row is shown with."""
    cat = tracker.catalogue
    ids = gaps["indicator"].tolist()
    out = gaps.copy()
    out["indicator_name"] = pd.array([cat[i].name.get(lang) for i in ids], dtype="str")
    out["region_name"] = pd.array(
        [tracker.regions.name(r, lang) for r in gaps["region"]], dtype="str"
    )
    out["unit"] = pd.array([cat[i].unit.get(lang) for i in ids], dtype="str")
    out["decimals"] = [cat[i].decimals for i in ids]
    out["category"] = pd.array([cat[i].category for i in ids], dtype="str")
    # a goal set as a change from a base year is shown as that change (its level per region follows)
    changes = [
        _change_goal(cat[i], int(y)) for i, y in zip(ids, gaps["milestone_year"], strict=True)
    ]
    out["goal_change"] = [c[0] for c in changes]
    out["goal_base_year"] = [c[1] for c in changes]
    out["status_label"] = pd.array([statuses.label(s, lang) for s in gaps["status"]], dtype="str")
    # whose goal it is, and why the status is what it is: the words of targets.verdicts, the
    # same as on screen and in the CLI
    records = out.to_dict("records")
    if "role" not in out.columns:
        out["role"] = "goal"
        out["goal_scope"] = out["region"]
    scope_names = [tracker.regions.name(str(g), lang) for g in out["goal_scope"]]
    out["goal_scope_name"] = pd.array(scope_names, dtype="str")
    out["role_text"] = pd.array([roles.word(str(r), lang) for r in out["role"]], dtype="str")
    out["status_text"] = pd.array(
        [
            verdicts.verdict_text({**r, "role": role}, name, lang)
            for r, role, name in zip(records, out["role"], scope_names, strict=True)
        ],
        dtype="str",
    )
    pace = out["pace_status"] if "pace_status" in out.columns else out["status"]
    out["pace_label"] = pd.array([statuses.text(str(s), lang) for s in pace], dtype="str")
    why_names = tracker.reason_names(lang)
    out["status_why"] = pd.array(
        [
            verdicts.explain(r, lang, int(d), str(u), why_names)
            for r, d, u in zip(records, out["decimals"], out["unit"], strict=True)
        ],
        dtype="str",
    )
    # a verdict resting on a flagged value: the word beside the status, why in the report's
    # language (the engine's English reason is replaced in this copy)
    out["provisional"] = [bool(r.get("provisional", False)) for r in records]
    out["provisional_mark"] = pd.array([provisional_mark(r, lang) for r in records], dtype="str")
    out["provisional_reason"] = pd.array([provisional_text(r, lang) for r in records], dtype="str")
    return out


def _change_goal(ind: Indicator, year: int) -> tuple[float, int | None]:
    """(percent change, base year) of a change_from_base goal; (nan, None) otherwise."""
    ms = ind.milestone(year)
    if ms is None or ms.basis != "change_from_base" or ms.value is None:
        return math.nan, None
    return float(ms.value), ms.base_year


def goal_display(row: dict[str, Any], lang: str, *, unit: bool = True) -> str:
    """The goal as a table shows it: '≥ 3.00%', or '较2017年 −10%（≤ 0.451）' for a change goal.

    unit=False where the table shows the unit beside the indicator's name instead.
    """
    d = int(row["decimals"])
    unit_text = str(row["unit"]) if unit else ""
    level = goal_text(row["comparator"], row["target"], d, unit_text)
    change = row.get("goal_change")
    if change is None or is_missing(change):
        return level
    base = year_text(row.get("goal_base_year"))  # a float in a frame column that has gaps
    pct = number(change, 0 if float(change).is_integer() else 1, sign=True).replace("-", "−") + "%"
    text = f"较{base}年 {pct}" if lang == "zh" else f"{pct} on {base}"
    return text if level == DASH else f"{text}（{level}）" if lang == "zh" else f"{text} ({level})"


def _table(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The gap table as display strings (numbers per indicator decimals; the unit in its own field)."""
    per_year = TEXT[lang]["per_year"]
    records = []
    for r in rows.to_dict("records"):
        d = int(r["decimals"])
        linear = bool(r.get("linear", False))
        done = r["status"] == "achieved"
        gap = number(r["gap"], d)
        if gap != DASH and not is_missing(r["gap_pct"]) and r["gap"] > 0:
            gap += f" ({percent(r['gap_pct'], 1)})"
        records.append(
            {
                "indicator": r["indicator_name"],
                "region": r["region_name"],
                "year": year_text(r["year"]),
                "unit": str(r["unit"]),
                "value": number(r["value"], d),
                "goal": goal_display(r, lang, unit=False),
                "gap": gap,
                # an achieved goal shows no progress share: past the goal it reads 0% or
                # negative, which says nothing about a goal that is met
                "progress": DASH if done else percent(r["progress"]),
                # without a value there is no "now" to measure elapsed time from
                "time_elapsed": DASH
                if is_missing(r["year"]) or done
                else percent(r["time_elapsed"]),
                "required_rate": _rate_text(r["required_rate"], linear, d, per_year),
                "actual_rate": _rate_text(r["actual_rate"], linear, d, per_year),
                "projected": number(r["projected"], d),
                "status": " · ".join(
                    p for p in (str(r["status_text"]), r.get("provisional_mark")) if p
                ),
                "status_code": str(r["status"]),
                "derived": bool(r.get("derived", False)),
            }
        )
    columns = [*TABLE_COLUMNS, "unit", "status_code", "derived"]
    return pd.DataFrame.from_records(records, columns=columns)


def _missed(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows the projection method (targets.status_methods) judges missed or to be missed, by how much.

    `expected` is the value judged: the actual one once the goal year is in, else the projection;
    `shortfall` its distance from the goal in the indicator's unit.
    """
    from targets.status_methods import compare_methods

    judged = compare_methods(rows)
    miss = judged["status_projection"].isin(["will_miss", "missed"]).to_numpy()
    known = judged["status_projection"].eq("missed").to_numpy()
    found = rows[miss].copy()
    found["expected"] = judged["value"].where(known, judged["projected"])[miss].to_numpy()
    found["shortfall"] = judged["projection_shortfall"][miss].to_numpy()
    target = found["target"].abs()
    found["shortfall_pct"] = (found["shortfall"] / target.where(target > 0)).astype("float64")
    return found.sort_values("shortfall_pct", ascending=False, kind="stable", ignore_index=True)


def _movers(rows: pd.DataFrame, obs: pd.DataFrame, limit: int) -> pd.DataFrame:
    """Per indicator × region: latest value against the one before it; largest relative change first."""
    info = rows.drop_duplicates(["indicator", "region"]).set_index(["indicator", "region"])
    found = []
    for (ind, reg), series in obs.groupby(["indicator", "region"], sort=False):
        if (ind, reg) not in info.index or len(series) < 2:
            continue
        last = series.sort_values("year").tail(2)
        (y0, v0), (y1, v1) = zip(last["year"], last["value"], strict=True)
        # "since the previous year": a change over a gap of years would look bigger than it is
        if int(y1) - int(y0) != 1 or is_missing(v0) or is_missing(v1):
            continue
        row = info.loc[(ind, reg)]
        change = float(v1) - float(v0)
        up = str(row["comparator"]) in (">", ">=")
        found.append(
            {
                "indicator": ind,
                "region": reg,
                "indicator_name": row["indicator_name"],
                "region_name": row["region_name"],
                "unit": row["unit"],
                "decimals": int(row["decimals"]),
                "previous_year": int(y0),
                "previous_value": float(v0),
                "year": int(y1),
                "value": float(v1),
                "change": change,
                "change_pct": change / abs(float(v0)) if v0 else math.nan,
                "towards": "flat" if change == 0 else ("towards" if (change > 0) == up else "away"),
            }
        )
    columns = [
        "indicator", "region", "indicator_name", "region_name", "unit", "decimals",
        "previous_year", "previous_value", "year", "value", "change", "change_pct", "towards",
    ]  # fmt: skip
    frame = pd.DataFrame.from_records(found, columns=columns)
    if frame.empty:
        return frame
    order = frame["change_pct"].abs().fillna(-1).sort_values(ascending=False, kind="stable")
    return frame.loc[order.index].head(limit).reset_index(drop=True)


def _sources(tracker: Tracker, ind: Indicator, milestone: int, lang: str) -> tuple[SourceRef, ...]:
    ms = ind.milestone(milestone)
    if ms is None:
        return ()
    docs = tracker.catalogue.documents
    refs = []
    for s in ms.sources:
        doc = docs.get(s.document)
        refs.append(
            SourceRef(
                document=doc.title.get(lang) if doc else s.document,
                issued=doc.issued if doc else None,
                section=s.section,
                quote=s.quote,
                note=s.note,
            )
        )
    return tuple(refs)


def _details(
    tracker: Tracker, rows: pd.DataFrame, obs: pd.DataFrame, milestone: int, lang: str
) -> tuple[IndicatorDetail, ...]:
    out = []
    for ind_id, ind_rows in rows.groupby("indicator", sort=False):
        ind = tracker.catalogue[str(ind_id)]
        regions = tuple(dict.fromkeys(ind_rows["region"].tolist()))
        series = obs[(obs["indicator"] == ind_id) & obs["region"].isin(regions)]
        series = series.assign(
            region_name=[tracker.regions.name(r, lang) for r in series["region"]]
        )[["region", "region_name", "year", "value", "derived"]].reset_index(drop=True)
        ms = ind.milestone(milestone)
        out.append(
            IndicatorDetail(
                id=ind.id,
                name=ind.name.get(lang),
                unit=ind.unit.get(lang),
                category=ind.category,
                decimals=ind.decimals,
                direction=ind.direction,
                goal_text=ms.text.get(lang) if ms else "",
                sources=_sources(tracker, ind, milestone, lang),
                rows=ind_rows.reset_index(drop=True),
                series=series,
                regions=regions,
            )
        )
    return tuple(out)


def vintage_note(note: str, report: Report) -> str:
    """An import's note as written, but the one `targets init` gives the bundled statistics
    (this tool's words): in the report's language."""
    from targets.bundled import BUNDLED_NOTE

    return report.t("bundled_import_note") if note == BUNDLED_NOTE else note


def _vintages(tracker: Tracker, obs: pd.DataFrame) -> tuple[Vintage, ...]:
    observed = obs[~obs["derived"].astype(bool)] if "derived" in obs else obs
    used = observed["import_id"].dropna().astype(int).value_counts().to_dict()
    return tuple(
        Vintage(
            id=i.id,
            file_name=i.file_name,
            created_at=i.created_at,
            user=i.user,
            state=i.state,
            rows=i.rows,
            note=i.note,
            used=int(used[i.id]),
        )
        for i in tracker.store.imports()
        if i.id in used
    )


def _thresholds(lang: str) -> tuple[Threshold, ...]:
    return tuple(
        Threshold(s, statuses.symbol(s), statuses.label(s, lang), statuses.meaning(s, lang))
        for s in statuses.IDS
    )


def _word_goals(
    tracker: Tracker, milestone: int, indicators: Collection[str] | None, lang: str
) -> tuple[tuple[str, str], ...]:
    out = []
    for ind in tracker.catalogue.goals():
        if indicators and ind.id not in indicators:
            continue
        ms = ind.milestone(milestone)
        if ms is not None and not ms.is_numeric:
            out.append((ind.name.get(lang), ms.text.get(lang)))
    return tuple(out)


# how the model's part of the bar is shared: seconds each stage took on the bundled data
# (the regional contributions dominate; everything else is a few tens of milliseconds)
MODEL_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("gaps", 1.0),
    ("details", 1.0),
    ("assessment", 1.0),
    ("convergence", 1.5),
    ("contribution", 8.0),
    ("methods", 0.5),
    ("drafting", 0.5),
)


def build_report(
    tracker: Tracker,
    *,
    lang: str = "zh",
    milestone: int = 2025,
    regions: Collection[str] | None = None,
    indicators: Collection[str] | None = None,
    now: datetime | None = None,
    progress: ProgressCallback | Progress | None = None,
) -> Report:
    """The report for one milestone, scope and language, from the tracker's gap table.

    `progress(fraction, stage)` hears each stage as it starts (see targets.reports.steps).
    """
    if lang not in LANGS:
        raise ValueError(f"language {lang!r}: use one of {', '.join(LANGS)}")
    stages = as_progress(progress).stages(MODEL_WEIGHTS)
    text = TEXT[lang]
    stages.begin("gaps")
    gaps = tracker.gaps(milestone=milestone, indicators=indicators, regions=regions)
    rows = _enrich(tracker, gaps, lang)
    counts = status_counts(rows)
    missed, table = _missed(rows), _table(rows, lang)
    stages.begin("details")
    pairs = rows[["indicator", "region"]].drop_duplicates()
    obs = tracker.observations(indicators=pairs["indicator"].unique().tolist() or None)
    obs = obs.merge(pairs, on=["indicator", "region"]).sort_values(
        ["indicator", "region", "year"], kind="stable", ignore_index=True
    )
    movers = _movers(rows, obs, MOVERS_SHOWN)
    details = _details(tracker, rows, obs, milestone, lang)
    vintages = _vintages(tracker, obs)
    stages.begin("assessment")
    assessment = analyses.assessment_table(tracker, milestone, regions, indicators, lang)
    stages.begin("convergence")
    convergence = analyses.convergence_table(tracker, indicators, lang)
    stages.begin("contribution")
    contribution = analyses.contribution_table(tracker, indicators, lang)
    stages.begin("methods")
    methods = analyses.methods_table(tracker, milestone, regions, indicators, lang)
    stages.begin("drafting")
    from targets.reports.drafting import draft_assessment

    draft = draft_assessment(tracker, milestone, lang, regions=regions, indicators=indicators)
    active = [i for i in tracker.store.imports() if i.state == "active"]
    latest = max(active, key=lambda i: i.id, default=None)
    region_names = [tracker.regions.name(r, lang) for r in regions] if regions else []
    indicator_names = [tracker.catalogue[i].name.get(lang) for i in indicators or []]
    sep = "、" if lang == "zh" else ", "
    return Report(
        title=f"{text['title']}（{text['title_milestone'].format(year=milestone)}）"
        if lang == "zh"
        else f"{text['title']} ({text['title_milestone'].format(year=milestone)})",
        generated_at=now or datetime.now(UTC),
        lang=lang,
        milestone=milestone,
        scope_regions=sep.join(region_names) or text["all_regions"],
        scope_indicators=sep.join(indicator_names) or text["all_indicators"],
        counts=tuple(counts.items()),
        missed=missed,
        movers=movers,
        rows=rows,
        table=table,
        details=details,
        method=method_text(lang),
        thresholds=_thresholds(lang),
        word_goals=_word_goals(tracker, milestone, indicators, lang),
        vintages=vintages,
        assessment=assessment,
        convergence=convergence,
        contribution=contribution,
        methods=methods,
        draft=draft,
        data_version=(latest.id, latest.created_at) if latest else None,
    )
