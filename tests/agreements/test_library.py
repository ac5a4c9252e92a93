"""Hiding names in a published agreement: every party's and chief's name, in both languages,
everywhere in the text (title, parties, articles), with the placeholder of the text's language;
the standards are untouched."""
from __future__ import annotations

import json

from app.agreements.example import example_agreement
from app.agreements.library import anonymise


def test_every_name_is_replaced_in_its_language():
    content = example_agreement()
    names = [p[k] for p in content["parties"].values()
             for k in ("name", "name_en", "chief", "chief_en")]
    text = json.dumps(content, ensure_ascii=False)
    assert all(name in text for name in names)  # the example does name them
    hidden = anonymise(content)
    out = json.dumps(hidden, ensure_ascii=False)
    assert not [name for name in names if name in out]
    assert hidden["parties"]["employer"]["name"] == "某平台企业"
    assert hidden["parties"]["employer"]["name_en"] == "a platform enterprise"
    assert hidden["parties"]["worker"]["chief"] == "某某"
    assert "某平台企业" not in json.dumps([a["text_en"] for a in hidden["articles"]],
                                      ensure_ascii=False)
    assert hidden["standards"] == content["standards"]
    assert content == example_agreement()  # the input is not changed
