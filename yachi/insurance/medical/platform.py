"""The adapter to the medical-insurance platform (医保信息平台): one interface, one HTTP
implementation of the documented shape (ADR 0064).

Messages follow the national interface's envelope: ``infno`` (the transaction: 1101
identity, 2206 pre-settlement, 2207 settlement, 2208 reversal, 6203 refund, 3202 the
statement), ``msgid``, ``fixmedins_code`` (定点机构编码), ``mdtrtarea_admvs`` and
``input``; answers ``infcode`` (0 or an error), ``err_msg`` and ``output``. Amounts are
yuan with two decimals, as the platform writes them. Requests and answers are signed
(``signing.py``); an answer whose signature does not hold is treated as no answer.
"""

import json
import secrets
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.core.errors import Conflict, DomainError
from yachi.core.money import fen_to_yuan
from yachi.insurance.signed_http import Unanswered, exchange

CREDENTIAL_ELECTRONIC = "01"  # 医保电子凭证
LEVELS = {"01": "A", "02": "B", "03": "C"}  # 收费项目等级: 甲 / 乙 / 丙


class PlatformUnavailable(DomainError):
    code = "insurance_platform_unavailable"
    status = 503

    def __init__(self, message=None):
        super().__init__(
            message
            or _("The medical-insurance platform is not answering. Please try again shortly.")
        )


class PlatformRefused(Conflict):
    """The platform answered with an error: its own words are shown."""

    code = "insurance_platform_refused"

    def __init__(self, detail: str, infcode: int):
        super().__init__(
            _("The medical-insurance platform refused: %(detail)s") % {"detail": detail[:200]}
        )
        self.infcode = infcode


@dataclass(frozen=True)
class Insured:
    number: str  # 人员编号 psn_no
    name: str
    certificate: str  # masked ID number, as the platform gives it
    insurance_type: str  # 险种类型, e.g. 310 employees' basic medical insurance
    area: str  # 参保地
    balance_fen: int  # personal account (个人账户)


@dataclass(frozen=True)
class FeeItem:
    serial: str  # 费用明细流水号 feedetl_sn: our line's position
    national_code: str  # med_list_codg; empty for an unmapped item
    our_code: str  # medins_list_codg
    name: str
    quantity: int
    unit_fen: int
    amount_fen: int


@dataclass(frozen=True)
class ItemSplit:
    serial: str
    catalogue_class: str
    amount_fen: int
    fund_fen: int
    account_fen: int
    self_fen: int


@dataclass(frozen=True)
class Split:
    total_fen: int
    fund_fen: int
    account_fen: int
    self_fen: int
    platform_visit_id: str
    settlement_id: str = ""
    items: tuple[ItemSplit, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class StatementLine:
    kind: str  # settle / reverse / refund
    settlement_id: str
    visit_serial: str
    insurance_fen: int  # fund + personal account, signed: negative for what went back


class Platform(Protocol):
    def identify(self, *, credential: str) -> Insured: ...

    def pre_settle(self, *, insured: Insured, visit_serial: str, items) -> Split: ...

    def settle(self, *, insured: Insured, visit_serial: str, items, visit_id: str) -> Split: ...

    def reverse(self, *, settlement_id: str, insured_number: str, visit_id: str) -> str: ...

    def refund(self, *, settlement_id: str, reason: str) -> str: ...

    def statement(self, *, day: date) -> list[StatementLine]: ...


def yuan(fen: int) -> str:
    return f"{fen_to_yuan(fen):.2f}"


def fen(text) -> int:
    try:
        value = Decimal(str(text))
    except InvalidOperation:
        raise PlatformUnavailable() from None
    if value != value.quantize(Decimal("0.01")):
        raise PlatformUnavailable()
    return int(value * 100)


def configured() -> bool:
    return bool(
        settings.YACHI_MEDICAL_INSURANCE_API_BASE and settings.YACHI_MEDICAL_INSURANCE_SECRET
    )


class HttpPlatform:
    """The platform over HTTP, for one designated institution."""

    def __init__(
        self,
        *,
        institution_code: str,
        area: str,
        base_url=None,
        app_id=None,
        secret=None,
        timeout=None,
    ):
        self.institution_code = institution_code
        self.area = area
        self.base_url = (base_url or settings.YACHI_MEDICAL_INSURANCE_API_BASE).rstrip("/")
        self.app_id = app_id or settings.YACHI_MEDICAL_INSURANCE_APP_ID
        self.secret = secret or settings.YACHI_MEDICAL_INSURANCE_SECRET
        self.timeout = timeout or settings.YACHI_MEDICAL_INSURANCE_TIMEOUT_SECONDS

    # --- the transport ------------------------------------------------------------

    def call(self, infno: str, payload: dict) -> dict:
        now = timezone.localtime()
        body = json.dumps(
            {
                "infno": infno,
                "msgid": f"{self.institution_code}{now:%Y%m%d%H%M%S}{secrets.randbelow(10**4):04d}",
                "fixmedins_code": self.institution_code,
                "mdtrtarea_admvs": self.area,
                "inf_time": f"{now:%Y-%m-%d %H:%M:%S}",
                "input": payload,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
        try:
            _status, data = exchange(
                method="POST",
                url=f"{self.base_url}/fsi/api/{infno}",
                body=body,
                app_id=self.app_id,
                secret=self.secret,
                timeout=self.timeout,
            )
        except Unanswered:
            raise PlatformUnavailable() from None
        if data.get("infcode") != 0:
            raise PlatformRefused(str(data.get("err_msg") or ""), int(data.get("infcode") or -1))
        output = data.get("output")
        if not isinstance(output, dict):
            raise PlatformUnavailable()
        return output

    # --- the transactions -------------------------------------------------------------

    def identify(self, *, credential: str) -> Insured:
        out = self.call(
            "1101", {"mdtrt_cert_type": CREDENTIAL_ELECTRONIC, "mdtrt_cert_no": credential}
        )
        try:
            base, insurance = out["baseinfo"], out["insuinfo"][0]
            return Insured(
                number=str(base["psn_no"]),
                name=str(base["psn_name"]),
                certificate=str(base.get("certno", "")),
                insurance_type=str(insurance["insutype"]),
                area=str(insurance["insuplc_admdvs"]),
                balance_fen=fen(insurance["balc"]),
            )
        except (KeyError, IndexError, TypeError):
            raise PlatformUnavailable() from None

    def _fees(self, *, insured: Insured, visit_serial: str, items) -> dict:
        return {
            "psn_no": insured.number,
            "insutype": insured.insurance_type,
            "ipt_otp_no": visit_serial,
            "medfee_sumamt": yuan(sum(item.amount_fen for item in items)),
            "feedetail": [
                {
                    "feedetl_sn": item.serial,
                    "med_list_codg": item.national_code,
                    "medins_list_codg": item.our_code,
                    "medins_list_name": item.name,
                    "cnt": str(item.quantity),
                    "pric": yuan(item.unit_fen),
                    "det_item_fee_sumamt": yuan(item.amount_fen),
                }
                for item in items
            ],
        }

    @staticmethod
    def _split(out: dict) -> Split:
        try:
            info = out["setlinfo"]
            items = tuple(
                ItemSplit(
                    serial=str(row["feedetl_sn"]),
                    catalogue_class=LEVELS.get(str(row["chrgitm_lv"]), "C"),
                    amount_fen=fen(row["det_item_fee_sumamt"]),
                    fund_fen=fen(row["fund_pay"]),
                    account_fen=fen(row["acct_pay"]),
                    self_fen=fen(row["cash_pay"]),
                )
                for row in out.get("setldetail", [])
            )
            return Split(
                total_fen=fen(info["medfee_sumamt"]),
                fund_fen=fen(info["fund_pay_sumamt"]),
                account_fen=fen(info["acct_pay"]),
                self_fen=fen(info["psn_cash_pay"]),
                platform_visit_id=str(info["mdtrt_id"]),
                settlement_id=str(info.get("setl_id", "")),
                items=items,
            )
        except (KeyError, TypeError):
            raise PlatformUnavailable() from None

    def pre_settle(self, *, insured: Insured, visit_serial: str, items) -> Split:
        return self._split(
            self.call("2206", self._fees(insured=insured, visit_serial=visit_serial, items=items))
        )

    def settle(self, *, insured: Insured, visit_serial: str, items, visit_id: str) -> Split:
        payload = {
            **self._fees(insured=insured, visit_serial=visit_serial, items=items),
            "mdtrt_id": visit_id,
        }
        return self._split(self.call("2207", payload))

    def reverse(self, *, settlement_id: str, insured_number: str, visit_id: str) -> str:
        out = self.call(
            "2208", {"setl_id": settlement_id, "psn_no": insured_number, "mdtrt_id": visit_id}
        )
        return str(out.get("setlinfo", {}).get("setl_id", ""))

    def refund(self, *, settlement_id: str, reason: str) -> str:
        out = self.call("6203", {"setl_id": settlement_id, "refd_rea": reason[:80]})
        return str(out.get("refd_id", ""))

    def statement(self, *, day: date) -> list[StatementLine]:
        out = self.call("3202", {"stmt_begndate": day.isoformat(), "stmt_enddate": day.isoformat()})
        try:
            return [
                StatementLine(
                    kind=str(row["kind"]),
                    settlement_id=str(row["setl_id"]),
                    visit_serial=str(row["ipt_otp_no"]),
                    insurance_fen=fen(row["fund_pay_sumamt"]) + fen(row["acct_pay"]),
                )
                for row in out.get("details", [])
            ]
        except (KeyError, TypeError):
            raise PlatformUnavailable() from None
