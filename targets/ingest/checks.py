"""Validation of melted value cells: one small generator per rule, each yielding located Issues.

`validate` resolves every distinct label once (a 2,000,000-row file names a few dozen regions),
parses the values column-wise, runs the rules and returns the rows to store. A file with any
issue is refused whole by the caller. Issues go to a bounds.IssueLog: each rule makes the issues
the log still keeps and only counts the others (a wrong value on each of a million rows costs a
count, not a million messages).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from targets.flags import ESTIMATE_CODE, read_flag
from targets.ingest.bounds import IssueLog
from targets.ingest.formats import read_format
from targets.ingest.messages import MESSAGES, make_issue
from targets.ingest.resolve import Resolver, parse_year, part_of_year
from targets.ingest.values import (
    ESTIMATE_IN_VALUE,
    MARK_CHARS,
    mark_meaning,
    normalise_unit,
    parse_column,
    scale_column,
    unit_factor,
)
from targets.issues import Issue, Notice, column_letter, notice
from targets.models import Indicator

DIMS = ("indicator", "region", "year")  # the label columns validate reads as codes
ROW_COLUMNS: tuple[str, ...] = (
    "indicator", "region", "year", "value", "unit", "note", "flag", "sheet", "row", "column",
)  # fmt: skip


@dataclass
class Checked:
    rows: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)


@dataclass
class Ctx:
    res: Resolver
    lang: str
    file: str
    log: IssueLog = field(default_factory=IssueLog)


def empty_rows() -> pd.DataFrame:
    """Rows to store, none yet. Text columns are Python objects (str, or None for no note), not
    pandas' Arrow-backed str: the store hands them to the driver as Python strings, and copying
    each column into Arrow and back cost `targets import` of 110,000 rows 0.06 s CPU."""
    return pd.DataFrame(
        {
            "indicator": pd.Series([], dtype=object),
            "region": pd.Series([], dtype=object),
            "year": pd.Series([], dtype="int64"),
            "value": pd.Series([], dtype="float64"),
            "unit": pd.Series([], dtype=object),
            "note": pd.Series([], dtype="object"),
            "flag": pd.Series([], dtype=object),
            "sheet": pd.Series([], dtype=object),
            "row": pd.Series([], dtype="int64"),
            "column": pd.Series([], dtype=object),
        }
    )


@dataclass(frozen=True)
class Coded:
    """A column as codes into its distinct values, factorized once and read by every step that
    needs it: each pd.factorize of 110,000 Python strings costs about 4 ms, and a column used to
    be hashed again by each check. Code -1 is a missing value (None or NaN)."""

    codes: np.ndarray
    uniques: Any  # what pd.factorize gives: iterated, never indexed per row

    @classmethod
    def of(cls, values: np.ndarray) -> Coded:
        first = values[0] if len(values) else None
        if type(first) is str and type(values[-1]) is str and values[-1] == first:
            try:
                constant = bool((values == first).all())
            except TypeError:  # pd.NA among them: no truth value
                constant = False
            if constant:  # one text throughout (no flag or unit column: all ""): no hashing
                return cls(np.zeros(len(values), dtype=np.intp), [first])
        # copy=False: pandas 3 copies an array into a new Series by default (1 ms at 110,000)
        series = pd.Series(values, dtype=object, copy=False)
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        return cls(codes, uniques)

    def table(self, fn: Callable[[Any], Any]) -> np.ndarray:
        """fn over each distinct value once, indexed by code; the last entry, which code -1
        reads, is fn(None), computed only when a value is missing."""
        mapped = np.empty(len(self.uniques) + 1, dtype=object)
        for k, u in enumerate(self.uniques):
            mapped[k] = fn(u)
        if (self.codes < 0).any():
            mapped[-1] = fn(None)
        return mapped

    def map(self, fn: Callable[[Any], Any]) -> np.ndarray:
        """fn over each distinct value once, broadcast back to the rows."""
        return self.table(fn)[self.codes]

    def take(self, mask: np.ndarray) -> Coded:
        return Coded(self.codes[mask], self.uniques)


def _map_unique(values: np.ndarray, fn: Callable[[Any], Any]) -> np.ndarray:
    """fn over each distinct value once, broadcast back; None/NaN are passed to fn as None."""
    return Coded.of(values).map(fn)


def _map_pairs(
    a: Coded, b: Coded, b_values: np.ndarray, fn: Callable[[Any, Any], Any]
) -> np.ndarray:
    """fn(a's value, b's value) over each distinct pair of codes once, broadcast back; a missing
    a is passed as None, b's value is read from `b_values` (a Coded.table of b).

    The pairs are numbered from each side's codes: no tuple is made per row."""
    a_values = [*a.uniques, None]  # code -1 reads the last: None
    width = len(b_values)
    pair_codes, pairs = pd.factorize(
        np.where(a.codes < 0, len(a_values) - 1, a.codes).astype(np.int64) * width
        + np.where(b.codes < 0, width - 1, b.codes)
    )
    mapped = np.empty(len(pairs), dtype=object)
    for k, pair in enumerate(pairs):
        mapped[k] = fn(a_values[pair // width], b_values[pair % width])
    return mapped[pair_codes]


def _located(
    ctx: Ctx, key: str, frame: pd.DataFrame, mask: np.ndarray, prefix: str, label_col: str
) -> Iterator[Issue]:
    """One issue per distinct (sheet, cell) among the masked rows; labels pointed at where written."""
    if not mask.any():
        return
    sub = frame.loc[mask, ["sheet", f"{prefix}_row", f"{prefix}_col", label_col]]
    sub = sub.drop_duplicates(["sheet", f"{prefix}_row", f"{prefix}_col"])
    for sheet, row, col, label in ctx.log.kept(sub, MESSAGES[key][0]).itertuples(index=False):
        yield make_issue(
            key, ctx.lang, file=ctx.file, sheet=sheet, row=int(row), col=int(col), label=label
        )


def check_indicators(ctx: Ctx, frame: pd.DataFrame, ids: np.ndarray) -> Iterator[Issue]:
    unknown = ids == None  # noqa: E711 - elementwise over an object array
    if not unknown.any():
        return
    blank = unknown & (frame["indicator"].to_numpy(dtype=object) == "")
    yield from _located(ctx, "no-indicator", frame, blank, "ind", "indicator")
    named = unknown & ~blank
    if not named.any():
        return
    sub = frame.loc[named, ["sheet", "ind_row", "ind_col", "indicator"]].drop_duplicates(
        ["sheet", "ind_row", "ind_col"]
    )
    for sheet, row, col, label in ctx.log.kept(sub, "unknown-indicator").itertuples(index=False):
        yield make_issue(
            "unknown-indicator", ctx.lang, file=ctx.file, sheet=sheet, row=int(row), col=int(col),
            label=label, suggestions=ctx.res.indicator_suggestions(label),
        )  # fmt: skip


def check_regions(
    ctx: Ctx, frame: pd.DataFrame, ids: np.ndarray, skip: np.ndarray | None = None
) -> Iterator[Issue]:
    """Unknown and missing regions; `skip` marks cells reported otherwise (totals)."""
    unknown = ids == None  # noqa: E711
    if skip is not None:
        unknown = unknown & ~skip
    if not unknown.any():
        return
    blank = unknown & (frame["region"].to_numpy(dtype=object) == "")
    yield from _located(ctx, "no-region", frame, blank, "reg", "region")
    named = unknown & ~blank
    if not named.any():
        return
    sub = frame.loc[named, ["sheet", "reg_row", "reg_col", "region"]].drop_duplicates(
        ["sheet", "reg_row", "reg_col"]
    )
    for sheet, row, col, label in ctx.log.kept(sub, "unknown-region").itertuples(index=False):
        yield make_issue(
            "unknown-region", ctx.lang, file=ctx.file, sheet=sheet, row=int(row), col=int(col),
            label=label, suggestions=ctx.res.region_suggestions(label),
        )  # fmt: skip


def check_years(ctx: Ctx, frame: pd.DataFrame, years: np.ndarray) -> Iterator[Issue]:
    bad = np.isnan(years)
    if not bad.any():
        return
    blank = bad & (frame["year"].to_numpy(dtype=object) == "")
    sheet_wide = blank & (frame["yr_row"].to_numpy() == 0)
    for sheet in pd.unique(frame.loc[sheet_wide, "sheet"]):
        yield make_issue("no-year", ctx.lang, file=ctx.file, sheet=sheet)
    yield from _located(ctx, "no-year-cell", frame, blank & ~sheet_wide, "yr", "year")
    labels = frame["year"].to_numpy(dtype=object)
    part = np.zeros(len(frame), dtype=bool)
    named = np.flatnonzero(bad & ~blank)
    if len(named):
        said = {t: part_of_year(str(t)) for t in pd.unique(labels[named])}  # each text once
        part[named] = [said[t] for t in labels[named]]
    yield from _located(ctx, "part-of-year", frame, part, "yr", "year")
    yield from _located(ctx, "bad-year", frame, bad & ~blank & ~part, "yr", "year")


def check_units(
    ctx: Ctx, frame: pd.DataFrame, inds: np.ndarray, factors: np.ndarray
) -> Iterator[Issue]:
    bad = np.isnan(factors)
    if not bad.any():
        return
    sub = frame.loc[bad, ["sheet", "unit_row", "unit_col", "unit"]].assign(ind=inds[bad])
    sub = sub.drop_duplicates(["sheet", "unit_row", "unit_col", "unit", "ind"])
    for sheet, row, col, unit, ind in ctx.log.kept(sub, "unit-mismatch").itertuples(index=False):
        indicator: Indicator = ctx.res.catalogue.indicators[ind]
        yield make_issue(
            "unit-mismatch", ctx.lang, file=ctx.file, sheet=sheet, row=int(row), col=int(col),
            given=unit, expected=indicator.unit.zh, indicator=ind,
        )  # fmt: skip


def check_values(
    ctx: Ctx, frame: pd.DataFrame, error: np.ndarray, message: np.ndarray, hints: np.ndarray
) -> Iterator[Issue]:
    found = np.flatnonzero(error != None)  # noqa: E711
    if not len(found):
        return
    room = ctx.log.room()
    for value_error, n in pd.Series(error[found[room:]]).value_counts().items():
        code = MESSAGES[_VALUE_ERRORS.get(str(value_error), "unit-mismatch-cell")][0]
        ctx.log.count(code, int(n))
    for i in found[:room]:
        key = _VALUE_ERRORS.get(str(error[i]), "unit-mismatch-cell")
        yield make_issue(
            key, ctx.lang, file=ctx.file, sheet=frame["sheet"].iat[i], row=int(frame["row"].iat[i]),
            col=int(frame["col"].iat[i]), detail=message[i], label=str(frame["cell"].iat[i]),
            expected=hints[i] or "",
        )  # fmt: skip


def check_flags(
    ctx: Ctx, frame: pd.DataFrame, codes: np.ndarray, marks: np.ndarray | None = None
) -> Iterator[Issue]:
    """A flag cell outside the vocabulary, or saying the value is an estimate (预计), or a flag
    (cell or mark) the words on the number contradict: refused at the value it flags."""
    found = np.flatnonzero(codes != None)  # noqa: E711
    if not len(found):
        return
    room = ctx.log.room()
    for code, n in pd.Series(codes[found[room:]]).value_counts().items():
        ctx.log.count(str(code), int(n))
    written = frame["flag"] if "flag" in frame else pd.Series([None] * len(frame), dtype=object)
    for i in found[:room]:
        flag = written.iat[i]
        said = "" if pd.isna(flag) or not str(flag).strip() else str(flag)
        if not said and marks is not None:
            said = str(marks[i])  # the mark that flags it: 4.4左右(p)
        yield make_issue(
            str(codes[i]), ctx.lang, file=ctx.file, sheet=frame["sheet"].iat[i],
            row=int(frame["row"].iat[i]), col=int(frame["col"].iat[i]),
            label=str(frame["cell"].iat[i]), detail=said,
        )  # fmt: skip


def value_flags(
    frame: pd.DataFrame,
    marks: np.ndarray,
    footnotes: dict[str, list[str]],
    words: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Each value's flag (targets.flags) and the issue code of a flag that is refused.

    The flag column says it; where it is empty, the words on the number (4.4左右: `approx`) or
    the mark on it do: (p), or a mark whose note row calls the figure preliminary (①为初步核算数),
    is `prelim`. A revision (r) is a final figure. Where the words on the number and a written
    flag cell or mark say different things, the value is refused (`flag-conflict`): one value
    carries one flag, and choosing one would hide the other.
    """
    n = len(frame)
    written = frame["flag"].to_numpy(dtype=object) if "flag" in frame else np.full(n, "", object)
    coded = Coded.of(written)  # hashed once for the three readings below
    flags = coded.map(lambda w: read_flag(w)[0])
    codes = coded.map(lambda w: read_flag(w)[1])
    said = np.full(n, "", dtype=object) if words is None else words
    # a table of bools, read per row: no object array to turn into bools row by row
    blank = coded.table(lambda w: w is None or not str(w).strip()).astype(bool)[coded.codes]
    # words on the number: the flag where the flag cell is empty, a conflict where it says other
    worded = (said != "") & (codes == None)  # noqa: E711
    flags[worded & blank] = said[worded & blank]
    codes[worded & ~blank & (flags != said)] = CONFLICT_CODE
    marked = np.flatnonzero(blank & (marks != "") & (codes == None))  # noqa: E711
    sheets = frame["sheet"].to_numpy(dtype=object) if len(marked) else marks
    cache: dict[tuple[str, str], str] = {}
    for i in marked:
        key = (str(sheets[i]), str(marks[i]))
        if key not in cache:
            note = _mark_note(key[1], footnotes.get(key[0], []))
            prelim = mark_meaning(key[1])[1] == "prelim" or "初步" in note
            cache[key] = "prelim" if prelim or "preliminary" in note.lower() else ""
            if any(w in _mark_clause(key[1], note) for w in ESTIMATE_IN_VALUE):
                cache[key] = ESTIMATE_CODE  # ①为预计数: a forecast, never the year's value
        if cache[key] == ESTIMATE_CODE:
            codes[i] = ESTIMATE_CODE
            continue
        if not cache[key]:
            continue
        if said[i]:
            codes[i] = CONFLICT_CODE  # 4.4左右(p): approximate and preliminary at once
        else:
            flags[i] = cache[key]
    return flags, codes


# the words on a number and its flag cell (or mark) say different things
CONFLICT_CODE = "flag-conflict"


_VALUE_ERRORS = {
    "bad-value": "bad-value",
    "estimate-value": "estimate-value",
    "formula-not-computed": "formula-not-computed",
    "number-format": "number-format",
    "unit-mismatch": "unit-mismatch-cell",
}


def check_ranges(
    ctx: Ctx, rows: pd.DataFrame, outside: np.ndarray | None = None
) -> Iterator[Issue]:
    """Values outside their indicator's valid range. `outside`, when given, marks them already
    (validate tests all rows at once): without one there is nothing to report."""
    if outside is not None and not outside.any():
        return
    for ind, group in rows.groupby("indicator", sort=False):
        indicator = ctx.res.catalogue.indicators[str(ind)]
        if indicator.valid_range is None:
            continue
        lo, hi = indicator.valid_range
        v = group["value"].to_numpy()
        out = np.flatnonzero((v < lo) | (v > hi))
        room = ctx.log.room()
        ctx.log.count("out-of-range", len(out) - room)
        for k in out[:room]:
            r = group.iloc[k]
            yield make_issue(
                "out-of-range", ctx.lang, file=ctx.file, sheet=r["sheet"], row=int(r["row"]),
                letter=r["column"], value=float(v[k]), lo=lo, hi=hi,
                unit=indicator.unit.get(ctx.lang), indicator=indicator.name.get(ctx.lang),
            )  # fmt: skip


def check_duplicates(ctx: Ctx, rows: pd.DataFrame, dup: np.ndarray) -> Iterator[Issue]:
    """The same (indicator, region, year) with different values: every occurrence is reported.

    `dup` marks the rows whose key is on another row too."""
    key = ["indicator", "region", "year"]
    if not dup.any():
        return
    sub = rows[dup]
    # Vectorised first pass: a key conflicts when its values spread beyond rounding noise.
    # Repeats of the same value are common (one figure quoted on several sheets) and cheap here;
    # only the conflicting keys, rare in real files, go through the per-group loop below.
    values = sub.groupby(key, sort=False)["value"]
    lo, hi = values.transform("min"), values.transform("max")
    conflicting = (hi - lo) > 1e-9 * np.maximum(hi.abs(), lo.abs())
    if not conflicting.any():
        return
    for _k, group in sub[conflicting].groupby(key, sort=False):
        v = group["value"].to_numpy()
        if np.allclose(v, v[0], rtol=1e-9, atol=0):
            continue
        room = ctx.log.room()
        ctx.log.count("duplicate-conflict", len(group) - room)
        for i in range(min(room, len(group))):
            other = next(
                j for j in range(len(group)) if not np.isclose(v[j], v[i], rtol=1e-9, atol=0)
            )
            o = group.iloc[other]
            r = group.iloc[i]
            where = f"{o['sheet'] + '!' if o['sheet'] else ''}{o['column']}{o['row']}"
            yield make_issue(
                "duplicate-conflict", ctx.lang, file=ctx.file, sheet=r["sheet"], row=int(r["row"]),
                letter=r["column"], indicator=r["indicator"], region=r["region"],
                year=int(r["year"]), value=float(v[i]), other=float(v[other]), where=where,
            )  # fmt: skip


def validate(
    cells: pd.DataFrame,
    res: Resolver,
    *,
    lang: str = "en",
    file: str = "",
    footnotes: dict[str, list[str]] | None = None,
    log: IssueLog | None = None,
    labels: Mapping[str, tuple[np.ndarray, np.ndarray]] | None = None,
) -> Checked:
    """Melted cells (layouts.CELL_COLUMNS + sheet) -> rows to store, issues, warnings.

    `footnotes` are each sheet's note rows as written: a mark on a value (3.29①) takes the note
    that explains it into the value's note. The issues go to `log` (one per file, shared with the
    layouts' issues); without one, the Checked result holds the issues this call found (at most
    MAX_ERRORS). `labels` (SheetResult.labels) give a label column as codes into a table of its
    labels, so that it is not hashed again here.
    """
    ctx = Ctx(res, lang, file, IssueLog() if log is None else log)
    obj = cells["cell"].to_numpy(dtype=object)
    if pd.api.types.infer_dtype(obj, skipna=False) == "string":  # all text: none is NA
        present = obj != ""
    else:
        present = ~(pd.isna(obj) | (obj == ""))
    given = {
        dim: Coded(codes, table)
        for dim, (codes, table) in (labels or {}).items()
        if dim in DIMS and len(codes) == len(cells)
    }
    if present.all():
        frame = cells.reset_index(drop=True)
    else:
        frame = cells[present].reset_index(drop=True)
        given = {dim: coded.take(present) for dim, coded in given.items()}
    if frame.empty:
        return Checked(empty_rows())
    catalogue = res.catalogue.indicators
    # Each label column is hashed once (here, or by the layout); the ids, units, years and the
    # keys of repeats are read from its codes, never by hashing 110,000 strings again.
    ind_labels = given.get("indicator") or Coded.of(frame["indicator"].to_numpy(dtype=object))
    ind_table = ind_labels.table(_indicator_id(res))
    inds = ind_table[ind_labels.codes]
    fmt = _formats(frame)
    if fmt is None:
        declared = frame["unit"].to_numpy(dtype=object)
    else:
        declared, frame = _cell_units(frame, fmt)
    unit_table = np.array(
        [catalogue[i].unit.zh if i is not None else "" for i in ind_table], dtype=object
    )
    cat_unit = unit_table[ind_labels.codes]
    hints = np.where(declared != "", declared, cat_unit)
    parsed = parse_column(frame["cell"], pd.Series(hints, dtype=object, copy=False))
    values_in = ~parsed.missing
    keep: np.ndarray | slice = values_in
    if values_in.all():
        keep = slice(None)  # every cell holds a value: views, not copies
    else:
        frame = frame[keep].reset_index(drop=True)
        inds, hints, declared, cat_unit = inds[keep], hints[keep], declared[keep], cat_unit[keep]
        ind_labels = ind_labels.take(values_in)
        given = {dim: coded.take(values_in) for dim, coded in given.items()}
    value, error, message = parsed.value[keep], parsed.error[keep], parsed.message[keep]
    marks, words = parsed.mark[keep], parsed.flag[keep]
    if fmt is not None:
        fmt = FormatColumns(fmt.scale[keep], fmt.unit[keep], fmt.refused[keep], fmt.clash[keep])
        value = scale_column(value, fmt.scale)
        bad_fmt = (fmt.refused != "") & (error == None)  # noqa: E711
        error = np.where(bad_fmt, "number-format", error)
        message = np.where(bad_fmt, fmt.refused, message)
        clash = (fmt.clash != "") & (error == None)  # noqa: E711
        error = np.where(clash, "unit-mismatch", error)
        message = np.where(clash, fmt.clash, message)
    if frame.empty:
        return Checked(empty_rows())

    reg_labels = given.get("region") or Coded.of(frame["region"].to_numpy(dtype=object))
    reg_table = reg_labels.table(_region_id(res))
    regs, totals, total_issues = _resolve_totals(ctx, frame, reg_table[reg_labels.codes])
    year_labels = given.get("year") or Coded.of(frame["year"].to_numpy(dtype=object))
    year_table = year_labels.table(_year).astype(float)
    years = year_table[year_labels.codes]
    known = inds != None  # noqa: E711
    factors = np.ones(len(frame))
    if known.any():
        factors[known] = _map_pairs(
            Coded.of(declared[known]), ind_labels.take(known), ind_table,
            lambda unit, ind: _factor(unit, catalogue[ind]),
        ).astype(float)  # fmt: skip

    found = len(ctx.log.issues)
    ctx.log.extend(check_indicators(ctx, frame, inds))
    ctx.log.extend(check_regions(ctx, frame, regs, skip=totals))
    ctx.log.extend(total_issues)
    ctx.log.extend(check_years(ctx, frame, years))
    ctx.log.extend(check_units(ctx, frame, inds, factors))
    ctx.log.extend(check_values(ctx, frame, error, message, hints))
    flags, flag_codes = value_flags(frame, marks, footnotes or {}, words)
    ctx.log.extend(check_flags(ctx, frame, flag_codes, marks))

    ok = (
        known
        & (regs != None)  # noqa: E711
        & ~np.isnan(years)
        & ~np.isnan(factors)
        & (error == None)  # noqa: E711
        & (flag_codes == None)  # noqa: E711
    )
    every = bool(ok.all())  # the usual file: no copy of any column

    def kept(a: np.ndarray) -> np.ndarray:
        return a if every else a[ok]

    notes = _notes_with_marks(frame, marks, footnotes or {})
    sheets = kept(frame["sheet"].to_numpy(dtype=object))
    values = scale_column(kept(value), kept(factors))
    rows = _rows(
        sheets, kept(frame["row"].to_numpy()), kept(frame["col"].to_numpy()), kept(inds),
        kept(regs), kept(years), values, kept(cat_unit), kept(notes), kept(flags),
    )  # fmt: skip
    # ranges tested on all rows at once: the per-indicator loop runs only to report
    lo_table, hi_table = _range_tables(ind_table, catalogue)
    codes = kept(ind_labels.codes)
    ctx.log.extend(check_ranges(ctx, rows, (values < lo_table[codes]) | (values > hi_table[codes])))
    # each key's rows found once: the check and the dropping of repeats both read it
    reg_codes = None if totals.any() else kept(reg_labels.codes)
    year_codes = kept(year_labels.codes)
    repeated = _repeated(codes, ind_table, reg_codes, reg_table, year_codes, year_table, rows)
    ctx.log.extend(check_duplicates(ctx, rows, repeated))
    warnings = _conversion_warnings(sheets, kept(declared), kept(inds), kept(factors), catalogue)
    warnings += total_warnings(ctx, rows, kept(totals))
    before = len(rows)
    if repeated.any():
        rows = rows.drop_duplicates(
            ["indicator", "region", "year"], keep="first", ignore_index=True
        )
    conflicts = ctx.log.more["duplicate-conflict"] or any(
        i.code == "duplicate-conflict" for i in ctx.log.issues
    )
    if len(rows) < before and not conflicts:
        warnings.append(notice("repeated", n=before - len(rows)))
    return Checked(rows, ctx.log.issues[found:], warnings)


def _range_tables(ind_table: np.ndarray, catalogue: Any) -> tuple[np.ndarray, np.ndarray]:
    """Each indicator code's valid range (-inf, inf where it has none, or no indicator)."""
    lo = np.full(len(ind_table), -np.inf)
    hi = np.full(len(ind_table), np.inf)
    for k, ind in enumerate(ind_table):
        bounds = None if ind is None else catalogue[ind].valid_range
        if bounds is not None:
            lo[k], hi[k] = bounds
    return lo, hi


def _repeated(
    ind_codes: np.ndarray,
    ind_table: np.ndarray,
    reg_codes: np.ndarray | None,
    reg_table: np.ndarray,
    year_codes: np.ndarray,
    year_table: np.ndarray,
    rows: pd.DataFrame,
) -> np.ndarray:
    """rows.duplicated(["indicator", "region", "year"], keep=False), from the label codes: two
    labels of one id (上海, shanghai; 2023, 2023年) get one code here. Without `reg_codes` (totals
    gave some rows another region) the rows' regions are hashed again."""
    id_of_ind = pd.factorize(pd.Series(ind_table, dtype=object), use_na_sentinel=False)[0]
    ind = id_of_ind[ind_codes].astype(np.int64)
    if reg_codes is None:
        reg, reg_ids = pd.factorize(pd.Series(rows["region"].to_numpy(dtype=object), dtype=object))
        n_reg = len(reg_ids)
    else:
        id_of_reg = pd.factorize(pd.Series(reg_table, dtype=object), use_na_sentinel=False)[0]
        reg, n_reg = id_of_reg[reg_codes], len(reg_table)
    year = pd.factorize(year_table, use_na_sentinel=False)[0][year_codes]
    key = (ind * n_reg + reg) * len(year_table) + year
    return pd.Series(key, copy=False).duplicated(keep=False).to_numpy()


@dataclass(frozen=True)
class FormatColumns:
    """Per melted cell, what its number format does: scale, unit, why refused, unit clash."""

    scale: np.ndarray
    unit: np.ndarray
    refused: np.ndarray
    clash: np.ndarray


def _formats(frame: pd.DataFrame) -> FormatColumns | None:
    """What each cell's number format does, each distinct format read once; None where no cell
    has one (a text file): nothing to scale, refuse or compare."""
    if "fmt" not in frame:
        return None
    codes = frame["fmt"].to_numpy(dtype=object)
    has = np.flatnonzero(codes != "")
    if not len(has):
        return None
    n = len(frame)
    out = FormatColumns(
        np.ones(n), np.full(n, "", dtype=object), np.full(n, "", dtype=object),
        np.full(n, "", dtype=object),
    )  # fmt: skip
    cells = frame["cell"].to_numpy(dtype=object)
    for code in pd.unique(codes[has]):
        idx = has[codes[has] == code]
        kinds = np.array([type(c) for c in cells[idx]], dtype=object)
        idx = idx[(kinds == float) | (kinds == int)]  # noqa: E721 - a format shows only numbers
        if not len(idx):
            continue
        fmt = read_format(str(code))
        numbers = cells[idx].astype(float)
        sign = np.where(numbers < 0, 1, np.where(numbers == 0, 2, 0))
        for which in np.unique(sign):
            sel = idx[sign == which]
            section = fmt.section({0: 1.0, 1: -1.0, 2: 0.0}[int(which)])
            if section.refused:  # neither its scale nor its unit is taken
                out.refused[sel] = [
                    f"{section.refused}: the cell holds {c!r} and shows another number"
                    for c in cells[sel]
                ]
                continue
            out.scale[sel], out.unit[sel] = section.scale, section.unit
    return out


def _cell_units(frame: pd.DataFrame, fmt: FormatColumns) -> tuple[np.ndarray, pd.DataFrame]:
    """The unit each value is in: the one its format writes, else the column's. A format unit
    that differs from the column's is a clash (refused at the cell); one that the column lacks
    becomes the cell's own unit, located at the cell."""
    declared = frame["unit"].to_numpy(dtype=object)
    own = fmt.unit != ""
    if not own.any():
        return declared, frame
    for i in np.flatnonzero(own & (declared != "")):
        if normalise_unit(declared[i]) != fmt.unit[i]:
            fmt.clash[i] = (
                f"the cell's format shows {fmt.unit[i]!r} but the unit given for it is "
                f"{declared[i]!r}"
            )
    frame = frame.copy()
    frame.loc[own, "unit"] = fmt.unit[own]
    frame.loc[own, "unit_row"] = frame.loc[own, "row"]
    frame.loc[own, "unit_col"] = frame.loc[own, "col"]
    return np.where(own, fmt.unit, declared), frame


def _notes_with_marks(
    frame: pd.DataFrame, marks: np.ndarray, footnotes: dict[str, list[str]]
) -> np.ndarray:
    """Each value's note, with the meaning of the marks taken off its number appended: the
    sheet's note row that names the mark, as written, or what the mark says by itself."""
    notes = frame["note"].to_numpy(dtype=object).copy()
    sheets = frame["sheet"].to_numpy(dtype=object)
    cache: dict[tuple[str, str], str] = {}
    for i in np.flatnonzero(marks != ""):
        key = (str(sheets[i]), str(marks[i]))
        meaning = cache.get(key)
        if meaning is None:
            meaning = cache[key] = _mark_note(key[1], footnotes.get(key[0], []))
        notes[i] = f"{notes[i]}; {meaning}" if notes[i] else meaning
    return notes


def _mark_clause(mark: str, note: str) -> str:
    """What the note row says of this mark alone: `注：①为初步数；②为预计数` -> `为初步数` for ①
    (up to the next mark or sentence end); "" when the note does not name the mark."""
    symbol = mark.strip()
    body = note[len(mark) :]
    at = body.find(symbol) if symbol else -1
    if at < 0:
        return ""
    rest = body[at + len(symbol) :]
    end = next((k for k, ch in enumerate(rest) if ch in MARK_CHARS or ch in "；;。"), len(rest))
    return rest[:end]


def _mark_note(mark: str, footnotes: list[str]) -> str:
    symbols = [ch for ch in mark if not ch.isspace()]
    for text in footnotes:
        # the note that names this mark (① … ; * 初步数 …), quoted as the sheet writes it
        if mark in text or (len(symbols) == 1 and symbols[0] in text and symbols[0] not in "()"):
            return f"{mark} {text.strip()}"
    return mark_meaning(mark)[0]


def _resolve_totals(
    ctx: Ctx, frame: pd.DataFrame, regs: np.ndarray
) -> tuple[np.ndarray, np.ndarray, list[Issue]]:
    """Totals rows (合计, 长三角合计 …) -> the region they total; a mask of them; issues for
    totals that total no region (located, instead of `unknown region 合计`)."""
    totals = np.zeros(len(frame), dtype=bool)
    unresolved = regs == None  # noqa: E711
    if not unresolved.any():
        return regs, totals, []
    labels = frame["region"].to_numpy(dtype=object)
    sheets = frame["sheet"].to_numpy(dtype=object)
    regs = regs.copy()
    issues: list[Issue] = []
    for sheet in pd.unique(sheets[unresolved]):
        in_sheet = sheets == sheet
        listed = {str(r) for r in regs[in_sheet & ~unresolved]}
        for label in pd.unique(labels[in_sheet & unresolved]):
            region, is_total = ctx.res.total_of(str(label), listed)
            if not is_total:
                continue
            rows = in_sheet & (labels == label)
            totals |= rows
            if region is not None:
                regs[rows] = region.id
                continue
            sub = frame.loc[rows, ["reg_row", "reg_col"]].drop_duplicates()
            names = "、".join(sorted(listed)) or "-"
            for row, col in sub.itertuples(index=False):
                issues.append(
                    make_issue(
                        "total-unknown", ctx.lang, file=ctx.file, sheet=str(sheet),
                        row=int(row), col=int(col), label=label, listed=names,
                    )
                )  # fmt: skip
    return regs, totals, issues


def total_warnings(ctx: Ctx, rows: pd.DataFrame, totals: np.ndarray) -> list[Notice]:
    """A total beside all its members, for series that add up (amounts, counts: no formula, no
    weight): warn when it is not their sum within rounding. A warning, not a refusal: published
    totals can differ from the sum of published parts (revisions, undistributed items)."""
    if not totals.any():
        return []
    members_of = getattr(ctx.res.regions, "members", None)
    if members_of is None:
        return []
    out: list[Notice] = []
    total_rows = rows[totals]
    parts_all = rows[~totals]
    for r in total_rows.itertuples(index=False):
        ind = ctx.res.catalogue.indicators[r.indicator]
        if ind.formula or ind.weight is not None:
            continue  # a ratio or a mean: its total is not a sum
        members = set(members_of(r.region))
        parts = parts_all[
            (parts_all["sheet"] == r.sheet)
            & (parts_all["indicator"] == r.indicator)
            & (parts_all["year"] == r.year)
            & parts_all["region"].isin(members)
        ]
        if not members or set(parts["region"]) != members:
            continue
        values = [*parts["value"].tolist(), r.value]
        total = float(parts["value"].sum())
        decimals = max(_decimals(v) for v in values)
        tolerance = 0.5 * 10.0**-decimals * len(values) + 1e-9 * abs(r.value)
        if abs(total - r.value) > tolerance:
            where = f"{r.sheet}!{r.column}{r.row}" if r.sheet else f"{r.column}{r.row}"
            out.append(
                notice(
                    "total-mismatch",
                    cell=where,
                    indicator=r.indicator,
                    year=r.year,
                    region=r.region,
                    value=f"{r.value:,.10g}",
                    n=len(members),
                    total=f"{total:,.10g}",
                )  # fmt: skip
            )
    return out


def _decimals(value: float) -> int:
    text = f"{value:.10g}"
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


def _indicator_id(res: Resolver):  # type: ignore[no-untyped-def]
    def fn(label: str) -> str | None:
        ind = res.indicator(label)
        return None if ind is None else ind.id

    return fn


def _region_id(res: Resolver):  # type: ignore[no-untyped-def]
    def fn(label: str) -> str | None:
        reg = res.region(label)
        return None if reg is None else reg.id

    return fn


def _year(label: object) -> float:
    y = parse_year(label)
    return float("nan") if y is None else float(y)


def _factor(unit: str, indicator: Indicator) -> float:
    if not unit:
        return 1.0
    f = unit_factor(unit, indicator.unit.zh)
    if f is None and normalise_unit(unit).lower() == normalise_unit(indicator.unit.en).lower():
        f = 1.0
    return float("nan") if f is None else f


def _rows(
    sheets: np.ndarray,
    row: np.ndarray,
    col: np.ndarray,
    inds: np.ndarray,
    regs: np.ndarray,
    years: np.ndarray,
    values: np.ndarray,
    units: np.ndarray,
    note: np.ndarray,
    flags: np.ndarray,
) -> pd.DataFrame:
    """The rows to store, as empty_rows() has them. The frame takes the arrays as they are
    (copy=False, one block per column): each is new here or read-only after this."""
    note = np.where(note == "", np.array(None, dtype=object), note)
    col_codes, col_numbers = pd.factorize(col)  # integers: hashed without a Python object each
    letters = np.array([column_letter(int(c)) for c in col_numbers], dtype=object)[col_codes]
    rows = pd.DataFrame(
        {
            "indicator": pd.Series(inds, dtype=object, copy=False),
            "region": pd.Series(regs, dtype=object, copy=False),
            "year": years.astype(np.int64),
            "value": values.astype(float),
            "unit": pd.Series(units, dtype=object, copy=False),
            "note": pd.Series(note, dtype=object, copy=False),
            "flag": pd.Series(flags, dtype=object, copy=False),
            "sheet": pd.Series(sheets, dtype=object, copy=False),
            "row": row.astype(np.int64),
            "column": pd.Series(letters, dtype=object, copy=False),
        },
        copy=False,
    )
    return rows


def _conversion_warnings(
    sheets: np.ndarray,
    declared: np.ndarray,
    inds: np.ndarray,
    factors: np.ndarray,
    catalogue: object,
) -> list[Notice]:
    scaled = factors != 1.0
    if not scaled.any():
        return []
    sub = pd.DataFrame({"sheet": sheets[scaled], "unit": declared[scaled], "ind": inds[scaled]})
    out = []
    for (sheet, unit, ind), n in sub.value_counts(sort=False).items():
        target = catalogue[ind].unit.zh  # type: ignore[index]
        said = {"n": n, "indicator": ind, "unit": unit, "target": target}
        out.append(
            notice("converted-in-sheet", sheet=sheet, **said)
            if sheet
            else notice("converted", **said)
        )
    return out
