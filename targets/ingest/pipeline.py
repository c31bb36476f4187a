"""The import pipeline: bytes -> sheets -> layouts -> checked rows -> one store import per file.

A file with any error is refused whole: nothing of it is written and every error is reported.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from targets import config
from targets.ingest import bounds
from targets.ingest.checks import empty_rows, validate
from targets.ingest.layouts import SheetResult, analyse_sheet, is_instructions
from targets.ingest.messages import make_issue
from targets.ingest.preview import SheetPreview, sheet_previews
from targets.ingest.readers import read_workbook
from targets.ingest.resolve import CatalogueLike, RegionsLike, Resolver
from targets.ingest.scope import Scope, scope_issues
from targets.issues import CODES, FileReport, ImportReport, Issue, Notice, notice
from targets.models import OBSERVATION_COLUMNS, OBSERVATION_DTYPES, Import
from targets.store import AlreadyImported

if TYPE_CHECKING:
    from targets.tracker import Tracker

STORE_COLUMNS = ["indicator", "region", "year", "value", "unit", "note", "flag"]
# above this many rows an import's status-change warnings are skipped (two engine runs)
WARNINGS_MAX_ROWS = 100_000


@dataclass
class ParsedUpload:
    """One upload read and checked; `rows` say which cell each value came from."""

    file_name: str
    sha256: str
    rows: pd.DataFrame = field(default_factory=empty_rows)
    issues: list[Issue] = field(default_factory=list)
    layouts: dict[str, str] = field(default_factory=dict)
    warnings: list[Notice] = field(default_factory=list)
    kind: str = ""
    # issues found beyond the first MAX_ERRORS, not kept: a count per code
    more_issues: dict[str, int] = field(default_factory=dict)
    # for a refused file: an excerpt of each sheet with located errors, to show beside them
    previews: list[SheetPreview] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues

    @property
    def sheets(self) -> list[str]:
        """Sheets that gave values, in workbook order."""
        return [s for s in pd.unique(self.rows["sheet"]) if isinstance(s, str)]

    def layout_summary(self) -> str:
        """The layout of each sheet that gave values: `long`, or `S1: long; S2: years-as-columns`."""
        used = [s for s in self.layouts if s in set(self.sheets)]
        if len(used) == 1:
            return self.layouts[used[0]]
        return "; ".join(f"{s}: {self.layouts[s]}" for s in used)


def _file_issue(
    code: str, message: str, file: str, lang: str, where: bounds.Refusal | None = None
) -> Issue:
    if lang == "zh":
        message = f"{CODES[code][1]}（{message}）"
    if where is None:
        return Issue(code=code, message=message, file=file)
    return Issue(
        code=code, message=message, file=file, sheet=where.sheet, row=where.row,
        column=where.column,
    )  # fmt: skip


def refused(file_name: str, sha256: str, refusal: bounds.Refusal, lang: str) -> ParsedUpload:
    """An upload refused whole, with the one located issue that says why."""
    issue = _file_issue(refusal.code, refusal.message, file_name, lang, refusal)
    return ParsedUpload(file_name=file_name, sha256=sha256, issues=[issue])


def read_upload(
    data: bytes,
    file_name: str,
    catalogue: CatalogueLike,
    regions: RegionsLike,
    *,
    year: int | None = None,
    lang: str = "en",
    whole_process: bool = False,
) -> ParsedUpload:
    """Read and check one upload. `file_name` is for display only, never opened.

    Every bound of targets.config is checked before the work it guards (bounds.py). With
    `whole_process` (this process works for this file alone, from its main thread: the CLI, or
    the dashboard's child for one upload) the time bound is an alarm as well.
    """
    sha = hashlib.sha256(data).hexdigest()
    try:
        if not whole_process:
            return _read_upload(data, file_name, sha, catalogue, regions, year=year, lang=lang)
        with bounds.time_limit(config.MAX_FILE_SECONDS):
            return _read_upload(data, file_name, sha, catalogue, regions, year=year, lang=lang)
    except bounds.Refusal as exc:
        return refused(file_name, sha, exc, lang)


def _read_upload(
    data: bytes,
    file_name: str,
    sha: str,
    catalogue: CatalogueLike,
    regions: RegionsLike,
    *,
    year: int | None,
    lang: str,
) -> ParsedUpload:
    up = ParsedUpload(file_name=file_name, sha256=sha)
    book = read_workbook(data)
    up.kind = book.kind
    res = Resolver(catalogue, regions)
    results: list[SheetResult] = []
    for sheet in book.sheets:
        if sheet.name and is_instructions(sheet.name):
            up.layouts[sheet.name] = "skipped"
            continue
        result = analyse_sheet(sheet, res, year=year, lang=lang, file=file_name)
        up.layouts[sheet.name] = result.layout
        results.append(result)
        up.warnings.extend(result.warnings)
    recognised = [r for r in results if r.recognised]
    log = bounds.IssueLog()
    for r in results:
        if r.recognised or not recognised:
            log.extend(r.issues)
        else:
            # a workbook's extra sheet (notes, a chart's data) is passed over, and said so
            up.warnings.append(notice("sheet-skipped", sheet=r.sheet))
    melted = [r for r in recognised if r.cells is not None]
    frames = [r.cells.assign(sheet=r.sheet) for r in melted if r.cells is not None]
    if frames:
        cells = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        footnotes = {r.sheet: r.footnotes for r in recognised if r.footnotes}
        # one sheet: its labels' codes hold for the cells as they are
        labels = melted[0].labels if len(melted) == 1 else None
        checked = validate(
            cells, res, lang=lang, file=file_name, footnotes=footnotes, log=log, labels=labels
        )
        up.rows = checked.rows
        up.warnings.extend(checked.warnings)
    if up.rows.empty and not log.total:
        log.add(make_issue("file-empty", lang, file=file_name))
    up.issues, up.more_issues = log.issues, dict(log.more)
    if up.issues:
        up.rows = empty_rows()
        up.previews = sheet_previews(book, up.issues)
    return up


@dataclass
class ImportResult:
    report: ImportReport
    diffs: dict[str, pd.DataFrame] = field(default_factory=dict)
    uploads: dict[str, ParsedUpload] = field(default_factory=dict)


def _display_name(name: str) -> str:
    """The last path component, for display: an uploaded name is never used as a path."""
    return name.replace("\\", "/").rsplit("/", 1)[-1] or "upload"


def load_file(item: Path | tuple[str, bytes]) -> tuple[str, bytes | None, tuple[str, str]]:
    """(display name, bytes, ("", "")) for a path or an uploaded (name, bytes) pair, or
    (name, None, (code, why)) when the file cannot be taken."""
    if isinstance(item, tuple):
        return _display_name(item[0]), item[1], ("", "")
    path = Path(item)
    try:
        size = path.stat().st_size
        if size > config.MAX_UPLOAD_BYTES:
            limit = config.MAX_UPLOAD_BYTES
            why = f"the file has {size:,} bytes, more than the limit of {limit:,}"
            return path.name, None, ("file-too-large", why)
        return path.name, path.read_bytes(), ("", "")
    except OSError as exc:
        return path.name, None, ("file-unreadable", f"the file cannot be opened ({exc.strerror})")


def _already_imported(fr: FileReport, earlier: Import) -> None:
    fr.duplicate_of = earlier.id
    fr.rows = 0
    fr.warnings.append(notice("identical", id=earlier.id, file=earlier.file_name))


# the gap table and the observed values in force now, for the status-change warnings
InForce = tuple[pd.DataFrame, pd.DataFrame]


def _in_force(
    store: Any, catalogue: Any, regions: Any, tracker: Tracker | None
) -> Callable[[], InForce]:
    """How to read the values in force: through the Tracker, whose gap tables are cached per data
    version (the one before an import is usually cached already, the one after is the next page's
    table), or for a caller without one, computed here from the store."""
    if tracker is not None:
        return lambda: (tracker.gaps(), tracker.derived().observed)

    def direct() -> InForce:
        from targets.aggregate import derive_all
        from targets.progress import compute_gaps

        full = derive_all(catalogue, regions, store.observations())
        return compute_gaps(catalogue, regions, full), full.observed

    return direct


def import_files(
    store: Any,
    catalogue: CatalogueLike,
    regions: RegionsLike,
    paths: Sequence[Path | tuple[str, bytes]],
    *,
    year: int | None = None,
    dry_run: bool = False,
    user: str = "",
    note: str = "",
    lang: str = "en",
    diff: bool | None = None,
    whole_process: bool = False,
    isolate: bool = False,
    scope: Scope | None = None,
    tracker: Tracker | None = None,
    forecast: bool = False,
    then: Callable[[Any, int], None] | None = None,
) -> ImportResult:
    """Check and store each file as one import; `diff` (default: on for dry runs) compares
    each accepted file with the values in force. With a `scope` (an editor limited to regions)
    a file holding a value of any other region is refused whole, each such value named.
    `forecast` gives a dry run the warnings the import would raise (revised values in force,
    status changes); `then` is handed to Store.write_import (one file only: a submission).

    Each file is read and checked under the bounds of targets.config: in this process
    (`whole_process` when it may bound the whole process, as the CLI does), or with `isolate`
    in a child process with its own memory and time limits (isolation.py), so that no file can
    take the calling process down (the dashboard). With the `tracker` whose store this is, the
    status-change warnings take its cached gap tables."""
    want_diff = dry_run if diff is None else diff
    in_force = _in_force(store, catalogue, regions, tracker)
    before: InForce | None = None  # the values in force before the next write
    analysable = hasattr(regions, "members") and hasattr(catalogue, "baseline_year")
    result = ImportResult(ImportReport())
    for item in paths:
        name, data, (code, why) = load_file(item)
        if data is None:
            issue = _file_issue(code, why, name, lang)
            result.report.files.append(FileReport(name, errors=[issue]))
            continue
        if isolate:
            from targets.ingest.isolation import read_upload_isolated

            up = read_upload_isolated(data, name, catalogue, regions, year=year, lang=lang)
        else:
            up = read_upload(
                data, name, catalogue, regions, year=year, lang=lang, whole_process=whole_process
            )
        result.uploads[name] = up
        fr = FileReport(name, warnings=list(up.warnings))
        result.report.files.append(fr)
        if up.issues:
            fr.errors, fr.more_errors = list(up.issues), dict(up.more_issues)
            continue
        if scope is not None:
            outside = scope_issues(up.rows, scope, file=name, lang=lang)
            if outside.total:
                fr.errors, fr.more_errors = outside.issues, dict(outside.more)
                continue
        earlier = store.find_import_by_sha(up.sha256)
        if earlier is not None:
            _already_imported(fr, earlier)
            continue
        rows = up.rows[STORE_COLUMNS]
        fr.rows = len(rows)
        if want_diff or forecast:
            result.diffs[name] = store.diff(rows)
        # name-resolving stand-ins (no members/baselines) cannot run the engine: no warnings
        check = analysable and len(rows) <= WARNINGS_MAX_ROWS
        if analysable and not check and (forecast or not dry_run):
            fr.warnings.append(notice("too-many-rows", rows=len(rows), limit=WARNINGS_MAX_ROWS))
        if check and before is None and (forecast or not dry_run):
            try:
                before = in_force()
            except Exception as exc:  # noqa: BLE001 - advice must not stop an import
                fr.warnings.append(notice("not-checked", why=exc))
        if dry_run:
            if forecast:
                fr.warnings += revision_warnings(result.diffs[name])
                if before is not None:
                    fr.warnings += _forecast_alerts(store, catalogue, regions, rows, before)
            continue
        try:
            fr.import_id = store.write_import(
                rows,
                file_name=name,
                sha256=up.sha256,
                sheets=", ".join(up.sheets),
                layout=up.layout_summary(),
                user=user,
                note=note,
                warnings=fr.warnings,
                then=then,
            )
        except AlreadyImported as exc:
            # another importer stored the same bytes since the look above: the same answer
            # as a repeat one after the other
            result.diffs.pop(name, None)
            _already_imported(fr, exc.existing)
            continue
        if not check or before is None:
            before = None  # the next file reads the values in force again
            continue
        from targets.alerts import import_alerts  # the engine: only where warnings are checked

        n_stored = len(fr.warnings)
        # the warnings need the values in force after the write: read them back rather than
        # re-implement the store's resolution of vintages here
        after: InForce | None = None
        try:
            after = in_force()
            found = import_alerts(
                before[0],
                after[0],
                after[1],
                as_of_year=date.today().year,
                catalogue=catalogue,  # type: ignore[arg-type]
                regions=regions,  # type: ignore[arg-type]
            )
        except Exception as exc:  # noqa: BLE001 - the values are stored; advice must not undo that
            fr.warnings.append(notice("not-checked", why=exc))
            found = []
        if found:
            fr.warnings.extend(alert_notices(found))
        if len(fr.warnings) > n_stored:
            store.set_import_warnings(fr.import_id, fr.warnings)
        before = after
    return result


REVISIONS_LISTED = 5


def revision_warnings(diff: pd.DataFrame) -> list[Notice]:
    """One warning naming the values in force a file would revise (the first few, old → new)."""
    revised = diff[diff["change"] == "revised"]
    if revised.empty:
        return []
    listed = "; ".join(
        f"{r.indicator} {r.region} {r.year}: {r.old:g} → {r.new:g}"
        for r in revised.head(REVISIONS_LISTED).itertuples(index=False)
    )
    more = len(revised) - REVISIONS_LISTED
    if more > 0:
        return [notice("revisions-more", n=len(revised), listed=listed, more=more)]
    return [notice("revisions", n=len(revised), listed=listed)]


def alert_notices(found: list[Any]) -> list[Notice]:
    """Status-change alerts (targets.alerts, worded in both languages) as warnings."""
    return [notice("status-change", zh=w.message_zh, en=w.message_en) for w in found]


def would_be_in_force(before: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """The values in force once `rows` are imported: theirs win every key they hold (import id
    0 stands for the import not yet made)."""

    def text(column: str) -> pd.Series:
        if column not in rows.columns:
            return pd.Series([None] * len(rows), index=rows.index, dtype=object)
        return rows[column].astype("str").where(rows[column].notna(), None)

    new = pd.DataFrame(
        {
            "indicator": rows["indicator"].astype("str"),
            "region": rows["region"].astype("str"),
            "year": pd.to_numeric(rows["year"]).astype("int64"),
            "value": pd.to_numeric(rows["value"]).astype("float64"),
            "unit": text("unit"),
            "note": text("note"),
            "import_id": 0,
            "flag": text("flag"),
        }
    ).astype(OBSERVATION_DTYPES)
    both = pd.concat([before[list(OBSERVATION_COLUMNS)], new], ignore_index=True)
    key = ["indicator", "region", "year"]
    return both.drop_duplicates(key, keep="last").sort_values(key, ignore_index=True)


def _forecast_alerts(
    store: Any, catalogue: Any, regions: Any, rows: pd.DataFrame, before: InForce
) -> list[Notice]:
    """The status changes an import of `rows` would raise, computed as the import computes them
    (the gap tables before and after) without writing it."""
    from targets.aggregate import derive_all
    from targets.alerts import import_alerts
    from targets.progress import compute_gaps

    try:
        full = derive_all(catalogue, regions, would_be_in_force(store.observations(), rows))
        found = import_alerts(
            before[0],
            compute_gaps(catalogue, regions, full),
            full.observed,
            as_of_year=date.today().year,
            catalogue=catalogue,
            regions=regions,
        )
    except Exception as exc:  # noqa: BLE001 - a forecast must not refuse a file the import takes
        return [notice("not-checked", why=exc)]
    return alert_notices(found)
