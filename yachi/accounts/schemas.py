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


class DeviceIn(InputSchema):
    """What the app says of the device it runs on (all optional): the installation id
    it keeps, the model, the screen size, the time zone, the platform. Kept only as a
    keyed fingerprint, to tell many accounts on one device."""

    install_id: Line = Field("", max_length=64)
    model: Line = Field("", max_length=64)
    screen: Line = Field("", max_length=32)
    timezone: Line = Field("", max_length=64)
    platform: Line = Field("", max_length=32)


class LoginIn(InputSchema):
    phone: Line
    code: Line
    # A friend's invite code (老带新): accepted when this login registers the number.
    invite_code: Line = Field("", max_length=16)
    device: DeviceIn | None = None


class InviteOutcomeOut(Schema):
    """What became of the ``invite_code`` sent with a login: ``accepted``, or
    ``refused`` with the reason's code (``invite_already_patient``, ``invite_expired``,
    ``invite_own_code``, ``invite_code_unknown``, ``invite_already_invited``) and message."""

    status: str
    code: str = ""
    message: str = ""


class WeChatCodeIn(InputSchema):
    code: Line = Field(min_length=1, max_length=128)


class WeChatLoginIn(WeChatCodeIn):
    # As with an SMS login: a friend's invite code and what the app knows of the device.
    invite_code: Line = Field("", max_length=16)
    device: DeviceIn | None = None


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
    # The holder's chart number: the Patient ID an X-ray unit is given for them.
    chart_number: str | None = None
    clinic_ids: list[UUID] = []
    # The staff member's role at each of their clinics (``doctor``, ``front_desk``,
    # ``manager``, ``regional_manager``, ``chain_operations``; ``admin`` for administrators).
    clinic_roles: list[ClinicRoleOut] = []


class LoginOut(Schema):
    token: str
    token_type: str = "Bearer"  # noqa: S105  (the scheme name, not a secret)
    expires_in: int
    user: MeOut
    invite: InviteOutcomeOut | None = None


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
