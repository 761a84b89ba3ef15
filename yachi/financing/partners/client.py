"""The partner adapter: what Yachi sends a financing platform and what it reads back.

``POST /v1/applications`` submits an application (our ``application_no`` is its
idempotency key: the same number twice is one application); ``GET
/v1/applications/{application_no}/repayments`` reads which instalments the patient has
repaid. Decisions and disbursements come to us as signed callbacks
(``partners/callbacks.py``). A real partner's field names differ; its adapter maps them
onto these calls (ADR 0066).
"""

import json
from dataclasses import dataclass

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from yachi.financing.errors import ServiceUnavailable
from yachi.financing.signing import signed_headers

PARTNER = "partner"  # the one partner a deployment configures
TIMEOUT = httpx.Timeout(5.0)


@dataclass(frozen=True)
class Repayment:
    number: int
    status: str  # "paid", "due", "overdue"
    paid_at: str  # ISO time, or ""


def configured() -> bool:
    return bool(
        settings.YACHI_FINANCING_PARTNER_URL
        and settings.YACHI_FINANCING_PARTNER_APP_ID
        and settings.YACHI_FINANCING_PARTNER_SECRET
    )


def _call(method: str, path: str, payload: dict | None = None) -> dict:
    if not configured():
        raise ServiceUnavailable(
            _("Instalments are not available: no financing partner is configured."),
            code="financing_unavailable",
        )
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode() if payload else b""
    headers = signed_headers(
        settings.YACHI_FINANCING_PARTNER_APP_ID,
        settings.YACHI_FINANCING_PARTNER_SECRET,
        method=method,
        path=path,
        body=body,
    )
    try:
        response = httpx.request(
            method,
            settings.YACHI_FINANCING_PARTNER_URL + path,
            content=body,
            headers=headers,
            timeout=TIMEOUT,
        )
        response.raise_for_status()
        return response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise ServiceUnavailable(
            _("The financing partner did not answer. Please try again later."),
            code="financing_unavailable",
        ) from exc


def application_submit(*, plan, applicant_name: str, applicant_phone: str, callback_url: str):
    """The partner's reference for the application (it decides later, by callback)."""
    answer = _call(
        "POST",
        "/v1/applications",
        {
            "application_no": plan.application_no,
            "product": plan.product,
            "principal_fen": plan.principal_fen,
            "months": plan.months,
            "method": plan.method,
            "annual_rate": str(plan.annual_rate),
            "clinic_fee_fen": plan.clinic_fee_fen,
            "instalments": [
                {
                    "number": i.number,
                    "due_date": i.due_date.isoformat(),
                    "principal_fen": i.principal_fen,
                    "interest_fen": i.interest_fen,
                }
                for i in plan.instalments.all()
            ],
            "applicant": {"name": applicant_name, "phone": applicant_phone},
            "notify_url": callback_url,
        },
    )
    return str(answer.get("application_id", ""))[:64]


def repayments(*, application_no: str) -> list[Repayment]:
    answer = _call("GET", f"/v1/applications/{application_no}/repayments")
    return [
        Repayment(
            number=int(row["number"]),
            status=str(row["status"]),
            paid_at=str(row.get("paid_at") or ""),
        )
        for row in answer.get("repayments", [])
    ]
