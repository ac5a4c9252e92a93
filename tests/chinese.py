"""Domain messages as the Chinese interface shows them (issue 14): the domain raises English
message ids (``app.errors.Msg``); tests that check the Chinese wording read it through the
compiled Chinese catalogue, as the web layer does."""
from __future__ import annotations

from pathlib import Path

from babel.support import Translations

from app.errors import translate

CATALOGUE = Translations.load(str(Path(__file__).resolve().parent.parent / "translations"),
                              ["zh_Hans_CN"])


def zh(message) -> str:
    """``message`` (a ``Msg``, an id or finished words) in Chinese."""
    return translate(message, CATALOGUE.gettext)
