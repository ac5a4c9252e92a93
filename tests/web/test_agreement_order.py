"""The order of the law through the pages: draft → freeze a version (its SHA-256) → the workers'
vote on that frozen version (the vote names it) → signatures → filing. A vote cannot be recorded
before a text is frozen, a vote on an older version does not count for a newer one, and a failed
vote sends the text back to drafting."""
from __future__ import annotations

from sqlalchemy import func, select

from app.agreements.models import Agreement, AgreementVersion
from app.negotiations import steps as step_service
from app.negotiations.models import Negotiation, Vote
from tests.negotiations.helpers import NOW, negotiation, user

CHIEFS = {"signed_by_worker_chief": "1", "signed_by_employer_chief": "1"}
PASSING = {"members": "100", "present": "80", "in_favour": "70", "body": "congress"}


def switch(auth, username):
    auth.logout()
    auth.login(username)


def agreement(session, n_id):
    session.expire_all()
    return session.scalar(select(Agreement).where(Agreement.negotiation_id == n_id))


def version(session, n_id, number):
    a = agreement(session, n_id)
    return session.scalar(select(AgreementVersion).where(
        AgreementVersion.agreement_id == a.id, AgreementVersion.number == number))


def votes(session, n_id):
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Vote).where(
        Vote.negotiation_id == n_id))


def approve_and_freeze(auth, n_id, number):
    for side in ("union", "platform"):
        switch(auth, side)
        auth.post(f"/negotiations/{n_id}/agreement/approve", {"number": str(number)})
    switch(auth, "mediator")
    assert auth.post(f"/negotiations/{n_id}/agreement/freeze").status_code == 302


def test_vote_waits_for_a_frozen_text_and_names_it(client, auth, session):
    n = negotiation(session, "consultation")  # agreement at version 2, drafting
    step_service.record_step(session, user(session, "mediator"), n.id, "agree_draft", CHIEFS,
                             now=NOW)
    auth.login("mediator")
    form = client.get(f"/negotiations/{n.id}/actions/vote",
                      headers={"HX-Request": "true", "HX-Target": "action-form-vote"})
    assert form.status_code == 200
    assert 'name="agreement_sha256"' not in form.get_data(as_text=True)
    assert f"/negotiations/{n.id}/agreement" in form.get_data(as_text=True)
    before = votes(session, n.id)
    refused = auth.post(f"/negotiations/{n.id}/votes", PASSING)
    assert refused.status_code == 409 and "须先冻结" in refused.get_data(as_text=True)
    assert votes(session, n.id) == before and agreement(session, n.id).status == "drafting"

    approve_and_freeze(auth, n.id, 2)
    frozen = version(session, n.id, 2)
    assert agreement(session, n.id).status == "frozen"
    # The agreement page says the vote is still to come, and offers no signing yet.
    shown = client.get(f"/negotiations/{n.id}/agreement").get_data(as_text=True)
    assert 'id="vote"' in shown and frozen.fingerprint[:16] in shown
    assert "/agreement/sign" not in shown
    form = client.get(f"/negotiations/{n.id}/actions/vote",
                      headers={"HX-Request": "true", "HX-Target": "action-form-vote"})
    assert f'name="agreement_sha256" value="{frozen.fingerprint}"' in form.get_data(as_text=True)
    # A form naming another text (an older page) is refused; nothing is written.
    stale = auth.post(f"/negotiations/{n.id}/votes", {**PASSING,
                                                      "agreement_sha256": "0" * 64})
    assert stale.status_code == 409 and votes(session, n.id) == before
    ok = auth.post(f"/negotiations/{n.id}/votes", {**PASSING,
                                                   "agreement_sha256": frozen.fingerprint})
    assert ok.status_code == 302, ok.get_data(as_text=True)
    session.expire_all()
    vote = session.scalar(select(Vote).where(Vote.negotiation_id == n.id)
                          .order_by(Vote.id.desc()))
    assert (vote.agreement_version, vote.agreement_sha256) == (2, frozen.fingerprint)
    assert session.get(Negotiation, n.id).state == "ratified"
    # Now the page shows the vote on this version and the signing form, and no second vote.
    shown = client.get(f"/negotiations/{n.id}/agreement").get_data(as_text=True)
    assert "/agreement/sign" in shown and "Record the workers" not in shown \
        and "记录职工" not in shown
    assert auth.post(f"/negotiations/{n.id}/agreement/sign",
                     {"lang": "zh"}).status_code == 302
    assert agreement(session, n.id).status == "signed"


def test_failed_vote_reopens_the_text_and_a_new_version_needs_its_own_vote(client, auth,
                                                                             session):
    n = negotiation(session, "consultation")
    mediator = user(session, "mediator")
    step_service.record_step(session, mediator, n.id, "agree_draft", CHIEFS, now=NOW)
    auth.login("mediator")
    approve_and_freeze(auth, n.id, 2)
    v2 = version(session, n.id, 2)
    failed = auth.post(f"/negotiations/{n.id}/votes", {
        "members": "100", "present": "80", "in_favour": "40", "agreement_sha256": v2.fingerprint})
    assert failed.status_code == 302
    a = agreement(session, n.id)
    assert a.status == "drafting" and a.frozen_number is None
    assert session.get(Negotiation, n.id).state == "in_consultation"
    # The representatives change the text: version 3, frozen after both approve it.
    assert auth.post(f"/negotiations/{n.id}/agreement/standards/base_per_order",
                     {"value": "9.8", "base": "2"}).status_code == 302
    approve_and_freeze(auth, n.id, 3)
    v3 = version(session, n.id, 3)
    assert auth.post(f"/negotiations/{n.id}/steps/agree_draft", CHIEFS).status_code == 302
    # A vote on version 2 (the page of before) does not count for version 3.
    stale = auth.post(f"/negotiations/{n.id}/votes", {**PASSING,
                                                      "agreement_sha256": v2.fingerprint})
    assert stale.status_code == 409 and "第3版" in stale.get_data(as_text=True)
    assert auth.post(f"/negotiations/{n.id}/agreement/sign").status_code == 409
    assert auth.post(f"/negotiations/{n.id}/votes", {
        **PASSING, "agreement_sha256": v3.fingerprint}).status_code == 302
    assert auth.post(f"/negotiations/{n.id}/agreement/sign", {"lang": "zh"}).status_code == 302
    session.expire_all()
    assert agreement(session, n.id).status == "signed"


def test_a_passed_vote_naming_another_version_does_not_let_the_chiefs_sign(client, auth,
                                                                          session):
    n = negotiation(session, "consultation")
    mediator = user(session, "mediator")
    step_service.record_step(session, mediator, n.id, "agree_draft", CHIEFS, now=NOW)
    auth.login("mediator")
    approve_and_freeze(auth, n.id, 2)
    v1 = version(session, n.id, 1)
    # A vote recorded through the procedure alone, naming version 1 (not the frozen text).
    step_service.record_vote(session, mediator, n.id, PASSING, now=NOW,
                             version=(1, v1.fingerprint))
    refused = auth.post(f"/negotiations/{n.id}/agreement/sign", {"lang": "zh"})
    assert refused.status_code == 409 and "第2版" in refused.get_data(as_text=True)
    assert agreement(session, n.id).status == "frozen"
