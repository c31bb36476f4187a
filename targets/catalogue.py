"""Load and check indicators.yaml into frozen models; every problem is reported with its YAML line.

`validate_catalogue` returns all problems (schema, references, ranges, regions, formulas: the
checks are in targets.catalogue_checks) as `CatalogueProblem`s that print as `indicators.yaml:LINE: message`; `load_catalogue` raises
`CatalogueError` carrying them, or returns a `Catalogue` with lookup by any name analysts use.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from targets.catalogue_checks import (
    Found,
    check_documents,
    check_formulas,
    check_indicator,
    check_names,
    check_top,
    entry_label,
    validated,
)
from targets.formula import Formula, parse
from targets.matching import closest
from targets.models import Document, Indicator, Milestone
from targets.names import Loc, indicator_names, normalize_name


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


_TRAILING_UNIT = re.compile(r"(\([^()]*\)|\[[^\[\]]*\])$")


def _without_unit(key: str) -> str:
    """Strip one trailing bracketed unit from a normalised name: `研发投入强度(%)` -> `研发投入强度`."""
    return _TRAILING_UNIT.sub("", key)


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
            for _, name in indicator_names(indicator):
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
        matches = closest(key, self._by_key, n=n * 4, cutoff=0.5)
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

    found: list[Found] = []
    problems = [
        CatalogueProblem(file, line, "catalogue-yaml", f"duplicate key {key!r}")
        for line, key in duplicate_keys
    ]
    found += check_top(data)
    raw_docs = data.get("documents") if isinstance(data, dict) else None
    raw_inds = data.get("indicators") if isinstance(data, dict) else None
    documents: dict[str, tuple[int, Document]] = {}
    doc_ids: dict[str, None] = {}  # every document id, valid entry or not (ordered set)
    if isinstance(raw_docs, list):
        found += check_documents(raw_docs, documents, doc_ids)

    # validate each entry on its own so one broken entry does not hide the others' problems
    indicators: dict[str, Indicator] = {}
    index: dict[str, int] = {}
    series_ids: set[str] = set()  # every indicator id, valid entry or not
    if isinstance(raw_inds, list):
        for i, entry in enumerate(raw_inds):
            base: Loc = ("indicators", i)
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                series_ids.add(entry["id"])
            ind, errors = validated(Indicator, entry, base, entry_label(entry, f"indicators[{i}]"))
            found += errors
            if ind is None:
                continue
            if ind.id in indicators:
                first = _line_at(root, ("indicators", index[ind.id]))
                found.append(
                    Found(
                        base + ("id",),
                        "catalogue-duplicate-id",
                        f"duplicate indicator id {ind.id!r} (first at line {first})",
                    )
                )
                continue
            indicators[ind.id] = ind
            index[ind.id] = i
            found += [
                Found(base + f.loc, f.code, f.message)
                for f in check_indicator(ind, list(doc_ids), region_ids)
            ]
        for ind_id, f in [
            *check_formulas(indicators, series_ids, region_ids),
            *check_names(indicators),
        ]:
            found.append(Found(("indicators", index[ind_id]) + f.loc, f.code, f.message))

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
    "problems_text",
    "validate_catalogue",
]
