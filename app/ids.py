"""Record ids typed or sent by users: only ASCII digits, and small enough for the database.

``str.isdigit`` also accepts '²' or '١' (which ``int`` may refuse) and any length, while an
id past the database's integer range makes the driver raise instead of finding nothing.
"""
from __future__ import annotations

MAX_ID = 2**31 - 1  # PostgreSQL ``integer``; SQLite takes more, but no id gets there


def parse_id(raw) -> int | None:
    """The id in ``raw`` (text or int), or None when it is not one a record could have."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if 0 < raw <= MAX_ID else None
    text = str(raw if raw is not None else "").strip()
    if not text or not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None
