"""Writes of the tooth chart and treatment plans, each with its audit entry (ADR 0059),
and the audited staff read of a chart."""

from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.accounts import facade as accounts
from yachi.booking import facade as booking
from yachi.clinical.access import ChartAccess
from yachi.clinical.choices import SURFACE_KINDS, Finding, ItemResult, ItemStatus, PlanStatus
from yachi.clinical.models import ChartEntry, PlanAcceptance, PlanItem, PlanPhase, TreatmentPlan
from yachi.clinical.odontogram.teeth import is_tooth, normalise_surfaces
from yachi.clinical.selectors import ChartView, chart_of, plans_of
from yachi.clinics import facade as clinics
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from yachi.core.models import as_public_id
from yachi.payments import facade as payments

MAX_NOTE = 2000
MAX_ITEMS = 60
ACCEPT_WORDS = _(
    "I have read this treatment plan and its estimate, had the chance to ask the doctor "
    "about it, and agree to the treatment it describes. Prices may change if the plan changes."
)


def _audit_read(*, actor, patient, part: str, details: dict | None = None) -> None:
    audit_record(
        action=AuditAction.CLINICAL_READ,
        actor=actor,
        object_type="patient",
        object_id=patient.public_id,
        details={"part": part, **(details or {})},
    )


def chart_read(*, actor, access: ChartAccess, today: date | None = None) -> ChartView:
    """The chart; a staff member's read is in the audit trail."""
    chart = chart_of(access.patient, today=today)
    if access.staff:
        _audit_read(actor=actor, patient=access.patient, part="tooth_chart")
    return chart


def plans_read(*, actor, access: ChartAccess) -> list[TreatmentPlan]:
    plans = plans_of(access.patient, clinic_ids=access.clinic_ids)
    if access.staff:
        _audit_read(
            actor=actor,
            patient=access.patient,
            part="treatment_plans",
            details={"plans": len(plans)},
        )
    return plans


def _doctor(actor):
    doctor = clinics.doctor_of_user(actor)
    if doctor is None:
        raise PermissionDenied(
            _("Only doctors record on the tooth chart and write treatment plans."),
            code="doctors_only",
        )
    return doctor


def _tooth(tooth) -> str:
    tooth = str(tooth or "").strip()
    if not is_tooth(tooth):
        raise InvalidInput(
            _("Choose a tooth by its FDI number: 11–48, or 51–85 for primary teeth."),
            code="invalid_tooth",
        )
    return tooth


def _surfaces(surfaces) -> str:
    try:
        return normalise_surfaces(str(surfaces or ""))
    except ValueError:
        raise InvalidInput(
            _("Surfaces are M, O (or I), D, B (or F) and L (or P)."), code="invalid_surfaces"
        ) from None


def _note(note) -> str:
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise InvalidInput(
            _("The note is too long (2,000 characters at most)."), code="note_too_long"
        )
    return note


def _clinic_of(clinic_ids: set[int], actor):
    own = sorted(clinic_ids & (clinics.clinics_where(actor, clinics.Duty.TREAT) or clinic_ids))
    return own[0] if own else sorted(clinic_ids)[0]


def _locked_plan(pk: int) -> TreatmentPlan:
    """The plan, locked for the rest of the transaction, with what its audit entry names."""
    return TreatmentPlan.objects.select_for_update().select_related("clinic", "patient").get(pk=pk)


@transaction.atomic
def finding_record(
    *,
    actor,
    patient,
    clinic_ids: set[int],
    tooth: str,
    kind: str,
    surfaces: str = "",
    seen_on: date | None = None,
    note: str = "",
    plan_item: PlanItem | None = None,
    clinic_id: int | None = None,
) -> ChartEntry:
    """A doctor records one finding on one tooth; the chart's history keeps it for good."""
    doctor = _doctor(actor)
    tooth = _tooth(tooth)
    if kind not in Finding.values:
        raise InvalidInput(_("Choose a finding from the list."), code="invalid_finding")
    surfaces = _surfaces(surfaces)
    if kind in SURFACE_KINDS and not surfaces:
        raise InvalidInput(
            _("Choose the surfaces of the tooth this finding is on."), code="surfaces_missing"
        )
    if kind == Finding.EXFOLIATED and tooth[0] not in "5678":
        raise InvalidInput(_("Only primary teeth (51–85) are shed."), code="not_a_primary_tooth")
    today = timezone.localdate()
    seen_on = seen_on or today
    if seen_on > today:
        raise InvalidInput(_("A finding cannot be dated in the future."), code="date_in_future")
    entry = ChartEntry.objects.create(
        patient=patient,
        clinic_id=clinic_id or _clinic_of(clinic_ids, actor),
        doctor=doctor,
        recorded_by=actor,
        tooth=tooth,
        surfaces=surfaces if kind in SURFACE_KINDS or kind == Finding.SOUND else "",
        kind=kind,
        seen_on=seen_on,
        note=_note(note),
        plan_item=plan_item,
    )
    audit_record(
        action=AuditAction.CLINICAL_WRITE,
        actor=actor,
        object_type="chart_entry",
        object_id=entry.public_id,
        clinic=entry.clinic,
        details={
            "patient": str(patient.public_id),
            "tooth": tooth,
            "kind": kind,
            "surfaces": entry.surfaces,
        },
    )
    return entry


@transaction.atomic
def finding_withdraw(
    *, actor, patient, clinic_ids: set[int], entry: ChartEntry, reason: str
) -> ChartEntry:
    """Withdraw a finding recorded in error: a new entry names it; nothing is erased."""
    doctor = _doctor(actor)
    reason = _note(reason)
    if not reason:
        raise InvalidInput(_("Say why the finding is withdrawn."), code="reason_missing")
    if entry.corrects_id is not None:
        raise Conflict(_("A withdrawal cannot itself be withdrawn."), code="already_a_correction")
    if ChartEntry.objects.filter(corrects=entry).exists():
        raise Conflict(_("This finding is already withdrawn."), code="already_withdrawn")
    correction = ChartEntry.objects.create(
        patient=patient,
        clinic_id=_clinic_of(clinic_ids, actor),
        doctor=doctor,
        recorded_by=actor,
        tooth=entry.tooth,
        surfaces=entry.surfaces,
        kind=entry.kind,
        seen_on=timezone.localdate(),
        note=reason,
        corrects=entry,
    )
    audit_record(
        action=AuditAction.CLINICAL_WRITE,
        actor=actor,
        object_type="chart_entry",
        object_id=correction.public_id,
        clinic=correction.clinic,
        details={"patient": str(patient.public_id), "withdraws": str(entry.public_id)},
    )
    return correction


# --- Treatment plans -------------------------------------------------------------------


def _plan_audit(*, actor, plan: TreatmentPlan, change: str, **details) -> None:
    audit_record(
        action=AuditAction.TREATMENT_PLAN_CHANGED,
        actor=actor,
        object_type="treatment_plan",
        object_id=plan.public_id,
        clinic=plan.clinic,
        details={"patient": str(plan.patient.public_id), "change": change, **details},
    )


@transaction.atomic
def plan_create(
    *, actor, patient, clinic_ids: set[int], title: str, note: str = ""
) -> TreatmentPlan:
    doctor = _doctor(actor)
    title = (title or "").strip()
    if not title or len(title) > 80:
        raise InvalidInput(_("Give the plan a title of up to 80 characters."), code="invalid_title")
    plan = TreatmentPlan.objects.create(
        patient=patient,
        clinic_id=_clinic_of(clinic_ids, actor),
        doctor=doctor,
        title=title,
        note=_note(note),
    )
    _plan_audit(actor=actor, plan=plan, change="created")
    return plan


def _service(plan: TreatmentPlan, code: str):
    found = next(
        (s for s in clinics.clinic_billable_services(clinic=plan.clinic) if s.code == code), None
    )
    if found is None:
        raise InvalidInput(
            _("This clinic has no such treatment. Choose one from the list."),
            code="unknown_service",
        )
    return found


def _total(plan: TreatmentPlan) -> int:
    return sum(
        item.total_fen
        for item in PlanItem.objects.filter(phase__plan=plan).exclude(status=ItemStatus.CANCELLED)
    )


def _editable(plan: TreatmentPlan) -> None:
    if plan.status not in (PlanStatus.DRAFT, PlanStatus.PROPOSED):
        raise Conflict(
            _("An accepted plan is not changed; write a new plan for further treatment."),
            code="plan_not_editable",
        )


@transaction.atomic
def plan_item_add(
    *,
    actor,
    plan: TreatmentPlan,
    phase: int,
    phase_title: str = "",
    service_code: str,
    tooth: str = "",
    surfaces: str = "",
    quantity: int = 1,
    result: str = "",
) -> PlanItem:
    """Add a procedure to a phase of a plan, at the service's price of today."""
    _doctor(actor)
    plan = _locked_plan(plan.pk)
    _editable(plan)
    if isinstance(phase, bool) or not isinstance(phase, int) or not 1 <= phase <= 9:
        raise InvalidInput(_("Phases are numbered 1 to 9."), code="invalid_phase")
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= 99:
        raise InvalidInput(
            _("The quantity must be a whole number from 1 to 99."), code="invalid_quantity"
        )
    tooth = _tooth(tooth) if str(tooth or "").strip() else ""
    surfaces = _surfaces(surfaces)
    if result not in ItemResult.values:
        raise InvalidInput(_("Choose what the procedure puts on the chart."), code="invalid_result")
    if result and not tooth:
        raise InvalidInput(
            _("A procedure that changes the chart needs a tooth."), code="tooth_missing"
        )
    if result in ("filling", "sealant") and not surfaces:
        raise InvalidInput(
            _("Choose the surfaces of the tooth for this procedure."), code="surfaces_missing"
        )
    if PlanItem.objects.filter(phase__plan=plan).count() >= MAX_ITEMS:
        raise InvalidInput(_("A plan has at most 60 procedures."), code="too_many_items")
    service = _service(plan, service_code)
    row, _created = PlanPhase.objects.get_or_create(
        plan=plan,
        position=phase,
        defaults={"title": (phase_title or "").strip()[:80] or _("Phase %(n)s") % {"n": phase}},
    )
    last = row.items.order_by("-position").values_list("position", flat=True).first() or 0
    item = PlanItem.objects.create(
        phase=row,
        position=last + 1,
        tooth=tooth,
        surfaces=surfaces,
        service_code=service.code,
        description=service.display_name[:120],
        unit_fen=service.price_fen,
        quantity=quantity,
        result=result,
    )
    total = _total(plan)
    bump = 1 if plan.status == PlanStatus.PROPOSED else 0
    TreatmentPlan.objects.filter(pk=plan.pk).update(
        total_fen=total, revision=F("revision") + bump, updated_at=timezone.now()
    )
    _plan_audit(
        actor=actor, plan=plan, change="item_added", item=str(item.public_id), total_fen=total
    )
    return item


@transaction.atomic
def plan_propose(*, actor, plan: TreatmentPlan) -> TreatmentPlan:
    """Offer the plan to the patient, who can then accept its estimate in the app."""
    _doctor(actor)
    plan = _locked_plan(plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise Conflict(_("This plan has already been offered."), code="plan_not_draft")
    if not PlanItem.objects.filter(phase__plan=plan).exists():
        raise InvalidInput(_("Add a procedure before offering the plan."), code="plan_empty")
    now = timezone.now()
    TreatmentPlan.objects.filter(pk=plan.pk).update(
        status=PlanStatus.PROPOSED, proposed_at=now, revision=F("revision") + 1, updated_at=now
    )
    _plan_audit(actor=actor, plan=plan, change="proposed")
    plan.refresh_from_db()
    return plan


@transaction.atomic
def plan_cancel(*, actor, plan: TreatmentPlan) -> TreatmentPlan:
    _doctor(actor)
    plan = _locked_plan(plan.pk)
    if plan.status in (PlanStatus.COMPLETED, PlanStatus.CANCELLED):
        raise Conflict(_("This plan is already closed."), code="plan_closed")
    TreatmentPlan.objects.filter(pk=plan.pk).update(
        status=PlanStatus.CANCELLED, updated_at=timezone.now()
    )
    PlanItem.objects.filter(phase__plan=plan, status=ItemStatus.PLANNED).update(
        status=ItemStatus.CANCELLED
    )
    _plan_audit(actor=actor, plan=plan, change="cancelled")
    plan.refresh_from_db()
    return plan


@transaction.atomic
def plan_accept(
    *, actor, plan: TreatmentPlan, revision: int, signature: str, agree: bool
) -> TreatmentPlan:
    """The patient (or the family holder) accepts the estimate they were shown.

    The revision they read must be the plan's current one (409 ``plan_changed``): a
    plan changed since is shown again. Signing is typing one's name and ticking the
    consent; both are kept with the acceptance.
    """
    if not getattr(actor, "is_patient", False):
        raise PermissionDenied(
            _("Only the patient accepts a treatment plan."), code="patients_only"
        )
    signature = " ".join((signature or "").split())
    if not agree:
        raise InvalidInput(_("Tick the box to agree to the plan."), code="consent_missing")
    if not signature or len(signature) > 64:
        raise InvalidInput(_("Sign by typing your full name."), code="signature_missing")
    plan = _locked_plan(plan.pk)
    if plan.status in (PlanStatus.ACCEPTED, PlanStatus.IN_PROGRESS) and plan.revision == revision:
        return plan  # accepted already (a second tap)
    if plan.status != PlanStatus.PROPOSED:
        raise Conflict(_("This plan is not waiting for your acceptance."), code="plan_not_proposed")
    if revision != plan.revision:
        raise Conflict(
            _("The plan has changed since you opened it. Please read it again."),
            code="plan_changed",
        )
    now = timezone.now()
    acceptance = PlanAcceptance.objects.create(
        plan=plan,
        revision=plan.revision,
        total_fen=plan.total_fen,
        accepted_by=actor,
        signature=signature,
        consent_text=str(ACCEPT_WORDS),
    )
    TreatmentPlan.objects.filter(pk=plan.pk).update(
        status=PlanStatus.ACCEPTED, accepted_at=now, updated_at=now
    )
    audit_record(
        action=AuditAction.TREATMENT_PLAN_ACCEPTED,
        actor=actor,
        object_type="treatment_plan",
        object_id=plan.public_id,
        clinic=plan.clinic,
        details={
            "acceptance": str(acceptance.public_id),
            "revision": plan.revision,
            "total_fen": plan.total_fen,
        },
    )
    plan.refresh_from_db()
    return plan


def _started(plan: TreatmentPlan) -> None:
    if plan.status not in (PlanStatus.ACCEPTED, PlanStatus.IN_PROGRESS):
        raise Conflict(_("The patient has not accepted this plan yet."), code="plan_not_accepted")


@transaction.atomic
def plan_item_schedule(*, actor, item: PlanItem, appointment_id) -> PlanItem:
    """Do the procedure at one of the patient's appointments at the plan's clinic (booked
    the usual way, at the desk or in the app)."""
    _doctor(actor)
    plan = _locked_plan(item.phase.plan_id)
    _started(plan)
    public_id = as_public_id(appointment_id)
    appointment = booking.appointment_by_public_id(public_id=public_id) if public_id else None
    if (
        appointment is None
        or appointment.patient_id != plan.patient_id
        or appointment.clinic_id != plan.clinic_id
    ):
        raise NotFound(_("Appointment not found."), code="appointment_not_found")
    if item.status not in (ItemStatus.PLANNED, ItemStatus.SCHEDULED):
        raise Conflict(_("This procedure is done or cancelled."), code="item_closed")
    _item_scheduled(actor, plan, item, appointment, change="item_scheduled")
    item.refresh_from_db()
    return item


@transaction.atomic
def plan_item_complete(*, actor, item: PlanItem) -> PlanItem:
    """The doctor marks a procedure done: its finding goes on the chart and a bill for
    its service, at the plan's price, is made for the patient's account holder."""
    return _item_done(actor=actor, doctor=_doctor(actor), item=item)


def _item_done(*, actor, doctor, item: PlanItem) -> PlanItem:
    plan = (
        TreatmentPlan.objects.select_for_update()
        .select_related("clinic", "patient__account")
        .get(pk=item.phase.plan_id)
    )
    _started(plan)
    item = PlanItem.objects.select_for_update().get(pk=item.pk)
    if item.status in (ItemStatus.DONE, ItemStatus.CANCELLED):
        raise Conflict(_("This procedure is done or cancelled."), code="item_closed")
    appointment = booking.appointment_by_pk(item.appointment_id) if item.appointment_id else None
    intent = payments.bill_create(
        actor=actor,
        clinic=plan.clinic,
        payer=plan.patient.account.owner,
        appointment=appointment,
        description=f"{plan.title}: {item.description}"[:120],
        lines=[
            payments.LineDraft(
                kind=payments.LineKind.SERVICE,
                item_code=item.service_code,
                quantity=item.quantity,
                unit_fen=item.unit_fen,
                description=(f"{item.tooth} " if item.tooth else "") + item.description,
            )
        ],
    )
    now = timezone.now()
    PlanItem.objects.filter(pk=item.pk).update(
        status=ItemStatus.DONE, done_at=now, done_by=doctor, payment=intent, updated_at=now
    )
    if item.result:
        _chart_result(actor=actor, doctor=doctor, plan=plan, item=item)
    remaining = PlanItem.objects.filter(
        phase__plan=plan, status__in=(ItemStatus.PLANNED, ItemStatus.SCHEDULED)
    ).exists()
    TreatmentPlan.objects.filter(pk=plan.pk).update(
        status=PlanStatus.IN_PROGRESS if remaining else PlanStatus.COMPLETED, updated_at=now
    )
    _plan_audit(
        actor=actor,
        plan=plan,
        change="item_done",
        item=str(item.public_id),
        payment=str(intent.public_id),
    )
    item.refresh_from_db()
    return item


def _chart_result(*, actor, doctor, plan: TreatmentPlan, item: PlanItem) -> ChartEntry:
    """What a done procedure puts on the chart, in the name of the doctor who did it."""
    entry = ChartEntry.objects.create(
        patient=plan.patient,
        clinic_id=plan.clinic_id,
        doctor=doctor,
        recorded_by=actor,
        tooth=item.tooth,
        surfaces=item.surfaces if item.result in SURFACE_KINDS | {Finding.SOUND} else "",
        kind=item.result,
        seen_on=timezone.localdate(),
        plan_item=item,
    )
    audit_record(
        action=AuditAction.CLINICAL_WRITE,
        actor=actor,
        object_type="chart_entry",
        object_id=entry.public_id,
        clinic=entry.clinic,
        details={
            "patient": str(plan.patient.public_id),
            "tooth": entry.tooth,
            "kind": entry.kind,
            "surfaces": entry.surfaces,
            "plan_item": str(item.public_id),
        },
    )
    return entry


# --- Booking a procedure of a plan (ADR 0063) --------------------------------------------


def _bookable(plan: TreatmentPlan, item: PlanItem):
    """The service a procedure is booked as, and refusal of what cannot be booked."""
    _started(plan)
    if item.status in (ItemStatus.DONE, ItemStatus.CANCELLED):
        raise Conflict(_("This procedure is done or cancelled."), code="item_closed")
    if item.status == ItemStatus.SCHEDULED and item.appointment_id:
        current = booking.appointment_by_pk(item.appointment_id)
        if current is not None and current.status in booking.ACTIVE_APPOINTMENT_STATUSES:
            raise Conflict(
                _("This procedure already has an appointment."), code="item_already_booked"
            )
    service = next(
        (s for s in clinics.clinic_services(clinic=plan.clinic) if s.code == item.service_code),
        None,
    )
    if service is None:
        raise Conflict(
            _("This procedure is not booked on its own; the clinic adds it at a visit."),
            code="item_not_bookable",
        )
    return service


def plan_item_booking(*, plan: TreatmentPlan, item: PlanItem):
    """What booking this procedure presets: the service and the plan's doctor."""
    return _bookable(plan, item), plan.doctor


def plan_item_book(*, actor, plan: TreatmentPlan, item: PlanItem, start, note: str = ""):
    """Book an appointment for one procedure of an accepted plan, with the plan's doctor,
    by the same rules as any booking (the patient's horizon and deposit, the desk's), and
    link the procedure to it: completing that appointment marks the procedure done."""
    with transaction.atomic():
        plan = _locked_plan(plan.pk)
        item = PlanItem.objects.select_for_update().select_related("phase").get(pk=item.pk)
        service, doctor = plan_item_booking(plan=plan, item=item)
        booked = booking.appointments_book(
            actor=actor,
            doctor=doctor,
            service=service,
            start=start,
            patients=[plan.patient],
            channel=(
                booking.AppointmentChannel.PATIENT_APP
                if actor.is_patient
                else booking.AppointmentChannel.CONSOLE
            ),
            note=(note or "").strip()[:500],
        )
        appointment = booked.appointments[0]
        _item_scheduled(actor, plan, item, appointment, change="item_booked")
    return appointment


def _item_scheduled(actor, plan, item, appointment, *, change: str) -> None:
    """The item waits for ``appointment``; an accepted plan is under way from then."""
    PlanItem.objects.filter(pk=item.pk).update(
        appointment=appointment, status=ItemStatus.SCHEDULED, updated_at=timezone.now()
    )
    if plan.status == PlanStatus.ACCEPTED:
        TreatmentPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.IN_PROGRESS)
    _plan_audit(
        actor=actor,
        plan=plan,
        change=change,
        item=str(item.public_id),
        appointment=str(appointment.public_id),
    )


def plan_items_unbooked(*, appointment_id: int) -> int:
    """The procedures booked at an appointment that was cancelled or missed are planned
    again, without it."""
    return PlanItem.objects.filter(
        appointment_id=appointment_id, status=ItemStatus.SCHEDULED
    ).update(status=ItemStatus.PLANNED, appointment=None, updated_at=timezone.now())


def plan_items_done_at_visit(*, appointment_id: int, actor_id: int | None) -> list[PlanItem]:
    """The procedures booked at an appointment that was just completed are done: billed
    and written on the chart in the name of the appointment's doctor, by whoever
    completed it (the doctor for a system step)."""
    appointment = booking.appointment_by_pk(appointment_id)
    if appointment is None:
        return []
    doctor = appointment.doctor
    actor = accounts.users_by_ids([actor_id]).get(actor_id) if actor_id else None
    actor = actor or doctor.user
    done = []
    items = PlanItem.objects.filter(
        appointment_id=appointment_id, status=ItemStatus.SCHEDULED
    ).select_related("phase")
    for item in items:
        with transaction.atomic():
            done.append(_item_done(actor=actor, doctor=doctor, item=item))
    return done


def chart_of_entry(entry: ChartEntry) -> list:
    """The finding rows of the entry's tooth (to answer with the entry as the chart shows it)."""
    tooth = chart_of(entry.patient).tooth(entry.tooth)
    return tooth.findings if tooth else []
