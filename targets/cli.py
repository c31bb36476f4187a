"""The `targets` command: every operation without a browser, for scripts and cron jobs.

A thin layer over `targets.tracker.Tracker`: parse options, call the library, render the result.
Domain errors become one-line user errors here (exit 1); tracebacks only with --debug.
Each command imports what it needs when it runs: `targets --help` and the light commands do not
load pandas, SQLAlchemy or the engine (tests/test_cli.py checks it).
"""

from __future__ import annotations

import atexit
import gc
import io
import json
import math
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from targets import config
from targets.terminal import safe, safe_frame, safe_json

if TYPE_CHECKING:
    import pandas as pd

    from targets.tracker import Tracker

GAP_COLUMNS = [
    "indicator", "region", "year", "value", "milestone_year", "target", "comparator", "gap",
    "gap_pct", "progress", "time_elapsed", "baseline_year", "baseline_value", "actual_rate",
    "required_rate", "ratio", "projected", "status",
]  # fmt: skip
DATA_COLUMNS = ["indicator", "region", "year", "value", "import_id", "note"]


def _clean(value: Any) -> Any:
    """JSON-safe scalar: NaN/NA -> None, numpy scalars -> Python."""
    import pandas as pd

    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
    return value


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {k: _clean(v) for k, v in row.items()}
        for row in frame.astype(object).to_dict(orient="records")
    ]


def to_json(data: Any) -> str:
    """Indented JSON, text exact but every control character escaped (see targets.terminal)."""
    return safe_json(json.dumps(data, ensure_ascii=False, indent=2))


def render(frame: pd.DataFrame, fmt: str) -> str:
    """A frame as JSON (text exact), CSV or a table; CSV and tables show text from files and
    notes with its control characters escaped, so printing them cannot drive the terminal."""
    if fmt == "json":
        return to_json(frame_records(frame))
    if fmt == "csv":
        from targets.formula_injection import neutralise_frame

        buf = io.StringIO()
        neutralise_frame(safe_frame(frame)).to_csv(buf, index=False)
        return buf.getvalue().rstrip("\n")
    if frame.empty:
        return "(no rows)"
    return safe_frame(frame).to_string(index=False, na_rep="—", max_colwidth=60)


class Context:
    def __init__(self, db: str | None, catalogue: str | None, debug: bool) -> None:
        self.db = db
        self.catalogue = catalogue
        self.debug = debug

    @property
    def tracker(self) -> Tracker:
        from targets.tracker import Tracker

        return Tracker(db_url=self.db, catalogue_path=self.catalogue)


class AccountRole(click.Choice):  # type: ignore[type-arg]
    """A choice of targets.users.ROLES, read when the option is parsed or its help shown: that
    module loads SQLAlchemy, which every other command would pay for at start."""

    def __init__(self) -> None:
        super().__init__(())

    @property  # type: ignore[override]
    def choices(self) -> tuple[str, ...]:
        from targets.users import ROLES

        return ROLES

    @choices.setter
    def choices(self, _: Any) -> None:
        pass  # click.Choice.__init__ sets the choices: they are the users module's


EMPTY_HINT = (
    "note: the database holds no values yet: `targets init` loads the bundled public statistics, "
    "`targets import FILE…` your own"
)


def _reading(obj: Context) -> Tracker:
    """The tracker for a command that reads values; on an empty database, say how to fill it.

    Every goal would otherwise read "pending" or "no data" with nothing to tell why.
    """
    t = obj.tracker
    if t.store.is_empty():
        click.echo(EMPTY_HINT, err=True)
    return t


class TargetsGroup(click.Group):
    """Turns domain errors into one-line messages with exit code 1 (tracebacks with --debug)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except Exception as exc:
            obj = ctx.obj
            if (obj is not None and obj.debug) or "--debug" in sys.argv:
                raise
            from targets.catalogue import CatalogueError

            if isinstance(exc, CatalogueError):
                raise click.ClickException(
                    "the catalogue has errors:\n" + "\n".join(safe(p) for p in exc.problems)
                ) from exc
            # a message may quote a cell, a name or a note: one line, nothing the terminal obeys
            # a KeyError's str() is the repr of its message: show the message itself
            text = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
            raise click.ClickException(safe(text)) from exc


@click.group(cls=TargetsGroup)
@click.option(
    "--db", envvar="TARGETS_DB", help="Database URL (default: a SQLite file under data/)."
)
@click.option(
    "--catalogue", envvar="TARGETS_CATALOGUE", help="Catalogue path (default: indicators.yaml)."
)
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.version_option(package_name="yrd-targets")
@click.pass_context
def main(ctx: click.Context, db: str | None, catalogue: str | None, debug: bool) -> None:
    """Track the numeric goals of the Yangtze River Delta integration plans."""
    # pydantic looks for plugins among the entry points of every installed package when the
    # first model class is made: 0.03 s CPU of each command that loads the catalogue, for
    # plugins this tool does not use. An operator who wants one sets the variable (empty: all).
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    ctx.obj = Context(db, catalogue, debug)


@main.command()
@click.pass_obj
def validate(obj: Context) -> None:
    """Check the catalogue; print `file:line: message` per problem; exit 1 on any."""
    from targets.catalogue import validate_catalogue
    from targets.regions import load_regions

    path = Path(obj.catalogue) if obj.catalogue else config.default_catalogue_path()
    problems = validate_catalogue(path, region_ids=load_regions().regions.keys())
    for problem in problems:
        click.echo(safe(problem), err=True)
    if problems:
        raise SystemExit(1)
    click.echo(f"{path.name}: ok")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def indicators(obj: Context, as_json: bool) -> None:
    """The catalogue as loaded: id, names, unit, direction, category, milestones."""
    cat = obj.tracker.catalogue
    if as_json:
        rows = [
            ind.model_dump(
                mode="json",
                include={
                    "id", "name", "unit", "direction", "category", "scope", "nature",
                    "milestones", "formula", "decimals", "valid_range",
                },
            )
            for ind in cat
        ]  # fmt: skip
        click.echo(to_json(rows))
        return
    for ind in cat:
        goals = "; ".join(
            f"{m.year}: {m.comparator or ''}{'' if m.value is None else m.value:g}"
            if m.value is not None
            else f"{m.year}: {m.text.zh}"
            for m in ind.milestones
        )
        line = f"{ind.id:34} {ind.name.zh} ({ind.unit.zh})  {goals or '[component]'}"
        click.echo(safe(line))


@main.command()
@click.option(
    "--indicator", "indicators_", multiple=True, help="Indicator id or name (repeatable)."
)
@click.option("--region", "regions_", multiple=True, help="Region id or alias (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.pass_obj
def data(obj: Context, indicators_: tuple[str, ...], regions_: tuple[str, ...], fmt: str) -> None:
    """The values in force: indicator, region, year, value, import_id, note."""
    t = _reading(obj)
    frame = t.store.observations(t.resolve_indicators(indicators_), t.resolve_regions(regions_))
    click.echo(render(frame[DATA_COLUMNS], fmt))


@main.command()
@click.option("--year", type=int, help="Judge as of this year (ignore later values).")
@click.option("--milestone", type=int, help="Only this milestone year (e.g. 2025).")
@click.option("--region", "regions_", multiple=True)
@click.option("--indicator", "indicators_", multiple=True)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.option(
    "--behind-schedule", "behind", is_flag=True, help="Only rows behind schedule, with pace."
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="en", help="Pace text language.")
@click.pass_obj
def gaps(
    obj: Context,
    year: int | None,
    milestone: int | None,
    regions_: tuple[str, ...],
    indicators_: tuple[str, ...],
    fmt: str,
    behind: bool,
    lang: str,
) -> None:
    """Gap, progress, rates, projection and status per indicator × region × milestone."""
    t = _reading(obj)
    inds, regs = t.resolve_indicators(indicators_), t.resolve_regions(regions_)
    if behind:
        if year is not None:
            raise click.UsageError("--behind-schedule judges on all values; drop --year")
        frame = t.behind_schedule(milestone, lang)
        if inds:
            frame = frame[frame["indicator"].isin(inds)]
        if regs:
            frame = frame[frame["region"].isin(regs)]
        cols = ["indicator", "region", "milestone_year", "value", "target", "progress",
                "time_elapsed", "schedule_years", "status", "pace"]  # fmt: skip
        click.echo(render(frame[cols].reset_index(drop=True), fmt))
        return
    frame = t.gaps(milestone=milestone, year=year, indicators=inds, regions=regs)
    import pandas as pd

    from targets import verdicts

    # whose goal each verdict is, the pace beside the headline, and the verdict in words
    verdict = [
        verdicts.verdict_text(r, t.regions.name(str(r["goal_scope"]), lang), lang)
        for r in frame.to_dict("records")
    ]
    frame = frame.assign(verdict=pd.array(verdict, dtype="str"))
    cols = [*GAP_COLUMNS, "goal_scope", "role", "pace_status", "status_rule", "verdict"]
    click.echo(render(_with_provisional(frame, cols, lang), fmt))


def _with_provisional(frame: pd.DataFrame, cols: list[str], lang: str) -> pd.DataFrame:
    """`cols` of a gap table and whether each verdict is provisional (初步), with why in `lang`."""
    import pandas as pd

    from targets.provenance import provisional_text

    why = [provisional_text(r, lang) for r in frame.to_dict("records")]
    out = frame[cols].copy()
    out["provisional"] = frame["provisional"].to_numpy(dtype=bool)
    out["provisional_reason"] = pd.array(why, dtype="str")
    return out


@main.command()
@click.option("--milestone", type=int, required=True, help="The milestone year judged (e.g. 2025).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="en")
@click.pass_obj
def assess(obj: Context, milestone: int, fmt: str, lang: str) -> None:
    """The final evaluation of a milestone: met / missed / pending per goal, margin, source."""
    frame = _reading(obj).assessment(milestone, lang)
    if fmt == "table":
        cols = ["indicator", "region", "goal_scope", "role", "target", "comparator", "value",
                "verdict", "provisional", "provisional_reason", "margin", "margin_pct",
                "source"]  # fmt: skip
        frame = frame[cols]
    click.echo(render(frame, fmt))


@main.command()
@click.option("--level", type=click.Choice(["province", "city"]), default="province")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.pass_obj
def convergence(obj: Context, level: str, fmt: str) -> None:
    """Whether regional differences narrow: spread (cv, max/min) trend per benchmarked goal."""
    click.echo(render(_reading(obj).convergence(level), fmt))


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--year", type=int, help="Year of the values where the file does not say.")
@click.option("--dry-run", is_flag=True, help="Show what would change; store nothing.")
@click.option("--json", "as_json", is_flag=True)
@click.option("--note", default="", help="A note kept with the import.")
@click.option("--user", default="cli", envvar="USER", help="Recorded as the importing user.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="en")
@click.pass_obj
def import_(
    obj: Context,
    files: tuple[str, ...],
    year: int | None,
    dry_run: bool,
    as_json: bool,
    note: str,
    user: str,
    lang: str,
) -> None:
    """Import statistics files; exit 1 if any file was refused (nothing of it is written)."""
    with _no_cycle_collection():
        _import_command(obj, files, year, dry_run, as_json, note, user, lang)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The cyclic garbage collector off while one command of this short-lived process runs.

    Loading pandas, SQLAlchemy and pydantic and making a Python object per cell allocate
    millions of objects, and every few hundred allocations the collector walks those still
    alive: a sixth of `targets import`'s CPU time (bench/run.py, section cli-import). What
    the command makes is freed by reference counting (frames, arrays, tuples); objects in a
    cycle, rare here, wait for the collector to be on again when the command ends.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was and _started_as_this_command():
            # Nothing but the exit follows in this process. The first allocations after the
            # collector is on again set off a collection of the youngest generation, which
            # holds every object made while it was off that is still alive (the modules of
            # pandas, SQLAlchemy and pydantic): 0.06-0.2 s CPU of a 110,000-row import, to
            # free nothing. Frozen, they are left out of it (and of the collection at exit).
            gc.freeze()
        if was:
            gc.enable()
        # At exit the interpreter runs one last full collection over every object still alive
        # (pandas', SQLAlchemy's, pydantic's modules): a tenth of the command's CPU, to free
        # memory the process is about to give back. Frozen objects are left out of it; atexit
        # runs before it (and in a test process only when that process ends). Once per process.
        atexit.unregister(gc.freeze)
        atexit.register(gc.freeze)


def _started_as_this_command() -> bool:
    """This process was started as `targets` (its console script, `python -m targets`, or a
    script that calls `main` as its own): the command is all it runs. Not in a test process
    or a caller that invokes the CLI among other work (click's CliRunner), whose objects must
    stay collectable."""
    return getattr(sys.modules.get("__main__"), "main", None) is main


def _import_command(
    obj: Context,
    files: tuple[str, ...],
    year: int | None,
    dry_run: bool,
    as_json: bool,
    note: str,
    user: str,
    lang: str,
) -> None:
    from targets.ingest import import_files
    from targets.ingest.scope import Scope
    from targets.issues import more_errors_text
    from targets.submissions import must_submit
    from targets.users import get_user

    t = obj.tracker
    account = get_user(t.store, user)
    if not dry_run and account is not None and must_submit(account["role"]):
        raise click.ClickException(
            safe(
                f"TARGETS_EDITS=submit: {user} (editor) submits imports for review: targets submit"
            )
        )
    # --user naming an editor limited to regions: the import is held to them, as on the dashboard
    scope = Scope.of(t.store, t.regions, user)
    # this process works for these files alone: the time bound is set on it as an alarm
    result = import_files(
        t.store, t.catalogue, t.regions, [Path(f) for f in files],
        year=year, dry_run=dry_run, user=user, note=note, lang=lang, whole_process=True,
        scope=scope, tracker=t,
    )  # fmt: skip
    if as_json:
        click.echo(safe_json(result.report.to_json(lang)))
    else:
        for fr in result.report.files:
            name = safe(fr.file)
            if fr.errors:
                click.echo(f"{name}: refused, {fr.error_count:,} error(s)", err=True)
                for issue in fr.errors:
                    click.echo(f"  {safe(issue)}", err=True)
                for line in more_errors_text(fr.more_errors, lang):
                    click.echo(f"  … {line}", err=True)
                continue
            if fr.duplicate_of is not None:
                click.echo(f"{name}: already imported as #{fr.duplicate_of}; nothing stored")
            elif dry_run:
                click.echo(f"{name}: {fr.rows} row(s) would be stored (dry run)")
            else:
                click.echo(f"{name}: import #{fr.import_id}, {fr.rows} row(s)")
            diff = result.diffs.get(fr.file)
            if dry_run and diff is not None and not diff.empty:
                counts = diff["change"].value_counts().to_dict()
                click.echo("  " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
                changed = diff[diff["change"] != "unchanged"]
                if not changed.empty:
                    click.echo(safe_frame(changed).to_string(index=False, na_rep="—"))
            for warning in fr.warnings:
                click.echo(f"  ! {safe(warning.text(lang))}")
    if any(fr.import_id is not None for fr in result.report.files):
        from targets.warm import warm_detached

        warm_detached(obj.db, obj.catalogue)  # the shared cache, filled after this exits
    if not result.report.ok:
        raise SystemExit(1)


def _print_refusals(result: Any, lang: str) -> None:
    """Each refused file with its located errors (stderr)."""
    from targets.issues import more_errors_text

    for fr in result.report.files:
        if not fr.errors:
            continue
        click.echo(f"{safe(fr.file)}: refused, {fr.error_count:,} error(s)", err=True)
        for issue in fr.errors:
            click.echo(f"  {safe(issue)}", err=True)
        for line in more_errors_text(fr.more_errors, lang):
            click.echo(f"  … {line}", err=True)


def _print_diff(diff: pd.DataFrame) -> None:
    counts = diff["change"].value_counts().to_dict()
    click.echo("  " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    changed = diff[diff["change"] != "unchanged"]
    if not changed.empty:
        click.echo(safe_frame(changed).to_string(index=False, na_rep="—"))


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--year", type=int, help="Year of the values where the file does not say.")
@click.option("--note", default="", help="A note for the reviewer, kept with the import.")
@click.option("--user", default="cli", envvar="USER", help="Recorded as the submitter.")
@click.option("--json", "as_json", is_flag=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="en")
@click.pass_obj
def submit(
    obj: Context,
    files: tuple[str, ...],
    year: int | None,
    note: str,
    user: str,
    as_json: bool,
    lang: str,
) -> None:
    """Submit statistics files for review: checked as an import, kept with their diff and
    warnings, in force only once a reviewer approves; exit 1 if any file was refused."""
    from targets.submissions import submit as submit_files

    t = obj.tracker
    out = submit_files(
        t.store, t.catalogue, t.regions, [Path(f) for f in files],
        user=user, note=note, year=year, lang=lang, whole_process=True,
    )  # fmt: skip
    if as_json:
        report = out.result.report.to_dict(lang)
        for fr in report["files"]:
            fr["submission_id"] = out.ids.get(fr["file"])
        click.echo(to_json(report))
    else:
        _print_refusals(out.result, lang)
        for fr in out.result.report.files:
            name = safe(fr.file)
            if fr.errors:
                continue
            if fr.file in out.ids:
                click.echo(
                    f"{name}: submission #{out.ids[fr.file]}, {fr.rows} row(s), pending review"
                )
                _print_diff(out.result.diffs[fr.file])
            elif fr.duplicate_of is not None:
                click.echo(f"{name}: already in force as import #{fr.duplicate_of}; not submitted")
            elif fr.file in out.pending_as:
                click.echo(f"{name}: already submitted as #{out.pending_as[fr.file]}")
            for warning in fr.warnings:
                click.echo(f"  ! {safe(warning.text(lang))}")
    if not out.result.report.ok:
        raise SystemExit(1)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON (each with its diff).")
@click.option("--state", type=click.Choice(["pending", "approved", "returned"]))
@click.option("--user", "submitter", help="Only this submitter's.")
@click.pass_obj
def submissions(obj: Context, as_json: bool, state: str | None, submitter: str | None) -> None:
    """Submissions, newest first: state, submitter, file, what they change, the review."""
    from targets.submissions import list_submissions

    subs = list_submissions(obj.tracker.store, user=submitter, state=state)
    if as_json:
        click.echo(to_json([s.to_dict() for s in subs]))
        return
    for s in subs:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(s.counts().items()))
        review = f"  by {s.reviewer}" if s.reviewer else ""
        review += f" -> import #{s.import_id}" if s.import_id else ""
        review += f": {s.comment}" if s.comment else ""
        # file name, names, note and comment are someone's words: escaped, one line each
        click.echo(
            safe(
                f"#{s.id:<5} {s.created_at:%Y-%m-%d %H:%M} {s.state:8} {s.user}  {s.file_name} "
                f"({counts})  {s.note}{review}"
            )
        )


@main.command()
@click.argument("submission_id", type=int)
@click.option("--user", default="cli", envvar="USER", help="Recorded as the reviewer.")
@click.pass_obj
def approve(obj: Context, submission_id: int, user: str) -> None:
    """Put a submission in force; if the values in force changed since its diff was made, show
    the diff again and change nothing (run it again to approve what is shown)."""
    from targets.submissions import DiffChanged
    from targets.submissions import approve as approve_submission

    t = obj.tracker
    try:
        import_id = approve_submission(
            t.store, t.catalogue, t.regions, submission_id, reviewer=user
        )
    except DiffChanged as exc:
        click.echo(safe(str(exc)), err=True)
        _print_diff(exc.diff)
        raise SystemExit(1) from exc
    click.echo(f"submission #{submission_id} approved: import #{import_id}")
    from targets.warm import warm_detached

    warm_detached(obj.db, obj.catalogue)  # as after an import: the shared cache, filled later


@main.command("return")
@click.argument("submission_id", type=int)
@click.option("--comment", required=True, help="Why it goes back (the submitter reads it).")
@click.option("--user", default="cli", envvar="USER", help="Recorded as the reviewer.")
@click.pass_obj
def return_(obj: Context, submission_id: int, comment: str, user: str) -> None:
    """Send a submission back with a comment; nothing is put in force."""
    from targets.submissions import return_submission

    return_submission(obj.tracker.store, submission_id, reviewer=user, comment=comment)
    click.echo(f"submission #{submission_id} returned")


@main.command()
@click.pass_obj
def warm(obj: Context) -> None:
    """Compute the results the dashboard's first pages read, for the current data (into Redis
    when TARGETS_REDIS is set); `targets import` starts this itself when Redis is set."""
    from targets.warm import warm as warm_results

    t = obj.tracker
    version = warm_results(t)
    stats = t.cache_stats()
    click.echo(f"data version {version}: {stats.computes} result(s) computed, {stats.hits} cached")


@main.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def history(obj: Context, as_json: bool) -> None:
    """The imports (vintages), newest first."""
    imports = obj.tracker.store.imports()
    if as_json:
        click.echo(to_json([i.model_dump(mode="json") for i in imports]))
        return
    for i in imports:
        # file name, user and note are someone's words: one line each, escapes shown not obeyed
        click.echo(
            f"#{i.id:<5} {i.created_at:%Y-%m-%d %H:%M} {i.state:8} {i.rows:>7} rows  "
            f"{safe(i.file_name)}  {safe(i.user)}  {safe(i.note)}"
        )


@main.command()
@click.argument("import_id", type=int)
@click.option("--user", default="cli", envvar="USER")
@click.pass_obj
def revert(obj: Context, import_id: int, user: str) -> None:
    """Revert an import: the values it brought leave, the earlier ones come back."""
    from targets.submissions import must_submit
    from targets.users import get_user

    store = obj.tracker.store
    account = get_user(store, user)
    if account is not None and must_submit(account["role"]):
        raise click.ClickException(
            safe(f"TARGETS_EDITS=submit: {user} (editor) cannot change what is in force")
        )
    store.revert(import_id, user=user)
    click.echo(f"import #{import_id} reverted")


@main.command()
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--year", type=int, default=None, help="Year to fill in (default: last year).")
@click.pass_obj
def template(obj: Context, out: str, year: int | None) -> None:
    """Write a fill-in workbook for a year, generated from the catalogue."""
    import datetime as dt

    from targets.template import write_template

    t = obj.tracker
    year = year or dt.date.today().year - 1
    write_template(Path(out), t.catalogue, t.regions, year=year)
    click.echo(f"{out}: template for {year}")


@main.command()
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh")
@click.option("--milestone", type=int, default=2025)
@click.option("--region", "regions_", multiple=True)
@click.option("--indicator", "indicators_", multiple=True)
@click.pass_obj
def report(
    obj: Context,
    out: str,
    lang: str,
    milestone: int,
    regions_: tuple[str, ...],
    indicators_: tuple[str, ...],
) -> None:
    """Write a gap report (.xlsx, .csv, .html, .pdf) or the assessment document (.docx),
    by the file's suffix."""
    from targets.reports import write_report

    t = _reading(obj)
    path = write_report(
        t, Path(out), lang=lang, milestone=milestone,
        regions=t.resolve_regions(regions_), indicators=t.resolve_indicators(indicators_),
    )  # fmt: skip
    click.echo(f"{path}: written")


@main.command()
@click.pass_obj
def init(obj: Context) -> None:
    """Create the database; when it is empty, load the bundled public statistics into it."""
    from targets.bundled import ensure_bundled

    loaded = ensure_bundled(obj.tracker)
    if loaded is None:
        click.echo("the database already holds imports: nothing loaded")
    else:
        click.echo(f"loaded the bundled public statistics as import #{loaded}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8050, type=int, show_default=True)
@click.option("--debug-server", is_flag=True, help="Dash debug mode (reloader, dev tools).")
@click.pass_obj
def serve(obj: Context, host: str, port: int, debug_server: bool) -> None:
    """Start the dashboard; on an empty database, load the bundled statistics first."""
    from dashboard.app import create_app
    from targets.bundled import ensure_bundled

    t = obj.tracker
    loaded = ensure_bundled(t)
    if loaded is not None:
        click.echo(f"empty database: loaded the bundled public statistics as import #{loaded}")
    app = create_app(t, debug=debug_server, warm=True)
    app.server.config["WARMER"].start()  # one process, no fork: the current data at once
    click.echo(f"dashboard on http://{host}:{port}/")
    app.run(host=host, port=port, debug=debug_server)


@main.group()
def user() -> None:
    """Accounts for the dashboard's editing pages."""


def _region_ids(t: Tracker, regions: str) -> list[str]:
    """`anhui,江苏` -> region ids (names and aliases as anywhere else; unknown ones refused)."""
    return t.resolve_regions([r.strip() for r in regions.split(",") if r.strip()]) or []


def _operator() -> str:
    """Who the audit log says changed an account from the command line."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):  # no login name (a container without USER or a passwd entry)
        return "cli"


def _new_password(password_stdin: bool) -> str:
    """A password hashed for storing: from stdin's first line, or prompted twice."""
    from targets.passwords import hash_password

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return hash_password(password)


def _existing(t: Tracker, name: str) -> dict[str, Any]:
    """The account `name`, or a clear error before anything is asked or changed."""
    from targets.users import get_user

    row = get_user(t.store, name)
    if row is None:
        raise click.ClickException(safe(f"no user {name!r} (see `targets user list`)"))
    return row


@user.command("add")
@click.argument("name")
@click.option("--role", type=AccountRole(), required=True)
@click.option("--regions", default="", help="An editor limited to these regions (comma-separated).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_obj
def user_add(obj: Context, name: str, role: str, regions: str, password_stdin: bool) -> None:
    """Add an account; the password is prompted (or read from stdin) and stored hashed.

    A NAME with spaces at either end, control characters, or equal to an existing one but for
    case is refused (targets.users.check_name), before the password is asked for."""
    from targets.users import add_user, check_new_name

    t = obj.tracker
    check_new_name(t.store, name)
    scope = _region_ids(t, regions)  # checked before the password is asked for
    add_user(t.store, name, role, _new_password(password_stdin), regions=scope, by=_operator())
    limited = f", limited to {','.join(scope)}" if scope else ""
    click.echo(safe(f"user {name!r} added as {role}{limited}"))


@user.command("regions")
@click.argument("name")
@click.argument("regions", required=False, default="")
@click.pass_obj
def user_regions(obj: Context, name: str, regions: str) -> None:
    """Limit an editor to REGIONS (comma-separated); without REGIONS, lift the limit."""
    from targets.users import set_regions

    t = obj.tracker
    scope = _region_ids(t, regions)
    set_regions(t.store, name, scope, by=_operator())
    click.echo(safe(f"user {name!r}: {','.join(scope) or 'every region'}"))


@user.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_obj
def user_passwd(obj: Context, name: str, password_stdin: bool) -> None:
    """Set NAME's password (prompted twice, or read from stdin); its sessions end."""
    from targets.users import set_password_hash

    t = obj.tracker
    _existing(t, name)
    set_password_hash(t.store, name, _new_password(password_stdin), by=_operator())
    click.echo(safe(f"user {name!r}: password changed; every session of the account ended"))


@user.command("role")
@click.argument("name")
@click.argument("role", type=AccountRole())
@click.pass_obj
def user_role(obj: Context, name: str, role: str) -> None:
    """Give NAME another role; its sessions end (it logs in again under the new role)."""
    from targets.users import set_role

    set_role(obj.tracker.store, name, role, by=_operator())
    click.echo(safe(f"user {name!r} is now {role}; every session of the account ended"))


@user.command("disable")
@click.argument("name")
@click.pass_obj
def user_disable(obj: Context, name: str) -> None:
    """Stop NAME from logging in and end its sessions; `enable` undoes it."""
    from targets.users import set_disabled

    set_disabled(obj.tracker.store, name, True, by=_operator())
    click.echo(safe(f"user {name!r} disabled; every session of the account ended"))


@user.command("enable")
@click.argument("name")
@click.pass_obj
def user_enable(obj: Context, name: str) -> None:
    """Let a disabled NAME log in again (with its old password)."""
    from targets.users import set_disabled

    set_disabled(obj.tracker.store, name, False, by=_operator())
    click.echo(safe(f"user {name!r} enabled"))


@user.command("logout")
@click.argument("name")
@click.pass_obj
def user_logout(obj: Context, name: str) -> None:
    """End every session of NAME on every device (a stolen cookie included); nothing else changes."""
    from targets.users import end_sessions

    end_sessions(obj.tracker.store, name, by=_operator(), action="user_logout", detail=name)
    click.echo(safe(f"user {name!r}: every session ended"))


@user.command("delete")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def user_delete(obj: Context, name: str, yes: bool) -> None:
    """Delete NAME; its sessions end. Its imports and audit entries keep its name."""
    from targets.users import delete_user

    t = obj.tracker
    _existing(t, name)
    if not yes:
        click.confirm(safe(f"delete user {name!r}?"), abort=True)
    delete_user(t.store, name, by=_operator())
    click.echo(safe(f"user {name!r} deleted"))


@user.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def user_list(obj: Context, as_json: bool) -> None:
    """The accounts: name, role, state, regions, created (never a password hash)."""
    from targets.users import list_users

    rows = [
        {
            "name": u["name"],
            "role": u["role"],
            "disabled": bool(u["disabled"]),
            "regions": list(u["regions"]),
            "created_at": u["created_at"].isoformat(),
        }
        for u in list_users(obj.tracker.store)
    ]
    if as_json:
        click.echo(to_json(rows))
        return
    if not rows:
        click.echo("(no users)")
        return
    import pandas as pd

    frame = pd.DataFrame(
        {
            "name": [r["name"] for r in rows],
            "role": [r["role"] for r in rows],
            "state": ["disabled" if r["disabled"] else "active" for r in rows],
            "regions": [",".join(r["regions"]) or "all" for r in rows],
            "created": [r["created_at"][:16].replace("T", " ") for r in rows],
        }
    )
    click.echo(safe_frame(frame).to_string(index=False))


@main.command()
@click.argument("out", type=click.Path(dir_okay=False))
@click.pass_obj
def backup(obj: Context, out: str) -> None:
    """Write a portable dump of imports, observations, users and audit."""
    from targets.backup import backup as write_backup

    write_backup(obj.tracker.store, Path(out))
    click.echo(f"{out}: backup written")


@main.command()
@click.argument("infile", type=click.Path(exists=True, dir_okay=False))
@click.pass_obj
def restore(obj: Context, infile: str) -> None:
    """Restore a dump into an empty database."""
    from targets.backup import restore as load_backup

    load_backup(obj.tracker.store, Path(infile))
    click.echo(f"{infile}: restored")
