"""Intraoral scans in the demo (ADR 0062): synthetic meshes drawn from the parametric
arch (labelled synthetic in the list and the viewer), uploaded at the first clinic as its
staff would. The first patient there with an aligner plan gets the doctor's setup (how
far the front teeth stand from their planned places) and two scan visits, before
treatment and half-way, to compare side by side; two more patients one visit each."""

from dataclasses import dataclass
from datetime import timedelta

from yachi.clinical.models import PlanItem
from yachi.clinical.selectors import chart_of
from yachi.imaging import facade as imaging

# Crowded, rotated front teeth (mm along, outward, up; degrees), as recorded at the
# orthodontic assessment.
MOVEMENTS = {
    "11": [0, 1.2, 0, 10],
    "21": [0, 0.8, 0, -12],
    "12": [0.3, -1.0, 0, 8],
    "22": [0, -0.8, 0.3, -6],
    "13": [0.4, 0.6, 0, 0],
    "31": [0, 0.8, 0, 15],
    "41": [0, -0.6, 0, -12],
    "32": [0, 1.0, 0, 0],
    "42": [0.4, 0.5, 0, 9],
}


@dataclass(frozen=True)
class ScanSummary:
    patients: int
    scans: int
    setups: int


def _visit(*, clinic, patient, present, day, uploader, movements=None, share_done=1.0, note=""):
    for jaw in ("upper", "lower"):
        imaging.scan_upload(
            actor=uploader,
            patient=patient,
            clinic=clinic,
            upload=imaging.synthetic_jaw(
                present=present, jaw=jaw, movements=movements, share_done=share_done
            ),
            jaw=jaw,
            taken_on=day,
            description=f"合成演示数据 · {note}" if note else "合成演示数据",
            synthetic=True,
        )


def build_scans(*, clinic, visits, now) -> ScanSummary:
    aligner = (
        PlanItem.objects.filter(
            service_code="aligner",
            phase__plan__clinic=clinic,
            phase__plan__status__in=["proposed", "accepted", "in_progress"],
        )
        .select_related("phase__plan__patient", "phase__plan__doctor__user")
        .order_by("phase__plan__id")
        .first()
    )
    scans = patients = setups = 0
    today = now.date()
    if aligner is not None:
        plan = aligner.phase.plan
        doctor = plan.doctor.user if plan.doctor else None
        present = imaging.arch_present_teeth(chart_of(plan.patient))
        movements = {tooth: v for tooth, v in MOVEMENTS.items() if tooth in present}
        if doctor is not None:
            imaging.arch_setup_record(actor=doctor, plan_id=plan.public_id, movements=movements)
        _visit(
            clinic=clinic,
            patient=plan.patient,
            present=present,
            day=today - timedelta(days=120),
            uploader=doctor,
            movements=movements,
            share_done=0.0,
            note="矫正前",
        )
        _visit(
            clinic=clinic,
            patient=plan.patient,
            present=present,
            day=today - timedelta(days=10),
            uploader=doctor,
            movements=movements,
            share_done=0.5,
            note="矫正中",
        )
        scans += 4
        patients += 1
        setups = 1 if doctor is not None else 0
    seen = []
    for visit in visits:
        if visit.clinic_id == clinic.pk and visit.start < now and visit.patient not in seen:
            seen.append(visit.patient)
        if len(seen) == 2:
            break
    for index, patient in enumerate(seen):
        _visit(
            clinic=clinic,
            patient=patient,
            present=imaging.arch_present_teeth(chart_of(patient)),
            day=today - timedelta(days=20 + index),
            uploader=None,
        )
        scans += 2
        patients += 1
    return ScanSummary(patients=patients, scans=scans, setups=setups)
