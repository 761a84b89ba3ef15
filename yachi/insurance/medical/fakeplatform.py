"""A local fake of the medical-insurance platform, over real HTTP, for tests and the demo.

It speaks the shape ``platform.py`` documents: it checks every request's HMAC-SM3
signature, timestamp and nonce (refused with ``infcode`` -1 and HTTP 401 otherwise),
signs every answer, and splits a bill the way an outpatient pooling fund does, by each
item's class in its own catalogue (``catalogue.py`` by default):

- class A (甲类): the fund pays ``FUND_RATIO`` of the item;
- class B (乙类): the insured first pays ``B_FIRST_SELF_RATIO`` (先行自付), the fund pays
  ``FUND_RATIO`` of the rest;
- class C (丙类) and items without a national code: self-paid;
- the personal account (个人账户) pays what is left of class A and B items, up to its
  balance; the rest is the patient's cash part.

Each share is rounded down to the fen, per item. Settling the same 就诊流水号 again
answers with the first settlement (the platform's own idempotency); a reversal (2208)
is taken only on the day of the settlement, a refund (6203) only after it.

``python -m yachi.insurance.medical.fakeplatform --port 8114`` runs it alone (the demo's
platform, ``YACHI_MEDICAL_INSURANCE_API_BASE=http://127.0.0.1:8114``).
"""

import argparse
import itertools
import json
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_DOWN, Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

from yachi.insurance.medical import catalogue, signing

SHANGHAI = ZoneInfo("Asia/Shanghai")
FUND_RATIO = Decimal("0.70")
B_FIRST_SELF_RATIO = Decimal("0.10")
LEVEL_OF_CLASS = {"A": "01", "B": "02", "C": "03"}
DEMO_APP_ID = "yachi-demo"
DEMO_SECRET = "yachi-demo-medical-insurance-secret"  # noqa: S105 - the local fake's, public


@dataclass
class Person:
    number: str
    name: str
    certificate: str
    balance_fen: int
    insurance_type: str = "310"
    area: str = "310000"


@dataclass
class Settled:
    settlement_id: str
    visit_serial: str
    visit_id: str
    person: str
    fund_fen: int
    account_fen: int
    cash_fen: int
    total_fen: int
    day: date
    output: dict
    undone: str = ""  # "reverse" / "refund"
    undone_day: date | None = None
    undone_id: str = ""


def _yuan(fen: int) -> str:
    return f"{Decimal(fen) / 100:.2f}"


def _fen(text) -> int:
    value = Decimal(str(text))
    if value != value.quantize(Decimal("0.01")) or value < 0:
        raise ValueError(text)
    return int(value * 100)


def _floor(amount: int, ratio: Decimal) -> int:
    return int((Decimal(amount) * ratio).to_integral_value(rounding=ROUND_DOWN))


class FakeMedicalInsurancePlatform:
    def __init__(
        self,
        *,
        app_id: str = DEMO_APP_ID,
        secret: str = DEMO_SECRET,
        port: int = 0,
        classes: dict[str, str] | None = None,
    ):
        self.app_id, self.secret, self._port = app_id, secret, port
        self.classes = dict(classes or {c.code: c.catalogue_class for c in catalogue.ITEMS})
        self.people: dict[str, Person] = {}  # by credential code
        self.settled: dict[str, Settled] = {}  # by visit serial
        self.received: list[dict] = []
        self.refused_signatures = 0
        self.today = lambda: datetime.now(SHANGHAI).date()
        self._nonces: set[str] = set()
        self._lock = threading.Lock()
        self._numbers = itertools.count(1)
        self._server = None
        self._thread = None

    # --- what tests and the demo set up --------------------------------------------------

    def add_person(
        self, *, credential: str, name: str, balance_fen: int, number: str | None = None
    ):
        person = Person(
            number=number or f"3100{secrets.randbelow(10**12):012d}",
            name=name,
            certificate="310***********" + f"{secrets.randbelow(10**4):04d}",
            balance_fen=balance_fen,
        )
        self.people[credential] = person
        return person

    # --- life cycle -------------------------------------------------------------------

    def start(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, answer = fake.handle(self.path, headers, body)
                raw = json.dumps(answer, ensure_ascii=False).encode()
                timestamp, nonce = str(int(time.time() * 1000)), secrets.token_hex(16)
                signature = signing.sign(
                    fake.secret,
                    signing.response_message(timestamp=timestamp, nonce=nonce, body=raw),
                )
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(raw)))
                self.send_header(signing.HEADER_TIMESTAMP, timestamp)
                self.send_header(signing.HEADER_NONCE, nonce)
                self.send_header(signing.HEADER_SIGNATURE, signature)
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, format, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self._port), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # --- the protocol -------------------------------------------------------------------

    def _signed(self, headers: dict, body: bytes) -> bool:
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

    def handle(self, path: str, headers: dict, body: bytes) -> tuple[int, dict]:
        if not self._signed(headers, body):
            with self._lock:
                self.refused_signatures += 1
            return 401, {"infcode": -1, "err_msg": "签名验证失败"}
        try:
            message = json.loads(body)
            infno = path.rsplit("/", 1)[-1]
            if message.get("infno") != infno or not message.get("fixmedins_code"):
                return 200, self._error("报文不完整")
            payload = message["input"]
            with self._lock:
                self.received.append(message)
                output = getattr(self, f"_t{infno}")(payload)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            return 200, self._error(f"报文格式错误: {exc.__class__.__name__}")
        except Refusal as refusal:
            return 200, self._error(str(refusal))
        return 200, {
            "infcode": 0,
            "err_msg": "",
            "output": output,
            "inf_refmsgid": message["msgid"],
        }

    @staticmethod
    def _error(text: str) -> dict:
        return {"infcode": -1, "err_msg": text}

    def _person_by_number(self, number: str) -> Person:
        person = next((p for p in self.people.values() if p.number == number), None)
        if person is None:
            raise Refusal("参保人不存在")
        return person

    def _t1101(self, payload) -> dict:
        person = self.people.get(payload["mdtrt_cert_no"])
        if payload.get("mdtrt_cert_type") != "01" or person is None:
            raise Refusal("电子凭证无效或已过期")
        return {
            "baseinfo": {
                "psn_no": person.number,
                "psn_name": person.name,
                "certno": person.certificate,
            },
            "insuinfo": [
                {
                    "insutype": person.insurance_type,
                    "balc": _yuan(person.balance_fen),
                    "insuplc_admdvs": person.area,
                }
            ],
        }

    def _split(self, payload, person: Person) -> tuple[dict, int, int, int, int]:
        details = payload["feedetail"]
        total = _fen(payload["medfee_sumamt"])
        if total != sum(_fen(d["det_item_fee_sumamt"]) for d in details) or not details:
            raise Refusal("费用总额与明细不符")
        balance = person.balance_fen
        rows, fund_sum, account_sum, cash_sum = [], 0, 0, 0
        for detail in details:
            amount = _fen(detail["det_item_fee_sumamt"])
            level = self.classes.get(detail.get("med_list_codg") or "", "C")
            if level == "A":
                fund = _floor(amount, FUND_RATIO)
            elif level == "B":
                fund = _floor(amount - _floor(amount, B_FIRST_SELF_RATIO), FUND_RATIO)
            else:
                fund = 0
            account = 0 if level == "C" else min(amount - fund, balance)
            balance -= account
            cash = amount - fund - account
            fund_sum, account_sum, cash_sum = (
                fund_sum + fund,
                account_sum + account,
                cash_sum + cash,
            )
            rows.append(
                {
                    "feedetl_sn": detail["feedetl_sn"],
                    "chrgitm_lv": LEVEL_OF_CLASS[level],
                    "det_item_fee_sumamt": _yuan(amount),
                    "fund_pay": _yuan(fund),
                    "acct_pay": _yuan(account),
                    "cash_pay": _yuan(cash),
                }
            )
        return {"rows": rows}, total, fund_sum, account_sum, cash_sum

    def _output(self, *, split, total, fund, account, cash, visit_id, settlement_id="") -> dict:
        info = {
            "mdtrt_id": visit_id,
            "medfee_sumamt": _yuan(total),
            "fund_pay_sumamt": _yuan(fund),
            "acct_pay": _yuan(account),
            "psn_cash_pay": _yuan(cash),
        }
        if settlement_id:
            info["setl_id"] = settlement_id
        return {"setlinfo": info, "setldetail": split["rows"]}

    def _t2206(self, payload) -> dict:
        person = self._person_by_number(payload["psn_no"])
        split, total, fund, account, cash = self._split(payload, person)
        visit_id = f"MD{payload['ipt_otp_no']}"
        return self._output(
            split=split, total=total, fund=fund, account=account, cash=cash, visit_id=visit_id
        )

    def _t2207(self, payload) -> dict:
        serial = payload["ipt_otp_no"]
        done = self.settled.get(serial)
        if done is not None:
            return done.output  # settled before: the same settlement again
        person = self._person_by_number(payload["psn_no"])
        split, total, fund, account, cash = self._split(payload, person)
        if account > person.balance_fen:
            raise Refusal("个人账户余额不足")
        person.balance_fen -= account
        settlement_id = f"SETL{self.today():%Y%m%d}{next(self._numbers):06d}"
        output = self._output(
            split=split,
            total=total,
            fund=fund,
            account=account,
            cash=cash,
            visit_id=payload["mdtrt_id"],
            settlement_id=settlement_id,
        )
        self.settled[serial] = Settled(
            settlement_id=settlement_id,
            visit_serial=serial,
            visit_id=payload["mdtrt_id"],
            person=person.number,
            fund_fen=fund,
            account_fen=account,
            cash_fen=cash,
            total_fen=total,
            day=self.today(),
            output=output,
        )
        return output

    def _by_settlement(self, settlement_id) -> Settled:
        done = next((s for s in self.settled.values() if s.settlement_id == settlement_id), None)
        if done is None:
            raise Refusal("结算记录不存在")
        return done

    def _undo(self, done: Settled, kind: str, prefix: str) -> str:
        if done.undone == kind:
            return done.undone_id  # the same request again
        if done.undone:
            raise Refusal("该结算已撤销或退费")
        done.undone, done.undone_day = kind, self.today()
        done.undone_id = f"{prefix}{self.today():%Y%m%d}{next(self._numbers):06d}"
        self._person_by_number(done.person).balance_fen += done.account_fen
        return done.undone_id

    def _t2208(self, payload) -> dict:
        done = self._by_settlement(payload["setl_id"])
        if done.day != self.today():
            raise Refusal("跨日结算不能冲正，请办理退费")
        if done.person != payload["psn_no"] or done.visit_id != payload["mdtrt_id"]:
            raise Refusal("冲正信息与原结算不符")
        return {"setlinfo": {"setl_id": self._undo(done, "reverse", "REV")}}

    def _t6203(self, payload) -> dict:
        done = self._by_settlement(payload["setl_id"])
        return {"refd_id": self._undo(done, "refund", "RFD")}

    def _t3202(self, payload) -> dict:
        day = date.fromisoformat(payload["stmt_begndate"])
        rows = []
        for done in self.settled.values():
            if done.day == day:
                rows.append(self._line("settle", done, 1))
            if done.undone and done.undone_day == day:
                rows.append(self._line(done.undone, done, -1))
        return {"details": rows}

    @staticmethod
    def _line(kind: str, done: Settled, sign: int) -> dict:
        return {
            "kind": kind,
            "setl_id": done.settlement_id,
            "ipt_otp_no": done.visit_serial,
            "fund_pay_sumamt": _yuan(sign * done.fund_fen)
            if sign > 0
            else "-" + _yuan(done.fund_fen),
            "acct_pay": _yuan(done.account_fen) if sign > 0 else "-" + _yuan(done.account_fen),
        }


class Refusal(Exception):
    pass


def main() -> None:  # pragma: no cover - a developer's tool
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8114)
    args = parser.parse_args()
    fake = FakeMedicalInsurancePlatform(port=args.port)
    for credential, name, balance in DEMO_PEOPLE:
        fake.add_person(credential=credential, name=name, balance_fen=balance)
    fake.start()
    print(f"fake medical-insurance platform on {fake.url}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()


# Credentials the demo's platform knows (the codes a patient's 医保电子凭证 shows).
DEMO_PEOPLE = [
    ("YBCODE-DEMO-0001", "李秀英", 80_000),
    ("YBCODE-DEMO-0002", "王建国", 2_000),
    ("YBCODE-DEMO-0003", "张敏", 0),
]

if __name__ == "__main__":  # pragma: no cover
    main()
