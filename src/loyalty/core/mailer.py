"""Outgoing mail: a file backend (one RFC 5322 ``.eml`` per message) and SMTP.

Only the job worker sends (``loyalty.notifications.delivery``): every mail is a notification's delivery,
written in the transaction of what caused it, so a rolled-back request never mails a code that does not
exist, and a failed send is retried rather than lost.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Protocol

import aiosmtplib
from msgspec import Struct

from loyalty.settings import Settings


class OutgoingMail(Struct, frozen=True, kw_only=True):
    to: str
    subject: str
    body: str
    kind: str
    # Further header fields (List-Unsubscribe of a notification); never ones set by build_message.
    headers: dict[str, str] = {}
    # The same for every copy of the same message (a notification's delivery sent again after a crash),
    # so a mail client that collapses by Message-ID shows it once; None = a fresh one.
    message_id: str | None = None


class Mailer(Protocol):
    async def send(self, mail: OutgoingMail) -> None: ...


def build_message(sender: str, mail: OutgoingMail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = mail.message_id or make_msgid(domain="loyalty.local")
    message["X-Loyalty-Kind"] = mail.kind
    for name, value in mail.headers.items():
        message[name] = value
    message.set_content(mail.body)
    return message


class FileMailer:
    def __init__(self, directory: Path, sender: str) -> None:
        self.directory = directory
        self.sender = sender

    async def send(self, mail: OutgoingMail) -> None:
        await asyncio.to_thread(self._write, build_message(self.sender, mail))

    def _write(self, message: EmailMessage) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
        temporary = self.directory / f".{name}.tmp"
        temporary.write_bytes(bytes(message))
        os.replace(temporary, self.directory / name)  # readers never see half a message


class SmtpMailer:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def send(self, mail: OutgoingMail) -> None:
        smtp = self.settings.smtp
        await aiosmtplib.send(
            build_message(self.settings.mail.sender, mail),
            hostname=smtp.host,
            port=smtp.port,
            username=smtp.username,
            password=smtp.password,
            start_tls=smtp.starttls,
            timeout=smtp.timeout_seconds,
        )


def build_mailer(settings: Settings) -> Mailer:
    if settings.mail.backend == "smtp":
        return SmtpMailer(settings)
    return FileMailer(settings.mail_path, settings.mail.sender)
