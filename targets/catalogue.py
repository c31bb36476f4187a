"""Load and check indicators.yaml into frozen models; every problem is reported with its YAML line.

`validate_catalogue` returns all problems (schema, references, ranges, regions, formulas) as
`CatalogueProblem`s that print as `indicators.yaml:LINE: message`; `load_catalogue` raises
`CatalogueError` carrying them, or returns a `Catalogue` with lookup by any name analysts use.
"""

from __future__ import annotations

import copy
import difflib
import re
import typing
import unicodedata
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from targets.formula import Formula, FormulaError, parse
from targets.models import CATEGORIES, Document, Indicator, Milestone

COMPONENT_CATEGORY = "组成序列"
TOP_LEVEL_KEYS = ("documents", "indicators")
# a comparator that points against the goal's direction is a typo, never a plan's wording
_COMPARATORS_FOR = {
    "higher_is_better": (">=", ">"),
    "lower_is_better": ("<=", "<"),
}

Loc = tuple[int | str, ...]


@dataclass(frozen=True)
class CatalogueProblem:
    """One located problem in the catalogue; `line` is 1-based."""

    file: str
    line: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "code": self.code, "message": self.message}


class CatalogueError(Exception):
    """The catalogue could not be loaded; `.problems` lists every problem found."""

    def __init__(self, problems: list[CatalogueProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# ---------------------------------------------------------------- names


_TRAILING_UNIT = re.compile(r"(\([^()]*\)|\[[^\[\]]*\])$")


def normalize_name(name: str) -> str:
    """The key names are matched on: NFKC (full-width to half-width), case-folded, no whitespace."""
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def _without_unit(key: str) -> str:
    """Strip one trailing bracketed unit from a normalised name: `研发投入强度(%)` -> `研发投入强度`."""
    return _TRAILING_UNIT.sub("", key)


def _names(indicator: Indicator) -> list[tuple[Loc, str]]:
    """Every name of an indicator with its location inside the indicator's mapping."""
    found: list[tuple[Loc, str]] = [
        (("id",), indicator.id),
        (("name", "zh"), indicator.name.zh),
        (("name", "en"), indicator.name.en),
    ]
    found += [(("synonyms", k), s) for k, s in enumerate(indicator.synonyms)]
    return found


# ---------------------------------------------------------------- the catalogue


class Catalogue:
    """The loaded catalogue: documents and indicators (file order) with lookup by name."""

    def __init__(
        self,
        path: Path,
        documents: dict[str, Document],
        indicators: dict[str, Indicator],
        lines: dict[str, int],
    ) -> None:
        self.path = path
        self.documents = documents
        self.indicators = indicators
        self._lines = lines
        self._by_key: dict[str, str] = {}
        self._display: dict[str, str] = {}
        for indicator in indicators.values():
            for _, name in _names(indicator):
                key = normalize_name(name)
                self._by_key.setdefault(key, indicator.id)
                self._display.setdefault(key, name)
        self._formulas = {
            i.id: parse(i.formula) for i in indicators.values() if i.formula is not None
        }

    def __getitem__(self, indicator_id: str) -> Indicator:
        return self.indicators[indicator_id]

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.indicators.values())

    def __len__(self) -> int:
        return len(self.indicators)

    def __contains__(self, indicator_id: object) -> bool:
        return indicator_id in self.indicators

    def __repr__(self) -> str:
        return f"Catalogue({str(self.path)!r}, {len(self)} indicators)"

    def goals(self) -> list[Indicator]:
        """Indicators with milestones, in file order."""
        return [i for i in self if i.milestones]

    def components(self) -> list[Indicator]:
        """Component series (no milestones), in file order."""
        return [i for i in self if not i.milestones]

    def formula(self, indicator_id: str) -> Formula | None:
        """The parsed formula of an indicator, or None when it has none."""
        return self._formulas.get(indicator_id)

    def lookup(self, name: str) -> Indicator | None:
        """The indicator an id, Chinese or English name or synonym names, however it is spelled."""
        key = normalize_name(name)
        while key:
            found = self._by_key.get(key)
            if found is not None:
                return self.indicators[found]
            stripped = _without_unit(key)
            if stripped == key:
                return None
            key = stripped
        return None

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """Up to n names close to `name` (one per indicator), spelled as in the catalogue."""
        key = _without_unit(normalize_name(name)) or normalize_name(name)
        matches = difflib.get_close_matches(key, list(self._by_key), n=n * 4, cutoff=0.5)
        out: list[str] = []
        seen: set[str] = set()
        for match in matches:
            indicator_id = self._by_key[match]
            if indicator_id not in seen:
                seen.add(indicator_id)
                out.append(self._display[match])
        return out[:n]

    def line_of(self, indicator_id: str) -> int:
        """The line of the indicator's entry in the catalogue file."""
        return self._lines[indicator_id]

    def baseline_year(self, indicator: Indicator | str, milestone: Milestone | None = None) -> int:
        """The catalogue's baseline, else the earliest baseline_year of the goal's source documents."""
        ind = self.indicators[indicator] if isinstance(indicator, str) else indicator
        if ind.baseline is not None:
            return ind.baseline.year
        milestones = [milestone] if milestone is not None else ind.milestones
        years = [self.documents[s.document].baseline_year for m in milestones for s in m.sources]
        if not years:
            raise ValueError(f"{ind.id} has no milestones, so no baseline year")
        return min(years)

    def milestone_years(self) -> list[int]:
        """Sorted distinct years of numeric milestones."""
        return sorted({m.year for i in self for m in i.milestones if m.is_numeric})


# ---------------------------------------------------------------- YAML with lines


# libyaml's parser is ten times faster; the constructor is the same safe one either way
_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeBase):  # type: ignore[valid-type,misc]
    """A safe loader that keeps the node tree (each node knows its line) and notes duplicate keys.

    Construction is SafeLoader's own, so the data is exactly what yaml.safe_load returns.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicate_keys: list[tuple[int, str]] = []

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode):
                if key_node.value in seen:
                    self.duplicate_keys.append((key_node.start_mark.line + 1, key_node.value))
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


def _parse_yaml(text: str) -> tuple[Node | None, Any, list[tuple[int, str]]]:
    loader = _LineLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
        return node, data, loader.duplicate_keys
    finally:
        loader.dispose()


def _line_at(root: Node, loc: Loc) -> int:
    """The line of the deepest node on `loc`: a mapping key's line where the key exists."""
    node = root
    line = root.start_mark.line + 1
    for part in loc:
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode) and key_node.value == str(part):
                    line = key_node.start_mark.line + 1
                    node = value_node
                    break
            else:
                break
        elif (
            isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value)
        ):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


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
class _Found:
    loc: Loc
    code: str
    message: str


M = typing.TypeVar("M", bound=BaseModel)


def _validated(model: type[M], data: Any, base: Loc, label: str) -> tuple[M | None, list[_Found]]:
    """The entry as a model plus its schema problems.

    Where the only problems are unknown keys, the model is built without them, so a typo'd key
    does not hide the entry's other problems.
    """
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        errors = exc.errors()
    found = [
        _Found(base + tuple(e["loc"]), "catalogue-schema", f"{label}: {_schema_message(e, model)}")
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


def _label(data: Any, fallback: str) -> str:
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        return str(data["id"])
    return fallback


def _check_top(data: Any) -> Iterator[_Found]:
    if not isinstance(data, dict):
        yield _Found(
            (),
            "catalogue-schema",
            "the catalogue must be a mapping with keys documents and indicators",
        )
        return
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            yield _Found(
                (str(key),),
                "catalogue-schema",
                f"unknown top-level key {key!r} (allowed: {', '.join(TOP_LEVEL_KEYS)})",
            )
    for key in TOP_LEVEL_KEYS:
        if not isinstance(data.get(key), list):
            yield _Found(
                (key,) if key in data else (),
                "catalogue-schema",
                f"{key}: must be a list of entries",
            )


def _check_documents(
    raw: list[Any], documents: dict[str, tuple[int, Document]], known: dict[str, None]
) -> Iterator[_Found]:
    """Validate documents; `known` gets every id, valid entry or not, so goals citing a broken
    document are not reported a second time."""
    for i, entry in enumerate(raw):
        label = _label(entry, f"documents[{i}]")
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            known[entry["id"]] = None
        doc, errors = _validated(Document, entry, ("documents", i), label)
        yield from errors
        if doc is None:
            continue
        if doc.id in documents:
            yield _Found(
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
) -> Iterator[_Found]:
    at: Loc = ("milestones", j)
    name = f"{ind.id}: milestones[{j}] ({m.year})"
    if m.value is not None and m.comparator is None:
        yield _Found(
            at + ("value",),
            "catalogue-schema",
            f"{name}: value {m.value:g} has no comparator (>=, >, <=, <)",
        )
    if m.value is None and m.comparator is not None:
        yield _Found(
            at + ("comparator",),
            "catalogue-schema",
            f"{name}: comparator {m.comparator!r} without a value",
        )
    if (
        m.comparator is not None
        and ind.direction is not None
        and m.comparator not in _COMPARATORS_FOR[ind.direction]
    ):
        yield _Found(
            at + ("comparator",),
            "catalogue-schema",
            f"{name}: comparator {m.comparator!r} contradicts direction {ind.direction}",
        )
    if m.basis == "change_from_base":
        if m.base_year is None:
            yield _Found(
                at + ("basis",),
                "catalogue-schema",
                f"{name}: basis change_from_base needs a base_year",
            )
        elif m.base_year >= m.year:
            yield _Found(
                at + ("base_year",),
                "catalogue-schema",
                f"{name}: base_year {m.base_year} is not before {m.year}",
            )
    elif m.base_year is not None:
        yield _Found(
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
                yield _Found(
                    loc,
                    "catalogue-out-of-range",
                    f"{name}: {what} {value:g} is outside valid_range [{lo:g}, {hi:g}]",
                )
    for k, source in enumerate(m.sources):
        if source.document not in documents:
            known = ", ".join(documents) or "none"
            yield _Found(
                at + ("sources", k, "document"),
                "catalogue-schema",
                f"{name}: source document {source.document!r} is not in documents (known: {known})",
            )
    if region_ids is not None:
        for region in m.overrides:
            if region not in region_ids:
                yield _Found(
                    at + ("overrides", region),
                    "catalogue-unknown-region",
                    f"{name}: override for unknown region {region!r}",
                )


def _check_indicator(
    ind: Indicator, documents: Collection[str], region_ids: Collection[str] | None
) -> Iterator[_Found]:
    if ind.category not in CATEGORIES:
        yield _Found(
            ("category",),
            "catalogue-schema",
            f"{ind.id}: category {ind.category!r} is not one of: {', '.join(CATEGORIES)}",
        )
    if ind.milestones:
        if ind.category == COMPONENT_CATEGORY:
            yield _Found(
                ("category",),
                "catalogue-schema",
                f"{ind.id}: a component series ({COMPONENT_CATEGORY}) has no milestones",
            )
        if ind.direction is None:
            yield _Found(
                (),
                "catalogue-schema",
                f"{ind.id}: has milestones but no direction (higher_is_better or lower_is_better)",
            )
        if not ind.scope:
            yield _Found(
                (),
                "catalogue-schema",
                f"{ind.id}: has milestones but no scope (region ids such as yrd)",
            )
    years = [m.year for m in ind.milestones]
    for j, year in enumerate(years):
        if year in years[:j]:
            yield _Found(
                ("milestones", j, "year"),
                "catalogue-schema",
                f"{ind.id}: two milestones for {year}",
            )
    if ind.valid_range is not None and ind.valid_range[0] > ind.valid_range[1]:
        yield _Found(
            ("valid_range",),
            "catalogue-schema",
            f"{ind.id}: valid_range minimum is above its maximum",
        )
    if not 0 <= ind.decimals <= 10:
        yield _Found(
            ("decimals",), "catalogue-schema", f"{ind.id}: decimals must be between 0 and 10"
        )
    if ind.formula is not None and ind.weight is not None:
        yield _Found(
            ("weight",), "catalogue-schema", f"{ind.id}: give a formula or a weight, not both"
        )
    if region_ids is not None:
        for k, region in enumerate(ind.scope):
            if region not in region_ids:
                yield _Found(
                    ("scope", k),
                    "catalogue-unknown-region",
                    f"{ind.id}: scope names unknown region {region!r}",
                )
    for j, m in enumerate(ind.milestones):
        yield from _check_milestone(ind, j, m, documents, region_ids)


def _check_formulas(
    indicators: dict[str, Indicator], known: Collection[str], region_ids: Collection[str] | None
) -> Iterator[tuple[str, _Found]]:
    """Formulas parse, name known series (`known` includes entries that failed the schema) and
    regions, and do not refer back to themselves."""
    parsed: dict[str, Formula] = {}
    for ind in indicators.values():
        if ind.formula is None:
            continue
        try:
            parsed[ind.id] = parse(ind.formula)
        except FormulaError as exc:
            yield ind.id, _Found(("formula",), "catalogue-schema", f"{ind.id}: {exc}")
            continue
        for series in sorted(parsed[ind.id].series - set(known)):
            hint = difflib.get_close_matches(series, list(indicators), n=1)
            more = f" (did you mean {hint[0]!r}?)" if hint else ""
            yield (
                ind.id,
                _Found(
                    ("formula",),
                    "catalogue-unknown-series",
                    f"{ind.id}: formula names unknown series {series!r}{more}",
                ),
            )
        if region_ids is not None:
            for region in sorted(parsed[ind.id].regions - set(region_ids)):
                yield (
                    ind.id,
                    _Found(
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
                _Found(
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


def _check_names(indicators: dict[str, Indicator]) -> Iterator[tuple[str, _Found]]:
    """Every name must lead to one indicator, or lookup would be ambiguous."""
    owner: dict[str, str] = {}
    for ind in indicators.values():
        for loc, name in _names(ind):
            key = normalize_name(name)
            other = owner.setdefault(key, ind.id)
            if other != ind.id:
                yield (
                    ind.id,
                    _Found(
                        loc,
                        "catalogue-duplicate-id",
                        f"{ind.id}: name {name!r} is already a name of {other!r}",
                    ),
                )


# ---------------------------------------------------------------- entry points


@dataclass
class _Result:
    problems: list[CatalogueProblem]
    documents: dict[str, Document]
    indicators: dict[str, Indicator]
    lines: dict[str, int]


def _validate(path: Path, region_ids: Collection[str] | None) -> _Result:
    file = str(path)
    result = _Result([], {}, {}, {})
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        result.problems.append(
            CatalogueProblem(file, 1, "catalogue-yaml", f"cannot read the catalogue: {exc}")
        )
        return result
    try:
        root, data, duplicate_keys = _parse_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        what = "; ".join(
            str(s) for s in (getattr(exc, "context", None), getattr(exc, "problem", None)) if s
        )
        result.problems.append(
            CatalogueProblem(file, line, "catalogue-yaml", f"YAML syntax: {what or exc}")
        )
        return result
    if root is None:
        result.problems.append(
            CatalogueProblem(file, 1, "catalogue-yaml", "the catalogue is empty")
        )
        return result

    found: list[_Found] = []
    problems = [
        CatalogueProblem(file, line, "catalogue-yaml", f"duplicate key {key!r}")
        for line, key in duplicate_keys
    ]
    found += _check_top(data)
    raw_docs = data.get("documents") if isinstance(data, dict) else None
    raw_inds = data.get("indicators") if isinstance(data, dict) else None
    documents: dict[str, tuple[int, Document]] = {}
    doc_ids: dict[str, None] = {}  # every document id, valid entry or not (ordered set)
    if isinstance(raw_docs, list):
        found += _check_documents(raw_docs, documents, doc_ids)

    # validate each entry on its own so one broken entry does not hide the others' problems
    indicators: dict[str, Indicator] = {}
    index: dict[str, int] = {}
    series_ids: set[str] = set()  # every indicator id, valid entry or not
    if isinstance(raw_inds, list):
        for i, entry in enumerate(raw_inds):
            base: Loc = ("indicators", i)
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                series_ids.add(entry["id"])
            ind, errors = _validated(Indicator, entry, base, _label(entry, f"indicators[{i}]"))
            found += errors
            if ind is None:
                continue
            if ind.id in indicators:
                first = _line_at(root, ("indicators", index[ind.id]))
                found.append(
                    _Found(
                        base + ("id",),
                        "catalogue-duplicate-id",
                        f"duplicate indicator id {ind.id!r} (first at line {first})",
                    )
                )
                continue
            indicators[ind.id] = ind
            index[ind.id] = i
            found += [
                _Found(base + f.loc, f.code, f.message)
                for f in _check_indicator(ind, list(doc_ids), region_ids)
            ]
        for ind_id, f in [
            *_check_formulas(indicators, series_ids, region_ids),
            *_check_names(indicators),
        ]:
            found.append(_Found(("indicators", index[ind_id]) + f.loc, f.code, f.message))

    problems += [CatalogueProblem(file, _line_at(root, f.loc), f.code, f.message) for f in found]
    result.problems = sorted(problems, key=lambda p: p.line)
    result.documents = {doc_id: doc for doc_id, (_, doc) in documents.items()}
    result.indicators = indicators
    result.lines = {ind_id: _line_at(root, ("indicators", i)) for ind_id, i in index.items()}
    return result


def validate_catalogue(
    path: str | Path, region_ids: Collection[str] | None = None
) -> list[CatalogueProblem]:
    """Every problem in the catalogue, sorted by line; empty when it is clean."""
    return _validate(Path(path), region_ids).problems


def load_catalogue(path: str | Path, region_ids: Collection[str] | None = None) -> Catalogue:
    """Load the catalogue, or raise CatalogueError listing every problem."""
    result = _validate(Path(path), region_ids)
    if result.problems:
        raise CatalogueError(result.problems)
    return Catalogue(Path(path), result.documents, result.indicators, result.lines)


def problems_text(problems: Iterable[CatalogueProblem]) -> str:
    """`file:line: message` lines, as `targets validate` prints them."""
    return "\n".join(str(p) for p in problems)


__all__ = [
    "Catalogue",
    "CatalogueError",
    "CatalogueProblem",
    "load_catalogue",
    "normalize_name",
    "problems_text",
    "validate_catalogue",
]
