"""Providers that send nothing: the console one for development and the demo (the
message goes to the log), the memory one for tests (they read ``outbox``)."""

import itertools
import logging
import threading
from typing import ClassVar

from yachi.messaging.providers.base import SendResult, SmsRequest, accepted

logger = logging.getLogger("yachi.sms")


def masked_phone(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 8 else "****"


class ConsoleProvider:
    name = "console"

    def send(self, request: SmsRequest) -> SendResult:
        # The number masked, as everywhere in the logs (ADR 0041); the text stays, since
        # reading it is what this provider is for (a real provider logs neither).
        logger.info(
            "SMS to %s (%s, %s): %s",
            masked_phone(request.phone),
            request.template,
            request.out_id,
            request.text,
        )
        return accepted(f"console-{request.out_id}")


class MemoryProvider:
    """Keeps every message in a list shared by all instances, as Django's locmem
    e-mail backend keeps ``mail.outbox``; the test suite empties it between tests."""

    name = "memory"
    outbox: ClassVar[list[SmsRequest]] = []
    _lock = threading.Lock()
    _numbers = itertools.count(1)

    def send(self, request: SmsRequest) -> SendResult:
        with self._lock:
            self.outbox.append(request)
            return accepted(f"memory-{next(self._numbers)}")
