from uuid import UUID

from ninja import Schema
from pydantic import Field


class SmsCodeIn(Schema):
    phone: str


class SmsCodeOut(Schema):
    phone: str
    expires_in: int
    resend_after: int
    code: str | None = None


class LoginIn(Schema):
    phone: str
    code: str


class WeChatCodeIn(Schema):
    code: str = Field(min_length=1, max_length=128)


class StaffLoginIn(Schema):
    phone: str
    password: str
    otp: str = ""


class MeOut(Schema):
    id: UUID
    role: str
    phone: str
    name: str
    doctor_id: UUID | None = None
    patient_id: UUID | None = None
    clinic_ids: list[UUID] = []


class LoginOut(Schema):
    token: str
    token_type: str = "Bearer"  # noqa: S105  (the scheme name, not a secret)
    expires_in: int
    user: MeOut
