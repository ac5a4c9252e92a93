"""Issue 13, finding 8: user text in a chart is text, never matplotlib math."""
from __future__ import annotations

from tests.negotiations.helpers import negotiation


def test_a_title_with_dollar_signs_does_not_break_the_frontier(client, auth, session):
    n = negotiation(session, "consultation")
    n.title = r"$\x$ 协商"
    session.commit()
    auth.login("platform")
    response = auth.post("/analyses/frontier", {"source": "preset:delivery", "n": "3"})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert "<svg" in response.get_data(as_text=True)
