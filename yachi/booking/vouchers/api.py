"""The patient's service vouchers in the mini-program, and booking one."""

from datetime import datetime
from uuid import UUID

from ninja import Router, Schema, Status
from pydantic import Field

from yachi.booking.access import access_appointment_by_id
from yachi.booking.choices import Channel, VoucherStatus
from yachi.booking.schemas import AppointmentOut, NamedRef, local
from yachi.booking.vouchers import policy, selectors, services
from yachi.booking.vouchers.access import access_voucher_by_id
from yachi.clinics import facade as clinics
from yachi.core.errors import patients_only
from yachi.core.schemas import InputSchema, IsoAwareDatetime, PublicOut, Text, errors
from yachi.patients import facade as patients

router = Router(tags=["service vouchers"])


class VoucherAppointmentOut(Schema):
    id: UUID
    start: datetime
    doctor: str


class VoucherOut(PublicOut):
    code: str
    title: str
    status: VoucherStatus
    status_display: str
    service: NamedRef
    clinic: NamedRef
    # Whom it may be used for; null: anyone on the family account.
    patient: NamedRef | None
    paid_fen: int
    # What the service costs without the voucher.
    list_price_fen: int
    valid_until: datetime
    appointment: VoucherAppointmentOut | None
    can_book: bool
    # Refunded by cancelling its order (`POST /api/v1/shop/orders/{order_id}/cancel`).
    can_refund: bool
    order_id: UUID | None

    @staticmethod
    def resolve_status_display(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_service(obj):
        return {"id": obj.service.public_id, "name": obj.service.display_name}

    @staticmethod
    def resolve_clinic(obj):
        return {"id": obj.clinic.public_id, "name": obj.clinic.display_name}

    @staticmethod
    def resolve_patient(obj):
        if obj.patient is None:
            return None
        return {"id": obj.patient.public_id, "name": obj.patient.display_name}

    @staticmethod
    def resolve_list_price_fen(obj):
        return obj.service.price_fen

    @staticmethod
    def resolve_valid_until(obj):
        return local(obj.valid_until, obj.clinic)

    @staticmethod
    def resolve_appointment(obj):
        a = obj.appointment
        if a is None:
            return None
        return {"id": a.public_id, "start": local(a.start, obj.clinic), "doctor": a.doctor.name}

    @staticmethod
    def resolve_can_book(obj):
        return policy.may_book(obj)

    @staticmethod
    def resolve_can_refund(obj):
        return policy.may_refund(obj)

    @staticmethod
    def resolve_order_id(obj):
        return policy.order_id_of(obj)


class VoucherBookIn(InputSchema):
    doctor_id: UUID
    start: IsoAwareDatetime
    # Who goes; the account holder without it.
    patient_id: UUID | None = None
    note: Text = Field("", max_length=500)


@router.get("/me/vouchers", response={200: list[VoucherOut], **errors(401, 403)})
def list_vouchers(request):
    """The caller's service vouchers (服务券): usable ones first, soonest to expire."""
    patients_only(request.user)
    return selectors.vouchers_of_owner(owner=request.user)


@router.get("/me/vouchers/{voucher_id}", response={200: VoucherOut, **errors(401, 403, 404)})
def get_voucher(request, voucher_id: str):
    patients_only(request.user)
    return access_voucher_by_id(actor=request.user, voucher_id=voucher_id)


@router.post(
    "/me/vouchers/{voucher_id}/book",
    response={201: AppointmentOut, **errors(400, 401, 403, 404, 409, 413, 422)},
)
def book_with_voucher(request, voucher_id: str, payload: VoucherBookIn):
    """Book the voucher's service at its clinic: a real appointment with `doctor_id` at
    `start` (times from `GET /api/v1/doctors/{doctor_id}/availability?service_id=` of the
    voucher's service), paid by the voucher, which becomes `booked`.

    409 `voucher_not_usable` (booked, used, expired or refunded; also the second of two
    bookings at once), `slot_taken`, `patient_busy`; 422 `voucher_expires_first`,
    `voucher_not_for_patient`, `slot_unavailable`.
    """
    patients_only(request.user)
    voucher = access_voucher_by_id(actor=request.user, voucher_id=voucher_id)
    if payload.patient_id is None:
        patient = patients.holder(patients.account_of(request.user))
    else:
        patient = patients.access_family_member_by_id(
            actor=request.user, patient_id=payload.patient_id
        )
    doctor = clinics.doctor_by_id(payload.doctor_id)
    appointment = services.voucher_book(
        actor=request.user,
        voucher=voucher,
        doctor=doctor,
        start=payload.start,
        patient=patient,
        note=payload.note,
        channel=Channel.API,
    )
    return Status(
        201, access_appointment_by_id(actor=request.user, appointment_id=appointment.public_id)
    )
