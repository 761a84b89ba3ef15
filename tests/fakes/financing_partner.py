"""A financing partner over real HTTP: it checks every request's signature with the
secret it shares with us (stdlib ``hmac``, not the adapter's ``cryptography``, so the two
cannot share one misreading), keeps applications by our number (the same number twice is
one application), answers the repayment status it was told, and writes callbacks signed
with its own secret for the test to deliver."""

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time

from tests.fakes.server import FakeServer, Request, Response

APP_ID = "yachi-test"
SECRET = "partner-shared-secret"
CALLBACK_SECRET = "partner-callback-secret"


def _sign(secret: str, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    message = f"{method}\n{path}\n{timestamp}\n{nonce}\n".encode() + body
    return base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest()).decode()


class FakePartner(FakeServer):
    def __init__(self):
        super().__init__()
        self.applications: dict[str, dict] = {}
        self.repaid: dict[str, set[int]] = {}
        self.refused = 0
        self._guard = threading.Lock()

    def _signed(self, request: Request) -> bool:
        timestamp = request.header("X-Yachi-Timestamp")
        nonce = request.header("X-Yachi-Nonce")
        expected = _sign(SECRET, request.method, request.path, timestamp, nonce, request.body)
        fresh = timestamp.isdigit() and abs(time.time() - int(timestamp)) < 300
        return (
            request.header("X-Yachi-App") == APP_ID
            and fresh
            and hmac.compare_digest(expected, request.header("X-Yachi-Signature"))
        )

    def handle(self, request: Request) -> Response:
        if not self._signed(request):
            self.refused += 1
            return Response.json({"code": "SIGN_ERROR", "message": "bad signature"}, status=401)
        if self.scripted_failure() == "server_error":
            return Response.json({"code": "SYSTEM_ERROR"}, status=500)
        if request.method == "POST" and request.path == "/v1/applications":
            body = request.json()
            principal = sum(i["principal_fen"] for i in body["instalments"])
            if principal != body["principal_fen"]:
                return Response.json({"code": "SCHEDULE_MISMATCH"}, status=400)
            with self._guard:
                kept = self.applications.setdefault(
                    body["application_no"], {**body, "application_id": "LN" + secrets.token_hex(6)}
                )
            return Response.json({"application_id": kept["application_id"], "status": "reviewing"})
        if request.method == "GET" and request.path.endswith("/repayments"):
            number = request.path.split("/")[3]
            application = self.applications.get(number)
            if application is None:
                return Response.json({"code": "NOT_FOUND"}, status=404)
            paid = self.repaid.get(number, set())
            return Response.json(
                {
                    "repayments": [
                        {
                            "number": i["number"],
                            "status": "paid" if i["number"] in paid else "due",
                            "paid_at": "2027-01-01T10:00:00+08:00" if i["number"] in paid else "",
                        }
                        for i in application["instalments"]
                    ]
                }
            )
        return Response.json({"code": "NOT_FOUND"}, status=404)

    def callback(self, path: str, event: dict, *, secret: str = CALLBACK_SECRET):
        """``(body, headers)`` of a callback to POST to ``path``, signed as the partner does."""
        body = json.dumps(event).encode()
        timestamp, nonce = str(int(time.time())), secrets.token_hex(8)
        return body, {
            "HTTP_X_YACHI_APP": "partner",
            "HTTP_X_YACHI_TIMESTAMP": timestamp,
            "HTTP_X_YACHI_NONCE": nonce,
            "HTTP_X_YACHI_SIGNATURE": _sign(secret, "POST", path, timestamp, nonce, body),
        }
