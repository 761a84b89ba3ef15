"""The demo's waiting-room display: a fresh display link for 静安 at every start (a
link is shown only when it is made), the previous demo link revoked."""

from django.urls import reverse

from yachi.accounts.models import User
from yachi.clinics.models import StaffMembership
from yachi.core.roles import ClinicRole
from yachi.queueing.display.models import DisplayToken
from yachi.queueing.display.services import display_token_create, display_token_revoke

DEMO_MANAGER = "13700000003"
SCREEN = "演示候诊区电视"


def demo_display_link(base: str) -> str | None:
    manager = User.objects.by_phone(DEMO_MANAGER).first()
    membership = (
        StaffMembership.objects.filter(user=manager, role=ClinicRole.MANAGER)
        .select_related("clinic")
        .first()
    )
    if membership is None:
        return None
    clinic = membership.clinic
    for old in DisplayToken.objects.filter(clinic=clinic, name=SCREEN, revoked_at__isnull=True):
        display_token_revoke(actor=manager, token=old)
    _, secret = display_token_create(actor=manager, clinic=clinic, name=SCREEN)
    path = reverse("web:display", kwargs={"clinic_id": clinic.public_id})
    return f"{base}{path}?token={secret}"
