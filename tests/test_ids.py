"""dashboard/ids.py: every component id named once, and named there."""

from __future__ import annotations

import re
from pathlib import Path

from dashboard import ids

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard"


def test_no_two_names_share_an_id() -> None:
    values = [v for k, v in vars(ids).items() if k.isupper() and isinstance(v, str)]
    assert len(values) > 50
    repeated = sorted({v for v in values if values.count(v) > 1})
    assert repeated == []


def test_no_module_writes_an_id_of_its_own() -> None:
    # a literal id="..." (or a pattern-matching {"type": "..."}) beside ids.py drifts from the
    # callbacks and browser tests that name it through ids.py
    literal = re.compile(r"""\bid\s*=\s*(\{\s*["']type["']\s*:\s*)?["']""")
    found = [
        f"{path.relative_to(DASHBOARD)}:{n}"
        for path in sorted(DASHBOARD.rglob("*.py"))
        if path.name != "ids.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if literal.search(line)
    ]
    assert found == []
