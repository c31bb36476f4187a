"""The adversarial corpus (tests/data/corpus, made by tests/data/make_corpus.py): each file into a
real database, on SQLite and PostgreSQL, with the real catalogue and region registry.

A file that must be stored stores exactly the values a person sees in its cells (and notes as
written); a file that must be refused is refused at the listed cells and leaves the database as
it was: the same observations, the same imports.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from targets.ingest import import_files
from targets.ingest.values import split_marks
from targets.store import Store
from tests.conftest import require

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))["files"]
STORED = sorted(n for n, f in MANIFEST.items() if "stored" in f)
REFUSED = sorted(n for n, f in MANIFEST.items() if "refused" in f)
# a value in force before each refused import, so "unchanged" has something to keep
BASELINE = ("baseline.csv", "地区,指标,年份,数值\n上海,地区生产总值,2022,44652.8\n".encode())


@pytest.fixture
def store(db_url: str) -> Any:
    s = Store(db_url)
    yield s
    s.dispose()


def _stored(store: Store) -> list[tuple[str, str, int, float, str | None]]:
    obs = store.observations()
    return sorted(
        (
            r.indicator,
            r.region,
            int(r.year),
            float(r.value),
            r.note if isinstance(r.note, str) else None,
        )
        for r in obs.itertuples(index=False)
    )


def _snapshot(store: Store) -> tuple[Any, ...]:
    obs = store.observations().sort_values(["indicator", "region", "year"])
    imports = [(i.id, i.file_name, i.rows, i.state) for i in store.imports()]
    return (obs.to_dict("records"), imports)


def test_the_corpus_is_large_and_every_file_is_in_the_manifest() -> None:
    files = {p.name for p in CORPUS.iterdir() if p.name != "manifest.json"}
    assert files == set(MANIFEST)
    assert len(files) >= 30 and len(REFUSED) >= 8
    kinds = {n.rsplit(".", 1)[1] for n in files}
    assert kinds >= {"xlsx", "xls", "ods", "csv", "txt"}


@pytest.mark.parametrize("name", STORED)
def test_the_values_stored_are_the_values_shown(
    name: str, store: Store, catalogue: Any, regions: Any
) -> None:
    want = MANIFEST[name]
    result = import_files(store, catalogue, regions, [CORPUS / name])
    (fr,) = result.report.files
    assert [str(e) for e in fr.errors] == []
    expected = sorted((i, r, int(y), float(v), n) for i, r, y, v, n in want["stored"])
    assert _stored(store) == expected
    assert fr.rows == len(expected)
    for words in want.get("warnings", []):
        assert any(words in w.en for w in fr.warnings), (words, fr.warnings)


@pytest.mark.parametrize("name", REFUSED)
def test_a_refused_file_is_located_and_changes_nothing(
    name: str, store: Store, catalogue: Any, regions: Any
) -> None:
    want = MANIFEST[name]
    first = import_files(store, catalogue, regions, [BASELINE])
    assert first.report.ok
    before = _snapshot(store)
    result = import_files(store, catalogue, regions, [CORPUS / name])
    (fr,) = result.report.files
    got = sorted((e.code, e.sheet, f"{e.column}{e.row}") for e in fr.errors)
    assert got == sorted(tuple(r) for r in want["refused"]), [str(e) for e in fr.errors]
    assert all(e.message for e in fr.errors)
    assert fr.import_id is None and fr.rows == 0
    assert _snapshot(store) == before
    by_cell = {f"{e.column}{e.row}": e for e in fr.errors}
    for cell, words in want.get("suggestions", {}).items():
        assert words in by_cell[cell].suggestion, by_cell[cell]


# LibreOffice shows a cell formatted G/通用格式 (the Chinese Excel's General) as text it cannot
# read; Excel and WPS, which write that format, show the number.
NOT_FOR_LIBREOFFICE = {"general_chinese.xlsx"}
_SHOWN_NUMBER = re.compile(r"^[+-]?(\d[\d,]*(?:\.\d+)?|\.\d+)")


def _shown_numbers(csv_text: str) -> list[tuple[float, int]]:
    """Every number a sheet shows, as (number, decimals shown): marks, units, % and thousands
    separators taken off."""
    out = []
    for row in csv.reader(io.StringIO(csv_text)):
        for cell in row:
            body = split_marks(cell.strip())[0].strip()
            m = _SHOWN_NUMBER.match(body)
            if m:
                digits = m.group(0).replace(",", "")
                decimals = len(digits.split(".")[1]) if "." in digits else 0
                out.append((float(digits), decimals))
    return out


def test_libreoffice_shows_what_the_manifest_stores(tmp_path: Path) -> None:
    """An independent reading: each stored value is a number LibreOffice shows in the file
    (times the unit factor the file's format names), to the digits it shows."""
    soffice = shutil.which("soffice")
    require(soffice is not None, "LibreOffice (soffice) is not installed")
    names = [n for n in STORED if n.rsplit(".", 1)[1] in ("xlsx", "xls", "ods")]
    names = [n for n in names if n not in NOT_FOR_LIBREOFFICE]
    subprocess.run(
        [str(soffice), f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir",
         str(tmp_path), *[str(CORPUS / n) for n in names]],
        check=True, capture_output=True, timeout=600, env={**os.environ, "HOME": str(tmp_path)},
    )  # fmt: skip
    missing = []
    for name in names:
        shown = _shown_numbers((tmp_path / (name.rsplit(".", 1)[0] + ".csv")).read_text("utf-8"))
        factor = MANIFEST[name].get("shown_factor", 1.0)
        for _ind, _reg, _year, value, _note in MANIFEST[name]["stored"]:
            if not any(
                abs(number * factor - value) <= (0.5 * 10.0**-decimals + 1e-9) * factor
                for number, decimals in shown
            ):
                missing.append((name, value))
    assert missing == []
