"""How progress towards each goal is measured.

The method is the one national statistics offices publish and compare (Statistics Canada's, used
by Open SDG and modelled on Eurostat's): the growth observed since the baseline is set against the
growth the goal requires. It is computed for each indicator, region and milestone year.

Values. v_t is the latest value (year t) up to the "as of" year; v_0 the baseline value (year t0);
T the goal for year Y. For a goal set as a change from a base year (energy use per unit of GDP
10% below 2017), T = v_base × (1 + change / 100), with each region's own base-year value.

Baseline year. The year before the plan that set the goal was issued (Outline, December 2019:
2018; S&T Innovation Community plan, December 2020: 2019; the earlier one for a goal in both),
unless the catalogue says otherwise; where that year has no value, the first later year with one.

Measures.
- gap: the distance still to go in the goal's direction, 0 when the goal is met;
  gap_pct = gap / |T|.
- progress = (v_t − v_0) / (T − v_0); time_elapsed = (t − t0) / (Y − t0). Their difference is the
  pace against schedule: behind schedule when progress < time_elapsed; schedule_years
  = (progress − time_elapsed) × (Y − t0) is the number of years ahead (+) or behind (−).
- actual_rate = (v_t / v_0)^(1 / (t − t0)) − 1, the yearly growth so far;
  required_rate = (T / v_0)^(1 / (Y − t0)) − 1, the yearly growth the goal requires;
  ratio = actual_rate / required_rate. For a goal to bring a value down both rates are negative
  while it is approached, so the ratio is positive. Where a value is zero or negative the
  rates are linear: (v_t − v_0) / (t − t0) and (T − v_0) / (Y − t0), per year.
- rate_needed = (T / v_t)^(1 / (Y − t)) − 1: the yearly growth still needed from now on.
- projected: the value in year Y by a log-linear least-squares trend over the last five observed
  years (at least two; a linear trend where a value is zero or negative).

Pace status (the published ratio method), in this order:
- achieved (✔): the latest value meets the goal, with the comparator as the plan words it
  ("超过 3%" is > 3: exactly 3 is not achieved);
- missed (✗): year Y has passed and the value for year Y does not meet the goal (where the value
  for Y is not yet known, the goal is judged by its trend like a running one);
- one value only (…): a single value, so there is no trend yet;
- on track (▲): ratio ≥ 0.95;
- moderate progress (◆): 0.6 ≤ ratio < 0.95;
- insufficient progress (▼): 0 ≤ ratio < 0.6;
- moving away (✖): ratio < 0, the value moves away from the goal;
- no data (?): no value, or no base-year value for a goal set as a change.
Where no growth is required (the baseline already met the goal) but the latest value does not,
the status is moving away if the value moved against the goal, else insufficient progress.
A goal's direction always comes from its comparator; there is no default direction.

Headline status. The pace measures how fast a goal is approached, which is what matters while
the goal year is far. Once the goal year is within one year of the present (the as-of year, or
else the latest year with any value) or past, what matters is how far the goal still is: a
region 0.4 short of 80 whose trend dipped is nearly there, one 7.4 short of 70 with a year left
is not. The headline then judges by distance, in the spirit of the German sustainability
report's weather rule (Destatis): the projected value for year Y (the actual one once
published; the latest where there is no trend) falls short of the goal by
share = shortfall / |T − v_0|, the share of the distance from the baseline still to go (|T|
where the latest value is the only one since the baseline, or the baseline already met the
goal, so that T − v_0 is no distance to go). Then:
- close to the goal (≈): share ≤ 5%;
- some way short (◇): 5% < share ≤ 20%;
- far from the goal (▽): share > 20%.
Achieved, missed and no data read the same under both rules. The gap table keeps both:
`status` is the headline, `pace_status` the ratio method, `status_rule` says which rule made
the headline and `distance_share` is the share.

Scope. Every row carries `goal_scope`, the region the plan set the goal for, and `role`: goal
where that is the row's own region, benchmark where a region is only compared with a goal set
for another (`compare: all_regions`).

Regions. The whole region and the central zone are computed from components (Σ numerator /
Σ denominator, or a population-, GDP- or area-weighted mean), never by averaging the provinces'
ratios; where a member's component is missing the aggregate is absent and the reason is shown.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from targets import aggregate, roles, statuses
from targets.aggregate import CatalogueLike, RegionsLike
from targets.coding import REGION_BITS, YEAR_BITS, YEAR_MASK, Coded, FloatArray, IntArray, encode
from targets.models import Indicator, Milestone
from targets.provenance import PROVISIONAL_COLUMNS, provisional_columns
from targets.statuses import Status

# ---------------------------------------------------------------------------- the constants

ON_TRACK = statuses.ON_TRACK
MODERATE = statuses.MODERATE
PROJECTION_WINDOW = 5
_LOG_MAX = float(np.log(np.finfo(np.float64).max))


# The vocabulary lives in targets.statuses; these names stay for the engine's callers.
STATUSES: tuple[Status, ...] = statuses.STATUSES
STATUS_COLOURS: dict[str, tuple[str, str]] = statuses.COLOURS
STATUS_IDS: tuple[str, ...] = statuses.IDS
STATUS_RANK: dict[str, int] = statuses.RANK

GAP_COLUMNS: tuple[str, ...] = (
    "indicator",
    "region",
    "year",
    "value",
    "milestone_year",
    "target",
    "comparator",
    "gap",
    "gap_pct",
    "progress",
    "time_elapsed",
    "baseline_year",
    "baseline_value",
    "actual_rate",
    "required_rate",
    "ratio",
    "projected",
    "status",
)
EXTRA_COLUMNS: tuple[str, ...] = (
    "goal_scope",
    "role",
    "pace_status",
    "status_rule",
    "distance_share",
    "schedule_years",
    "rate_needed",
    "derived",
    "direction",
    "basis",
    "linear",
    "note",
    "reason",
    *PROVISIONAL_COLUMNS,  # targets.provenance: whether the verdict rests on a flagged value
)

METHOD_TEXT: dict[str, str] = {
    "en": __doc__ or "",
    "zh": f"""进展评估方法

采用各国统计机构公开并相互比较的方法（加拿大统计局的方法，Open SDG 采用，仿照欧盟统计局）：
以基期以来的实际增速对照实现目标所需的增速。按指标 × 地区 × 目标年份逐一计算。

取值：v_t 为截至"评估年份"的最新值（年份 t）；v_0 为基期值（年份 t0）；T 为 Y 年的目标值。
以基年变化设定的目标（如单位GDP能耗较2017年下降10%），T = 各地区自身基年值 × (1 + 变化率/100)。

基期：目标所属规划印发前一年（《纲要》2019年12月印发：2018年；《科技创新共同体规划》
2020年12月印发：2019年；两者皆有的目标取较早者），目录另有规定的除外；该年无数据时取其后第一个有数据的年份。

指标：
- 差距 gap：按目标方向尚需达到的距离，已达标为 0；差距率 = 差距 / |T|。
- 进度 = (v_t − v_0) / (T − v_0)；时间进度 = (t − t0) / (Y − t0)；进度低于时间进度即落后于序时进度；
  超前/落后年数 = (进度 − 时间进度) × (Y − t0)。
- 实际年均增速 = (v_t / v_0)^(1/(t − t0)) − 1；所需年均增速 = (T / v_0)^(1/(Y − t0)) − 1；
  比值 = 实际增速 / 所需增速（下降类目标两者均为负，接近目标时比值为正）。数值为零或负时改用线性
  （每年变化量）。
- 尚需年均增速 = (T / v_t)^(1/(Y − t)) − 1。
- 预测值：以最近 {PROJECTION_WINDOW} 个有数据年份（至少 2 个）的对数线性最小二乘趋势外推至 Y 年（有零或负值时用线性）。

增速状态（公布的比值法，按此顺序判定）：
- 已实现（✔）：最新值按规划措辞的比较符达到目标（"超过3%"即 > 3，恰为 3 不算实现）；
- 未实现（✗）：Y 年已过且 Y 年数值未达到目标（Y 年数值未知时按趋势判断）；
- 仅一个数值（…）：仅有一个数值，无法判断趋势；
- 进展顺利（▲）：比值 ≥ {ON_TRACK}；
- 进展一般（◆）：{MODERATE} ≤ 比值 < {ON_TRACK}；
- 进展不足（▼）：0 ≤ 比值 < {MODERATE}；
- 反向变化（✖）：比值 < 0，数值背离目标；
- 无数据（?）：没有数值，或按基年变化设定的目标缺少基年值。
基期已达标（无需增长）而最新值未达标时：若数值向背离目标方向变化为反向变化，否则为进展不足。
目标方向一律取自比较符，不设默认方向。

总体状态：目标年较远时看增速；目标年临近（距"当前"——评估年份，或数据中最新的年份——不超过一年）
或已过时，看距离：仿照德国可持续发展指标报告（Destatis）的"天气"规则，以 Y 年的预测值（已公布时
用实际值，无趋势时用最新值）与目标的差距占尚需距离的比例判断：比例 = 差距 / |T − v_0|（基期之后
只有最新值一个数值，或基期已达标时用 |T|）。
- 接近目标（≈）：比例 ≤ {statuses.CLOSE:.0%}；
- 尚有差距（◇）：{statuses.CLOSE:.0%} < 比例 ≤ {statuses.SHORT:.0%}；
- 差距较大（▽）：比例 > {statuses.SHORT:.0%}。
已实现、未实现、无数据在两种规则下相同。差距表同时给出：status 为总体状态，pace_status 为增速状态，
status_rule 说明采用哪种规则，distance_share 为差距比例。

适用范围：每行注明 goal_scope（规划为之设定目标的地区）和 role：本地区即为目标范围时为"规划目标"，
仅与为其他地区设定的目标相比较时为"对标"。

地区汇总：全域、中心区等由组成序列计算（Σ分子 / Σ分母，或按人口、GDP、面积加权平均），
绝不对各省比率简单平均；成员缺少组成数据时不计算汇总值，并说明原因。
""",
}


status_label = statuses.label
status_symbol = statuses.symbol
status_colour = statuses.colour


def status_counts(gaps: pd.DataFrame) -> dict[str, int]:
    """How many rows have each status, every status present (0 included), in rank order."""
    counts = gaps["status"].value_counts() if len(gaps) else pd.Series(dtype="int64")
    return {s: int(counts.get(s, 0)) for s in STATUS_IDS}


# ---------------------------------------------------------------------------- the skeleton


def _numeric_milestones(ind: Indicator, milestone: int | None) -> list[Milestone]:
    return [
        m for m in ind.milestones if m.is_numeric and (milestone is None or m.year == milestone)
    ]


def _region_order(regions: RegionsLike, extra: Collection[str]) -> dict[str, int]:
    """Display order: the registry's, then regions it does not know, alphabetically."""
    order = {rid: i for i, rid in enumerate(regions.regions)}
    for rid in sorted(set(extra) - set(order)):
        order[rid] = len(order)
    return order


def _skeleton(
    catalogue: CatalogueLike,
    regions: RegionsLike,
    coded: Coded,
    milestone: int | None,
    indicators: Collection[str] | None,
    region_ids: Collection[str] | None,
) -> pd.DataFrame:
    """One row per indicator × region × numeric milestone, with the goal's terms.

    Built a column at a time per indicator × milestone, not a dict per row: a national gap table
    has 222,000 rows, and a Python dict each (with two role lookups) took seconds of every cold
    gap table.
    """
    # regions holding at least one value, per indicator (the keys are sorted: take run starts)
    pairs = coded.key >> YEAR_BITS
    first = np.append(True, pairs[1:] != pairs[:-1]) if len(pairs) else np.zeros(0, dtype=bool)
    with_values: dict[str, list[str]] = {}
    for p in pairs[first].tolist():
        name = coded.indicators[p >> REGION_BITS]
        with_values.setdefault(name, []).append(coded.regions[p & ((1 << REGION_BITS) - 1)])
    wanted_ind = set(indicators) if indicators is not None else None
    wanted_reg = set(region_ids) if region_ids is not None else None
    blocks: list[tuple[Indicator, list[Milestone], list[str]]] = []
    for ind in catalogue.indicators.values():
        if wanted_ind is not None and ind.id not in wanted_ind:
            continue
        milestones = _numeric_milestones(ind, milestone)
        if not milestones:
            continue
        regs = list(dict.fromkeys(ind.scope))
        if ind.compare == "all_regions":
            listed = set(regs)
            regs += [r for r in with_values.get(ind.id, []) if r not in listed]
        if wanted_reg is not None:
            regs = [r for r in regs if r in wanted_reg]
        blocks.append((ind, milestones, regs))
    reg_order = _region_order(regions, {r for _, _, regs in blocks for r in regs})
    names = (
        "indicator", "region", "goal_scope", "role", "milestone_year", "goal", "comparator",
        "basis", "base_year", "t0", "direction",
    )  # fmt: skip
    columns: dict[str, list[Any]] = {name: [] for name in names}
    ind_pos: list[IntArray] = []
    reg_pos: list[IntArray] = []
    for i, (ind, milestones, regs) in enumerate(blocks):
        k = len(regs)
        order = np.fromiter((reg_order[r] for r in regs), dtype=np.int64, count=k)
        for ms in milestones:
            t0 = int(catalogue.baseline_year(ind, ms))
            direction = _direction(ms.comparator)
            goal_scope, role = roles.roles_of(regs, ind.scope, ms.overrides)
            goals = (
                [ms.overrides.get(r, ms.value) for r in regs] if ms.overrides else [ms.value] * k
            )
            columns["indicator"] += [ind.id] * k
            columns["region"] += regs
            columns["goal_scope"] += goal_scope
            columns["role"] += role
            columns["milestone_year"] += [ms.year] * k
            columns["goal"] += [float(g) if g is not None else np.nan for g in goals]
            columns["comparator"] += [ms.comparator] * k
            columns["basis"] += [ms.basis] * k
            columns["base_year"] += [ms.base_year if ms.base_year is not None else t0] * k
            columns["t0"] += [t0] * k
            columns["direction"] += [direction or ind.direction] * k
            ind_pos.append(np.full(k, i, dtype=np.int64))
            reg_pos.append(order)
    if not columns["indicator"]:
        return pd.DataFrame(columns=list(names))  # as a frame of no rows always was: object
    frame = pd.DataFrame(columns, columns=list(names))
    # indicators in catalogue order, regions in display order, milestones by year; stable
    order = np.lexsort(
        (
            frame["milestone_year"].to_numpy(dtype=np.int64),
            np.concatenate(reg_pos),
            np.concatenate(ind_pos),
        )
    )
    return frame.take(order).reset_index(drop=True)


def _direction(comparator: str | None) -> str | None:
    if comparator in (">", ">="):
        return "higher_is_better"
    if comparator in ("<", "<="):
        return "lower_is_better"
    return None


def _sign(comparator: Any) -> np.ndarray:
    """+1 for a goal worded upwards (>, >=), -1 downwards (<, <=), NaN without a comparator."""
    comparator = np.asarray(comparator, dtype=object)
    up = np.isin(comparator, [">", ">="])
    down = np.isin(comparator, ["<", "<="])
    return np.where(up, 1.0, np.where(down, -1.0, np.nan))


def goal_gap(value: Any, target: Any, comparator: Any) -> np.ndarray:
    """Distance still to go in the goal's direction: 0 exactly when the goal is met as worded.

    The one place where a comparator is applied (the engine's gap and status, the projection
    method of targets.status_methods). A strict goal (> or <) is met from the next representable number
    on, so "gap == 0" and "meets" never disagree. NaN value, target or comparator: NaN.
    """
    value = np.asarray(value, dtype=np.float64)
    target = np.asarray(target, dtype=np.float64)
    comparator = np.asarray(comparator, dtype=object)
    d = _sign(comparator)
    strict = np.isin(comparator, [">", "<"])
    with np.errstate(invalid="ignore"):
        threshold = np.where(strict, np.nextafter(target, d * np.inf), target)
        gap = np.where(
            d > 0, np.maximum(threshold - value, 0.0), np.maximum(value - threshold, 0.0)
        )
        return np.where(np.isnan(d) | np.isnan(value) | np.isnan(target), np.nan, gap)


def meets(value: Any, target: Any, comparator: Any) -> np.ndarray:
    """Whether a value meets the goal with the comparator as the plan words it (NaN never meets)."""
    with np.errstate(invalid="ignore"):
        return goal_gap(value, target, comparator) == 0


# ---------------------------------------------------------------------------- look-ups


class _Keys:
    """Searches in the sorted keys: latest value up to a year, first from a year, exact year."""

    def __init__(self, coded: Coded) -> None:
        self.key = coded.key
        self.n = len(coded.key)

    def _pair_of(self, pos: IntArray) -> IntArray:
        """The series (indicator, region) at each position; -2 (no series) when there are no keys."""
        if self.n == 0:
            return np.full(len(pos), -2, dtype=np.int64)
        return self.key[np.clip(pos, 0, self.n - 1)] >> YEAR_BITS

    def latest(self, pair: IntArray, upto: IntArray) -> IntArray:
        q = (pair << YEAR_BITS) | np.clip(upto, 0, YEAR_MASK)
        pos = np.searchsorted(self.key, q, side="right") - 1
        ok = (pair >= 0) & (pos >= 0) & (self._pair_of(pos) == pair)
        return np.where(ok, pos, -1)

    def first_from(self, pair: IntArray, start: IntArray) -> IntArray:
        q = (pair << YEAR_BITS) | np.clip(start, 0, YEAR_MASK)
        pos = np.searchsorted(self.key, q, side="left")
        ok = (pair >= 0) & (pos < self.n) & (self._pair_of(pos) == pair)
        return np.where(ok, pos, -1)

    def exact(self, pair: IntArray, year: IntArray) -> IntArray:
        q = (pair << YEAR_BITS) | np.clip(year, 0, YEAR_MASK)
        pos = np.searchsorted(self.key, q, side="left")
        ok = (pair >= 0) & (pos < self.n) & (self._pair_of(pos) == pair)
        ok &= (self.key[np.clip(pos, 0, self.n - 1)] == q) if self.n else False
        ok &= (year >= 0) & (year <= YEAR_MASK)
        return np.where(ok, pos, -1)


def _take(array: NDArray[Any], pos: IntArray, fill: Any) -> NDArray[Any]:
    if len(array) == 0:
        return np.full(len(pos), fill)
    return np.where(pos >= 0, array[np.clip(pos, 0, None)], fill)


# ---------------------------------------------------------------------------- the arithmetic


def _trend(coded: Coded, keys: _Keys, pos_t: IntArray, pair: IntArray, at: IntArray) -> FloatArray:
    """Least-squares trend over the last PROJECTION_WINDOW values up to pos_t, evaluated at `at`."""
    n = len(pos_t)
    if n == 0 or keys.n == 0:
        return np.full(n, np.nan)
    offs = np.arange(PROJECTION_WINDOW)
    pos = pos_t[:, None] - offs[None, :]
    safe = np.clip(pos, 0, keys.n - 1)
    valid: NDArray[np.bool_] = (
        (pos_t[:, None] >= 0) & (pos >= 0) & ((keys.key[safe] >> YEAR_BITS) == pair[:, None])
    )
    x = np.where(valid, (keys.key[safe] & YEAR_MASK).astype(np.float64), 0.0)
    y = np.where(valid, coded.value[safe], 1.0)
    k = valid.sum(axis=1)
    linear: NDArray[np.bool_] = np.asarray((valid & (y <= 0)).any(axis=1))
    with np.errstate(divide="ignore", invalid="ignore"):
        ly = np.where(linear[:, None], y, np.log(np.where(y > 0, y, 1.0)))
        xm = np.where(valid, x, 0).sum(axis=1) / k
        ym = np.where(valid, ly, 0).sum(axis=1) / k
        dx = np.where(valid, x - xm[:, None], 0.0)
        dy = np.where(valid, ly - ym[:, None], 0.0)
        slope = (dx * dy).sum(axis=1) / (dx * dx).sum(axis=1)
        fit = ym + slope * (at - xm)
        # a log-linear trend beyond the largest float is +inf, not an overflow
        big = ~linear & (fit > _LOG_MAX)
        grown = np.exp(np.where(linear | big, 0.0, fit))
        out = np.where(linear, fit, np.where(big, np.inf, grown))
    return np.where(k >= 2, out, np.nan)


def _rates(
    v_from: FloatArray, v_to: FloatArray, years: FloatArray, linear: NDArray[np.bool_]
) -> FloatArray:
    """Yearly rate from v_from to v_to over `years`: compound, or linear (units a year)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ok = years > 0
        span = np.where(ok, years, 1.0)
        compound = (
            np.power(
                np.where(linear, 1.0, v_to / np.where(v_from == 0, np.nan, v_from)), 1.0 / span
            )
            - 1.0
        )
        straight = (v_to - v_from) / span
        return np.where(ok, np.where(linear, straight, compound), np.nan)


def _looked_up(column: pd.Series, code_of: Any) -> IntArray:
    """code_of(name) for each row, looked up once per distinct name (a missing name: -1)."""
    rows, names = pd.factorize(column)
    # a last entry of -1: factorize codes a missing name -1, which indexes it
    table = np.array([code_of(name) for name in names] + [-1], dtype=np.int64)
    return table[rows.astype(np.int64)]


def _judge(sk: pd.DataFrame, coded: Coded, as_of: int) -> pd.DataFrame:
    """All the measures and the status, as arrays over the skeleton's rows."""
    keys = _Keys(coded)
    n = len(sk)
    ind_code = _looked_up(sk["indicator"], coded.ind_code)
    reg_code = _looked_up(sk["region"], coded.find_region)
    pair = np.where((ind_code >= 0) & (reg_code >= 0), (ind_code << REGION_BITS) | reg_code, -1)
    year_of = coded.key & YEAR_MASK
    Y = sk["milestone_year"].to_numpy(dtype=np.int64)
    t0_nominal = sk["t0"].to_numpy(dtype=np.int64)

    # the latest value up to Y; where none exists, the latest of all (a goal judged late)
    pos_t = keys.latest(pair, Y)
    pos_t = np.where(pos_t >= 0, pos_t, keys.latest(pair, np.full(n, YEAR_MASK)))
    has = pos_t >= 0
    t = _take(year_of, pos_t, -1)
    v = _take(coded.value, pos_t, np.nan)
    # the value for Y itself: the goal is then judged on it, achieved or missed
    past = has & (t == Y)

    pos_0 = keys.first_from(pair, t0_nominal)
    t0_found = _take(year_of, pos_0, -1)
    pos_0 = np.where((pos_0 >= 0) & (t0_found <= t), pos_0, pos_t)
    t0 = _take(year_of, pos_0, -1)
    v0 = _take(coded.value, pos_0, np.nan)

    # the goal's value
    goal = sk["goal"].to_numpy(dtype=np.float64)
    change = (sk["basis"] == "change_from_base").to_numpy()
    base_year = sk["base_year"].to_numpy(dtype=np.int64)
    pos_b = keys.exact(pair, base_year)
    v_base = _take(coded.value, pos_b, np.nan)
    target = np.where(change, v_base * (1.0 + goal / 100.0), goal)

    comparator = sk["comparator"].astype(object).to_numpy()
    d = _sign(comparator)
    gap = goal_gap(v, target, comparator)
    with np.errstate(invalid="ignore"):
        met = gap == 0
    gap_pct = _share(gap, np.abs(target))

    span_t = (t - t0).astype(np.float64)
    span_y = (Y - t0).astype(np.float64)
    linear = (v0 <= 0) | (v <= 0) | (target <= 0)
    actual = _rates(v0, v, span_t, linear)
    required = _rates(v0, target, span_y, linear)
    with np.errstate(divide="ignore", invalid="ignore"):
        towards = required * d > 0  # the goal asks for movement in its own direction
        ratio = np.where(towards, _quotient(actual, required), np.nan)
        progress = _quotient(v - v0, target - v0)
        time_elapsed = np.where(span_y > 0, span_t / np.where(span_y > 0, span_y, 1), np.nan)
        lag = progress - time_elapsed
        # a lag beyond the floats (a baseline a hair from the goal) is ±inf years, not an overflow
        huge = np.abs(lag) > np.finfo(np.float64).max / np.maximum(np.abs(span_y), 1.0)
        schedule_years = np.where(huge, np.sign(lag) * np.inf, np.where(huge, 0.0, lag) * span_y)
        left = (Y - t).astype(np.float64)
        rate_needed = np.where(~met & (left > 0), _rates(v, target, left, linear), np.nan)

    projected = _trend(coded, keys, pos_t, pair, Y.astype(np.float64))

    no_data = ~has | np.isnan(target) | np.isnan(d)
    one_point = span_t == 0
    moving = actual * d < 0
    status = np.select(
        [
            no_data,
            met,
            past,
            one_point,
            ratio >= ON_TRACK,
            ratio >= MODERATE,
            ratio >= 0,
            ratio < 0,
            moving,
        ],
        [
            "no_data",
            "achieved",
            "missed",
            "insufficient_data",
            "on_track",
            "moderate",
            "insufficient",
            "moving_away",
            "moving_away",
        ],
        default="insufficient",
    )

    # the headline: by distance once the goal year is within a year of the present, or past
    distance = (as_of >= Y - 1) & ~np.isin(status, ["no_data", "achieved", "missed"])
    judged = np.where(np.isfinite(projected), projected, v)
    shortfall = goal_gap(judged, target, comparator)
    # the distance still to go from the reference value (the baseline); |T| where there is no
    # baseline apart from the latest value itself, or the baseline already met the goal (then
    # T − v0 is no distance to go: 0.4 short of 80 after a baseline of 81 is not "120% short")
    own_base = (t0 < t) & np.isfinite(v0) & ((target - v0) * d > 0)
    reference = np.where(own_base, np.abs(target - v0), np.abs(target))
    share = np.where(distance, _share(shortfall, reference), np.nan)
    headline = np.where(
        distance,
        np.select(
            [share <= statuses.CLOSE, share <= statuses.SHORT], ["close", "short"], default="far"
        ),
        status,
    )

    derived = _take(coded.row < 0, pos_t, False)
    note_idx = _take(coded.note, pos_t, -1)
    notes = np.array(list(coded.notes) + [None], dtype=object)[
        np.where(note_idx >= 0, note_idx, -1)
    ]
    reason = np.full(n, None, dtype=object)
    reason[np.isnan(d)] = "the goal states no comparator"
    # without its base year a change goal has no target, whether or not later values exist:
    # say which year is missing rather than a bare "no data"
    lacks_base = change & np.isnan(v_base) & ~np.isnan(d)
    regions = sk["region"].to_numpy(dtype=object)
    for i in np.flatnonzero(lacks_base):
        reason[i] = f"no {base_year[i]} value (the base year) for {regions[i]}"
    for i in np.flatnonzero(has & ~no_data & one_point & ~met & ~past):
        reason[i] = f"one value only ({t[i]})"
    # the goal year has passed but its value is not known: say that the trend judged it
    t_last = _take(year_of, keys.latest(pair, np.full(n, YEAR_MASK)), -1)
    for i in np.flatnonzero(has & ~no_data & ~past & ~met & (t_last > Y)):
        reason[i] = f"no value for {Y[i]}: judged by the trend to {t[i]}"

    nan_if = ~has
    return pd.DataFrame(
        {
            "year": _nullable_int(t, has),
            "value": v,
            "target": target,
            "gap": np.where(nan_if, np.nan, gap),
            "gap_pct": np.where(nan_if, np.nan, gap_pct),
            "progress": progress,
            "time_elapsed": time_elapsed,
            "baseline_year": _nullable_int(t0, has),
            "baseline_value": v0,
            "actual_rate": actual,
            "required_rate": required,
            "ratio": ratio,
            "projected": projected,
            "status": headline,
            "pace_status": status,
            "status_rule": np.where(distance, "distance", "pace"),
            "distance_share": share,
            "schedule_years": schedule_years,
            "rate_needed": rate_needed,
            "derived": derived.astype(bool),
            "linear": linear & has,
            "note": notes,
            "reason": reason,
        }
    )


def _share(part: FloatArray, whole: FloatArray) -> FloatArray:
    """part / whole for non-negative arrays: NaN where either is NaN, 0 for 0 / 0, +inf where
    the quotient would not be a finite float (whole 0, or far too small for part)."""
    part = np.asarray(part, dtype=np.float64)
    whole = np.asarray(whole, dtype=np.float64)
    nan = np.isnan(part) | np.isnan(whole)
    # a quotient above the largest float would overflow: compare before dividing
    fits = ~nan & (whole > 0) & (part / np.finfo(np.float64).max <= whole)
    safe = np.where(fits, whole, 1.0)
    out = np.where(fits, np.where(fits, part, 0.0) / safe, np.inf)
    out = np.where(~nan & ~fits & (part == 0), 0.0, out)
    return np.where(nan, np.nan, out)


def _quotient(num: FloatArray, den: FloatArray) -> FloatArray:
    """num / den with its sign; NaN where den is 0 or either is NaN, ±inf beyond the floats."""
    num = np.asarray(num, dtype=np.float64)
    den = np.asarray(den, dtype=np.float64)
    sign = np.sign(num) * np.sign(den)
    out = np.where(sign == 0, 0.0, sign) * _share(np.abs(num), np.abs(den))
    return np.where((den == 0) | np.isnan(den) | np.isnan(num), np.nan, out)


def _nullable_int(values: IntArray, present: NDArray[np.bool_]) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(np.where(present, values, 0).astype(np.int64), ~present)


# ---------------------------------------------------------------------------- the entry point


def compute_gaps(
    catalogue: CatalogueLike,
    regions: RegionsLike,
    obs: pd.DataFrame | aggregate.Derived,
    *,
    milestone: int | None = None,
    year: int | None = None,
    indicators: Collection[str] | None = None,
    region_ids: Collection[str] | None = None,
) -> pd.DataFrame:
    """The gap table: one row per indicator × region × numeric milestone (columns GAP_COLUMNS first).

    `obs` is the values in force, or them already derived (aggregate.Derived, as the Tracker
    hands them). `year` is the "as of" year (only observations up to it count); `milestone` keeps
    one goal year. Rows cover each indicator's scope regions (no_data where they have no value)
    and, for `compare: all_regions`, every region with a value.
    """
    if isinstance(obs, aggregate.Derived) and year is None:
        coded, reasons = obs.coded, obs.reasons
        observed = obs.observed
    else:
        # as of a year, values derived from later observations must not count: derive again
        obs = obs.observed if isinstance(obs, aggregate.Derived) else aggregate.observed_rows(obs)
        if year is not None:
            obs = obs[pd.to_numeric(obs["year"], errors="coerce") <= year].reset_index(drop=True)
        coded = encode(obs, regions.regions)
        coded, reasons = aggregate.derive_coded(catalogue, regions, coded)
        observed = obs
    sk = _skeleton(catalogue, regions, coded, milestone, indicators, region_ids)
    measures = _judge(sk, coded, _as_of(coded, year))
    out = pd.concat([sk, measures], axis=1)
    out = _explain_missing(out, reasons)
    out = pd.concat([out, provisional_columns(out, observed, catalogue, regions)], axis=1)
    return _finish(out)


def _as_of(coded: Coded, year: int | None) -> int:
    """The present the headline judges from: the as-of year, else the latest year with a value."""
    if year is not None:
        return int(year)
    return int((coded.key & YEAR_MASK).max()) if len(coded.key) else 0


def _explain_missing(out: pd.DataFrame, reasons: pd.DataFrame) -> pd.DataFrame:
    """For a no_data row without a reason yet: the latest reason its value could not be derived."""
    todo = ((out["status"] == "no_data") & out["reason"].isna()).to_numpy()
    if not todo.any():
        return out
    found = np.full(int(todo.sum()), None, dtype=object)
    if len(reasons):
        latest = (
            reasons.sort_values("year", kind="stable")
            .groupby(["indicator", "region"], sort=False)["reason"]
            .last()
        )
        idx = pd.MultiIndex.from_frame(out.loc[todo, ["indicator", "region"]].astype(object))
        found = latest.reindex(idx).to_numpy(dtype=object)
    reason = out["reason"].to_numpy(dtype=object).copy()
    reason[todo] = [r if isinstance(r, str) else "no value" for r in found]
    return out.assign(reason=reason)


def _finish(out: pd.DataFrame) -> pd.DataFrame:
    """Column order and dtypes of the contract (text columns as str, missing text as NaN)."""
    out = out.astype({"milestone_year": "int64"})
    for col in out.columns[(out.dtypes == np.float64).to_numpy()]:
        out[col] = out[col] + 0.0  # -0.0 (0 / a negative number) shows as "-0": make it 0
    for col in (
        "indicator",
        "region",
        "goal_scope",
        "role",
        "status",
        "pace_status",
        "status_rule",
        "basis",
        "comparator",
        "direction",
        "note",
        "reason",
    ):
        out[col] = out[col].astype("str")
    return out[list(GAP_COLUMNS) + list(EXTRA_COLUMNS)].reset_index(drop=True)


def method_text(lang: str = "zh") -> str:
    """The method as the dashboard's method page shows it."""
    return METHOD_TEXT["en" if lang == "en" else "zh"]
