"""What every message provider takes and gives back.

A provider answers every send with a ``SendResult`` and raises only for mistakes in
our own code. The result says whether a retry is safe: the caller retries only what
is ``retryable``, and an ``uncertain`` send (the request left, the answer did not come
back) is never retried, because the message may already be on the patient's phone.
"""

from dataclasses import dataclass
from typing import Protocol

UNCERTAIN = "uncertain"
UNREACHABLE = "unreachable"
TEMPLATE_NOT_CONFIGURED = "template_not_configured"


@dataclass(frozen=True)
class SmsRequest:
    """One text message. ``template`` is our name for it ("login_code"); each provider
    maps it to the template the clinic had approved. ``text`` is the rendered message,
    for providers that print it; ``out_id`` is our id, quoted back by the provider."""

    phone: str
    template: str
    params: dict[str, str]
    text: str
    out_id: str


@dataclass(frozen=True)
class SendResult:
    accepted: bool
    provider_message_id: str = ""
    retryable: bool = False
    error_code: str = ""
    error_message: str = ""
    provider: str = ""  # which provider gave this answer

    @property
    def uncertain(self) -> bool:
        return self.error_code == UNCERTAIN


class SmsProvider(Protocol):
    name: str

    def send(self, request: SmsRequest) -> SendResult: ...


def accepted(provider_message_id: str) -> SendResult:
    return SendResult(accepted=True, provider_message_id=provider_message_id)


def refused(code: str, message: str = "", *, retryable: bool = False) -> SendResult:
    return SendResult(accepted=False, retryable=retryable, error_code=code, error_message=message)


def uncertain(message: str) -> SendResult:
    return refused(UNCERTAIN, message, retryable=False)


def unreachable(message: str) -> SendResult:
    """Nothing reached the provider, so nothing was sent: safe to try again."""
    return refused(UNREACHABLE, message, retryable=True)


def template_not_configured(provider: str, template: str) -> SendResult:
    return refused(TEMPLATE_NOT_CONFIGURED, f"no {provider} template for {template!r}")
