"""The catalogue's checks: one small generator per rule, each yielding located problems.

Mirrors targets/ingest/checks.py for uploads. Each check yields `Found(loc, code, message)` with
`loc` the path inside the YAML (("indicators", 3, "milestones", 0, "value")); targets.catalogue
turns paths into line numbers and problems into `CatalogueProblem`s.
"""

from __future__ import annotations

import copy
import typing
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from targets.formula import Formula, FormulaError, parse
from targets.matching import closest
from targets.models import CATEGORIES, Document, Indicator, Milestone
from targets.names import Loc, indicator_names, normalize_name

COMPONENT_CATEGORY = "组成序列"
TOP_LEVEL_KEYS = ("documents", "indicators")
# a comparator that points against the goal's direction is a typo, never a plan's wording
_COMPARATORS_FOR = {
    "higher_is_better": (">=", ">"),
    "lower_is_better": ("<=", "<"),
}


# ---------------------------------------------------------------- pydantic errors as messages


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    """The model inside an annotation such as `list[Milestone]` or `I18n | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int):
            continue
        if current is None or part not in current.model_fields:
            return None
        current = _inner_model(current.model_fields[part].annotation)
    return current


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _schema_message(error: Any, model: type[BaseModel]) -> str:
    loc: Loc = tuple(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        parent = _model_at(model, loc[:-1])
        allowed = ", ".join(parent.model_fields) if parent else ""
        where = _dotted(loc[:-1])
        prefix = f"{where}: " if where else ""
        return f"{prefix}unknown key {loc[-1]!r} (allowed: {allowed})"
    where = f"{_dotted(loc)}: " if loc else ""
    if kind == "missing":
        return f"{where}required key is missing"
    got = error.get("input")
    shown = "" if isinstance(got, dict | list) else f" (got {_short(got)})"
    return f"{where}{error['msg']}{shown}"


# ---------------------------------------------------------------- checks


@dataclass(frozen=True)
class Found:
    """A problem at a location inside the YAML (made a line by the caller)."""

    loc: Loc
    code: str
    message: str


M = typing.TypeVar("M", bound=BaseModel)


def validated(model: type[M], data: Any, base: Loc, label: str) -> tuple[M | None, list[Found]]:
    """The entry as a model plus its schema problems.

    Where the only problems are unknown keys, the model is built without them, so a typo'd key
    does not hide the entry's other problems.
    """
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        errors = exc.errors()
    found = [
        Found(base + tuple(e["loc"]), "catalogue-schema", f"{label}: {_schema_message(e, model)}")
        for e in errors
    ]
    if any(e["type"] != "extra_forbidden" for e in errors):
        return None, found
    cleaned = copy.deepcopy(data)
    for error in errors:
        *parents, key = error["loc"]
        target = cleaned
        for part in parents:
            target = target[part]
        target.pop(key, None)
    try:
        return model.model_validate(cleaned), found
    except ValidationError:
        return None, found


def entry_label(data: Any, fallback: str) -> str:
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        return str(data["id"])
    return fallback


def check_top(data: Any) -> Iterator[Found]:
    if not isinstance(data, dict):
        yield Found(
            (),
            "catalogue-schema",
            "the catalogue must be a mapping with keys documents and indicators",
        )
        return
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            yield Found(
                (str(key),),
                "catalogue-schema",
                f"unknown top-level key {key!r} (allowed: {', '.join(TOP_LEVEL_KEYS)})",
            )
    for key in TOP_LEVEL_KEYS:
        if not isinstance(data.get(key), list):
            yield Found(
                (key,) if key in data else (),
                "catalogue-schema",
                f"{key}: must be a list of entries",
            )


def check_documents(
    raw: list[Any], documents: dict[str, tuple[int, Document]], known: dict[str, None]
) -> Iterator[Found]:
    """Validate documents; `known` gets every id, valid entry or not, so goals citing a broken
    document are not reported a second time."""
    for i, entry in enumerate(raw):
        label = entry_label(entry, f"documents[{i}]")
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            known[entry["id"]] = None
        doc, errors = validated(Document, entry, ("documents", i), label)
        yield from errors
        if doc is None:
            continue
        if doc.id in documents:
            yield Found(
                ("documents", i, "id"),
                "catalogue-duplicate-id",
                f"duplicate document id {doc.id!r}",
            )
        else:
            documents[doc.id] = (i, doc)


def _check_milestone(
    ind: Indicator,
    j: int,
    m: Milestone,
    documents: Collection[str],
    region_ids: Collection[str] | None,
) -> Iterator[Found]:
    at: Loc = ("milestones", j)
    name = f"{ind.id}: milestones[{j}] ({m.year})"
    if m.value is not None and m.comparator is None:
        yield Found(
            at + ("value",),
            "catalogue-schema",
            f"{name}: value {m.value:g} has no comparator (>=, >, <=, <)",
        )
    if m.value is None and m.comparator is not None:
        yield Found(
            at + ("comparator",),
            "catalogue-schema",
            f"{name}: comparator {m.comparator!r} without a value",
        )
    if (
        m.comparator is not None
        and ind.direction is not None
        and m.comparator not in _COMPARATORS_FOR[ind.direction]
    ):
        yield Found(
            at + ("comparator",),
            "catalogue-schema",
            f"{name}: comparator {m.comparator!r} contradicts direction {ind.direction}",
        )
    if m.basis == "change_from_base":
        if m.base_year is None:
            yield Found(
                at + ("basis",),
                "catalogue-schema",
                f"{name}: basis change_from_base needs a base_year",
            )
        elif m.base_year >= m.year:
            yield Found(
                at + ("base_year",),
                "catalogue-schema",
                f"{name}: base_year {m.base_year} is not before {m.year}",
            )
    elif m.base_year is not None:
        yield Found(
            at + ("base_year",),
            "catalogue-schema",
            f"{name}: base_year is only for basis change_from_base",
        )
    if ind.valid_range is not None and m.basis == "absolute":
        lo, hi = ind.valid_range
        values = [(at + ("value",), "value", m.value)]
        values += [(at + ("overrides", r), f"override for {r}", v) for r, v in m.overrides.items()]
        for loc, what, value in values:
            if value is not None and not lo <= value <= hi:
                yield Found(
                    loc,
                    "catalogue-out-of-range",
                    f"{name}: {what} {value:g} is outside valid_range [{lo:g}, {hi:g}]",
                )
    for k, source in enumerate(m.sources):
        if source.document not in documents:
            known = ", ".join(documents) or "none"
            yield Found(
                at + ("sources", k, "document"),
                "catalogue-schema",
                f"{name}: source document {source.document!r} is not in documents (known: {known})",
            )
    if region_ids is not None:
        for region in m.overrides:
            if region not in region_ids:
                yield Found(
                    at + ("overrides", region),
                    "catalogue-unknown-region",
                    f"{name}: override for unknown region {region!r}",
                )


def check_indicator(
    ind: Indicator, documents: Collection[str], region_ids: Collection[str] | None
) -> Iterator[Found]:
    if ind.category not in CATEGORIES:
        yield Found(
            ("category",),
            "catalogue-schema",
            f"{ind.id}: category {ind.category!r} is not one of: {', '.join(CATEGORIES)}",
        )
    if ind.milestones:
        if ind.category == COMPONENT_CATEGORY:
            yield Found(
                ("category",),
                "catalogue-schema",
                f"{ind.id}: a component series ({COMPONENT_CATEGORY}) has no milestones",
            )
        if ind.direction is None:
            yield Found(
                (),
                "catalogue-schema",
                f"{ind.id}: has milestones but no direction (higher_is_better or lower_is_better)",
            )
        if not ind.scope:
            yield Found(
                (),
                "catalogue-schema",
                f"{ind.id}: has milestones but no scope (region ids such as yrd)",
            )
    years = [m.year for m in ind.milestones]
    for j, year in enumerate(years):
        if year in years[:j]:
            yield Found(
                ("milestones", j, "year"),
                "catalogue-schema",
                f"{ind.id}: two milestones for {year}",
            )
    if ind.valid_range is not None and ind.valid_range[0] > ind.valid_range[1]:
        yield Found(
            ("valid_range",),
            "catalogue-schema",
            f"{ind.id}: valid_range minimum is above its maximum",
        )
    if not 0 <= ind.decimals <= 10:
        yield Found(
            ("decimals",), "catalogue-schema", f"{ind.id}: decimals must be between 0 and 10"
        )
    if ind.formula is not None and ind.weight is not None:
        yield Found(
            ("weight",), "catalogue-schema", f"{ind.id}: give a formula or a weight, not both"
        )
    if region_ids is not None:
        for k, region in enumerate(ind.scope):
            if region not in region_ids:
                yield Found(
                    ("scope", k),
                    "catalogue-unknown-region",
                    f"{ind.id}: scope names unknown region {region!r}",
                )
    for j, m in enumerate(ind.milestones):
        yield from _check_milestone(ind, j, m, documents, region_ids)


def check_formulas(
    indicators: dict[str, Indicator], known: Collection[str], region_ids: Collection[str] | None
) -> Iterator[tuple[str, Found]]:
    """Formulas parse, name known series (`known` includes entries that failed the schema) and
    regions, and do not refer back to themselves."""
    parsed: dict[str, Formula] = {}
    for ind in indicators.values():
        if ind.formula is None:
            continue
        try:
            parsed[ind.id] = parse(ind.formula)
        except FormulaError as exc:
            yield ind.id, Found(("formula",), "catalogue-schema", f"{ind.id}: {exc}")
            continue
        for series in sorted(parsed[ind.id].series - set(known)):
            hint = closest(series, indicators, n=1, cutoff=0.6)
            more = f" (did you mean {hint[0]!r}?)" if hint else ""
            yield (
                ind.id,
                Found(
                    ("formula",),
                    "catalogue-unknown-series",
                    f"{ind.id}: formula names unknown series {series!r}{more}",
                ),
            )
        if region_ids is not None:
            for region in sorted(parsed[ind.id].regions - set(region_ids)):
                yield (
                    ind.id,
                    Found(
                        ("formula",),
                        "catalogue-unknown-region",
                        f"{ind.id}: formula names unknown region {region!r}",
                    ),
                )
    in_cycle: set[str] = set()
    for start in parsed:
        cycle = None if start in in_cycle else _cycle(start, parsed)
        if cycle:
            in_cycle.update(cycle)  # one report per cycle, at its first member in file order
            yield (
                start,
                Found(
                    ("formula",),
                    "catalogue-schema",
                    f"{start}: formula refers back to itself ({' -> '.join(cycle)})",
                ),
            )


def _cycle(start: str, parsed: dict[str, Formula]) -> list[str] | None:
    """A path start -> ... -> start through formulas, if there is one."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for nxt in sorted(parsed[node].series) if node in parsed else ():
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def check_names(indicators: dict[str, Indicator]) -> Iterator[tuple[str, Found]]:
    """Every name must lead to one indicator, or lookup would be ambiguous."""
    owner: dict[str, str] = {}
    for ind in indicators.values():
        for loc, name in indicator_names(ind):
            key = normalize_name(name)
            other = owner.setdefault(key, ind.id)
            if other != ind.id:
                yield (
                    ind.id,
                    Found(
                        loc,
                        "catalogue-duplicate-id",
                        f"{ind.id}: name {name!r} is already a name of {other!r}",
                    ),
                )
