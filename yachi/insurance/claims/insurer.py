"""The adapter to an insurer's claims API (理赔接口), one shape for every insurer: JSON over
HTTPS, each request and answer signed with HMAC-SM3 like the medical-insurance platform
(``medical/signing.py``), documents as base64 PDF (ADR 0065).

``POST /claims`` files a claim with its documents and answers its number and status;
``POST /claims/{number}/documents`` adds documents the insurer asked for;
``GET /claims/{number}`` answers the status (submitted, more_documents, approved, paid,
rejected) with the approved and paid amounts and the insurer's note.
"""

import base64
import json
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from yachi.core.errors import Conflict, DomainError
from yachi.insurance.signed_http import Unanswered, exchange


class InsurerUnavailable(DomainError):
    code = "insurer_unavailable"
    status = 503

    def __init__(self, message=None):
        super().__init__(message or _("The insurer is not answering. Please try again shortly."))


class InsurerRefused(Conflict):
    code = "insurer_refused"


@dataclass(frozen=True)
class ClaimState:
    number: str
    status: str
    approved_fen: int | None
    paid_fen: int | None
    note: str


def configured() -> bool:
    return bool(settings.YACHI_CLAIMS_API_BASE and settings.YACHI_CLAIMS_SECRET)


class HttpInsurer:
    def __init__(self, *, base_url=None, app_id=None, secret=None, timeout=None):
        self.base_url = (base_url or settings.YACHI_CLAIMS_API_BASE).rstrip("/")
        self.app_id = app_id or settings.YACHI_CLAIMS_APP_ID
        self.secret = secret or settings.YACHI_CLAIMS_SECRET
        self.timeout = timeout or settings.YACHI_MEDICAL_INSURANCE_TIMEOUT_SECONDS

    def _call(self, method: str, path: str, payload: dict | None = None) -> dict:
        if not configured() and not self.base_url:
            raise InsurerUnavailable()
        body = b"" if payload is None else json.dumps(payload, ensure_ascii=False).encode()
        try:
            status, data = exchange(
                method=method,
                url=f"{self.base_url}{path}",
                body=body,
                app_id=self.app_id,
                secret=self.secret,
                timeout=self.timeout,
            )
        except Unanswered:
            raise InsurerUnavailable() from None
        if status >= 500:
            raise InsurerUnavailable()
        if status >= 400:
            raise InsurerRefused(
                _("The insurer refused: %(detail)s")
                % {"detail": str(data.get("message", ""))[:200]}
            )
        return data

    @staticmethod
    def _documents(documents) -> list[dict]:
        return [
            {"kind": d.kind, "filename": d.filename, "content": base64.b64encode(d.data).decode()}
            for d in documents
        ]

    @staticmethod
    def _state(data: dict) -> ClaimState:
        try:
            return ClaimState(
                number=str(data["claim_no"]),
                status=str(data["status"]),
                approved_fen=data.get("approved_fen"),
                paid_fen=data.get("paid_fen"),
                note=str(data.get("note", ""))[:200],
            )
        except KeyError:
            raise InsurerUnavailable() from None

    def file(
        self,
        *,
        reference: str,
        insurer: str,
        policy_number: str,
        insured_name: str,
        accident_date: str,
        claimed_fen: int,
        documents,
    ) -> ClaimState:
        return self._state(
            self._call(
                "POST",
                "/claims",
                {
                    "out_claim_no": reference,
                    "insurer": insurer,
                    "policy_no": policy_number,
                    "insured_name": insured_name,
                    "accident_date": accident_date,
                    "claimed_fen": claimed_fen,
                    "documents": self._documents(documents),
                },
            )
        )

    def add_documents(self, *, number: str, documents) -> ClaimState:
        return self._state(
            self._call(
                "POST", f"/claims/{number}/documents", {"documents": self._documents(documents)}
            )
        )

    def state(self, *, number: str) -> ClaimState:
        return self._state(self._call("GET", f"/claims/{number}"))
