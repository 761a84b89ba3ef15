"""The aligner setup a doctor records at the orthodontic assessment (ADR 0062): for an
aligner plan, how far each tooth stands today from its planned place. The 3D arch's staging
is drawn from it; nothing here is measured from the scans.

Only a doctor who may change the plan records its setup (``clinical.plan_write_access``);
every recording is in the audit trail, the values themselves encrypted at rest."""

import math
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from yachi.clinical import facade as clinical
from yachi.clinics import facade as clinics
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import InvalidInput
from yachi.imaging.scans.arch_view import is_aligner, present_teeth
from yachi.imaging.scans.geometry.arch import place
from yachi.imaging.scans.geometry.staging import MAX_DEGREES, MAX_MM, BadMovement, Movement
from yachi.imaging.scans.models import ArchSetup

# A movement's four values, in the order ``Movement`` takes them and the setup stores them.
FIELDS = ("along", "outward", "up", "rotation")
MAX_TEXT = 16  # a number typed into the form is never longer


@dataclass(frozen=True)
class SetupForm:
    """What the doctor's form shows: the aligner plans, the one chosen, the teeth the arch
    draws (upper then lower) and the values recorded for them."""

    patient: object
    plans: list
    plan: object | None
    upper: list[str]
    lower: list[str]
    values: dict[str, list[float]]


def records_setups(actor) -> bool:
    """Whether the actor is a doctor who treats somewhere (the form's link is shown)."""
    return bool(clinics.clinics_where(actor, clinics.Duty.TREAT)) and (
        clinics.doctor_of_user(actor) is not None
    )


def _number(tooth: str, value) -> float:
    if value is None or value == "":
        return 0.0
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise _out_of_range(tooth)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidInput(
            _("Tooth %(tooth)s: enter numbers, e.g. 1.5 or -0.5.") % {"tooth": tooth},
            code="movement_not_a_number",
        ) from None
    if not math.isfinite(number):
        raise _out_of_range(tooth)
    return round(number, 2) + 0.0


def _out_of_range(tooth: str) -> InvalidInput:
    return InvalidInput(
        _(
            "Tooth %(tooth)s: each displacement is at most %(mm)s mm and the rotation at most "
            "%(deg)s°."
        )
        % {"tooth": tooth, "mm": int(MAX_MM), "deg": int(MAX_DEGREES)},
        code="movement_out_of_range",
    )


def movements_checked(raw: dict, *, teeth: set[str]) -> dict[str, list[float]]:
    """The recorded movements as the setup stores them: four numbers per tooth of the arch,
    teeth that do not move left out. Refusals name the tooth."""
    if not isinstance(raw, dict):
        raise InvalidInput(_("The movements could not be read."), code="invalid_movements")
    checked = {}
    for tooth, values in raw.items():
        tooth = str(tooth)[:4]
        if tooth not in teeth:
            raise InvalidInput(
                _("Tooth %(tooth)s is not on this patient's arch.") % {"tooth": tooth},
                code="tooth_not_on_arch",
            )
        if not isinstance(values, list | tuple) or len(values) != len(FIELDS):
            raise InvalidInput(
                _("Tooth %(tooth)s: give the four values.") % {"tooth": tooth},
                code="invalid_movements",
            )
        numbers = [_number(tooth, value) for value in values]
        try:
            Movement(tooth, *numbers).check()
        except BadMovement:
            raise _out_of_range(tooth) from None
        if any(numbers):
            checked[tooth] = numbers
    if not checked:
        raise InvalidInput(
            _("Enter how far at least one tooth stands from its planned place."),
            code="movements_empty",
        )
    return checked


def _arch_teeth(*, actor, patient_id) -> tuple[object, list[str]]:
    access = clinical.chart_access(actor=actor, patient_id=patient_id)
    chart = clinical.chart_read(actor=actor, access=access)
    return access, [p.tooth for p in place(present_teeth(chart))]


def setup_form(*, actor, patient_id, plan_id=None) -> SetupForm:
    """The form for a doctor who may record: the patient's aligner plans at the doctor's
    clinics, the chosen one (``plan_id``, else the first) and its setup's values."""
    patient, where = clinical.chart_write_access(actor=actor, patient_id=patient_id)
    access, teeth = _arch_teeth(actor=actor, patient_id=patient_id)
    plans = [
        plan
        for plan in clinical.plans_read(actor=actor, access=access)
        if plan.clinic_id in where and is_aligner(plan)
    ]
    plan = next((p for p in plans if str(p.public_id) == str(plan_id)), None)
    plan = plan or (plans[0] if plans else None)
    setup = ArchSetup.objects.filter(plan_id=plan.public_id).first() if plan else None
    values = dict(setup.movements or {}) if setup else {}
    return SetupForm(
        patient=patient,
        plans=plans,
        plan=plan,
        upper=[t for t in teeth if t[0] in "1256"],
        lower=[t for t in teeth if t[0] in "3478"],
        values=values,
    )


def setup_record(*, actor, plan_id, movements: dict) -> ArchSetup:
    """Record (or record again) the setup of an aligner plan; audited, all or nothing."""
    plan = clinical.plan_write_access(actor=actor, plan_id=plan_id)
    if not is_aligner(plan):
        raise InvalidInput(
            _("Only a proposed or accepted aligner plan has a setup."),
            code="not_an_aligner_plan",
        )
    _access, teeth = _arch_teeth(actor=actor, patient_id=plan.patient.public_id)
    checked = movements_checked(movements, teeth=set(teeth))
    with transaction.atomic():
        setup, created = ArchSetup.objects.update_or_create(
            plan_id=plan.public_id,
            defaults={
                "patient": plan.patient,
                "clinic": plan.clinic,
                "movements": checked,
                "recorded_by": actor,
            },
        )
        audit_record(
            action=AuditAction.ARCH_SETUP_RECORDED,
            actor=actor,
            object_type="treatment_plan",
            object_id=plan.public_id,
            clinic=plan.clinic,
            details={
                "patient": str(plan.patient.public_id),
                "teeth": len(checked),
                "first": created,
            },
        )
    return setup
