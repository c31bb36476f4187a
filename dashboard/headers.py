"""Security headers on every response: a Content-Security-Policy Dash works with, no framing.

- Scripts only from this site, plus the inline scripts Dash itself writes into the page (its
  renderer's start line and any inline clientside callbacks), allowed by their SHA-256 hashes
  (`Dash.csp_hashes()`): an injected <script> or `javascript:` URL does not run.
- Styles from this site and inline: React sets style attributes and AG Grid and plotly.js write
  <style> elements at run time; that is why 'unsafe-inline' stays for styles (not for scripts).
- Images from this site, data: URIs (Bootstrap's icons) and blob: (plotly's "download as PNG").
- No external origin anywhere: everything is served locally (see dashboard.app).
- `frame-ancestors 'none'` and `X-Frame-Options: DENY`: no page can be framed (clickjacking).
- `Referrer-Policy: same-origin`: no URL (with its query: a selection, a name) leaves the site,
  while the same-origin check in dashboard.auth can still read the Referer of this site's forms.
- `X-Content-Type-Options: nosniff`: a download is never run as a script or a page.
"""

from __future__ import annotations

from collections.abc import Sequence

import dash
from werkzeug.wrappers import Response

# directives that never change; script-src is completed with the inline scripts' hashes
POLICY: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'", "'unsafe-inline'"),
    "img-src": ("'self'", "data:", "blob:"),
    "font-src": ("'self'", "data:"),
    "connect-src": ("'self'",),
    "worker-src": ("'self'", "blob:"),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
    "frame-ancestors": ("'none'",),
}

STATIC_HEADERS = {
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def content_security_policy(script_hashes: Sequence[str] = ()) -> str:
    """The policy text, `script_hashes` ('sha256-…' quoted as CSP wants) added to script-src."""
    directives = dict(POLICY)
    directives["script-src"] = (*POLICY["script-src"], *script_hashes)
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def init_headers(app: dash.Dash) -> None:
    """Add the headers to every response of `app`'s server."""

    def add_headers(response: Response) -> Response:
        # hashed per response (microseconds): Dash collects inline clientside callbacks as pages
        # register them, so a policy computed once at start could miss a later one
        response.headers["Content-Security-Policy"] = content_security_policy(app.csp_hashes())
        for name, value in STATIC_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    app.server.after_request(add_headers)
