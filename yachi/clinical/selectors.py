"""Reads of the tooth chart and of treatment plans (callers check access first)."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from yachi.clinical.choices import EXPLANATIONS, OPEN_PLAN_STATUSES, Finding, ItemStatus
from yachi.clinical.models import ChartEntry, PlanItem, PlanPhase, TreatmentPlan
from yachi.clinical.odontogram import chart as core
from yachi.clinical.odontogram.risk import ToothRisk, tooth_risks
from yachi.clinical.odontogram.teeth import Slot, chart_slots, expected_teeth
from yachi.clinical.risk_marks import risk_marks_of


@dataclass(frozen=True)
class FindingRow:
    id: str
    tooth: str
    kind: str
    label: str
    explanation: str
    surfaces: str
    seen_on: date
    doctor: str
    clinic: str
    note: str
    withdrawn: bool
    corrects: str | None


@dataclass
class ToothView:
    tooth: str
    slot: Slot
    surfaces: dict[str, str]
    state: str
    conditions: list[str]
    present: bool
    risk: ToothRisk | None
    findings: list[FindingRow] = field(default_factory=list)

    @property
    def summary(self) -> list[str]:
        """The current findings of the tooth, as kinds: state, conditions, surface findings."""
        kinds = [self.state] if self.state else []
        kinds += sorted(self.conditions)
        kinds += sorted(set(self.surfaces.values()) - set(kinds))
        return kinds


@dataclass
class ChartView:
    teeth: list[ToothView]
    dmft: core.Dmft
    dmft_primary: core.Dmft
    age_months: int | None

    def tooth(self, code: str) -> ToothView | None:
        return next((t for t in self.teeth if t.tooth == code), None)


def age_in_months(birth: date | None, today: date) -> int | None:
    if birth is None:
        return None
    months = (today.year - birth.year) * 12 + today.month - birth.month
    return max(months - (1 if today.day < birth.day else 0), 0)


def _rows(patient) -> list[ChartEntry]:
    return list(
        ChartEntry.objects.filter(patient=patient)
        .select_related("doctor", "clinic", "corrects")
        .order_by("seen_on", "pk")
    )


def chart_of(patient, *, today: date | None = None) -> ChartView:
    """The patient's current chart, every tooth's history and risk; two queries plus
    those of registered risk-mark providers."""
    today = today or timezone.localdate()
    rows = _rows(patient)
    withdrawn = {row.corrects_id for row in rows if row.corrects_id}
    entries = [
        core.Entry(
            id=str(row.public_id),
            tooth=row.tooth,
            kind=row.kind,
            surfaces=row.surfaces,
            seen_on=row.seen_on,
            order=row.pk,
            withdrawn=row.pk in withdrawn or row.corrects_id is not None,
        )
        for row in rows
    ]
    derived = core.derive(entries)
    age = age_in_months(patient.birth_date, today)
    present = core.present_teeth(derived, expected_teeth(age))
    permanent, primary = core.dmft_permanent(derived), core.dmft_primary(derived)
    risks = tooth_risks(
        chart=derived,
        present=present,
        caries_experience=permanent.total + primary.total,
        marks=risk_marks_of(patient.pk),
    )
    by_tooth: dict[str, list[FindingRow]] = {}
    for row in rows:
        by_tooth.setdefault(row.tooth, []).append(
            FindingRow(
                id=str(row.public_id),
                tooth=row.tooth,
                kind=row.kind,
                label=str(Finding(row.kind).label),
                explanation=str(EXPLANATIONS[Finding(row.kind)]),
                surfaces=row.surfaces,
                seen_on=row.seen_on,
                doctor=row.doctor.name if row.doctor else "",
                clinic=row.clinic.name,
                note=row.note,
                withdrawn=row.pk in withdrawn,
                corrects=str(row.corrects.public_id) if row.corrects else None,
            )
        )
    teeth = []
    for slot in chart_slots(present):
        # A slot shows one tooth; its other (primary/permanent) tooth's findings are kept too.
        for code in _slot_codes(slot, derived):
            tooth = derived.get(code) or core.Tooth(tooth=code)
            teeth.append(
                ToothView(
                    tooth=code,
                    slot=slot,
                    surfaces=dict(tooth.surfaces),
                    state=tooth.state,
                    conditions=sorted(tooth.conditions),
                    present=code in present,
                    risk=risks.get(code),
                    findings=list(reversed(by_tooth.get(code, []))),
                )
            )
    return ChartView(teeth=teeth, dmft=permanent, dmft_primary=primary, age_months=age)


def _slot_codes(slot: Slot, derived) -> list[str]:
    codes = [slot.tooth]
    other = (
        f"{slot.quadrant}{slot.position}"
        if slot.tooth != f"{slot.quadrant}{slot.position}"
        else (f"{slot.quadrant + 4}{slot.position}" if slot.position <= 5 else None)
    )
    if other and other in derived:
        codes.append(other)
    return codes


def plans_of(
    patient, *, clinic_ids: set[int] | None = None, plan_pk: int | None = None
) -> list[TreatmentPlan]:
    """The patient's plans, newest first, with phases and items; three queries."""
    plans = TreatmentPlan.objects.filter(patient=patient).select_related("clinic", "doctor")
    if plan_pk is not None:
        plans = plans.filter(pk=plan_pk)
    if clinic_ids is not None:
        plans = plans.filter(clinic_id__in=clinic_ids)
    return list(
        plans.prefetch_related(
            Prefetch(
                "phases",
                queryset=PlanPhase.objects.order_by("position").prefetch_related(
                    Prefetch("items", queryset=PlanItem.objects.order_by("position"))
                ),
            )
        )
    )


def plan_with_parts(plan: TreatmentPlan) -> TreatmentPlan:
    return plans_of(plan.patient, plan_pk=plan.pk)[0]


@dataclass(frozen=True)
class OpenPlanItem:
    """A procedure still to do on an open plan, for other contexts (CRM's patient 360)."""

    plan_id: str
    plan_title: str
    plan_status: str
    clinic_id: int
    tooth: str
    description: str
    service_code: str
    total_fen: int
    status: str


def open_plan_items(*, patient_id: int, clinic_ids: set[int] | None = None) -> list[OpenPlanItem]:
    """The procedures planned or booked on the patient's open plans (one query). The
    caller has checked who may see them; it is not a clinical read of the chart."""
    items = PlanItem.objects.filter(
        phase__plan__patient_id=patient_id,
        phase__plan__status__in=OPEN_PLAN_STATUSES,
        status__in=(ItemStatus.PLANNED, ItemStatus.SCHEDULED),
    ).select_related("phase__plan")
    if clinic_ids is not None:
        items = items.filter(phase__plan__clinic_id__in=clinic_ids)
    return [
        OpenPlanItem(
            plan_id=str(item.phase.plan.public_id),
            plan_title=item.phase.plan.title,
            plan_status=item.phase.plan.status,
            clinic_id=item.phase.plan.clinic_id,
            tooth=item.tooth,
            description=item.description,
            service_code=item.service_code,
            total_fen=item.total_fen,
            status=item.status,
        )
        for item in items.order_by("phase__plan__created_at", "phase__position", "position")
    ]


def diagnoses_of(*, patient, clinic_ids: set[int] | None = None) -> list[FindingRow]:
    """The patient's findings standing now (neither withdrawn nor a withdrawal), newest
    first, recorded at these clinics (all for ``None``): what a diagnosis certificate
    states. The caller checks access and audits the read."""
    rows = [row for row in _rows(patient) if clinic_ids is None or row.clinic_id in clinic_ids]
    withdrawn = {row.corrects_id for row in _rows(patient) if row.corrects_id}
    found = [
        FindingRow(
            id=str(row.public_id),
            tooth=row.tooth,
            kind=row.kind,
            label=str(Finding(row.kind).label),
            explanation=str(EXPLANATIONS[Finding(row.kind)]),
            surfaces=row.surfaces,
            seen_on=row.seen_on,
            doctor=row.doctor.name if row.doctor else "",
            clinic=row.clinic.name,
            note=row.note,
            withdrawn=False,
            corrects=None,
        )
        for row in rows
        if row.pk not in withdrawn and row.corrects_id is None
    ]
    return sorted(found, key=lambda r: (r.seen_on, r.tooth), reverse=True)
