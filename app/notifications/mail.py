"""Sending mail over SMTP, configured from the environment; off when no host is set.

``XIESHANG_SMTP_HOST`` (unset: no mail is sent), ``XIESHANG_SMTP_PORT`` (default 25, or 587
with STARTTLS), ``XIESHANG_SMTP_STARTTLS`` (1 to upgrade the connection), ``XIESHANG_SMTP_SSL``
(1 for implicit TLS, port 465), ``XIESHANG_SMTP_USER`` / ``XIESHANG_SMTP_PASSWORD`` (log in
when set), ``XIESHANG_MAIL_FROM`` (the sender, default ``xieshang@localhost``),
``XIESHANG_BASE_URL`` (the address of the site for links in messages, default
``http://127.0.0.1:5000``).
"""
from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

TIMEOUT_S = 30


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    sender: str
    base_url: str
    user: str = ""
    password: str = ""
    starttls: bool = False
    implicit_tls: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "MailSettings | None":
        """The settings, or None when ``XIESHANG_SMTP_HOST`` is unset (mail is off)."""
        env = os.environ if env is None else env
        host = env.get("XIESHANG_SMTP_HOST", "").strip()
        if not host:
            return None

        def flag(name):
            return env.get(name, "").strip().lower() in {"1", "true", "yes", "on"}
        starttls, implicit = flag("XIESHANG_SMTP_STARTTLS"), flag("XIESHANG_SMTP_SSL")
        default_port = 465 if implicit else 587 if starttls else 25
        return cls(host=host, port=int(env.get("XIESHANG_SMTP_PORT") or default_port),
                   sender=env.get("XIESHANG_MAIL_FROM", "").strip() or "xieshang@localhost",
                   base_url=(env.get("XIESHANG_BASE_URL", "").strip()
                             or "http://127.0.0.1:5000").rstrip("/"),
                   user=env.get("XIESHANG_SMTP_USER", ""),
                   password=env.get("XIESHANG_SMTP_PASSWORD", ""),
                   starttls=starttls, implicit_tls=implicit)


def message(settings: MailSettings, to: str, subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = settings.sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or "localhost")
    msg.set_content(body)
    return msg


class Connection:
    """One SMTP session for a pass (opened on the first message, closed at the end)."""

    def __init__(self, settings: MailSettings):
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def _open(self) -> smtplib.SMTP:
        s = self.settings
        if s.implicit_tls:
            smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=TIMEOUT_S,
                                    context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT_S)
            if s.starttls:
                smtp.starttls(context=ssl.create_default_context())
        if s.user:
            smtp.login(s.user, s.password)
        return smtp

    def send(self, msg: EmailMessage) -> None:
        if self._smtp is None:
            self._smtp = self._open()
        self._smtp.send_message(msg)

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except smtplib.SMTPException:
                pass
            self._smtp = None

    def __enter__(self) -> "Connection":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
