"""targets/submissions.py on SQLite and PostgreSQL: submit, approve (once, even when two reviewers
approve at once), return (changes nothing), and a diff shown again when the values in force moved."""

from __future__ import annotations

from typing import Any

import pytest

from targets.ingest import import_files
from targets.submissions import (
    DiffChanged,
    SubmissionError,
    approve,
    get_submission,
    list_submissions,
    return_submission,
    submission_file,
    submit,
)
from targets.tracker import Tracker
from targets.users import add_user
from tests.conftest import together
from tests.fixtures import build_fixture_db

# the fixture has Anhui's R&D intensity 2.69 in 2023: one revision, one new value
ANHUI = "指标,地区,年份,数值\nrd_intensity,安徽,2023,2.7\nrd_intensity,安徽,2024,2.8\n".encode()
OTHER = "指标,地区,年份,数值\nrd_intensity,安徽,2023,2.75\n".encode()


@pytest.fixture
def tr(db_url: str) -> Any:
    tracker = build_fixture_db(db_url)
    add_user(tracker.store, "ana", "editor", "h", regions=["anhui"])
    add_user(tracker.store, "rita", "reviewer", "h")
    add_user(tracker.store, "root", "admin", "h")
    yield tracker
    tracker.store.dispose()


def _anhui(tr: Tracker) -> dict[int, float]:
    obs = tr.store.observations(indicators=["rd_intensity"], regions=["anhui"])
    return dict(zip(obs["year"].tolist(), obs["value"].tolist(), strict=True))


def _submit(tr: Tracker, data: bytes = ANHUI, name: str = "anhui.csv", user: str = "ana") -> int:
    out = submit(tr.store, tr.catalogue, tr.regions, [(name, data)], user=user, note="2024 上报")
    return out.ids[name]


def test_a_submission_holds_its_diff_and_warnings_and_changes_nothing(tr: Tracker) -> None:
    before, version = _anhui(tr), tr.store.data_version()
    sid = _submit(tr)
    sub = get_submission(tr.store, sid)
    assert (sub.state, sub.user, sub.note, sub.file_name) == (
        "pending",
        "ana",
        "2024 上报",
        "anhui.csv",
    )
    assert sub.counts() == {"new": 1, "revised": 1}
    revised = sub.diff[sub.diff["change"] == "revised"].iloc[0]
    assert (revised["year"], revised["old"], revised["new"]) == (2023, 2.69, 2.7)
    assert "revises 1 value(s) in force: rd_intensity anhui 2023: 2.69 → 2.7" in [
        w.en for w in sub.warnings
    ]
    assert submission_file(tr.store, sid) == ("anhui.csv", ANHUI)
    assert _anhui(tr) == before and tr.store.data_version() == version
    assert [s.id for s in list_submissions(tr.store, user="ana")] == [sid]
    assert list_submissions(tr.store, user="rita") == []
    # the same bytes again while pending: not a second submission
    again = submit(tr.store, tr.catalogue, tr.regions, [("copy.csv", ANHUI)], user="ana")
    assert again.ids == {} and again.pending_as == {"copy.csv": sid}
    log = tr.store.audit_log()
    assert (log["action"].iloc[0], log["user"].iloc[0]) == ("submit", "ana")
    assert f"#{sid} anhui.csv: 2 rows (new 1, revised 1)" == log["detail"].iloc[0]


def test_a_submission_outside_the_editors_regions_is_refused(tr: Tracker) -> None:
    jiangsu = "指标,地区,年份,数值\nrd_intensity,江苏,2024,3.4\n".encode()
    out = submit(tr.store, tr.catalogue, tr.regions, [("js.csv", jiangsu)], user="ana")
    assert out.ids == {} and out.result.report.files[0].errors[0].code == "region-not-allowed"
    assert list_submissions(tr.store) == []


def test_approval_puts_it_in_force_as_the_submitters_import(tr: Tracker) -> None:
    sid = _submit(tr)
    with pytest.raises(SubmissionError, match="may not review"):
        approve(tr.store, tr.catalogue, tr.regions, sid, reviewer="ana")
    import_id = approve(tr.store, tr.catalogue, tr.regions, sid, reviewer="rita")
    assert _anhui(tr)[2023] == 2.7 and _anhui(tr)[2024] == 2.8
    imp = tr.store.get_import(import_id)
    assert (imp.user, imp.note, imp.file_name, imp.state) == (
        "ana",
        "2024 上报",
        "anhui.csv",
        "active",
    )
    sub = get_submission(tr.store, sid)
    assert (sub.state, sub.reviewer, sub.import_id) == ("approved", "rita", import_id)
    assert sub.reviewed_at is not None
    with pytest.raises(SubmissionError, match="already approved by rita"):
        approve(tr.store, tr.catalogue, tr.regions, sid, reviewer="root")
    with pytest.raises(SubmissionError, match="already approved"):
        return_submission(tr.store, sid, reviewer="root", comment="late")
    actions = tr.store.audit_log()["action"].tolist()
    assert actions[:3] == ["approve", "import", "submit"]


def test_a_returned_submission_changes_nothing(tr: Tracker) -> None:
    sid = _submit(tr)
    before, version = tr.store.observations(), tr.store.data_version()
    with pytest.raises(SubmissionError, match="comment"):
        return_submission(tr.store, sid, reviewer="rita", comment="  ")
    return_submission(tr.store, sid, reviewer="rita", comment="2023 年数据请附来源")
    sub = get_submission(tr.store, sid)
    assert (sub.state, sub.reviewer, sub.comment) == ("returned", "rita", "2023 年数据请附来源")
    assert tr.store.data_version() == version
    assert tr.store.observations().equals(before)
    with pytest.raises(SubmissionError, match="already returned by rita"):
        approve(tr.store, tr.catalogue, tr.regions, sid, reviewer="root")
    assert tr.store.observations().equals(before)
    log = tr.store.audit_log()
    assert (log["action"].iloc[0], log["detail"].iloc[0]) == (
        "return",
        f"#{sid}: 2023 年数据请附来源",
    )
    with pytest.raises(KeyError):
        return_submission(tr.store, 999, reviewer="rita", comment="x")


def test_two_reviewers_approving_at_once_put_it_in_force_once(tr: Tracker) -> None:
    sid = _submit(tr)
    n_imports = len(tr.store.imports())
    outcomes = together(
        2, lambda: approve(tr.store, tr.catalogue, tr.regions, sid, reviewer="rita")
    )
    ids = [o for o in outcomes if isinstance(o, int)]
    refused = [o for o in outcomes if isinstance(o, SubmissionError)]
    assert len(ids) == 1 and len(refused) == 1, outcomes
    assert "already approved" in str(refused[0])
    assert len(tr.store.imports()) == n_imports + 1
    assert get_submission(tr.store, sid).import_id == ids[0]
    assert tr.store.audit_log()["action"].tolist().count("approve") == 1


def test_an_approval_after_the_values_in_force_changed_shows_the_diff_again(tr: Tracker) -> None:
    sid = _submit(tr)
    # someone puts another 2023 value in force meanwhile
    direct = import_files(tr.store, tr.catalogue, tr.regions, [("other.csv", OTHER)], user="root")
    assert direct.report.ok
    with pytest.raises(DiffChanged) as caught:
        approve(tr.store, tr.catalogue, tr.regions, sid, reviewer="rita")
    assert "changed since its diff was shown" in str(caught.value)
    assert _anhui(tr)[2023] == 2.75 and 2024 not in _anhui(tr)  # nothing overwritten
    sub = get_submission(tr.store, sid)
    assert sub.state == "pending"
    revised = sub.diff[sub.diff["change"] == "revised"].iloc[0]
    assert (revised["old"], revised["new"]) == (2.75, 2.7)  # the diff as it now stands
    assert "submission_diff" in tr.store.audit_log()["action"].tolist()
    # seen again, approved: in force
    approve(tr.store, tr.catalogue, tr.regions, sid, reviewer="rita")
    assert _anhui(tr)[2023] == 2.7


def test_an_unrelated_import_meanwhile_does_not_stop_the_approval(tr: Tracker) -> None:
    sid = _submit(tr)
    js = "指标,地区,年份,数值\nrd_intensity,江苏,2024,3.4\n".encode()
    assert import_files(tr.store, tr.catalogue, tr.regions, [("js.csv", js)]).report.ok
    approve(tr.store, tr.catalogue, tr.regions, sid, reviewer="rita")
    assert _anhui(tr)[2024] == 2.8


def test_who_must_submit_follows_targets_edits(monkeypatch: pytest.MonkeyPatch) -> None:
    from targets.submissions import must_submit

    monkeypatch.delenv("TARGETS_EDITS", raising=False)
    assert not must_submit("editor")  # direct by default: today's behaviour
    monkeypatch.setenv("TARGETS_EDITS", "submit")
    assert [r for r in ("viewer", "editor", "reviewer", "admin") if must_submit(r)] == ["editor"]
    monkeypatch.setenv("TARGETS_EDITS", "review")
    with pytest.raises(ValueError, match="TARGETS_EDITS='review'"):
        must_submit("editor")
