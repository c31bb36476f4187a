"""Component ids in one place, so layouts, callbacks and browser tests name the same things.

Convention: `<page>-<what>`; shell components start with `shell-`. Dash's own page router
components (`_pages_location`, `_pages_content`) are named here too because our callbacks use them.
"""

from __future__ import annotations

# Dash pages' router (dash.dash._ID_LOCATION / _ID_CONTENT)
PAGES_LOCATION = "_pages_location"
PAGES_CONTENT = "_pages_content"

# shell
NAVBAR = "shell-navbar"
BRAND = "shell-brand"
SKIP_LINK = "skip-link"
NAV_LINKS = "shell-nav-links"
LANG_SWITCH = "shell-lang"
LANG_DUMMY = "shell-lang-dummy"
ACCOUNT = "shell-account"
UPDATING = "shell-updating"
FOOTER = "shell-footer"

# overview (/)
OVERVIEW_URL = "overview-url"
OVERVIEW_MILESTONE = "overview-milestone"
OVERVIEW_CITIES = "overview-cities"
OVERVIEW_BODY = "overview-body"
OVERVIEW_MATRIX = "overview-matrix"
OVERVIEW_MATRIX_WRAP = "overview-matrix-wrap"
OVERVIEW_COUNTS = "overview-counts"
OVERVIEW_BEHIND = "overview-behind"
BUNDLED_BANNER = "bundled-banner"

# indicator (/indicator/<id>)
INDICATOR_URL = "indicator-url"
INDICATOR_TITLE = "indicator-title"
INDICATOR_REGIONS = "indicator-regions"
INDICATOR_MILESTONE = "indicator-milestone"
INDICATOR_SERIES = "indicator-series"
INDICATOR_GAPS = "indicator-gaps"
INDICATOR_TABLE = "indicator-table"
INDICATOR_GOALS = "indicator-goals"

# region (/region/<id>)
REGION_URL = "region-url"
REGION_TITLE = "region-title"
REGION_MILESTONE = "region-milestone"
REGION_BULLET = "region-bullet"
REGION_GOALS = "region-goals"
REGION_BODY = "region-body"

# map (/map)
MAP_URL = "map-url"
MAP_INDICATOR = "map-indicator"
MAP_MILESTONE = "map-milestone"
MAP_CITIES = "map-cities"
MAP_PROVINCES = "map-provinces"
MAP_SUMMARY = "map-summary"

# method (/method) and sources (/sources)
METHOD_THRESHOLDS = "method-thresholds"
METHOD_DOCUMENTS = "method-documents"
SOURCES_TABLE = "sources-table"
SOURCES_IMPORTS = "sources-imports"
