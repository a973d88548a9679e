"""A real SMTP server (aiosmtpd) for the outbox tests, on a port of the test's own that the test
starts and stops: while it is stopped, Django's SMTP backend meets a refused connection."""

import asyncio
import email
import email.policy

from aiosmtpd.controller import Controller

from tests.workers import free_port


class MailServer:
    """Keeps every message it accepts, parsed, in `received` and its envelope's addressees in
    `recipients`, across stops and starts."""

    def __init__(self):
        self.port = free_port()
        self.received: list[email.message.EmailMessage] = []
        self.recipients: list[str] = []
        self.delay = 0.0  # seconds each message takes to be accepted, for a test that sends two at once
        self._controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it by this name
        await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.received.append(message)
        self.recipients.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def settings(self) -> dict[str, object]:
        """Django's settings for sending here (also the environment of a worker, as strings)."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_TIMEOUT": 5,
        }
