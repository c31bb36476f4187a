"""The Dash dashboard of the tracker: `dashboard.app.create_app(tracker)` builds it."""
