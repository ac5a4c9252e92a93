"""``flask notifications send``: one pass of the e-mail notification job, now, in this process
(the same pass the task queue runs every few minutes)."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from app.db import utcnow
from app.notifications import mail, sender

notifications_cli = AppGroup("notifications", help="E-mail notifications.")


@notifications_cli.command("send")
@with_appcontext
def send():
    """Send every notification that is due and was not sent yet."""
    settings = mail.MailSettings.from_env()
    if settings is None:
        click.echo("mail is off: XIESHANG_SMTP_HOST is not set; nothing sent")
        return
    with current_app.extensions["xieshang.sessions"]() as session:
        count = sender.run_pass(session, settings, now=utcnow())
    click.echo(f"{count} notification(s) sent")
