from uuid import UUID

from ninja import Schema
from pydantic import Field

from yachi.accounts.devices import device_label
from yachi.core.schemas import InputSchema, Line, LocalDatetime, PublicOut


class SmsCodeIn(InputSchema):
    phone: Line


class SmsCodeOut(Schema):
    phone: str
    expires_in: int
    resend_after: int
    code: str | None = None


class LoginIn(InputSchema):
    phone: Line
    code: Line


class WeChatCodeIn(InputSchema):
    code: Line = Field(min_length=1, max_length=128)


class StaffLoginIn(InputSchema):
    phone: Line
    password: Line
    otp: Line = ""


class ClinicRoleOut(Schema):
    clinic_id: UUID
    role: str


class MeOut(Schema):
    id: UUID
    role: str
    phone: str
    name: str
    doctor_id: UUID | None = None
    patient_id: UUID | None = None
    clinic_ids: list[UUID] = []
    # The staff member's role at each of their clinics (``doctor``, ``front_desk``,
    # ``manager``, ``regional_manager``, ``chain_operations``; ``admin`` for administrators).
    clinic_roles: list[ClinicRoleOut] = []


class LoginOut(Schema):
    token: str
    token_type: str = "Bearer"  # noqa: S105  (the scheme name, not a secret)
    expires_in: int
    user: MeOut


class TokenOut(PublicOut):
    """A device the account is logged in on (an API token), never its secret."""

    device: str
    created_at: LocalDatetime
    last_used_at: LocalDatetime | None
    expires_at: LocalDatetime
    # The token of the request that asks.
    current: bool

    @staticmethod
    def resolve_device(obj):
        return device_label(obj.device, obj.label)
