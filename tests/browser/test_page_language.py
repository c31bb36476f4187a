"""Every page in one language: Chinese pages show no English word and English pages no Chinese
one, outside the data (a source's note, address and quote, a file or sheet name, a plan's quote).

Each page is opened in Chromium over the bundled statistics, with an import made from the
command line in English that raised warnings (a unit converted, a repeated value, a sheet
skipped), a pending submission with its warnings, and, on the upload page, a checked file with
problems. The visible text of the page (every <details> opened) is read, and every element's
`aria-label` and `title` (what a screen reader names and a tooltip shows); an element marked with
another `lang` (the language switch, a plan's quote on an English page) is data in its own
language. What is left after the data is taken out must be in the page's language, but for
codes (indicator, series, region and gap-table column ids), units and names (GDP, PM2.5, PDF).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import openpyxl
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import ids
from targets.progress import GAP_COLUMNS
from targets.source_notes import parse_note
from tests.browser.test_edit_pages import _log_in

pytestmark = pytest.mark.browser

# names, acronyms and units that are the same in both languages
NAMES = {
    "GDP", "PM", "PCT", "R&D", "CSV", "PNG", "SVG", "PDF", "HTML", "Word", "Excel", "WPS", "AQI",
    "km", "cv", "Destatis", "Open SDG", "SDG", "xlsx", "xlsm", "xls", "ods", "csv", "txt", "docx",
    "UTF-8", "GBK", "GB18030", "UTF-16", "BOM", "ID", "Argon2id", "max", "min", "PM2.5", "UTC", "role", "MB",
    "English",  # a language's name in itself (the report language's choice)
}  # fmt: skip
# the `targets` commands a page names (as a user would type them)
COMMANDS = {"targets report", "targets user add", "targets import", "targets init", "targets"}
# the words statistics files and plans use for a flag, quoted as such on English pages
SOURCE_WORDS_ZH = {"左右", "超过", "突破", "约", "初步", "预计", "口径不同", "定义不同", "绝对数"}
# ... the units a file writes, quoted as written where a warning says what was converted
SOURCE_WORDS_ZH |= {"万元", "亿元", "元", "万人", "人", "万件", "件"}
SOURCE_WORDS_ZH |= {"中文"}  # a language's name in itself (the report language's choice)
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9_&'’.\-]*(?: [A-Za-z][A-Za-z0-9_&'’.\-]*)*")
SYMBOL = re.compile(r"[A-Za-z]\d*")  # v, T, Y, t0 in the method's formulas
CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
# the data slots of a note (targets.source_notes): addresses, «quotes», [remarks]
DATA_SLOTS = re.compile(r"https?://\S+|github:\S+|«[^»]*»?|\[[^\]]*\]")

PAGES = (
    "/", "/indicator/rd_intensity", "/indicator/rd_intensity?view=table",
    "/indicator/urbanization_rate?view=map", "/region/shanghai", "/region/yrd", "/map",
    "/assessment", "/sources", "/method", "/reports", "/no-such-page",
)  # fmt: skip
EDIT_PAGES = ("/history", "/submissions")

# an import made from the command line (in English): GDP in 万元 (converted), a repeated row, a
# sheet of chart data that is no table (skipped)
WARNED_ROWS = [
    ["地区", "指标", "年份", "数值", "单位"],
    ["上海", "地区生产总值", 2016, 281786000, "万元"],
    ["上海", "地区生产总值", 2016, 281786000, "万元"],
]
CHART_SHEET = [["图表数据说明"], ["见上表"]]


def _workbook(rows: list[list[Any]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据"
    for row in rows:
        ws.append(row)
    chart = wb.create_sheet("图表")
    for row in CHART_SHEET:
        chart.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """(the app, its Tracker): bundled statistics, an import with warnings, a submission."""
    from dashboard.app import create_app
    from targets.bundled import ensure_bundled
    from targets.ingest import import_files
    from targets.passwords import hash_password
    from targets.submissions import submit
    from targets.tracker import Tracker
    from targets.users import add_user
    from tests.test_sessions import SECRET

    monkeypatch.setenv("TARGETS_SECRET_KEY", SECRET)
    monkeypatch.setenv("TARGETS_EDITS", "submit")
    monkeypatch.delenv("TARGETS_PUBLIC_VIEW", raising=False)
    tr = Tracker(db_url=f"sqlite:///{tmp_path / 'targets.db'}")
    ensure_bundled(tr)
    add_user(tr.store, "erin", "admin", hash_password("erin-password"))
    args = (tr.store, tr.catalogue, tr.regions)
    done = import_files(*args, [("gdp-2016.xlsx", _workbook(WARNED_ROWS))], lang="en")
    assert done.report.ok and len(done.report.files[0].warnings) >= 3
    anhui = "地区,指标,年份,数值\n安徽,研发投入强度,2024,3.05\n".encode()
    sent = submit(*args, [("anhui-2024.csv", anhui)], user="erin", note="2024 update", lang="en")
    assert sent.ids and sent.result.report.files[0].warnings
    return create_app(tr), tr


def _data_strings(tr: Any) -> list[str]:
    """What the data says in its own words: notes not in the bundled form, file, sheet and user
    names, import notes; the plans' quotes, sections, issuers and reading notes."""
    from targets.bundled import BUNDLED_NOTE

    found: set[str] = {"gdp-2016.xlsx", "anhui-2024.csv", "erin", "system", "2024 update"}
    found |= {"check-zh.xlsx", "check-en.xlsx"}  # the files checked on the upload page
    found |= {"数据", "图表", *CHART_SHEET[0], *CHART_SHEET[1]}
    for note in tr.store.observations()["note"].dropna().tolist():
        parsed = parse_note(str(note))
        if not parsed.kind:
            found.add(parsed.remark)
        if parsed.address.startswith("http"):  # the sources page names each publisher's host
            found.add(urlsplit(parsed.address).hostname or "")
    for imp in tr.store.imports():
        found |= {imp.file_name, imp.user, imp.sheets}
        if imp.note != BUNDLED_NOTE:
            found.add(imp.note)
    for doc in tr.catalogue.documents.values():
        found |= {str(getattr(doc, "issuer", "") or "")}
    for ind in tr.catalogue.indicators.values():
        for m in ind.milestones:
            for src in m.sources:
                found |= {src.quote, src.section, src.note or ""}
    return sorted((s for s in found if s), key=len, reverse=True)


def _codes(tr: Any) -> set[str]:
    """Ids shown as codes: indicators (and the series they are), regions, documents, columns."""
    return {
        *tr.catalogue.indicators, *tr.regions.regions, *tr.catalogue.documents, *GAP_COLUMNS,
        *NAMES,
    }  # fmt: skip


TEXT_JS = """
const lang = arguments[0];
document.querySelectorAll('details').forEach(d => { d.open = true; });
const other = (el) => {
  for (let e = el; e && e !== document.documentElement; e = e.parentElement) {
    if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(e.tagName)) return true;
    const l = e.getAttribute('lang');
    if (l && !l.toLowerCase().startsWith(lang)) return true;
  }
  return false;
};
const out = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
let n;
while ((n = walker.nextNode())) {
  const text = n.nodeValue.trim();
  const el = n.parentElement;
  if (!text || !el || other(el)) continue;
  if (el.checkVisibility && !el.checkVisibility({visibilityProperty: true})) continue;
  out.push(text);
}
// what a screen reader or a pointer's tooltip says: every element's name and title, shown or
// not (a collapsed menu's button, a chart's toolbar)
document.querySelectorAll('[aria-label], [title]').forEach(el => {
  if (other(el)) return;
  for (const name of ['aria-label', 'title']) {
    const text = (el.getAttribute(name) || '').trim();
    if (text) out.push(text);
  }
});
return out;
"""


def _settle(driver: Any) -> None:
    """Wait until Dash has no callback in flight (twice in a row, half a second apart)."""
    busy = "return document.querySelector('[data-dash-is-loading=\"true\"]') !== null"
    quiet = 0

    def calm(d: Any) -> bool:
        nonlocal quiet
        quiet = 0 if d.execute_script(busy) else quiet + 1
        return quiet >= 2

    WebDriverWait(driver, 90, poll_frequency=0.5).until(calm)


def _foreign(texts: list[str], lang: str, data: list[str], codes: set[str]) -> list[str]:
    """The runs of the other language in `texts`, once data, codes and names are taken out."""
    found = []
    for text in texts:
        # addresses and quotes first: a data string may also occur inside one
        text = DATA_SLOTS.sub(" ", text)
        for s in data:
            text = text.replace(s, " ")
        if lang == "zh":
            for run in LATIN_RUN.findall(text):
                run = run.strip("-'’.")
                if run in codes or run in COMMANDS:
                    continue
                words = run.split(" ")
                if all(w in codes or SYMBOL.fullmatch(w) or "_" in w for w in words):
                    continue  # codes, and symbols (T, Y, v_t) as the method page writes them
                found.append(run)
        else:
            found += [r for r in CJK_RUN.findall(text) if r not in SOURCE_WORDS_ZH]
    return sorted(set(found))


def _read(dash_duo: Any, path: str, lang: str) -> list[str]:
    sep = "&" if "?" in path else "?"
    dash_duo.driver.get(f"{dash_duo.server_url}{path}{sep}lang={lang}")
    dash_duo.wait_for_element("h1", timeout=60)
    _settle(dash_duo.driver)
    return list(dash_duo.driver.execute_script(TEXT_JS, lang))


def _check_upload(dash_duo: Any, tmp_path: Path, lang: str) -> list[str]:
    """The upload page after checking a file with problems: its report, warnings included."""
    rows = [WARNED_ROWS[0], *[["江苏", "地区生产总值", 2016, 776000000, "万元"]] * 2]
    path = tmp_path / f"check-{lang}.xlsx"
    path.write_bytes(_workbook(rows))
    texts = _read(dash_duo, "/upload", lang)
    assert texts
    dash_duo.driver.find_element(
        By.CSS_SELECTOR, f"#{ids.UPLOAD_FILES} input[type=file]"
    ).send_keys(str(path))
    dash_duo.wait_for_contains_text(f"#{ids.UPLOAD_SELECTED}", path.name)
    dash_duo.find_element(f"#{ids.UPLOAD_CHECK}").click()
    said = "已由 万元 换算为" if lang == "zh" else "converted from 万元"
    dash_duo.wait_for_contains_text(f"#{ids.UPLOAD_REPORT}", said, timeout=90)
    _settle(dash_duo.driver)
    return list(dash_duo.driver.execute_script(TEXT_JS, lang))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_speaks_its_language_around_the_data(
    dash_duo: Any, world: tuple[Any, Any], tmp_path: Path, lang: str, screenshot: Any
) -> None:
    app, tr = world
    dash_duo.start_server(app)
    dash_duo.driver.set_window_size(1366, 900)
    data, codes = _data_strings(tr), _codes(tr)
    found: dict[str, list[str]] = {}
    read: dict[str, list[str]] = {}
    for path in (*PAGES, "/login"):
        read[path] = _read(dash_duo, path, lang)
    _log_in(dash_duo, f"/history?lang={lang}")
    dash_duo.wait_for_element(f"#{ids.HISTORY_IMPORTS}", timeout=20)
    for path in EDIT_PAGES:
        read[path] = _read(dash_duo, path, lang)
    read["/upload (checked)"] = _check_upload(dash_duo, tmp_path, lang)
    screenshot(dash_duo.driver, f"upload_warnings_{lang}")
    for path, texts in read.items():
        assert len(" ".join(texts)) > 40, (path, texts)  # the page rendered
        if foreign := _foreign(texts, lang, data, codes):
            found[path] = foreign
    if found:
        pytest.fail(
            "words of the other language:\n" + "\n".join(f"{p}: {w}" for p, w in found.items())
        )
    # the warnings are there, in the page's language: the history's (imported in English)
    history = " ".join(read["/history"])
    upload = " ".join(read["/upload (checked)"])
    if lang == "zh":
        assert "数值已由 万元 换算为 亿元" in history and "个重复的相同数值只保留一个" in history
        assert "工作表 图表：无法识别布局" in history and "已由 万元 换算为 亿元" in upload
        sources = " ".join(read["/sources"])
        assert "据公开转载整理" in sources and "至" in sources and "，共" in sources
    else:
        assert "repeated value(s) with the same number kept once" in history
        assert "converted from 万元 to 亿元" in upload
    assert dash_duo.get_logs() == []
