"""Tooth charts and treatment plans of the demo (ADR 0059).

The patients seen most recently at each clinic get a chart of findings recorded at their
completed visits (caries, fillings, crowns, a missing tooth, sealants for children) and a
treatment plan of the clinic's services at its prices: fillings for their caries, an
implant for a missing tooth, clear aligners for some. Some plans wait for the patient,
some are accepted, and some are under way: their first procedure was done through the
plan's own service, which billed it and wrote its result on the chart.
"""

import random
from dataclasses import dataclass

from django.utils import timezone

from yachi.booking.choices import Status
from yachi.booking.models import Appointment
from yachi.clinical import services as clinical
from yachi.clinical.choices import ItemStatus, PlanStatus
from yachi.clinical.models import ChartEntry, PlanAcceptance, PlanItem, PlanPhase, TreatmentPlan
from yachi.clinics.choices import Skill
from yachi.clinics.models import Service
from yachi.demo.writing import bulk

PLANNED_SERVICES = [
    # code, name, English name, minutes, price in yuan, skill
    ("implant", "种植牙", "Dental implant", 90, 9800, Skill.IMPLANT),
    ("implant_crown", "种植牙冠", "Implant crown", 60, 3800, Skill.IMPLANT),
    ("aligner", "隐形矫正", "Clear aligners", 60, 28000, Skill.ORTHODONTICS),
    ("crown", "全瓷冠", "Ceramic crown", 60, 2800, Skill.GENERAL),
]
PATIENTS_PER_CLINIC = 12
BACK_TEETH = ("16", "17", "26", "27", "36", "37", "46", "47", "15", "25", "35", "45")


@dataclass(frozen=True)
class ClinicalSummary:
    charts: int
    entries: int
    plans: int
    accepted: int
    in_progress: int


def _services(clinic) -> dict[str, Service]:
    have = {s.code: s for s in Service.objects.filter(clinic=clinic)}
    for code, name, name_en, minutes, price, skill in PLANNED_SERVICES:
        if code not in have:
            have[code] = Service.objects.create(
                clinic=clinic,
                code=code,
                name=name,
                name_en=name_en,
                duration_minutes=minutes,
                price_fen=price * 100,
                required_skill=skill,
            )
    return have


def build_clinical(*, clinics, rng: random.Random) -> ClinicalSummary:
    entries, plans, items, phases = [], [], [], []
    charts = accepted = 0
    now = timezone.now()
    started: list[TreatmentPlan] = []
    for clinic in clinics:
        _services(clinic)
        seen = (
            Appointment.objects.filter(clinic=clinic, status=Status.COMPLETED)
            .select_related("doctor__user", "patient__account")
            .order_by("-start")
        )
        chosen, patients = [], set()
        for visit in seen[:400]:
            if visit.patient_id not in patients:
                patients.add(visit.patient_id)
                chosen.append(visit)
            if len(chosen) == PATIENTS_PER_CLINIC:
                break
        for index, visit in enumerate(chosen):
            charts += 1
            day = timezone.localtime(visit.start).date()
            teeth = rng.sample(BACK_TEETH, 5)
            carious, filled, crowned, missing = teeth[:2], teeth[2], teeth[3], teeth[4]
            findings = [(t, "caries", rng.choice(["O", "OD", "MO", "B"])) for t in carious]
            findings += [(filled, "filling", "O"), (crowned, "crown", "")]
            kind = index % 3  # fillings, an implant, aligners
            if kind == 1:
                findings.append((missing, "missing", ""))
            for tooth, finding, surfaces in findings:
                entries.append(
                    ChartEntry(
                        patient_id=visit.patient_id,
                        clinic=clinic,
                        doctor=visit.doctor,
                        recorded_by=visit.doctor.user,
                        tooth=tooth,
                        kind=finding,
                        surfaces=surfaces,
                        seen_on=day,
                        created_at=visit.start,
                        updated_at=visit.start,
                    )
                )
            title, lines = {
                0: (
                    "补牙",
                    [(1, "治疗龋齿", t, s, "filling", "filling") for t, _, s in findings[:2]],
                ),
                1: (
                    "种植修复",
                    [
                        (1, "种植体植入", missing, "", "implant", ""),
                        (2, "戴牙", missing, "", "implant_crown", "implant"),
                    ],
                ),
                2: ("隐形矫正", [(1, "矫正", "", "", "aligner", "")]),
            }[kind]
            if kind != 0:
                lines.insert(
                    0, (1, "治疗龋齿", findings[0][0], findings[0][2], "filling", "filling")
                )
            status = [PlanStatus.PROPOSED, PlanStatus.ACCEPTED, PlanStatus.ACCEPTED][index % 3]
            if index % 4 == 3:
                status = PlanStatus.DRAFT
            plan = TreatmentPlan(
                patient_id=visit.patient_id,
                clinic=clinic,
                doctor=visit.doctor,
                title=title,
                status=status,
                revision=2,
                proposed_at=None if status == PlanStatus.DRAFT else now,
                accepted_at=now if status == PlanStatus.ACCEPTED else None,
                created_at=visit.start,
                updated_at=visit.start,
            )
            plan.demo_lines = lines
            plan.demo_signer = (visit.patient.account.owner_id, visit.patient.name)
            plans.append(plan)
    bulk(ChartEntry, entries)
    bulk(TreatmentPlan, plans)
    for plan in plans:
        by_phase = {}
        for position, phase_title, *_ in plan.demo_lines:
            if position not in by_phase:
                by_phase[position] = PlanPhase(plan=plan, position=position, title=phase_title)
        phases.extend(by_phase.values())
        plan.demo_phases = by_phase
    PlanPhase.objects.bulk_create(phases)
    catalogues = {
        clinic.pk: {s.code: s for s in Service.objects.filter(clinic=clinic)} for clinic in clinics
    }
    for plan in plans:
        total = 0
        counts = {}
        for position, _title, tooth, surfaces, code, result in plan.demo_lines:
            service = catalogues[plan.clinic_id][code]
            counts[position] = counts.get(position, 0) + 1
            items.append(
                PlanItem(
                    phase=plan.demo_phases[position],
                    position=counts[position],
                    tooth=tooth,
                    surfaces=surfaces,
                    service_code=code,
                    description=service.name,
                    unit_fen=service.price_fen,
                    quantity=1,
                    result=result,
                    status=ItemStatus.PLANNED,
                )
            )
            total += service.price_fen
        plan.total_fen = total
        if plan.status == PlanStatus.ACCEPTED:
            accepted += 1
            if len(started) < 2 * len(clinics) and rng.random() < 0.6:
                started.append(plan)
    PlanItem.objects.bulk_create(items)
    TreatmentPlan.objects.bulk_update(plans, ["total_fen"])
    # The accepted plans were signed by the patients in the app.
    PlanAcceptance.objects.bulk_create(
        [
            PlanAcceptance(
                plan=plan,
                revision=plan.revision,
                total_fen=plan.total_fen,
                accepted_by_id=plan.demo_signer[0],
                signature=plan.demo_signer[1] or "患者",
                consent_text=str(clinical.ACCEPT_WORDS),
            )
            for plan in plans
            if plan.status == PlanStatus.ACCEPTED
        ]
    )
    for plan in started:
        # The first procedure done through the plan: billed, and its result on the chart.
        first = (
            PlanItem.objects.filter(phase__plan=plan)
            .order_by("phase__position", "position")
            .first()
        )
        clinical.plan_item_complete(actor=plan.doctor.user, item=first)
    return ClinicalSummary(
        charts=charts,
        entries=len(entries),
        plans=len(plans),
        accepted=accepted,
        in_progress=len(started),
    )
