"""Submissions: an import held for review instead of put in force.

A submission keeps the file itself, the submitter, the note, the warnings the import would raise
and its diff against the values in force (new / unchanged / revised old → new). A reviewer
(`reviewer` or `admin`) approves it, which puts it in force through the import pipeline
(targets.ingest.import_files, as any import), or returns it with a comment, which changes nothing
but its state. Every step is in the audit log.

Approval is exact: the submission is marked approved inside the import's own transaction, under
the write lock, so two reviewers approving at once put it in force once; and if the values in
force have changed since the diff was shown, the approval stops and stores the new diff to be
shown again (DiffChanged) rather than overwriting what someone else put in force meanwhile.
`TARGETS_EDITS=submit` (targets.config.edits_mode) makes editors submit instead of importing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from targets.audit_details import audit_detail
from targets.config import edits_mode
from targets.db import UTCDateTime, metadata, now
from targets.issues import Notice, notice, notices_from_json, notices_json
from targets.users import can_review, get_user

if TYPE_CHECKING:
    from targets.ingest.pipeline import ImportResult
    from targets.store import Store

STATES: tuple[str, ...] = ("pending", "approved", "returned")
DIFF_COLUMNS = ["indicator", "region", "year", "old", "new", "change"]
# approvals retried when another import lands between the diff and the write
_ATTEMPTS = 3

submissions_t = sa.Table(
    "submissions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False, index=True),
    sa.Column("content", sa.LargeBinary, nullable=False),
    sa.Column("year", sa.Integer, nullable=True),  # the year given for values without one
    sa.Column("user_name", sa.Text, nullable=False),
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("diff", sa.Text, nullable=False),  # JSON records of DIFF_COLUMNS
    # JSON list of {code, zh, en} (targets.issues.Notice); rows stored before: of strings
    sa.Column("warnings", sa.Text, nullable=False, default="[]"),
    sa.Column("reviewer", sa.Text, nullable=False, default=""),
    sa.Column("reviewed_at", UTCDateTime, nullable=True),
    sa.Column("comment", sa.Text, nullable=False, default=""),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=True),
    sa.CheckConstraint(
        "state IN (" + ", ".join(f"'{s}'" for s in STATES) + ")", name="ck_submissions_state"
    ),
)


class SubmissionError(ValueError):
    """A submission that cannot be approved or returned as asked; nothing was changed."""


class DiffChanged(SubmissionError):
    """The values in force changed since the diff was shown: the new diff is stored (shown again)
    and nothing was put in force."""

    def __init__(self, submission_id: int, diff: pd.DataFrame) -> None:
        counts = ", ".join(f"{k}: {v}" for k, v in sorted(change_counts(diff).items()))
        super().__init__(
            f"submission #{submission_id}: the values in force changed since its diff was "
            f"shown; nothing was put in force. Its diff now: {counts}. Review it and approve again"
        )
        self.submission_id = submission_id
        self.diff = diff


@dataclass
class Submission:
    id: int
    file_name: str
    sha256: str
    year: int | None
    user: str
    note: str
    created_at: datetime
    state: str
    diff: pd.DataFrame
    warnings: list[Notice]
    reviewer: str = ""
    reviewed_at: datetime | None = None
    comment: str = ""
    import_id: int | None = None

    def counts(self) -> dict[str, int]:
        return change_counts(self.diff)

    def to_dict(self) -> dict[str, Any]:
        """For JSON: everything but the file's bytes, the diff as records, times as ISO text."""
        return {
            "id": self.id,
            "file_name": self.file_name,
            "sha256": self.sha256,
            "year": self.year,
            "user": self.user,
            "note": self.note,
            "created_at": self.created_at.isoformat(),
            "state": self.state,
            "counts": self.counts(),
            "diff": json.loads(_diff_json(self.diff)),
            "warnings": [w.to_dict() for w in self.warnings],
            "reviewer": self.reviewer,
            "reviewed_at": self.reviewed_at.isoformat() if self.reviewed_at else None,
            "comment": self.comment,
            "import_id": self.import_id,
        }


@dataclass
class SubmitResult:
    """The check of each file (as a dry run reports it) and the submission made of each passed one."""

    result: ImportResult
    ids: dict[str, int] = field(default_factory=dict)  # file -> submission id
    pending_as: dict[str, int] = field(default_factory=dict)  # file -> an earlier pending one


def change_counts(diff: pd.DataFrame) -> dict[str, int]:
    return {str(k): int(v) for k, v in diff["change"].value_counts().items()}


def _diff_json(diff: pd.DataFrame) -> str:
    records = [
        {
            "indicator": r.indicator,
            "region": r.region,
            "year": int(r.year),
            "old": None if pd.isna(r.old) else float(r.old),
            "new": float(r.new),
            "change": r.change,
        }
        for r in diff[DIFF_COLUMNS].itertuples(index=False)
    ]
    return json.dumps(records, ensure_ascii=False)


def _diff_frame(text: str) -> pd.DataFrame:
    records = json.loads(text)
    frame = pd.DataFrame(records, columns=DIFF_COLUMNS)
    return frame.astype(
        {"indicator": "str", "region": "str", "year": "int64", "old": "float64", "new": "float64",
         "change": "str"}
    )  # fmt: skip


def _from_row(row: Any) -> Submission:
    return Submission(
        id=row.id,
        file_name=row.file_name,
        sha256=row.sha256,
        year=row.year,
        user=row.user_name,
        note=row.note,
        created_at=row.created_at,
        state=row.state,
        diff=_diff_frame(row.diff),
        warnings=notices_from_json(row.warnings),
        reviewer=row.reviewer,
        reviewed_at=row.reviewed_at,
        comment=row.comment,
        import_id=row.import_id,
    )


_LISTED = [c for c in submissions_t.c if c.name != "content"]


# -- submitting --------------------------------------------------------------------------------


def must_submit(role: str | None) -> bool:
    """Whether an account of this role submits its imports for review instead of putting them
    in force (with TARGETS_EDITS=submit: editors; reviewers and admins import as ever)."""
    return role == "editor" and edits_mode() == "submit"


def submit(
    store: Store,
    catalogue: Any,
    regions: Any,
    files: Sequence[Path | tuple[str, bytes]],
    *,
    user: str,
    note: str = "",
    year: int | None = None,
    lang: str = "en",
    whole_process: bool = False,
    isolate: bool = False,
) -> SubmitResult:
    """Check each file as an import would (the submitter's regions included) and keep each that
    passes as a pending submission with its diff and the warnings its import would raise."""
    from targets.ingest import import_files
    from targets.ingest.pipeline import load_file
    from targets.ingest.scope import Scope

    # each file read once: the bytes checked are the bytes kept
    loaded: dict[str, bytes] = {}
    items: list[Path | tuple[str, bytes]] = []
    for item in files:
        name, data, _ = load_file(item)
        if data is None:
            items.append(item)  # the check reports why it cannot be taken
        else:
            loaded[name] = data
            items.append((name, data))
    checked = import_files(
        store, catalogue, regions, items,
        year=year, dry_run=True, forecast=True, user=user, note=note, lang=lang,
        whole_process=whole_process, isolate=isolate, scope=Scope.of(store, regions, user),
    )  # fmt: skip
    out = SubmitResult(checked)
    for fr in checked.report.files:
        up = checked.uploads.get(fr.file)
        if not fr.ok or fr.duplicate_of is not None or fr.rows == 0 or up is None:
            continue
        data = loaded.get(fr.file)
        if data is None:
            continue
        with store.write_transaction() as conn:
            earlier = conn.execute(
                sa.select(submissions_t.c.id).where(
                    submissions_t.c.sha256 == up.sha256, submissions_t.c.state == "pending"
                )
            ).scalar()
            if earlier is not None:
                out.pending_as[fr.file] = int(earlier)
                fr.warnings.append(notice("already-submitted", id=earlier))
                continue
            stmt = submissions_t.insert().values(
                file_name=fr.file,
                sha256=up.sha256,
                content=data,
                year=year,
                user_name=user,
                note=note,
                created_at=now(),
                state="pending",
                diff=_diff_json(checked.diffs[fr.file]),
                warnings=notices_json(fr.warnings),
            )
            sid = int(conn.execute(stmt.returning(submissions_t.c.id)).scalar_one())
            counts = change_counts(checked.diffs[fr.file])
            summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
            detail = audit_detail("submit", id=sid, file=fr.file, rows=fr.rows, counts=summary)
            store.audit("submit", user, detail, conn=conn)
        out.ids[fr.file] = sid
    return out


# -- reading -----------------------------------------------------------------------------------


def list_submissions(
    store: Store, *, user: str | None = None, state: str | None = None
) -> list[Submission]:
    """Submissions newest first; of one submitter, in one state."""
    stmt = sa.select(*_LISTED).order_by(submissions_t.c.id.desc())
    if user is not None:
        stmt = stmt.where(submissions_t.c.user_name == user)
    if state is not None:
        stmt = stmt.where(submissions_t.c.state == state)
    with store.read_transaction() as conn:
        return [_from_row(r) for r in conn.execute(stmt)]


def get_submission(store: Store, submission_id: int) -> Submission:
    with store.read_transaction() as conn:
        row = conn.execute(sa.select(*_LISTED).where(submissions_t.c.id == submission_id)).first()
    if row is None:
        raise KeyError(f"no submission #{submission_id}")
    return _from_row(row)


def submission_file(store: Store, submission_id: int) -> tuple[str, bytes]:
    """The submitted file: its name and bytes."""
    with store.read_transaction() as conn:
        row = conn.execute(
            sa.select(submissions_t.c.file_name, submissions_t.c.content).where(
                submissions_t.c.id == submission_id
            )
        ).first()
    if row is None:
        raise KeyError(f"no submission #{submission_id}")
    return str(row.file_name), bytes(row.content)


# -- reviewing ---------------------------------------------------------------------------------


def _check_reviewer(store: Store, reviewer: str) -> None:
    """The CLI's name is trusted (it holds the database); an account must be able to review."""
    account = get_user(store, reviewer) if reviewer else None
    if account is not None and not can_review(account["role"]):
        raise SubmissionError(f"{reviewer} ({account['role']}) may not review submissions")


def _pending(store: Store, submission_id: int) -> Submission:
    sub = get_submission(store, submission_id)
    if sub.state != "pending":
        by = f" by {sub.reviewer}" if sub.reviewer else ""
        raise SubmissionError(f"submission #{submission_id} is already {sub.state}{by}")
    return sub


def approve(
    store: Store,
    catalogue: Any,
    regions: Any,
    submission_id: int,
    *,
    reviewer: str,
    lang: str = "en",
    isolate: bool = False,
) -> int:
    """Put a pending submission in force as an import (by its submitter); return the import id.

    DiffChanged (and the new diff stored) when the values in force changed since its diff was
    made; SubmissionError when it is no longer pending, its file no longer passes the checks, or
    its bytes are in force already. Nothing changes in any of these cases.
    """
    from targets.ingest import import_files
    from targets.ingest.scope import Scope

    _check_reviewer(store, reviewer)
    for _ in range(_ATTEMPTS):
        # read before the diff: an import landing while the diff is made counts as a change
        version = store.data_version()
        sub = _pending(store, submission_id)
        name, data = submission_file(store, submission_id)
        scope = Scope.of(store, regions, sub.user)
        common: dict[str, Any] = dict(
            year=sub.year, user=sub.user, note=sub.note, lang=lang, isolate=isolate, scope=scope
        )
        check = import_files(
            store, catalogue, regions, [(name, data)], dry_run=True, forecast=True, **common
        )
        _refuse_unless_importable(sub, check)
        diff = check.diffs[name]
        if _diff_json(diff) != _diff_json(sub.diff):
            _store_new_diff(store, sub, diff, check.report.files[0].warnings, reviewer)
            raise DiffChanged(submission_id, diff)

        mark = _approval(store, submission_id, reviewer, version)
        try:
            result = import_files(store, catalogue, regions, [(name, data)], then=mark, **common)
        except _InForceMoved:
            continue  # another import landed between the diff and the write: look again
        fr = result.report.files[0]
        if fr.import_id is not None:
            return fr.import_id
        _pending(store, submission_id)  # approved meanwhile by someone else: says so
        _refuse_unless_importable(sub, result)
    raise SubmissionError(
        f"submission #{submission_id}: the values in force kept changing; try again"
    )


def _approval(
    store: Store, submission_id: int, reviewer: str, version: str
) -> Callable[[Connection, int], None]:
    """What the import's transaction does last: check that nothing else was written since the
    diff, mark the submission approved (still pending: of two approvals at once, one finds it
    approved) and audit it; raising undoes the import."""

    def mark(conn: Connection, import_id: int) -> None:
        if store.version_on(conn, besides=import_id) != version:
            raise _InForceMoved
        done = conn.execute(
            submissions_t.update()
            .where(submissions_t.c.id == submission_id, submissions_t.c.state == "pending")
            .values(state="approved", reviewer=reviewer, reviewed_at=now(), import_id=import_id)
        )
        if done.rowcount != 1:
            raise SubmissionError(f"submission #{submission_id} is no longer pending")
        detail = audit_detail("approve", id=submission_id, import_id=import_id)
        store.audit("approve", reviewer, detail, conn=conn)

    return mark


class _InForceMoved(Exception):
    """Raised inside the import's transaction to undo it: approve() looks at the diff again."""


def _refuse_unless_importable(sub: Submission, check: ImportResult) -> None:
    fr = check.report.files[0]
    if fr.errors:
        first = "; ".join(str(e) for e in fr.errors[:3])
        raise SubmissionError(f"submission #{sub.id} no longer passes the checks: {first}")
    if fr.duplicate_of is not None:
        raise SubmissionError(
            f"submission #{sub.id}: the same file is in force already as import "
            f"#{fr.duplicate_of}; return the submission"
        )


def _store_new_diff(
    store: Store, sub: Submission, diff: pd.DataFrame, warnings: list[Notice], reviewer: str
) -> None:
    with store.write_transaction() as conn:
        conn.execute(
            submissions_t.update()
            .where(submissions_t.c.id == sub.id, submissions_t.c.state == "pending")
            .values(diff=_diff_json(diff), warnings=notices_json(warnings))
        )
        counts = ", ".join(f"{k} {v}" for k, v in sorted(change_counts(diff).items()))
        detail = audit_detail("submission_diff", id=sub.id, counts=counts)
        store.audit("submission_diff", reviewer, detail, conn=conn)


def return_submission(store: Store, submission_id: int, *, reviewer: str, comment: str) -> None:
    """Send a pending submission back with a comment; nothing else changes."""
    _check_reviewer(store, reviewer)
    if not comment.strip():
        raise SubmissionError("a returned submission needs a comment saying why")
    with store.write_transaction() as conn:
        done = conn.execute(
            submissions_t.update()
            .where(submissions_t.c.id == submission_id, submissions_t.c.state == "pending")
            .values(state="returned", reviewer=reviewer, reviewed_at=now(), comment=comment)
        )
        if done.rowcount == 1:
            detail = audit_detail("return", id=submission_id, comment=comment)
            store.audit("return", reviewer, detail, conn=conn)
            return
    _pending(store, submission_id)  # raises: unknown, or decided already
