"""targets/ingest/scope.py: an editor limited to regions, on SQLite and PostgreSQL. An upload with
one value of another region is refused whole, every such value named by its cell; unlimited
editors and admins upload as before."""

from __future__ import annotations

from typing import Any

import pytest

from targets.ingest import import_files
from targets.ingest.scope import Scope, scope_issues
from targets.store import Store
from targets.users import add_user, set_regions

MIXED = (
    "指标,地区,年份,数值\n"
    "rd_intensity,安徽,2024,2.8\n"
    "rd_intensity,江苏,2024,3.4\n"
    "rd_intensity,合肥,2024,3.9\n"
    "rd_intensity,长三角,2024,3.5\n"
).encode()
ANHUI_ONLY = "指标,地区,年份,数值\nrd_intensity,安徽,2024,2.8\nrd_intensity,合肥,2024,3.9\n"


def test_scope_of_an_account(store: Store, regions: Any) -> None:
    add_user(store, "ana", "editor", "h", regions=["anhui"])
    add_user(store, "ed", "editor", "h")
    add_user(store, "root", "admin", "h")
    scope = Scope.of(store, regions, "ana")
    assert scope is not None and scope.regions == ("anhui",)
    # Anhui, its 16 cities, and nothing of Jiangsu or the region as a whole
    assert {"anhui", "hefei", "suzhou_ah"} <= scope.allowed
    assert not {"jiangsu", "suzhou_js", "yrd"} & scope.allowed
    assert len(scope.allowed) == 17
    assert Scope.of(store, regions, "ed") is None  # unlimited editor
    assert Scope.of(store, regions, "root") is None  # admins are never limited
    assert Scope.of(store, regions, "cli") is None  # not an account: the CLI's own name
    set_regions(store, "ed", ["jiangsu", "zhejiang"])
    both = Scope.of(store, regions, "ed")
    assert both is not None and {"suzhou_js", "hangzhou"} <= both.allowed


def test_an_upload_outside_the_scope_is_refused_whole_with_the_cells_named(
    store: Store, catalogue: Any, regions: Any
) -> None:
    add_user(store, "ana", "editor", "h", regions=["anhui"])
    scope = Scope.of(store, regions, "ana")
    before = store.data_version()
    result = import_files(
        store, catalogue, regions, [("mixed.csv", MIXED)], user="ana", scope=scope
    )
    (fr,) = result.report.files
    assert not result.report.ok and fr.import_id is None and fr.rows == 0
    located = sorted((e.code, e.row, e.column) for e in fr.errors)
    # the Jiangsu row (3) and the whole-region row (5), at their value cells
    assert located == [("region-not-allowed", 3, "D"), ("region-not-allowed", 5, "D")]
    assert "jiangsu" in fr.errors[0].message and "anhui" in fr.errors[0].message
    assert store.data_version() == before and store.observations(regions=["anhui"]).empty

    zh = import_files(
        store, catalogue, regions, [("mixed.csv", MIXED)], user="ana", scope=scope, lang="zh"
    )
    assert "不在该账户可上传的地区范围内" in zh.report.files[0].errors[0].message

    ok = import_files(
        store, catalogue, regions, [("anhui.csv", ANHUI_ONLY.encode())], user="ana", scope=scope
    )
    assert ok.report.ok and ok.report.files[0].import_id is not None
    got = store.observations(indicators=["rd_intensity"])
    assert sorted(got["region"]) == ["anhui", "hefei"]

    # the same mixed file by an unlimited account goes in force
    free = import_files(store, catalogue, regions, [("mixed.csv", MIXED)], user="ed")
    assert free.report.ok and free.report.files[0].rows == 4


def test_the_refusal_is_bounded_like_every_files_issues(
    monkeypatch: pytest.MonkeyPatch, regions: Any
) -> None:
    import pandas as pd

    from targets import config

    monkeypatch.setattr(config, "MAX_ERRORS", 3)
    rows = pd.DataFrame(
        {
            "region": ["jiangsu"] * 10,
            "sheet": [""] * 10,
            "row": range(2, 12),
            "column": ["C"] * 10,
        }
    )
    scope = Scope("ana", ("anhui",), regions.within(["anhui"]))
    log = scope_issues(rows, scope, file="big.csv", lang="en")
    assert [i.row for i in log.issues] == [2, 3, 4]
    assert dict(log.more) == {"region-not-allowed": 7}
    assert str(log.issues[0]).startswith("big.csv:C2: [region-not-allowed]")
