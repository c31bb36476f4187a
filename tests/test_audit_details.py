"""targets/audit_details.py: every audited detail is written from a template and read back into
its fields; the history page words it in its language with the same fields."""

from __future__ import annotations

import string

import pytest

from dashboard.i18n import TEXT, t
from dashboard.pages.history import audit_text
from targets.audit_details import DETAILS, audit_detail, audit_fields

# one set of fields per template (file names and comments with the separators in them)
SAMPLES: dict[str, dict[str, object]] = {
    "#{id} {file}: {rows} rows": {"id": 3, "file": "a: b.csv", "rows": 40},
    "#{id} {file}": {"id": 3, "file": "a.csv"},
    "#{id} {file}: {rows} rows ({counts})": {"id": 2, "file": "x.csv", "rows": 2,
                                              "counts": "new 1, revised 1"},
    "#{id} -> import #{import_id}": {"id": 2, "import_id": 9},
    "#{id}: in force changed; {counts}": {"id": 2, "counts": "revised 3"},
    "#{id}: {comment}": {"id": 5, "comment": "请核对: 2023 年"},
    "{role} from {address}": {"role": "admin", "address": "127.0.0.1"},
    "{name} ({role}, regions {regions})": {"name": "ana", "role": "editor",
                                           "regions": "anhui,jiangsu"},
    "{name} ({role})": {"name": "ana", "role": "editor"},
    "{name} -> {role}": {"name": "ana", "role": "reviewer"},
    "{name} -> all regions": {"name": "ana"},
    "{name} -> {regions}": {"name": "ana", "regions": "anhui"},
    "{failed} failed, {refused} refused by the throttle from {address} ({span} UTC); "
    "names tried: {names}": {"failed": 4, "refused": 2, "address": "10.0.0.0/24",
                             "span": "09:00:01 – 09:00:09", "names": "erin; x, bob, …"},
    "{failed} failed from {address} ({span} UTC); names tried: {names}": {
        "failed": 1, "address": "10.0.0.1", "span": "09:00:01", "names": "erin"},
}  # fmt: skip

TEMPLATES = [(a, i, tpl) for a, tpls in DETAILS.items() for i, tpl in enumerate(tpls)]


@pytest.mark.parametrize(("action", "index", "template"), TEMPLATES)
def test_a_detail_reads_back_and_reads_in_both_languages(
    action: str, index: int, template: str
) -> None:
    fields = SAMPLES[template]
    stored = audit_detail(action, **fields)
    assert stored == template.format(**fields)
    assert audit_fields(action, stored) == (index, {k: str(v) for k, v in fields.items()})
    # the page's English is the stored text; its Chinese has the same fields
    zh, en = TEXT[f"audit_{action}_{index}"]
    assert en == template
    assert {f for _, f, _, _ in string.Formatter().parse(zh) if f} == set(fields)


def test_the_history_page_words_a_detail_in_its_language() -> None:
    stored = audit_detail("submit", id=2, file="x.csv", rows=2, counts="new 1, revised 1")
    assert audit_text("submit", stored, "en") == stored
    assert audit_text("submit", stored, "zh") == "#2 x.csv：2 行（新增 1，修订 1）"
    login = audit_detail("login", role="admin", address="127.0.0.1")
    assert audit_text("login", login, "zh") == f"{t('role_admin', 'zh')}，来自 127.0.0.1"
    # a detail no template reads (one written before the burst's template) is shown as stored
    assert audit_text("login_failed", "3 failed from 10.0.0.1", "zh") == "3 failed from 10.0.0.1"
    with pytest.raises(ValueError, match="no import detail template"):
        audit_detail("import", id=1)


def test_a_failed_login_burst_reads_in_chinese_as_throttle_writes_it() -> None:
    """The detail targets.throttle stores for a burst, worded on a Chinese history page; the names
    tried are data and stay as typed, the many-addresses key is worded too."""
    from targets.throttle import MANY, _burst_detail

    one = _burst_detail("10.0.0.1", 2, 0, 0.0, 5.0, ["erin", "nobody"])
    assert one == "2 failed from 10.0.0.1 (00:00:00 – 00:00:05 UTC); names tried: erin, nobody"
    assert audit_text("login_failed", one, "zh") == (
        "来自 10.0.0.1：失败 2 次（00:00:00 – 00:00:05 UTC）；尝试的用户名：erin, nobody"
    )
    assert audit_text("login_failed", one, "en") == one
    many = _burst_detail(MANY, 15, 3, 0.0, 0.0, ["a"])
    assert many == (
        "15 failed, 3 refused by the throttle from many addresses (00:00:00 UTC); names tried: a"
    )
    assert audit_text("login_failed", many, "zh") == (
        "来自 多个地址：失败 15 次，被限流拒绝 3 次（00:00:00 UTC）；尝试的用户名：a"
    )
