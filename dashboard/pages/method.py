"""Method (/method): how progress is assessed, the status thresholds, where the goals come from.

The text and the thresholds come from targets.progress, the code that computes them, so the page
cannot drift from the method.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import html

from dashboard import format as fmt
from dashboard import ids
from dashboard.i18n import norm_lang, t
from dashboard.pages import add_page, tracker
from targets import progress, statuses
from targets.tracker import Tracker


def register(app: dash.Dash) -> None:
    add_page(
        __name__,
        path="/method",
        label=(t("page_method", "zh"), t("page_method", "en")),
        order=80,
        layout=layout,
    )


def threshold_rules(lang: str) -> dict[str, str]:
    """The rule of each status, with its threshold (targets.statuses)."""
    return {s: statuses.meaning(s, lang) for s in statuses.IDS}


def text_blocks(text: str, lang: str) -> list[Any]:
    """Plain method text -> paragraphs and bullet lists, in order (as text, never as HTML)."""
    # wrapped lines join with a space in English, with nothing in Chinese
    joiner = " " if lang == "en" else ""
    blocks: list[Any] = []
    para: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if para:
            blocks.append(html.P(joiner.join(para)))
            para.clear()
        if items:
            blocks.append(html.Ul([html.Li(i) for i in items]))
            items.clear()

    for line in text.strip().splitlines():
        if not line.strip():
            flush()
        elif line.lstrip().startswith("- "):
            if para:
                flush()
            items.append(line.lstrip()[2:].strip())
        elif items and line.startswith("  "):
            items[-1] += joiner + line.strip()  # a wrapped bullet
        else:
            if items:
                flush()
            para.append(line.strip())
    flush()
    return blocks


def layout(lang: str = "zh", **_: Any) -> html.Div:
    lang = norm_lang(lang)
    tr = tracker()
    text = progress.method_text(lang)
    # the first line of the text is its own title
    body = text.split("\n", 1)[1] if "\n" in text else text
    rules = threshold_rules(lang)
    rows = []
    for status in statuses.IDS:
        bg, fg = fmt.status_colours(status)
        rows.append(
            html.Tr(
                [
                    html.Td(
                        fmt.status_symbol(status),
                        className="text-center fs-5",
                        style={"backgroundColor": bg, "color": fg},
                    ),
                    html.Th(fmt.status_label(status, lang), scope="row"),
                    html.Td(t(f"rule_{statuses.get(status).rule}", lang)),
                    html.Td(rules[status]),
                ]
            )
        )
    thresholds = html.Table(
        [
            # pace and headline side by side: which rule gives each status, and the rule in words
            html.Caption(f"{t('thresholds_heading', lang)} {t('verdicts_note', lang)}"),
            html.Thead(
                html.Tr(
                    [
                        html.Th(s, scope="col")
                        for s in (
                            "",
                            t("status", lang),
                            t("rule_column", lang),
                            t("threshold_rule", lang),
                        )
                    ]
                )
            ),
            html.Tbody(rows),
        ],
        className="table table-sm w-auto",
        id=ids.METHOD_THRESHOLDS,
    )
    return html.Div(
        [
            html.H1(t("method_heading", lang), className="h3"),
            html.Div(
                text_blocks(body, lang),
                className="method-text",
                lang="en" if lang == "en" else "zh-CN",
            ),
            html.H2(t("thresholds_heading", lang), className="h5 mt-4"),
            thresholds,
            html.H2(t("documents_heading", lang), className="h5 mt-4"),
            documents_table(tr, lang),
        ],
        className="method-page",
    )


def documents_table(tr: Tracker, lang: str) -> html.Table:
    counts: dict[str, int] = {}
    for ind in tr.catalogue:
        for m in ind.milestones:
            for doc in {s.document for s in m.sources}:
                counts[doc] = counts.get(doc, 0) + 1
    head = html.Thead(
        html.Tr(
            [
                html.Th(t(k, lang), scope="col")
                for k in ("document", "issuer", "issued", "doc_baseline", "goal_count")
            ]
        )
    )
    rows = [
        html.Tr(
            [
                html.Th(doc.title.get(lang), scope="row"),
                html.Td(doc.issuer),
                html.Td(doc.issued.isoformat(), className="num"),
                html.Td(str(doc.baseline_year), className="num"),
                html.Td(str(counts.get(doc.id, 0)), className="num"),
            ]
        )
        for doc in tr.catalogue.documents.values()
    ]
    return html.Table(
        [html.Caption(t("documents_heading", lang)), head, html.Tbody(rows)],
        className="table table-sm",
        id=ids.METHOD_DOCUMENTS,
    )
