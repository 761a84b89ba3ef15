from datetime import date
from decimal import Decimal
from typing import Literal
from uuid import UUID

from ninja import Field, Schema

from yachi.core.schemas import InputSchema, Line, LocalDatetime


class QuoteIn(InputSchema):
    months: Literal[3, 6, 12, 24] = Field(description="The term in months")
    method: Literal["equal_payment", "equal_principal"] = Field(
        description="`equal_payment` (等额本息) or `equal_principal` (等额本金)"
    )


class InstalmentOut(Schema):
    number: int
    due_date: date
    principal_fen: int
    interest_fen: int
    status: str


class QuoteOut(Schema):
    id: UUID
    treatment_plan_id: UUID
    product: str
    product_name: str
    status: str
    status_label: str
    months: int
    method: str
    principal_fen: int = Field(
        description="The treatment plan's total: the principals add up to it"
    )
    annual_rate: Decimal = Field(description="The nominal annual interest rate charged (0.0599)")
    apr: Decimal = Field(
        description="The annualised rate: 12 × the monthly IRR of the schedule (0 when interest-free)"
    )
    total_interest_fen: int
    total_fen: int = Field(description="What the patient repays in all")
    quote_expires_at: LocalDatetime
    terms_words: str
    sharing_words: str
    installments: list[InstalmentOut]


class AgreeIn(InputSchema):
    agree_terms: bool = Field(description="The patient agrees to the schedule and its cost")
    share_with_partner: bool = Field(
        description="The separate PIPL consent to share the details with the financing partner"
    )


class CallbackOut(Schema):
    status: str


class BuyerIn(InputSchema):
    kind: Literal["personal", "company"]
    name: Line = Field(max_length=100)
    tax_number: Line = Field(
        default="", max_length=18, description="Company: the unified social credit code"
    )


class BuyerOut(Schema):
    kind: str
    name: str
    tax_number: str


class InvoiceIn(InputSchema):
    kind: Literal["personal", "company"] | None = Field(
        default=None, description="Leave the buyer out to use the one kept"
    )
    name: Line | None = Field(default=None, max_length=100)
    tax_number: Line = Field(default="", max_length=18)


class InvoiceOut(Schema):
    id: UUID
    payment_id: UUID
    kind: str
    status: str
    status_label: str
    amount_fen: int
    buyer: BuyerOut
    invoice_number: str
    issued_at: LocalDatetime | None
    red_letters: list["RedLetterOut"] = []


class RedLetterOut(Schema):
    id: UUID
    status: str
    status_label: str
    amount_fen: int
    invoice_number: str
    issued_at: LocalDatetime | None


InvoiceOut.model_rebuild()
