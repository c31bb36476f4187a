"""Region-scoped editors: which regions an account's uploads may hold, and the located refusal of
an upload that holds any other.

An editor limited to regions (targets.users) may give values for those regions and everything
inside them (RegionRegistry.within); an upload with one value outside is refused whole, each
offending value named by its cell. Unlimited editors and admins have no Scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from targets.ingest.bounds import IssueLog
from targets.issues import CODES, Issue
from targets.users import SCOPED_ROLES, get_user


@dataclass(frozen=True)
class Scope:
    """What one account may upload: `regions` as granted, `allowed` with what lies inside them."""

    user: str
    regions: tuple[str, ...]
    allowed: frozenset[str]

    @classmethod
    def of(cls, store: Any, registry: Any, user_name: str) -> Scope | None:
        """The scope of the account `user_name`; None when it may upload any region (no such
        account, an unlimited editor, an admin)."""
        account = get_user(store, user_name) if user_name else None
        if account is None or account["role"] not in SCOPED_ROLES or not account["regions"]:
            return None
        regions = tuple(account["regions"])
        return cls(user_name, regions, registry.within(regions))


def scope_issues(rows: pd.DataFrame, scope: Scope, *, file: str, lang: str) -> IssueLog:
    """One located issue per value (cell) of a region outside the scope, bounded as every
    file's issues are (the first TARGETS_MAX_ERRORS named, the rest counted)."""
    log = IssueLog()
    outside = rows[~rows["region"].isin(scope.allowed)]
    granted = ", ".join(scope.regions)
    for r in log.kept(outside, "region-not-allowed").itertuples(index=False):
        if lang == "zh":
            message = (
                f"{CODES['region-not-allowed'][1]}：{r.region}（账户 {scope.user} 仅限 {granted}）"
            )
        else:
            message = f"a value for {r.region}: account {scope.user} may upload {granted} only"
        log.add(
            Issue(
                code="region-not-allowed",
                message=message,
                file=file,
                sheet=str(r.sheet) if isinstance(r.sheet, str) else "",
                row=int(r.row) if pd.notna(r.row) else None,
                column=str(r.column) if isinstance(r.column, str) else "",
            )
        )
    return log
