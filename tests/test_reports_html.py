"""The HTML report: one self-contained, printable file with inline SVG charts and no external URL."""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

import pytest

from targets.reports import render_report
from targets.tracker import Tracker
from tests.fixtures import build_fixture_db


class Collect(HTMLParser):
    """Tags and attributes as a browser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


@pytest.fixture
def tracker(sqlite_url: str) -> Tracker:
    return build_fixture_db(sqlite_url)


@pytest.fixture
def html(tracker: Tracker) -> str:
    return render_report(tracker, "html", milestone=2025).decode("utf-8")


def _parse(html: str) -> Collect:
    parser = Collect()
    parser.feed(html)
    return parser


def test_no_external_url(html: str) -> None:
    tags = _parse(html).tags
    for tag, attrs in tags:
        for name in ("src", "href", "xlink:href", "action", "srcset", "poster", "data"):
            value = attrs.get(name) or ""
            assert "http" not in value and "//" not in value, (tag, name, value)
    assert not [t for t, _ in tags if t in ("script", "link", "iframe", "img", "object")]
    assert not re.search(r"@import|url\(", html)


def test_lang_print_css_and_sections(html: str) -> None:
    tags = _parse(html).tags
    assert ("html", {"lang": "zh-CN"}) in tags
    assert "@page" in html and "break-before: page" in html
    sections = [a.get("id") for t, a in tags if t == "section"]
    assert sections == [
        "summary",
        "drafted",
        "gaps",
        "assessment",
        "convergence",
        "contribution",
        "methods_compare",
        "details",
        "method",
        "vintages",
    ]
    assert '"Noto Sans CJK SC"' in html


def test_content_numbers_and_status_words(tracker: Tracker, html: str) -> None:
    # charts for the five indicators with values, as inline SVG
    assert html.count("<svg") == 5
    for name in (
        "研发投入强度",
        "常住人口城镇化率",
        "细颗粒物（PM2.5）平均浓度",
        "PCT国际专利申请量",
    ):
        assert name in html
    # status never by colour alone: symbol and word in the same cell as the colour
    # (Anhui is compared with the goal set for the whole region: the note says so)
    assert re.search(
        r'class="status status-moderate"[^>]*><span class="word">◆ 进展一般</span>'
        r'<span class="note"> · ※ 对标：规划为长三角设定此目标</span></td>',
        html,
    )
    # per-indicator decimals and unit
    assert '<td class="ind">PCT国际专利申请量<span class="unit">件</span></td>' in html
    assert '<td class="num">26,000</td>' in html and '<td class="num">2.69</td>' in html
    # the goal's source and the vintage with its date
    assert "长江三角洲区域一体化发展规划纲要" in html
    assert "fixture.csv" in html
    assert "北京时间" in html
    assert "nan" not in re.sub(r"<[^>]+>", " ", html).split()


def test_english(tracker: Tracker) -> None:
    html = render_report(tracker, "html", lang="en", milestone=2025).decode()
    assert '<html lang="en">' in html
    assert "Gap table" in html and "Method and thresholds" in html
    assert escape(tracker.catalogue["rd_intensity"].name.en) in html  # "R&amp;D intensity"


def test_the_drafted_text_is_the_draft_models_word_for_word(tracker: Tracker, html: str) -> None:
    from targets.reports.drafting import draft_assessment

    draft = draft_assessment(tracker, 2025, "zh")
    shown = re.findall(r'<p class="drafted" data-key="([^"]+)">([^<]*)</p>', html)
    assert shown == [(escape(p.key), escape(p.text)) for p in draft.paragraphs()]
    assert "研发投入强度：规划目标为到2025年，长三角“研发投入强度达到3%以上”" in html
