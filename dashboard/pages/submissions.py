"""Submissions (/submissions): what each submitter sent and where it stands; reviewers approve or
return the pending ones here.

A submitter sees their submissions with their state (in words and a sign, never by colour
alone), the reviewer's comment and the import they became. A reviewer (or admin) sees each
pending submission with the submitter, the note, the warnings its import would raise and its
diff against the values in force, and approves it or returns it with a comment. Both actions
re-check the account's role on the server; an approval whose diff has gone stale stops and the
page shows the new diff (targets.submissions). Names, notes and comments are shown as text.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, dcc, html

from dashboard import ids, sessions
from dashboard.i18n import TEXT, norm_lang, t
from dashboard.pages import add_page, attrs, lang_from_search, login_alert, tracker, warmer
from dashboard.upload_report import diff_view, warnings_list
from targets.submissions import (
    DiffChanged,
    Submission,
    SubmissionError,
    approve,
    list_submissions,
    return_submission,
    submission_file,
)
from targets.users import can_review

MAX_COMMENT_CHARS = 1000
LISTED = 100  # decided submissions listed (the pending ones are all shown)
STATE_COLOR = {"pending": "warning", "approved": "success", "returned": "secondary"}


def register(app: dash.Dash) -> None:
    add_page(
        __name__,
        path="/submissions",
        label=TEXT["submissions_page"],
        order=52,
        layout=layout,
        role="editor",
    )
    app.callback(
        Output(ids.SUBMISSIONS_LIST, "children"),
        Output(ids.SUBMISSIONS_STATUS, "children"),
        Input({"type": ids.SUBMISSIONS_APPROVE, "index": ALL}, "n_clicks"),
        Input({"type": ids.SUBMISSIONS_RETURN, "index": ALL}, "n_clicks"),
        State({"type": ids.SUBMISSIONS_COMMENT, "index": ALL}, "value"),
        State(ids.PAGES_LOCATION, "search"),
        prevent_initial_call=True,
    )(review)
    app.callback(
        Output(ids.SUBMISSIONS_FILE, "data"),
        Input({"type": ids.SUBMISSIONS_DOWNLOAD, "index": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )(download)


def layout(lang: str = "zh", **_: Any) -> html.Div:
    lang = norm_lang(lang)
    parts: list[Any] = [html.H1(t("submissions_heading", lang), className="h3")]
    user = sessions.current_user()
    if user is None or not (sessions.editor() or sessions.reviewer()):
        return html.Div([*parts, refusal(lang)])
    parts += [
        html.P(t("submissions_intro", lang)),
        html.Div(id=ids.SUBMISSIONS_STATUS, role="status", **attrs(aria_live="polite")),
        html.Div(page_body(user, lang), id=ids.SUBMISSIONS_LIST),
        dcc.Download(id=ids.SUBMISSIONS_FILE),
    ]
    return html.Div(parts)


def refusal(lang: str) -> dbc.Alert:
    return login_alert("submissions_need_login", "/submissions", ids.SUBMISSIONS_REFUSED, lang)


def page_body(user: dict[str, str], lang: str) -> list[Any]:
    """Reviewers: the pending submissions to review, then all; others: their own."""
    store = tracker().store
    if not can_review(user["role"]):
        mine = list_submissions(store, user=user["name"])
        return [html.H2(t("submissions_mine", lang), className="h4"), table(mine, lang)]
    pending = list_submissions(store, state="pending")
    parts: list[Any] = [html.H2(t("submissions_pending", lang), className="h4")]
    if not pending:
        parts.append(html.P(t("submissions_none_pending", lang), id=ids.SUBMISSIONS_NONE_PENDING))
    parts += [review_card(sub, lang) for sub in reversed(pending)]  # oldest first
    decided = [s for s in list_submissions(store) if s.state != "pending"][:LISTED]
    parts += [html.H2(t("submissions_all", lang), className="h4 mt-4"), table(decided, lang)]
    return parts


def _time(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else ""


def state_badge(state: str, lang: str) -> dbc.Badge:
    """The state in words with a sign: the colour only repeats it."""
    return dbc.Badge(
        t(f"submissions_state_{state}", lang),
        color=STATE_COLOR.get(state, "light"),
        text_color="dark" if state == "pending" else None,
        className=f"submission-state submission-{state}",
    )


def counts_text(sub: Submission, lang: str) -> str:
    counts = sub.counts()
    return t(
        "submissions_counts",
        lang,
        new=counts.get("new", 0),
        unchanged=counts.get("unchanged", 0),
        revised=counts.get("revised", 0),
    )


def table(subs: list[Submission], lang: str) -> Any:
    if not subs:
        return html.P(t("submissions_none", lang))
    keys = ["submissions_id", "submissions_time", "submissions_file", "submissions_user",
            "submissions_state", "submissions_changes", "history_note", "submissions_review"]  # fmt: skip
    rows = []
    for sub in subs:
        review: list[Any] = []
        if sub.reviewer:
            review.append(
                t("submissions_review_text", lang, reviewer=sub.reviewer, comment=sub.comment)
                if sub.comment
                else sub.reviewer
            )
        if sub.import_id is not None:
            review += [html.Br(), t("submissions_in_force_as", lang, id=sub.import_id)]
        rows.append(
            html.Tr(
                [
                    html.Td(f"#{sub.id}"),
                    html.Td(_time(sub.created_at)),
                    html.Td(sub.file_name),
                    html.Td(sub.user),
                    html.Td(state_badge(sub.state, lang)),
                    html.Td(counts_text(sub, lang)),
                    html.Td(sub.note),
                    html.Td(review, className="submission-review"),
                ],
                id=f"{ids.SUBMISSION_ROW}-{sub.id}",
            )
        )
    return dbc.Table(
        [html.Thead(html.Tr([html.Th(t(k, lang), scope="col") for k in keys])), html.Tbody(rows)],
        bordered=False,
        hover=True,
        size="sm",
        responsive=True,
        className="submissions-table",
    )


def review_card(sub: Submission, lang: str) -> dbc.Card:
    """One pending submission: who, why, what it changes and would raise; approve or return."""
    tr = tracker()
    body: list[Any] = []
    if sub.note:
        body.append(html.P([html.Strong(t("submissions_note", lang)), sub.note]))
    body += [
        html.Button(
            t("submissions_download", lang),
            id={"type": ids.SUBMISSIONS_DOWNLOAD, "index": sub.id},
            type="button",
            className="btn btn-outline-primary btn-sm mb-2",
            **attrs(
                aria_label=t("submissions_download_label", lang, id=sub.id, file=sub.file_name)
            ),
        ),
        diff_view(sub.diff, tr, f"submission-{sub.id}", lang),
        warnings_list(sub.warnings, lang),
        html.Label(
            [
                t("submissions_comment", lang),
                dcc.Textarea(
                    id={"type": ids.SUBMISSIONS_COMMENT, "index": sub.id},
                    maxLength=MAX_COMMENT_CHARS,
                    className="form-control",
                    style={"height": "4em"},
                ),
            ],
            className="form-label w-100 mt-2",
        ),
        html.Div(
            [
                html.Button(
                    t("submissions_approve", lang),
                    id={"type": ids.SUBMISSIONS_APPROVE, "index": sub.id},
                    type="button",
                    className="btn btn-success me-2",
                    **attrs(
                        aria_label=t(
                            "submissions_approve_label", lang, id=sub.id, file=sub.file_name
                        )
                    ),
                ),
                html.Button(
                    t("submissions_return", lang),
                    id={"type": ids.SUBMISSIONS_RETURN, "index": sub.id},
                    type="button",
                    className="btn btn-outline-secondary",
                    **attrs(
                        aria_label=t(
                            "submissions_return_label", lang, id=sub.id, file=sub.file_name
                        )
                    ),
                ),
            ],
            className="mt-2",
        ),
    ]
    heading = [
        html.H3(f"#{sub.id} {sub.file_name}", className="h6 d-inline me-2"),
        state_badge(sub.state, lang),
        html.Div(
            t("submissions_by", lang, user=sub.user, time=_time(sub.created_at)) + " · "
            + counts_text(sub, lang),
            className="small text-body-secondary",
        ),
    ]  # fmt: skip
    return dbc.Card(
        [dbc.CardHeader(heading), dbc.CardBody(body)],
        id=f"{ids.SUBMISSION_CARD}-{sub.id}",
        className="mb-3 submission-card",
    )


# -- the review callback -----------------------------------------------------------------------


def review(
    approve_clicks: list[int | None],
    return_clicks: list[int | None],
    comments: list[str | None],
    search: str | None,
) -> tuple[Any, Any]:
    """Approve or return the submission whose button was pressed; reviewers only."""
    lang = lang_from_search(search)
    trigger = dash.ctx.triggered_id
    if not isinstance(trigger, dict) or not any(c for c in approve_clicks + return_clicks):
        return dash.no_update, dash.no_update  # buttons drawn anew, none pressed
    pressed = dash.ctx.triggered[0].get("value") if dash.ctx.triggered else None
    if not pressed:
        return dash.no_update, dash.no_update
    user = sessions.reviewer()  # checked here, on the server, for every request
    if user is None:
        return dash.no_update, dbc.Alert(t("submissions_need_reviewer", lang), color="danger")
    sid = int(trigger["index"])
    tr = tracker()
    try:
        if trigger["type"] == ids.SUBMISSIONS_APPROVE:
            # the file is read again in a child process with its bounds, as an upload is
            import_id = approve(
                tr.store, tr.catalogue, tr.regions, sid, reviewer=user["name"], lang=lang,
                isolate=True,
            )  # fmt: skip
            found = warmer()
            if found is not None:
                found.kick()  # the approved data's results are computed now, as after an upload
            status = dbc.Alert(
                t("submissions_approved", lang, id=sid, import_id=import_id), color="success"
            )
        else:
            comment = _comment_for(sid, comments)
            return_submission(tr.store, sid, reviewer=user["name"], comment=comment)
            status = dbc.Alert(t("submissions_returned", lang, id=sid), color="info")
    except DiffChanged:
        # the card is drawn again with the diff as it now stands
        status = dbc.Alert(t("submissions_diff_changed", lang, id=sid), color="warning")
    except (SubmissionError, KeyError) as exc:
        # nothing changed: the page stays as it is (a comment being typed is kept)
        why = str(exc).strip("'\"")
        return dash.no_update, dbc.Alert(t("submissions_refused", lang, why=why), color="danger")
    return page_body(user, lang), status


def download(clicks: list[int | None]) -> Any:
    """The submitted file, for a reviewer to open as the submitter sent it; reviewers only."""
    trigger = dash.ctx.triggered_id
    pressed = dash.ctx.triggered[0].get("value") if dash.ctx.triggered else None
    if not isinstance(trigger, dict) or not pressed or sessions.reviewer() is None:
        return dash.no_update
    try:
        name, data = submission_file(tracker().store, int(trigger["index"]))
    except KeyError:
        return dash.no_update
    return dcc.send_bytes(data, name)


def _comment_for(sid: int, comments: list[str | None]) -> str:
    """The comment typed in the card of submission `sid` (States come in the cards' order)."""
    for state, value in zip(dash.ctx.states_list[0], comments, strict=False):
        if state["id"].get("index") == sid:
            return (value or "").strip()[:MAX_COMMENT_CHARS]
    return ""
