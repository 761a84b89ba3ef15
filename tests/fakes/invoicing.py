"""An invoicing provider over real HTTP: it checks our signature (stdlib ``hmac``), issues
a 20-digit 数电票 number once per request number, refuses a red-letter invoice of more
than is left of its original, and a company buyer without a tax number."""

import base64
import hashlib
import hmac
import threading
import time

from tests.fakes.server import FakeServer, Request, Response

APP_ID = "yachi-invoices"
SECRET = "invoice-shared-secret"


class FakeInvoicing(FakeServer):
    def __init__(self):
        super().__init__()
        self.issued: dict[str, dict] = {}  # by our request number
        self.by_number: dict[str, dict] = {}
        self.refused = 0
        self._guard = threading.Lock()
        self._serial = 0

    def _signed(self, request: Request) -> bool:
        timestamp = request.header("X-Yachi-Timestamp")
        nonce = request.header("X-Yachi-Nonce")
        message = f"POST\n{request.path}\n{timestamp}\n{nonce}\n".encode() + request.body
        expected = base64.b64encode(
            hmac.new(SECRET.encode(), message, hashlib.sha256).digest()
        ).decode()
        return (
            request.header("X-Yachi-App") == APP_ID
            and timestamp.isdigit()
            and abs(time.time() - int(timestamp)) < 300
            and hmac.compare_digest(expected, request.header("X-Yachi-Signature"))
        )

    def handle(self, request: Request) -> Response:
        if not self._signed(request):
            self.refused += 1
            return Response.json({"status": "refused", "message": "bad signature"}, status=401)
        if self.scripted_failure() == "server_error":
            return Response.json({"status": "error", "message": "busy"}, status=503)
        body = request.json()
        with self._guard:
            if body["request_no"] in self.issued:
                return Response.json(self.issued[body["request_no"]])
            if body["buyer"]["kind"] == "company" and len(body["buyer"]["tax_number"]) != 18:
                return Response.json({"status": "refused", "message": "tax number"}, status=400)
            if sum(item["amount_fen"] for item in body["items"]) != body["total_fen"]:
                return Response.json({"status": "refused", "message": "total"}, status=400)
            if body["kind"] == "red":
                original = self.by_number.get(body["original_invoice_number"])
                if original is None or original["left_fen"] < body["total_fen"]:
                    return Response.json({"status": "refused", "message": "original"}, status=400)
                original["left_fen"] -= body["total_fen"]
            self._serial += 1
            number = f"2644{self._serial:016d}"
            answer = {
                "status": "issued",
                "invoice_number": number,
                "issued_at": "2026-12-03T10:00:00+08:00",
            }
            self.issued[body["request_no"]] = answer
            self.by_number[number] = {**body, "left_fen": body["total_fen"]}
        return Response.json(answer)
