"""Fetching CRM's objects by the public ids that come from outside: a clinic the staff
member works at, and what belongs to it. "Not yours" and "does not exist" look the same."""

from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.core.errors import NotFound
from yachi.core.models import as_public_id


def staff_clinic(*, actor, clinic_id, duty):
    """The clinic (not found unless the actor works there), then the duty required."""
    clinic = clinics.staff_clinic_by_id(actor=actor, clinic_id=clinic_id)
    clinics.require(actor, clinic, duty)
    return clinic


def of_clinic(model, *, clinic, object_id, related=()):
    public_id = as_public_id(object_id)
    found = (
        model.objects.select_related(*related).filter(clinic=clinic, public_id=public_id).first()
        if public_id
        else None
    )
    if found is None:
        raise NotFound(_("Not found."), code="not_found")
    return found
