"""The workers' vote in the order of the law: draft → freeze a version (its SHA-256) → the vote
on that frozen version → signatures → filing (集体合同规定 第三十六条).

The vote is recorded through the procedure (``app.negotiations.steps.record_vote``) with the
frozen version it was held on; a vote names one text and counts for that text only. A vote that
fails (quorate, not passed) sends the text back to drafting, so the representatives can change
it and freeze a new version for a new vote. Votes recorded before versions were named (none
stored) are taken as they were.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.auth.permissions import require
from app.db import atomic
from app.errors import IllegalTransition, Msg
from app.negotiations import steps, workflow
from app.negotiations.models import Vote

from . import document as A
from .access import AgreementView, view
from .models import AgreementVersion


def frozen_version(v: AgreementView) -> AgreementVersion | None:
    """The version frozen for the vote (or signed), None while drafting or without a draft."""
    if v.agreement is None or v.agreement.frozen_number is None \
            or v.agreement.status == A.Status.DRAFTING:
        return None
    return next((r for r in v.versions if r.number == v.agreement.frozen_number), None)


def votes_on(session: Session, negotiation, version: AgreementVersion | None) -> list[Vote]:
    """The votes held on ``version`` (by its fingerprint), oldest first."""
    if version is None:
        return []
    return list(session.scalars(select(Vote).where(
        Vote.negotiation_id == negotiation.id, Vote.agreement_sha256 == version.fingerprint)
        .order_by(Vote.id)))


def counting_vote(session: Session, negotiation, version: AgreementVersion) -> Vote | None:
    """The passed vote that lets the chiefs sign ``version``: the latest passed vote, if it was
    held on this version or named none (recorded before versions were named)."""
    vote = session.scalar(select(Vote).where(Vote.negotiation_id == negotiation.id,
                                             Vote.passed.is_(True))
                          .order_by(Vote.id.desc()).limit(1))
    if vote is None or (vote.agreement_sha256 and vote.agreement_sha256 != version.fingerprint):
        return None
    return vote


def check_signable(session: Session, v: AgreementView, version: AgreementVersion) -> None:
    """Refuse to sign a text the workers did not approve (a vote on another version)."""
    if not v.negotiation.ruleset.vote_required:
        return
    if counting_vote(session, v.negotiation, version) is None:
        raise IllegalTransition(
            Msg("The workers' vote did not approve the frozen version %(n)s; it must be approved "
                "by vote before it is signed (Art. 36, Collective Contract Provisions)",
                n=version.number), state=v.agreement.status, event="sign")


@atomic
def record_vote(session: Session, actor, negotiation_id: int, form: Mapping, *,
                now: dt.datetime, check_only: bool = False) -> Vote | None:
    """Record the workers' vote on the frozen version the form names (``agreement_sha256``).

    Refused (``IllegalTransition``, 409) while no version is frozen, or when the form names
    another version than the frozen one (a page loaded before a newer version was frozen).
    """
    v = view(session, actor, negotiation_id)
    require(actor, "negotiation.record", v.negotiation)
    vote_now = workflow.Event.VOTE_PASSED in workflow.allowed_events(
        v.negotiation.state, vote_required=v.negotiation.ruleset.vote_required)
    if check_only or not vote_now:
        # The form's fields only (inline validation), or the procedure's own refusal of a vote
        # in this state, with its reason.
        return steps.record_vote(session, actor, negotiation_id, form, now=now,
                                 check_only=check_only)
    frozen = frozen_version(v)
    if frozen is None or v.agreement.status != A.Status.FROZEN:
        raise IllegalTransition(Msg("The agreement's text must be frozen first; the workers vote on "
                                    "the frozen version (Art. 36, Collective Contract "
                                    "Provisions)"),
                                state=v.negotiation.state, event="vote")
    named = str(form.get("agreement_sha256") or "").strip().lower()
    if named != frozen.fingerprint:
        raise IllegalTransition(
            Msg("The vote must be on the frozen version %(n)s (fingerprint %(fp)s); the version on "
                "the page is no longer the frozen one, reload the page before recording",
                n=frozen.number, fp=frozen.fingerprint[:16]), state=v.negotiation.state,
            event="vote")

    vote = steps.record_vote(session, actor, negotiation_id, form, now=now,
                             version=(frozen.number, frozen.fingerprint))
    if vote.quorum and not vote.passed:  # the text goes back to drafting, in the same unit
        before = v.agreement.audit()
        v.agreement.status = A.Status.DRAFTING.value
        v.agreement.frozen_number, v.agreement.frozen_at = None, None
        v.agreement.updated_at = now
        session.flush()
        audit.record(session, actor=actor, action="agreement.reopen",
                     target_type="agreement", target_id=v.agreement.id, before=before,
                     after={**v.agreement.audit(), "vote_id": vote.id}, now=now)
    return vote
