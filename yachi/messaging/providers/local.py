"""Providers that send nothing: the console one for development and the demo (the
message goes to the log), the memory one for tests (they read ``outbox``)."""

import itertools
import logging
import threading
from typing import ClassVar

from yachi.messaging.providers.base import SendResult, SmsRequest, accepted

logger = logging.getLogger("yachi.sms")


class ConsoleProvider:
    name = "console"

    def send(self, request: SmsRequest) -> SendResult:
        logger.info(
            "SMS to %s (%s, %s): %s", request.phone, request.template, request.out_id, request.text
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
