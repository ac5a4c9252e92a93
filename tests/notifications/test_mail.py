"""E-mail notifications, delivered to a real SMTP server (aiosmtpd) that the test starts, and
run by a real Huey consumer process."""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from app.agreements import service as agreement_service
from app.negotiations.deadlines import deadlines
from app.notifications import mail, sender, settings
from app.notifications.models import NotificationSent
from app.negotiations import records as nrecords
from app.negotiations import offers as noffers
from tests.conftest import AuthActions
from tests.negotiations.helpers import NOW, TITLES, negotiation, user

ROOT = Path(__file__).resolve().parents[2]
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


class Inbox:
    """Collects what the SMTP server receives."""

    def __init__(self):
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), msg))
        return "250 OK"

    def subjects(self, to: str | None = None) -> list[str]:
        return [str(m["Subject"]) for rcpt, m in self.messages if to is None or to in rcpt]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def _settings(controller) -> mail.MailSettings:
    return mail.MailSettings.from_env({"XIESHANG_SMTP_HOST": controller.hostname,
                                       "XIESHANG_SMTP_PORT": str(controller.port),
                                       "XIESHANG_MAIL_FROM": "xieshang@example.org",
                                       "XIESHANG_BASE_URL": "http://127.0.0.1:5000"})


def _subscribe(session, username, address, *, now, **kinds):
    form = {"email": address, **{f"notify_{k}": "1" for k in settings.KINDS
                                 if kinds.get(k, True)}}
    settings.save_notifications(session, user(session, username), form, now=now)


def test_mail_is_off_without_a_host(session):
    assert mail.MailSettings.from_env({}) is None
    _subscribe(session, "union", "union@example.org", now=NOW)
    assert sender.run_pass(session, None, now=NOW + dt.timedelta(days=400)) == 0
    assert session.scalar(select(func.count()).select_from(NotificationSent)) == 0


def test_offer_and_counter_offer_reach_the_other_side_once(session, smtp):
    controller, inbox = smtp
    _subscribe(session, "platform", "platform@example.org", now=NOW)
    _subscribe(session, "union", "union@example.org", now=NOW)
    n = negotiation(session, "preparing")
    later = NOW + dt.timedelta(minutes=5)
    noffers.send_offer(session, user(session, "union"), n.id,
                        {"terms.base_per_order": "7", "rationale": "理由"}, now=later)
    config = _settings(controller)
    sent = sender.run_pass(session, config, now=later + dt.timedelta(minutes=1))
    offers = [s for s in inbox.subjects("platform@example.org") if "要约" in s]
    assert offers == [f"职工方的书面要约：{TITLES['preparing']}"], inbox.subjects()
    assert not [s for s in inbox.subjects("union@example.org") if "要约" in s]  # its own offer
    assert sent == len(inbox.messages)
    # A second pass sends nothing again.
    assert sender.run_pass(session, config, now=later + dt.timedelta(minutes=2)) == 0
    noffers.send_offer(session, user(session, "platform"), n.id,
                        {"terms.base_per_order": "6.3"}, now=later + dt.timedelta(minutes=3))
    sender.run_pass(session, config, now=later + dt.timedelta(minutes=4))
    counter = [s for s in inbox.subjects("union@example.org") if "要约" in s]
    assert counter == [f"企业方的反要约：{TITLES['preparing']}"]
    (_, msg), = [(r, m) for r, m in inbox.messages if str(m["Subject"]) == counter[0]]
    assert f"http://127.0.0.1:5000/negotiations/{n.id}" in msg.get_content()
    rows = session.scalar(select(func.count()).select_from(NotificationSent))
    assert rows == len(inbox.messages)


def test_events_before_the_address_was_given_are_not_mailed(session, smtp):
    controller, inbox = smtp
    n = negotiation(session, "preparing")
    noffers.send_offer(session, user(session, "union"), n.id,
                        {"terms.base_per_order": "7"}, now=NOW)
    _subscribe(session, "platform", "platform@example.org", now=NOW + dt.timedelta(hours=1),
               deadlines=False)
    assert sender.run_pass(session, _settings(controller), now=NOW + dt.timedelta(hours=2)) == 0
    assert inbox.messages == []


def test_deadline_three_days_ahead_and_on_the_day(session, smtp):
    controller, inbox = smtp
    _subscribe(session, "platform", "platform@example.org", now=NOW, offers=False,
               comments=False)
    n = negotiation(session, "awaiting")
    reply = [d for d in deadlines(nrecords.history(session, n), NOW.date(), ruleset=n.ruleset)
             if d.key == "reply"][0]
    config = _settings(controller)

    def at(day: dt.date, hour: int) -> dt.datetime:  # an hour of a Shanghai day
        return dt.datetime.combine(day, dt.time(hour), SHANGHAI).astimezone(dt.timezone.utc)

    def about_reply():
        return [s for s in inbox.subjects() if "书面答复要约" in s and TITLES["awaiting"] in s]

    sender.run_pass(session, config, now=at(reply.due - dt.timedelta(days=4), 9))
    assert about_reply() == []
    # 00:30 in Shanghai is still the evening before in UTC: the Shanghai day counts.
    sender.run_pass(session, config, now=at(reply.due - dt.timedelta(days=3), 0))
    assert about_reply() == [f"3 天后到期：书面答复要约（{TITLES['awaiting']}）"]
    sender.run_pass(session, config, now=at(reply.due - dt.timedelta(days=2), 9))
    sender.run_pass(session, config, now=at(reply.due - dt.timedelta(days=1), 9))
    assert len(about_reply()) == 1
    sender.run_pass(session, config, now=at(reply.due, 8))
    sender.run_pass(session, config, now=at(reply.due, 17))
    assert about_reply()[1:] == [f"今天到期：书面答复要约（{TITLES['awaiting']}）"]
    keys = list(session.scalars(select(NotificationSent.event_key)))
    assert len(keys) == len(set(keys)) == len(inbox.messages)


def test_comment_on_the_draft(session, smtp):
    controller, inbox = smtp
    _subscribe(session, "union", "union@example.org", now=NOW, deadlines=False)
    _subscribe(session, "platform", "platform@example.org", now=NOW, deadlines=False)
    n = negotiation(session, "consultation")
    agreement_service.comment(session, user(session, "platform"), n.id,
                              {"body": "第五条的补贴标准请再核算。"},
                              now=NOW + dt.timedelta(minutes=1))
    sender.run_pass(session, _settings(controller), now=NOW + dt.timedelta(minutes=2))
    union_mail = [m for r, m in inbox.messages if "union@example.org" in r]
    assert [str(m["Subject"]) for m in union_mail] == [f"协议草案有新意见：{TITLES['consultation']}"]
    assert "第五条的补贴标准请再核算。" in union_mail[0].get_content()
    assert not inbox.subjects("platform@example.org")  # not told of its own comment


def test_a_message_not_delivered_is_retried_next_pass(session):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    _subscribe(session, "union", "union@example.org", now=NOW, deadlines=False)
    n = negotiation(session, "consultation")
    agreement_service.comment(session, user(session, "platform"), n.id, {"body": "意见"},
                              now=NOW + dt.timedelta(minutes=1))
    # The server is not up yet: nothing is logged as sent.
    assert sender.run_pass(session, _settings(controller), now=NOW + dt.timedelta(minutes=2)) == 0
    assert session.scalar(select(func.count()).select_from(NotificationSent)) == 0
    controller.start()
    try:
        assert sender.run_pass(session, _settings(controller),
                               now=NOW + dt.timedelta(minutes=3)) == 1
    finally:
        controller.stop()
    assert len(inbox.messages) == 1


def test_settings_page_saves_choices_and_refuses_a_bad_address(client, session):
    auth = AuthActions(client)
    auth.login("union")
    bad = auth.post("/account/notifications", {"email": "not an address", "notify_offers": "1"})
    assert bad.status_code == 400
    assert 'class="field-error" id="err-email"' in bad.get_data(as_text=True)
    assert settings.of(session, user(session, "union")).email == ""
    ok = auth.post("/account/notifications", {"email": "u@example.org", "notify_offers": "1"})
    assert ok.status_code == 302
    session.expire_all()
    row = settings.of(session, user(session, "union"))
    assert (row.email, row.notify_offers, row.notify_deadlines, row.notify_comments) == (
        "u@example.org", True, False, False)
    assert row.notify_since is not None


def test_cli_runs_one_pass(app, runner, session, smtp, monkeypatch):
    controller, inbox = smtp
    assert "mail is off" in runner.invoke(args=["notifications", "send"]).output
    _subscribe(session, "union", "union@example.org", now=NOW, deadlines=False)
    agreement_service.comment(session, user(session, "platform"),
                              negotiation(session, "consultation").id, {"body": "意见"},
                              now=NOW + dt.timedelta(minutes=1))
    monkeypatch.setenv("XIESHANG_SMTP_HOST", controller.hostname)
    monkeypatch.setenv("XIESHANG_SMTP_PORT", str(controller.port))
    assert "1 notification(s) sent" in runner.invoke(args=["notifications", "send"]).output
    assert "0 notification(s) sent" in runner.invoke(args=["notifications", "send"]).output
    assert len(inbox.messages) == 1


def test_periodic_task_runs_every_five_minutes():
    from app.jobs import queue
    task = queue.send_notifications_periodically.task_class()
    assert task.validate_datetime(dt.datetime(2026, 12, 3, 10, 5))
    assert not task.validate_datetime(dt.datetime(2026, 12, 3, 10, 7))


def test_a_real_huey_consumer_runs_the_pass(sqlite_url, app_factory, smtp, tmp_path):
    controller, inbox = smtp
    session = app_factory(sqlite_url).extensions["xieshang.sessions"]()
    _subscribe(session, "union", "union@example.org", now=NOW, deadlines=False)
    agreement_service.comment(session, user(session, "platform"),
                              negotiation(session, "consultation").id, {"body": "意见"},
                              now=NOW + dt.timedelta(minutes=1))
    env = {**os.environ, "DATABASE_URL": sqlite_url, "XIESHANG_INSTANCE": str(tmp_path),
           "XIESHANG_HUEY_DB": str(tmp_path / "huey.sqlite3"),
           "XIESHANG_SMTP_HOST": controller.hostname, "XIESHANG_SMTP_PORT": str(controller.port)}
    consumer = subprocess.Popen(
        # -n: no periodic pass, which on a minute divisible by five would send the message first
        [str(Path(sys.executable).with_name("huey_consumer")), "app.jobs.queue.huey", "-w", "1",
         "-k", "thread", "-d", "0.1", "-n"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT)
    try:
        enqueue = subprocess.run(
            [sys.executable, "-c", "from app.jobs.queue import send_notifications; "
             "print(send_notifications().get(blocking=True, timeout=60))"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=90)
        assert enqueue.returncode == 0, enqueue.stderr
        assert enqueue.stdout.strip() == "1"
        deadline = time.monotonic() + 10
        while not inbox.messages and time.monotonic() < deadline:
            time.sleep(0.1)
        assert inbox.subjects("union@example.org") == [
            f"协议草案有新意见：{TITLES['consultation']}"]
    finally:
        session.close()
        consumer.terminate()
        output = consumer.communicate(timeout=30)[0].decode()
    assert "send_notifications" in output
