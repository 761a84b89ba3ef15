"""Who reaches a claim: the front desk of its clinic, and the account holder who paid."""

from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.core.errors import NotFound
from yachi.core.models import as_public_id
from yachi.insurance.claims.models import ClaimCase


def access_claim_by_id(*, actor, claim_id) -> ClaimCase:
    missing = NotFound(_("Claim not found."), code="claim_not_found")
    public_id = as_public_id(claim_id)
    case = (
        ClaimCase.objects.select_related("clinic", "patient", "payment", "payer")
        .filter(public_id=public_id)
        .first()
        if public_id
        else None
    )
    if case is None:
        raise missing
    if actor.is_patient:
        if case.payer_id != actor.pk:
            raise missing
        return case
    if not actor.is_clinic_staff:
        raise missing
    allowed = clinics.staff_clinic_ids(actor)
    if allowed is not None and case.clinic_id not in allowed:
        raise missing
    clinics.require(
        actor,
        case.clinic,
        clinics.Duty.DESK,
        _("Claims are handled by the front desk and managers."),
    )
    return case


def claims_of_payer(user) -> list[ClaimCase]:
    return list(
        ClaimCase.objects.filter(payer=user)
        .select_related("clinic", "patient")
        .prefetch_related("events")[:50]
    )
