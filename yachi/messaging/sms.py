"""SMS delivery behind one small interface, chosen by ``YACHI_SMS_BACKEND``.

The console backend is the default for development and the demo: it writes the
message to the log instead of sending it. The memory backend keeps messages in a
list that tests read, as Django's locmem e-mail backend does.
"""

import logging
import threading
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("yachi.sms")


@dataclass(frozen=True)
class SmsMessage:
    phone: str
    text: str


class ConsoleBackend:
    def send(self, message: SmsMessage) -> None:
        logger.info("SMS to %s: %s", message.phone, message.text)


class MemoryBackend:
    outbox: list[SmsMessage] = []
    _lock = threading.Lock()

    def send(self, message: SmsMessage) -> None:
        with self._lock:
            self.outbox.append(message)


def send_sms(phone: str, text: str) -> None:
    backend = import_string(settings.YACHI_SMS_BACKEND)()
    backend.send(SmsMessage(phone=phone, text=text))
