"""Text someone else wrote, made safe to print on a terminal: control characters shown, never obeyed.

Notes, file names, user names and spreadsheet cells reach `targets history`, `targets data` and the
import report. Printed raw, an escape sequence in a note clears the screen or recolours the
output, a carriage return or newline overwrites or forges a history line, and a bidirectional
override reorders what is read. `safe()` writes each such character as its escape (`\\x1b`,
`\\n`, `\\u202e`) so it is seen and does nothing; `safe_json()` makes the same characters `\\u`
escapes in JSON text, which decodes to the exact original.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

# C0 controls, DEL and C1 controls (0x9b is CSI on terminals that read 8-bit controls)
_CONTROLS = [*range(0x00, 0x20), *range(0x7F, 0xA0)]
# bidirectional marks, embeddings, overrides and isolates (the "Trojan Source" characters),
# and the Unicode line and paragraph separators some terminals and editors break lines at
_INVISIBLE = [
    0x061C,
    0x200E,
    0x200F,
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
    0x2028,
    0x2029,
]
_NAMED = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}


def _escape(code: int) -> str:
    if code in _NAMED:
        return _NAMED[code]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_TABLE = {code: _escape(code) for code in (*_CONTROLS, *_INVISIBLE)}
_JSON_TABLE = {code: f"\\u{code:04x}" for code in (*_CONTROLS, *_INVISIBLE) if code >= 0x7F}
_UNSAFE = re.compile("[" + "".join(re.escape(chr(c)) for c in _TABLE) + "]")


def safe(text: object) -> str:
    """`text` as one printable line: every control, bidi or line-separator character escaped."""
    return str(text).translate(_TABLE)


def is_safe(text: str) -> bool:
    """True when `safe(text)` would print `text` unchanged."""
    return _UNSAFE.search(text) is None


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells (and column names) are `safe()`; numbers untouched."""
    import pandas as pd  # here: the CLI loads this module at start, pandas only when printing

    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            out[column] = values.map(_safe_cell).astype(values.dtype)
    out.columns = [safe(c) if isinstance(c, str) else c for c in out.columns]
    return out


def _safe_cell(value: Any) -> Any:
    return value.translate(_TABLE) if isinstance(value, str) else value


def safe_json(text: str) -> str:
    """JSON text with DEL, C1, bidi and separator characters as `\\u` escapes (json.dumps leaves
    them raw under ensure_ascii=False; C0 controls it escapes itself). Decodes to the same data."""
    return text.translate(_JSON_TABLE)
