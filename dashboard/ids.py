"""Component ids in one place, so layouts, callbacks and browser tests name the same things.

Convention: `<page>-<what>`; shell components start with `shell-`. Dash's own page router
components (`_pages_location`, `_pages_content`) are named here too because our callbacks use them.
"""

from __future__ import annotations

# Dash pages' router (dash.dash._ID_LOCATION / _ID_CONTENT)
PAGES_LOCATION = "_pages_location"
PAGES_CONTENT = "_pages_content"

# shell
# a chart's downloads (dashboard/downloads.py): pattern-matching id types, {"type": …, "chart":
# the dcc.Graph's id}, one set beside every figure of every page
CHART_DOWNLOADS = "chart-downloads"
CHART_CSV_BUTTON = "chart-csv-button"
CHART_CSV = "chart-csv"
CHART_PNG = "chart-png"
CHART_SVG = "chart-svg"
CHART_EXPORT = "chart-export"
CHART_EXPORT_STATUS = "chart-export-status"

NAVBAR = "shell-navbar"
BRAND = "shell-brand"
SKIP_LINK = "skip-link"
MAIN = "main"  # where the skip link leads
NAV_LINKS = "shell-nav-links"
LANG_SWITCH = "shell-lang"
LANG_DUMMY = "shell-lang-dummy"
ACCOUNT = "shell-account"
UPDATING = "shell-updating"
# on every page while a value in force is made-up data (Tracker.synthetic_in_force)
SYNTHETIC_BANNER = "shell-synthetic"
LOGIN_LINK = "shell-login"
USER_NAME = "shell-user"
FOOTER = "shell-footer"

# overview (/)
OVERVIEW_URL = "overview-url"
OVERVIEW_MILESTONE = "overview-milestone"
OVERVIEW_CITIES = "overview-cities"
OVERVIEW_PROVINCE = "overview-province"
OVERVIEW_PROVINCE_WRAP = "overview-province-wrap"
OVERVIEW_BODY = "overview-body"
OVERVIEW_MATRIX = "overview-matrix"
OVERVIEW_MATRIX_WRAP = "overview-matrix-wrap"
OVERVIEW_COUNTS = "overview-counts"
# the chip of one status: count-achieved, count-close, …
STATUS_CHIP = "count-{status}"
OVERVIEW_MEANINGS = "overview-meanings"
OVERVIEW_BEHIND = "overview-behind"
OVERVIEW_WORDS = "overview-words"
BUNDLED_BANNER = "bundled-banner"

# indicator (/indicator/<id>)
INDICATOR_URL = "indicator-url"
INDICATOR_TITLE = "indicator-title"
INDICATOR_REGIONS = "indicator-regions"
INDICATOR_MILESTONE = "indicator-milestone"
INDICATOR_SERIES = "indicator-series"
INDICATOR_GAPS = "indicator-gaps"
# "showing N of M regions" under the gaps chart when it draws fewer than have a gap
INDICATOR_GAPS_NOTE = "indicator-gaps-note"
INDICATOR_TABLE = "indicator-table"
INDICATOR_GOALS = "indicator-goals"
INDICATOR_PROVENANCE = "indicator-provenance"
INDICATOR_VERDICTS = "indicator-verdicts"
INDICATOR_ID_STORE = "indicator-id"
# the Chart · Table · Map switch (?view=) and the three views it shows one at a time
INDICATOR_VIEW = "indicator-view"
INDICATOR_VIEW_CHART = "indicator-view-chart"
INDICATOR_VIEW_TABLE = "indicator-view-table"
INDICATOR_VIEW_MAP = "indicator-view-map"
INDICATOR_MAP_CITIES = "indicator-map-cities"
INDICATOR_MAP_PROVINCES = "indicator-map-provinces"
INDICATOR_MAP_SUMMARY = "indicator-map-summary"

# region (/region/<id>)
REGION_URL = "region-url"
REGION_TITLE = "region-title"
REGION_MILESTONE = "region-milestone"
REGION_BULLET = "region-bullet"
REGION_GOALS = "region-goals"
REGION_BODY = "region-body"
REGION_ID_STORE = "region-id"

# map (/map)
MAP_URL = "map-url"
MAP_INDICATOR = "map-indicator"
MAP_MILESTONE = "map-milestone"
MAP_CITIES = "map-cities"
MAP_PROVINCES = "map-provinces"
MAP_SUMMARY = "map-summary"
MAP_NOTE = "map-note"

# method (/method) and sources (/sources)
METHOD_THRESHOLDS = "method-thresholds"
METHOD_DOCUMENTS = "method-documents"
SOURCES_TABLE = "sources-table"
SOURCES_IMPORTS = "sources-imports"
SOURCES_DEFINITIONS = "sources-definitions"

# not found (any other path)
NOT_FOUND_TITLE = "not-found-title"

# assessment (/assessment)
ASSESSMENT_URL = "assessment-url"
ASSESSMENT_MILESTONE = "assessment-milestone"
ASSESSMENT_INDICATOR = "assessment-indicator"
ASSESSMENT_SCOPE = "assessment-scope"
ASSESSMENT_FINAL = "assessment-final"
ASSESSMENT_TABLE_PART = "assessment-table-part"
ASSESSMENT_CONVERGENCE = "assessment-convergence"
ASSESSMENT_CV_GRAPH = "assessment-cv"
ASSESSMENT_METHODS = "assessment-methods"
ASSESSMENT_CONTRIBUTION = "assessment-contribution"
ASSESSMENT_DRAFT = "assessment-draft"
ASSESSMENT_DRAFT_WORDS = "assessment-draft-words"
ASSESSMENT_DRAFT_PART = "assessment-draft-part"
# one paragraph, its copy button and the button's status, by the paragraph's stable key
ASSESSMENT_COPY = "draft-copy"
ASSESSMENT_COPY_TEXT = "draft-text"
ASSESSMENT_COPY_STATUS = "draft-copied"

# history (/history)
HISTORY_IMPORTS = "history-imports"
HISTORY_AUDIT = "history-audit"
HISTORY_CONFIRM = "history-confirm"
HISTORY_PENDING = "history-pending"
HISTORY_STATUS = "history-status"
REVERT_BUTTON = "history-revert"  # pattern-matching id type: {"type": REVERT_BUTTON, "index": id}

# login (/login)
LOGIN_FORM = "login-form"
LOGIN_USER = "login-username"
LOGIN_PASSWORD = "login-password"
LOGIN_SUBMIT = "login-submit"
LOGIN_ERROR = "login-error"
LOGIN_STATUS = "login-status"
LOGOUT_FORM = "logout-form"

# reports (/reports)
REPORTS_MILESTONE = "reports-milestone"
REPORTS_REGIONS = "reports-regions"
REPORTS_INDICATORS = "reports-indicators"
REPORTS_LANG = "reports-lang"
REPORTS_DOWNLOAD = "reports-download"
REPORTS_STATUS = "reports-status"
REPORTS_JOB = "reports-job"
REPORTS_PROGRESS = "reports-progress"
REPORTS_PROGRESS_TEXT = "reports-progress-text"
REPORTS_PROGRESS_LIVE = "reports-progress-live"
REPORTS_CANCEL = "reports-cancel"
REPORTS_NONCE = "reports-nonce"

# upload (/upload)
UPLOAD_FILES = "upload-files"
UPLOAD_BROWSE = "upload-browse"
UPLOAD_SELECTED = "upload-selected"
UPLOAD_YEAR = "upload-year"
UPLOAD_NOTE = "upload-note"
UPLOAD_CHECK = "upload-check"
UPLOAD_CONFIRM = "upload-confirm"
UPLOAD_REPORT = "upload-report"
UPLOAD_RESULT = "upload-result"
UPLOAD_CHECKED = "upload-checked"
UPLOAD_REFUSED = "upload-refused"
UPLOAD_SUBMIT_INTRO = "upload-submit-intro"
UPLOAD_SUBMITTED = "upload-submitted"

# submissions (/submissions)
SUBMISSIONS_LIST = "submissions-list"
SUBMISSIONS_STATUS = "submissions-status"
SUBMISSIONS_REFUSED = "submissions-refused"
SUBMISSIONS_NONE_PENDING = "submissions-none-pending"
# pattern-matching id types: {"type": …, "index": submission id}
SUBMISSIONS_APPROVE = "submissions-approve"
SUBMISSIONS_RETURN = "submissions-return"
SUBMISSIONS_COMMENT = "submissions-comment"
SUBMISSIONS_DOWNLOAD = "submissions-download"  # a pattern-matching type too
SUBMISSIONS_FILE = "submissions-file"
# prefixes of one submission's row and card: f"{SUBMISSION_ROW}-{id}"
SUBMISSION_ROW = "submission-row"
SUBMISSION_CARD = "submission-card"
