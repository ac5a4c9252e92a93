"""Domain messages as the Chinese interface shows them (issue 14): the domain raises English
message ids (``app.errors.Msg``); tests that check the Chinese wording read it through the
compiled Chinese catalogue, as the web layer does."""
from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

import pytest

from babel.support import Translations

from app.errors import translate

CATALOGUE = Translations.load(str(Path(__file__).resolve().parent.parent / "translations"),
                              ["zh_Hans_CN"])


def zh(message) -> str:
    """``message`` (a ``Msg``, an id or finished words) in Chinese."""
    return translate(message, CATALOGUE.gettext)


@contextmanager
def raises_zh(kind, match: str):
    """``pytest.raises(kind, match=...)`` with ``match`` searched in the Chinese message."""
    with pytest.raises(kind) as info:
        yield info
    assert re.search(match, zh(info.value.message)), zh(info.value.message)
