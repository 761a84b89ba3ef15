"""Reads of surveys and complaints; ``nps`` is what the dashboards read (crm's facade)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from yachi.crm.feedback.models import DETRACTOR_MAX, Complaint, ComplaintStatus, Survey

PROMOTER_MIN = 9


@dataclass(frozen=True)
class Nps:
    """Net promoter score of a clinic over a range: promoters (9–10) minus detractors
    (0–6), in per cent of the answers; ``score`` is None without an answer."""

    clinic_id: int
    answers: int
    promoters: int
    passives: int
    detractors: int

    @property
    def score(self) -> float | None:
        if not self.answers:
            return None
        return round(100 * (self.promoters - self.detractors) / self.answers, 1)


def _bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.combine(date_from, time.min, tzinfo=zone)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def nps(*, clinic_ids, date_from: date, date_to: date) -> dict[int, Nps]:
    """For each clinic (every clinic asked is in the answer), its NPS from the surveys
    answered between the two dates, both included (local days): one query."""
    start, end = _bounds(date_from, date_to)
    rows = (
        Survey.objects.filter(
            clinic_id__in=list(clinic_ids), created_at__gte=start, created_at__lt=end
        )
        .values("clinic_id")
        .annotate(
            answers=Count("pk"),
            promoters=Count("pk", filter=Q(score__gte=PROMOTER_MIN)),
            detractors=Count("pk", filter=Q(score__lte=DETRACTOR_MAX)),
        )
    )
    found = {
        clinic_id: Nps(clinic_id=clinic_id, answers=0, promoters=0, passives=0, detractors=0)
        for clinic_id in clinic_ids
    }
    for row in rows:
        found[row["clinic_id"]] = Nps(
            clinic_id=row["clinic_id"],
            answers=row["answers"],
            promoters=row["promoters"],
            passives=row["answers"] - row["promoters"] - row["detractors"],
            detractors=row["detractors"],
        )
    return found


def survey_of_appointment(appointment_id: int) -> Survey | None:
    return Survey.objects.filter(appointment_id=appointment_id).first()


def surveys_of_appointments(appointment_ids) -> dict[int, Survey]:
    return {
        s.appointment_id: s for s in Survey.objects.filter(appointment_id__in=list(appointment_ids))
    }


def complaints_of_clinics(*, clinic_ids, status: str = "") -> list[Complaint]:
    """Cases at these clinics (every clinic for ``None``), open ones first, newest first."""
    rows = Complaint.objects.select_related("clinic", "survey")
    if clinic_ids is not None:
        rows = rows.filter(clinic_id__in=list(clinic_ids))
    if status in ComplaintStatus.values:
        rows = rows.filter(status=status)
    return sorted(
        rows[:500], key=lambda c: (c.status == ComplaintStatus.RESOLVED, -c.created_at.timestamp())
    )


def complaints_of_patient(patient_id: int, clinic_ids=None) -> list[Complaint]:
    rows = Complaint.objects.filter(patient_id=patient_id).select_related("clinic", "survey")
    if clinic_ids is not None:
        rows = rows.filter(clinic_id__in=list(clinic_ids))
    return list(rows.order_by("-created_at"))


def surveys_of_patient(patient_id: int, clinic_ids=None) -> list[Survey]:
    rows = Survey.objects.filter(patient_id=patient_id).select_related("clinic")
    if clinic_ids is not None:
        rows = rows.filter(clinic_id__in=list(clinic_ids))
    return list(rows.order_by("-created_at")[:20])


def nps_figure(*, clinic_ids, start: datetime, end: datetime):
    """The dashboards' NPS source (``reports.nps``, registered in ``CrmConfig.ready``):
    the answers given at these clinics in ``[start, end)``, and who gave them; None when
    nobody answered. One query."""
    from yachi.crm.reports.nps import NpsFigure

    rows = list(
        Survey.objects.filter(
            clinic_id__in=list(clinic_ids), created_at__gte=start, created_at__lt=end
        ).values_list("patient_id", "score")
    )
    if not rows:
        return None
    return NpsFigure(
        promoters=sum(1 for _p, score in rows if score >= PROMOTER_MIN),
        passives=sum(1 for _p, score in rows if DETRACTOR_MAX < score < PROMOTER_MIN),
        detractors=sum(1 for _p, score in rows if score <= DETRACTOR_MAX),
        patient_ids=tuple(sorted({patient for patient, _s in rows})),
    )
