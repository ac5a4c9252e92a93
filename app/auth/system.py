"""The system as an actor: what command-line tools act as (full rights, no organisation).

The audit log names it ``system``; it is never a row of ``user_account``.
"""
from __future__ import annotations


class SystemActor:
    id = None
    username = "system"
    is_site_admin = True
    is_org_admin = True
    is_active = True
    organisation_id = None
    organisation = None


SYSTEM = SystemActor()
