"""Open treatment bills for the first demo patients: a scaling at the first clinic, to
pay in the app (with the 洁牙7折 coupon they hold) or at the desk."""

from yachi.accounts.models import User
from yachi.clinics.models import Service
from yachi.core.roles import ClinicRole, Role
from yachi.payments.bills import bill_create


def build_bills(*, clinic) -> int:
    desk = (
        User.objects.filter(memberships__clinic=clinic, memberships__role=ClinicRole.FRONT_DESK)
        .order_by("pk")
        .first()
    )
    scaling = Service.objects.get(clinic=clinic, code="cleaning")
    people = User.objects.filter(role=Role.PATIENT).order_by("pk")[:3]
    for person in people:
        bill_create(
            actor=desk,
            clinic=clinic,
            payer=person,
            amount_fen=scaling.price_fen,
            description="",
            service=scaling,
        )
    return len(people)
