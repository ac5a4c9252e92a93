"""Issue 13, finding 9: two simultaneous approvals from the same side: the second is a 409."""
from __future__ import annotations

from sqlalchemy import event, func, insert, select

from app.agreements.models import AgreementApproval
from tests.web.test_agreements_pages import agreement_of


def test_second_of_two_simultaneous_approvals_is_a_409(app, client, auth, session):
    n_id, agreement = agreement_of(session, "consultation")
    auth.login("union")
    token = auth.token("/dashboard")
    engine = app.extensions["xieshang.engine"]

    done = []

    def the_other_request_commits_first(flushing, _context, _instances):
        # Between this request's check ("not approved yet") and its insert, the same side's
        # other request commits its approval: what two simultaneous clicks do.
        for row in flushing.new:
            if isinstance(row, AgreementApproval) and not done:
                values = {c: getattr(row, c) for c in ("agreement_id", "number", "side",
                                                        "organisation_id", "user_id",
                                                        "approved_at")}
                with engine.begin() as conn:
                    conn.execute(insert(AgreementApproval).values(**values))
                done.append(True)

    factory = app.extensions["xieshang.sessions"]
    event.listen(factory, "before_flush", the_other_request_commits_first)
    response = client.post(f"/negotiations/{n_id}/agreement/approve",
                           data={"number": "2", "csrf_token": token})
    event.remove(factory, "before_flush", the_other_request_commits_first)
    assert done and response.status_code == 409
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(AgreementApproval).where(
        AgreementApproval.agreement_id == agreement.id, AgreementApproval.number == 2,
        AgreementApproval.side == "worker")) == 1
