"""The detail of an audited action: one template per action (or a few), written by the module
that audits it and read back into its fields, so that a page can word it in its own language.

The stored detail stays the English text it always was (`#12 a.csv: 40 rows`); a page reads it
with `audit_fields` and words the fields with its own catalogue. A detail no template reads (one
written before) is shown as stored.
"""

from __future__ import annotations

import re
import string
from functools import cache

# action -> its templates, most specific first
DETAILS: dict[str, tuple[str, ...]] = {
    "import": ("#{id} {file}: {rows} rows",),
    "revert": ("#{id} {file}",),
    "submit": ("#{id} {file}: {rows} rows ({counts})",),
    "approve": ("#{id} -> import #{import_id}",),
    "submission_diff": ("#{id}: in force changed; {counts}",),
    "return": ("#{id}: {comment}",),
    "login": ("{role} from {address}",),
    # a burst of failed logins (targets.throttle), updated in place as it grows
    "login_failed": (
        "{failed} failed, {refused} refused by the throttle from {address} ({span} UTC); "
        "names tried: {names}",
        "{failed} failed from {address} ({span} UTC); names tried: {names}",
    ),
    "user_add": ("{name} ({role}, regions {regions})", "{name} ({role})"),
    "user_role": ("{name} -> {role}",),
    "user_regions": ("{name} -> all regions", "{name} -> {regions}"),
}


NUMBERS = frozenset({"id", "rows", "import_id", "failed", "refused"})


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def audit_detail(action: str, **fields: object) -> str:
    """The detail of `action` from its fields, with the template that names exactly them."""
    for template in DETAILS[action]:
        if _fields(template) == set(fields):
            return template.format(**fields)
    raise ValueError(f"no {action} detail template takes {sorted(fields)}")


@cache
def _pattern(template: str) -> re.Pattern[str]:
    parts = []
    for literal, field, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field:
            # a number is digits only, so that a file name with ": " in it reads back whole
            parts.append(f"(?P<{field}>\\d+)" if field in NUMBERS else f"(?P<{field}>.+?)")
    return re.compile("".join(parts) + r"\Z", re.DOTALL)


def audit_fields(action: str, detail: str) -> tuple[int, dict[str, str]] | None:
    """(which template of `action`, its fields) for a stored detail; None if none reads it."""
    for i, template in enumerate(DETAILS.get(action, ())):
        if m := _pattern(template).match(detail):
            return i, m.groupdict()
    return None
