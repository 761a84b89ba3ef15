from typing import Literal
from uuid import UUID

from ninja import Schema
from pydantic import Field

from yachi.core.schemas import InputSchema, Line, LocalDatetime, PublicOut


class CredentialIn(InputSchema):
    # The code the patient's 医保电子凭证 shows (scanned at the desk).
    credential: Line = Field(..., min_length=1, max_length=64)


class InsuredOut(Schema):
    name: str
    certificate: str
    insurance_type: str
    area: str
    balance_fen: int


class SettlementItemOut(Schema):
    position: int
    kind: str
    item_code: str
    description: str
    national_code: str
    catalogue_class: Literal["A", "B", "C"]
    mapped: bool
    amount_fen: int
    fund_fen: int
    account_fen: int
    self_fen: int


class SettlementOut(PublicOut):
    settlement_id: UUID
    status: str
    payment_id: UUID
    visit_serial: str
    platform_settlement_id: str
    insured_name: str
    bill_fen: int
    fund_fen: int
    account_fen: int
    self_fen: int
    items: list[SettlementItemOut]
    settled_at: LocalDatetime | None
    undone_at: LocalDatetime | None

    @staticmethod
    def resolve_settlement_id(obj):
        return obj.public_id

    @staticmethod
    def resolve_payment_id(obj):
        return obj.payment.public_id


class SettleIn(InputSchema):
    settlement_id: UUID | None = None


class UndoIn(InputSchema):
    reason: Line = Field(..., min_length=1, max_length=80)
