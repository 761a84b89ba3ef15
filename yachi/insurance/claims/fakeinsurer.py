"""A local fake of an insurer's claims API over real HTTP, for tests and the demo.

It checks every request's HMAC-SM3 signature (401 otherwise), signs its answers, reads
the documents (each must be a PDF), asks for more documents when the itemised bill or
the diagnosis certificate is missing, and takes its decisions from ``decide`` (a test,
or the demo, plays the claims handler). ``python -m yachi.insurance.claims.fakeinsurer
--port 8124`` runs it alone.
"""

import argparse
import base64
import itertools
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from yachi.insurance.medical import signing

REQUIRED = {"itemised_bill", "diagnosis"}
DEMO_APP_ID = "yachi-demo"
DEMO_SECRET = "yachi-demo-claims-secret"  # noqa: S105 - the local fake's, public


class FakeInsurer:
    def __init__(self, *, app_id: str = DEMO_APP_ID, secret: str = DEMO_SECRET, port: int = 0):
        self.app_id, self.secret, self._port = app_id, secret, port
        self.claims: dict[str, dict] = {}
        self.refused_signatures = 0
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()
        self._nonces: set[str] = set()
        self._server = None

    def decide(self, number: str, status: str, *, approved_fen=None, paid_fen=None, note=""):
        with self._lock:
            claim = self.claims[number]
            claim.update(status=status, note=note)
            if approved_fen is not None:
                claim["approved_fen"] = approved_fen
            if paid_fen is not None:
                claim["paid_fen"] = paid_fen

    def start(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, data = fake.handle(self.command, self.path, headers, body)
                raw = json.dumps(data, ensure_ascii=False).encode()
                timestamp, nonce = str(int(time.time() * 1000)), secrets.token_hex(16)
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(raw)))
                self.send_header(signing.HEADER_TIMESTAMP, timestamp)
                self.send_header(signing.HEADER_NONCE, nonce)
                self.send_header(
                    signing.HEADER_SIGNATURE,
                    signing.sign(
                        fake.secret,
                        signing.response_message(timestamp=timestamp, nonce=nonce, body=raw),
                    ),
                )
                self.end_headers()
                self.wfile.write(raw)

            do_GET = do_POST = _answer

            def log_message(self, format, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self._port), Handler)
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def _signed(self, headers, body) -> bool:
        if not signing.request_is_signed(
            secret=self.secret, app_id=self.app_id, headers=headers, body=body
        ):
            return False
        nonce = headers.get(signing.HEADER_NONCE, "")
        with self._lock:
            if nonce in self._nonces:
                return False
            self._nonces.add(nonce)
        return True

    def handle(self, method, path, headers, body):
        if not self._signed(headers, body):
            with self._lock:
                self.refused_signatures += 1
            return 401, {"message": "signature invalid"}
        parts = [p for p in path.split("/") if p]
        try:
            with self._lock:
                if method == "POST" and parts == ["claims"]:
                    return self._file(json.loads(body))
                if len(parts) >= 2 and parts[0] == "claims" and parts[1] in self.claims:
                    claim = self.claims[parts[1]]
                    if method == "POST" and parts[2:] == ["documents"]:
                        self._take(claim, json.loads(body)["documents"])
                        return 200, self._public(claim)
                    if method == "GET" and len(parts) == 2:
                        return 200, self._public(claim)
        except (ValueError, KeyError, TypeError) as exc:
            return 400, {"message": f"malformed: {exc.__class__.__name__}"}
        return 404, {"message": "no such claim"}

    def _take(self, claim, documents):
        for document in documents:
            data = base64.b64decode(document["content"], validate=True)
            if not data.startswith(b"%PDF-"):
                raise ValueError("not a PDF")
            claim["documents"].append({"kind": document["kind"], "size": len(data)})
        missing = REQUIRED - {d["kind"] for d in claim["documents"]}
        if missing:
            claim.update(status="more_documents", note="请补充：" + "、".join(sorted(missing)))
        elif claim["status"] == "more_documents":
            claim.update(status="submitted", note="")

    def _file(self, payload):
        existing = next(
            (c for c in self.claims.values() if c["out_claim_no"] == payload["out_claim_no"]), None
        )
        if existing is not None:
            return 200, self._public(existing)
        number = f"LP{next(self._numbers):08d}"
        claim = {
            "claim_no": number,
            "out_claim_no": payload["out_claim_no"],
            "status": "submitted",
            "claimed_fen": int(payload["claimed_fen"]),
            "policy_no": payload["policy_no"],
            "insured_name": payload["insured_name"],
            "documents": [],
            "note": "",
        }
        self.claims[number] = claim
        self._take(claim, payload["documents"])
        return 200, self._public(claim)

    @staticmethod
    def _public(claim) -> dict:
        return {k: claim.get(k) for k in ("claim_no", "status", "approved_fen", "paid_fen", "note")}


def main() -> None:  # pragma: no cover - a developer's tool
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8124)
    fake = FakeInsurer(port=parser.parse_args().port).start()
    print(f"fake insurer on {fake.url}", flush=True)
    threading.Event().wait()


if __name__ == "__main__":  # pragma: no cover
    main()
