"""The invoicing-provider adapter: a signed ``POST /v1/invoices`` issues a blue invoice or,
naming the original's number, a red-letter one (红字发票) for an amount of it; the provider
answers with the invoice's number and time. Our request number is the idempotency key:
asking twice issues once. A real provider (a 乐企 direct connection or a service
provider's platform) maps these fields onto its own (ADR 0067).
"""

import json
from dataclasses import dataclass

import httpx
from django.conf import settings

from yachi.financing.signing import signed_headers

# 医疗服务: medical services, exempt from VAT (免税).
MEDICAL_SERVICE_TAX_CODE = "3070301000000000000"
TIMEOUT = httpx.Timeout(5.0)


class ProviderError(Exception):
    pass


@dataclass(frozen=True)
class Issued:
    invoice_number: str
    issued_at: str


def configured() -> bool:
    return bool(
        settings.YACHI_INVOICE_PROVIDER_URL
        and settings.YACHI_INVOICE_PROVIDER_APP_ID
        and settings.YACHI_INVOICE_PROVIDER_SECRET
    )


def issue(*, request: dict) -> Issued:
    if not configured():
        raise ProviderError("no invoicing provider is configured")
    path = "/v1/invoices"
    body = json.dumps(request, ensure_ascii=False, sort_keys=True).encode()
    headers = signed_headers(
        settings.YACHI_INVOICE_PROVIDER_APP_ID,
        settings.YACHI_INVOICE_PROVIDER_SECRET,
        method="POST",
        path=path,
        body=body,
    )
    try:
        response = httpx.post(
            settings.YACHI_INVOICE_PROVIDER_URL + path,
            content=body,
            headers=headers,
            timeout=TIMEOUT,
        )
        answer = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise ProviderError(f"no answer: {exc.__class__.__name__}") from exc
    if response.status_code != 200 or answer.get("status") != "issued":
        raise ProviderError(str(answer.get("message") or response.status_code)[:200])
    return Issued(
        invoice_number=str(answer["invoice_number"])[:32], issued_at=str(answer["issued_at"])
    )
