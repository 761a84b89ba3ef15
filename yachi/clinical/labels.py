"""How chart entries and treatment plans are named in the audit console (registered with
compliance in ``ClinicalConfig.ready``): for staff of the clinic that wrote them only, and
without a word of the notes, which stay encrypted."""

from yachi.clinical.choices import Finding
from yachi.clinical.models import ChartEntry, TreatmentPlan
from yachi.clinics import facade as clinics
from yachi.core.models import as_public_id


def _visible(model, viewer, ids):
    public_ids = [public_id for public_id in map(as_public_id, ids) if public_id]
    if not getattr(viewer, "is_clinic_staff", False) or not public_ids:
        return model.objects.none()
    found = model.objects.filter(public_id__in=public_ids)
    mine = clinics.staff_clinic_ids(viewer)
    return found if mine is None else found.filter(clinic_id__in=mine)


def chart_entry_labels(viewer, ids) -> dict[str, str]:
    """A finding by its tooth, what it is and the day it was seen: ``16 Caries MO 2026-11-30``."""
    return {
        str(entry.public_id): " ".join(
            part for part in (entry.tooth, str(Finding(entry.kind).label), entry.surfaces) if part
        )
        + f" {entry.seen_on:%Y-%m-%d}"
        for entry in _visible(ChartEntry, viewer, ids).only(
            "public_id", "tooth", "kind", "surfaces", "seen_on"
        )
    }


def plan_labels(viewer, ids) -> dict[str, str]:
    """A treatment plan by its title and its status."""
    return {
        str(plan.public_id): f"{plan.title} · {plan.get_status_display()}"
        for plan in _visible(TreatmentPlan, viewer, ids).only("public_id", "title", "status")
    }
