"""A version's summary is stored in Chinese and shown in the interface's language (issue 14):
each form the services write reads back as a message id whose Chinese is the stored text, word
for word; a summary of another form (an older row, a hand-made one) is shown as stored."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.agreements import clauses
from app.agreements.models import AgreementVersion
from app.agreements.summaries import summary_message
from tests.chinese import zh
from tests.web.test_english_pages import CJK

CONTENT = {"articles": [{"key": "pay", "title_zh": "劳动报酬", "title_en": "Pay"}]}
BASE, HOURS = clauses.STANDARD_BY_KEY["base_per_order"], clauses.STANDARD_BY_KEY["max_daily_hours"]


@pytest.mark.parametrize("stored,english", [
    ("依据方案起草", "Drafted from the scenario"),
    ("依据典型协议库第3号起草", "Drafted from no. 3 of the library of typical agreements"),
    (f"修改标准：{BASE.label_zh}", f"Standard changed: {BASE.label_en}"),
    ("修改条款：劳动报酬", "Article changed: Pay"),
    ("按约定标准重新生成条款：劳动报酬", "Article regenerated from the agreed standards: Pay"),
    (f"采纳第2次会议的结果：{BASE.label_zh}、{HOURS.label_zh}",
     f"Results of meeting 2 adopted: {BASE.label_en}, {HOURS.label_en}"),
])
def test_each_stored_form_reads_in_both_languages(stored, english):
    message = summary_message(stored, CONTENT)
    assert zh(message) == stored
    assert str(message) == english and not CJK.search(english)


def test_other_summaries_show_as_stored():
    assert summary_message("手工整理的版本", CONTENT) == "手工整理的版本"
    assert summary_message("", None) == ""
    # An article no longer in the content keeps its stored title.
    assert str(summary_message("修改条款：已删除的条款", CONTENT)) == "Article changed: 已删除的条款"


def test_every_demo_version_reads_as_stored_in_chinese(session):
    rows = session.scalars(select(AgreementVersion)).all()
    assert rows
    for row in rows:
        assert zh(summary_message(row.summary, row.content)) == row.summary
