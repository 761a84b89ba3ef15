"""The clinical part of the family's personal-data download and erasure (PIPL arts. 45
and 47; registered with compliance in ``ClinicalConfig.ready``).

The download holds every tooth-chart finding (withdrawn ones marked so), every treatment
plan with its phases and procedures, and each signed acceptance with the words agreed to.
An erasure keeps all of it: the chart, the plans and the signed acceptances are the
medical record, which outpatient clinics keep at least 15 years after the last visit
(医疗机构病历管理规定, art. 29). What is withdrawn is what was still only an offer: plans
not yet accepted are cancelled, so nothing more is put before a closed account.
"""

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.clinical.choices import ItemStatus, PlanStatus
from yachi.clinical.models import ChartEntry, PlanAcceptance, PlanItem, TreatmentPlan
from yachi.compliance.facade import (
    AuditAction,
    ErasedPart,
    ExportedPart,
    PersonalDataPart,
    audit_record,
)
from yachi.patients import facade as patients

RECORD_RETENTION_YEARS = 15


def _family(user) -> list:
    if not getattr(user, "is_patient", False):
        return []
    return patients.everyone_on(patients.account_of(user))


def _chart(people_ids) -> list[dict]:
    withdrawn = set(
        ChartEntry.objects.filter(patient_id__in=people_ids, corrects__isnull=False).values_list(
            "corrects_id", flat=True
        )
    )
    entries = ChartEntry.objects.filter(patient_id__in=people_ids).select_related(
        "patient", "clinic", "doctor", "corrects"
    )
    return [
        {
            "id": str(e.public_id),
            "patient": str(e.patient.public_id),
            "tooth": e.tooth,
            "surfaces": e.surfaces,
            "finding": e.kind,
            "finding_name": e.get_kind_display(),
            "seen_on": e.seen_on.isoformat(),
            "doctor": e.doctor.name if e.doctor else "",
            "clinic": e.clinic.display_name,
            "note": e.note,
            "withdraws": str(e.corrects.public_id) if e.corrects else None,
            "withdrawn": e.pk in withdrawn,
        }
        for e in entries.order_by("seen_on", "pk")
    ]


def _plans(people_ids) -> list[dict]:
    plans = (
        TreatmentPlan.objects.filter(patient_id__in=people_ids)
        .select_related("patient", "clinic", "doctor")
        .prefetch_related("phases__items", "acceptances")
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": str(p.public_id),
            "patient": str(p.patient.public_id),
            "title": p.title,
            "clinic": p.clinic.display_name,
            "doctor": p.doctor.name,
            "status": p.status,
            "note": p.note,
            "total_fen": p.total_fen,
            "offered_at": p.proposed_at.isoformat() if p.proposed_at else None,
            "accepted_at": p.accepted_at.isoformat() if p.accepted_at else None,
            "phases": [
                {
                    "phase": phase.position,
                    "title": phase.title,
                    "procedures": [
                        {
                            "id": str(item.public_id),
                            "tooth": item.tooth,
                            "surfaces": item.surfaces,
                            "procedure": item.description,
                            "unit_fen": item.unit_fen,
                            "quantity": item.quantity,
                            "status": item.status,
                            "done_at": item.done_at.isoformat() if item.done_at else None,
                        }
                        for item in phase.items.all()
                    ],
                }
                for phase in p.phases.all()
            ],
            "acceptances": [
                {
                    "revision": a.revision,
                    "total_fen": a.total_fen,
                    "signed_at": a.created_at.isoformat(),
                    "signature": a.signature,
                    "agreed_to": a.consent_text,
                }
                for a in sorted(p.acceptances.all(), key=lambda a: a.revision)
            ],
        }
        for p in plans
    ]


def _export(user) -> ExportedPart:
    ids = [person.pk for person in _family(user)]
    return ExportedPart(data={"tooth_chart": _chart(ids), "treatment_plans": _plans(ids)})


def latest_records(ids: list[int]) -> dict[int, date]:
    """The day of each person's latest chart finding or done procedure (for the family's
    erasure, which keeps the identity of people with records)."""
    latest: dict[int, date] = dict(
        ChartEntry.objects.filter(patient_id__in=ids)
        .values("patient_id")
        .annotate(last=Max("seen_on"))
        .values_list("patient_id", "last")
    )
    done = (
        PlanItem.objects.filter(phase__plan__patient_id__in=ids, done_at__isnull=False)
        .values("phase__plan__patient_id")
        .annotate(last=Max("done_at"))
        .values_list("phase__plan__patient_id", "last")
    )
    for pk, moment in done:
        day = timezone.localdate(moment)
        latest[pk] = max(latest.get(pk, day), day)
    return latest


def _last_record(ids):
    seen = ChartEntry.objects.filter(patient_id__in=ids).order_by("-seen_on").first()
    done = (
        PlanItem.objects.filter(phase__plan__patient_id__in=ids, done_at__isnull=False)
        .order_by("-done_at")
        .first()
    )
    days = [d for d in (seen and seen.seen_on, done and timezone.localdate(done.done_at)) if d]
    return max(days) if days else None


def _years_after(day, years: int):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _erase(user, *, reason: str) -> ErasedPart:
    ids = [person.pk for person in _family(user)]
    with transaction.atomic():
        offers = list(
            TreatmentPlan.objects.select_for_update()
            .filter(patient_id__in=ids, status__in=(PlanStatus.DRAFT, PlanStatus.PROPOSED))
            .select_related("clinic")
        )
        TreatmentPlan.objects.filter(pk__in=[p.pk for p in offers]).update(
            status=PlanStatus.CANCELLED, updated_at=timezone.now()
        )
        PlanItem.objects.filter(phase__plan__in=offers, status=ItemStatus.PLANNED).update(
            status=ItemStatus.CANCELLED
        )
        for plan in offers:
            audit_record(
                action=AuditAction.TREATMENT_PLAN_CHANGED,
                actor=user,
                object_type="treatment_plan",
                object_id=plan.public_id,
                clinic=plan.clinic,
                details={"change": "cancelled", "reason": "account_erased"},
            )
    kept = {
        "chart_entries": ChartEntry.objects.filter(patient_id__in=ids).count(),
        "plans": TreatmentPlan.objects.filter(patient_id__in=ids).count(),
        "acceptances": PlanAcceptance.objects.filter(plan__patient_id__in=ids).count(),
    }
    retained = []
    last = _last_record(ids)
    if last is not None:
        retained.append(
            {
                "what": _("the tooth chart, treatment plans and their signed acceptances"),
                "until": _years_after(last, RECORD_RETENTION_YEARS).isoformat(),
                "reason": _(
                    "They are part of the medical record, which must be kept for at least "
                    "15 years after the last visit (Medical Records Management Regulations, "
                    "art. 29)."
                ),
            }
        )
    deleted = []
    if offers:
        deleted.append(
            _("treatment plans not yet accepted (%(count)s withdrawn)") % {"count": len(offers)}
        )
    return ErasedPart(
        deleted=deleted,
        retained=retained,
        details={"plans_withdrawn": len(offers), **kept},
    )


# Erased before the family (a higher order is erased first), whose people it names.
PERSONAL_DATA = PersonalDataPart(name="clinical", order=50, exporter=_export, eraser=_erase)
