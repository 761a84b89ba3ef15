"""One signed exchange with a partner's HTTP API (the medical-insurance platform, an
insurer): the request signed as ``medical.signing`` says, the answer believed only when its
own signature checks (ADR 0064)."""

import secrets
import time

import httpx

from yachi.insurance.medical import signing


class Unanswered(Exception):
    """No answer that can be believed: not reached, timed out, unsigned or altered, not a
    JSON object."""


def exchange(
    *, method: str, url: str, body: bytes, app_id: str, secret: str, timeout: float
) -> tuple[int, dict]:
    timestamp, nonce = str(int(time.time() * 1000)), secrets.token_hex(16)
    headers = {
        "content-type": "application/json; charset=utf-8",
        signing.HEADER_APP_ID: app_id,
        signing.HEADER_TIMESTAMP: timestamp,
        signing.HEADER_NONCE: nonce,
        signing.HEADER_SIGNATURE: signing.sign(
            secret,
            signing.request_message(app_id=app_id, timestamp=timestamp, nonce=nonce, body=body),
        ),
    }
    try:
        answer = httpx.request(method, url, content=body, headers=headers, timeout=timeout)
    except httpx.HTTPError:
        raise Unanswered() from None
    message = signing.response_message(
        timestamp=answer.headers.get(signing.HEADER_TIMESTAMP, ""),
        nonce=answer.headers.get(signing.HEADER_NONCE, ""),
        body=answer.content,
    )
    if not signing.verify(secret, message, answer.headers.get(signing.HEADER_SIGNATURE, "")):
        # Not the partner, or altered on the way: as good as no answer.
        raise Unanswered()
    try:
        data = answer.json()
    except ValueError:
        raise Unanswered() from None
    if not isinstance(data, dict):
        raise Unanswered()
    return answer.status_code, data
