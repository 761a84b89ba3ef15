"""CRM in the demo: satisfaction surveys after recent visits (points earned through the
ledger, as in use), complaint cases opened by the low scores at every stage of their
handling, a few manual tags by the front desk, and every patient's computed tags."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count

from yachi.booking.models import Appointment
from yachi.crm.facade import tags_refresh
from yachi.crm.feedback.models import Complaint, ComplaintStatus, Survey
from yachi.crm.tags.models import PatientTag, TagDefinition, TagSource
from yachi.crm.tags.services import definitions_ensure
from yachi.demo.writing import bulk
from yachi.growth.facade import points_for_activity

GOOD = ["医生很耐心，讲解清楚", "前台很热情", "环境干净，准时就诊", "洁牙后很舒服", "", "", ""]
BAD = [
    "等了四十多分钟才叫号",
    "收费前没有讲清楚价格",
    "护士操作有点粗暴，牙龈出血",
    "预约时间被临时改了，没有提前通知",
]
NOTES = {
    ComplaintStatus.IN_PROGRESS: "已致电患者了解情况，约定下周复诊时由主任查看",
    ComplaintStatus.RESOLVED: "店长已致电道歉并说明原因，赠送洁牙券一张，患者表示理解",
}
MANUAL = [(0, "vip", "连锁老客户，全家在本店就诊"), (1, "anxious", "怕打麻药，治疗前需多沟通")]
# How many of the recent visits are answered, and how often with a low score.
ANSWERED_SHARE = 0.45
LOW_SHARE = 0.12


@dataclass
class DemoCrm:
    surveys: int
    complaints: int
    tags: int
    far_away: int = 0  # patients whose delivery address is in another district
    arrears: int = 0  # patients with a bill unpaid past its days to pay


def _score(rng: random.Random) -> int:
    if rng.random() < LOW_SHARE:
        return rng.choice([2, 3, 4, 5, 6])
    return rng.choice([7, 8, 9, 9, 10, 10, 10])


def build_crm(*, now: datetime, rng: random.Random, people, desk) -> DemoCrm:
    """``people``: the demo's patients in the order they were registered (index 0 is the
    first family's holder); ``desk``: a front-desk user who adds the manual tags."""
    recent = list(
        Appointment.objects.filter(
            status="completed", completed_at__gte=now - timedelta(days=28), completed_at__lt=now
        )
        .select_related("patient__account__owner")
        .order_by("completed_at", "pk")
    )
    surveys, lows = [], []
    for appointment in recent:
        if rng.random() > ANSWERED_SHARE:
            continue
        score = _score(rng)
        at = appointment.completed_at + timedelta(hours=rng.randint(1, 30))
        at = min(at, now - timedelta(minutes=5))
        survey = Survey(
            appointment=appointment,
            patient=appointment.patient,
            clinic_id=appointment.clinic_id,
            answered_by=appointment.patient.account.owner,
            score=score,
            comment=rng.choice(BAD) if score <= 6 else rng.choice(GOOD),
            created_at=at,
            updated_at=at,
        )
        surveys.append(survey)
    bulk(Survey, surveys)
    for survey in surveys:
        points_for_activity(
            user=survey.answered_by,
            activity="survey",
            reference=f"visit:{survey.appointment.public_id}",
        )
        if survey.score <= 6:
            lows.append(survey)
    complaints = []
    stages = [ComplaintStatus.OPEN, ComplaintStatus.IN_PROGRESS, ComplaintStatus.RESOLVED]
    for n, survey in enumerate(lows):
        status = stages[n % 3]
        complaints.append(
            Complaint(
                clinic_id=survey.clinic_id,
                patient=survey.patient,
                survey=survey,
                status=status,
                summary=survey.comment,
                resolution_note=NOTES.get(status, ""),
                handled_by=desk if status != ComplaintStatus.OPEN else None,
                resolved_at=survey.created_at + timedelta(days=1)
                if status == ComplaintStatus.RESOLVED
                else None,
                created_at=survey.created_at,
                updated_at=survey.created_at,
            )
        )
    bulk(Complaint, complaints)

    definitions_ensure()
    codes = {d.code: d for d in TagDefinition.objects.all()}
    bulk(
        PatientTag,
        [
            PatientTag(
                patient=people[index],
                definition=codes[code],
                source=TagSource.MANUAL,
                reason=note,
                added_by=desk,
                created_at=now,
                updated_at=now,
            )
            for index, code, note in MANUAL
            if index < len(people)
        ],
    )
    refreshed = tags_refresh(today=now.astimezone(now.tzinfo).date())
    carrying = dict(
        PatientTag.objects.filter(definition__code__in=("far_away", "arrears"))
        .values_list("definition__code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return DemoCrm(
        surveys=len(surveys),
        complaints=len(complaints),
        tags=refreshed.added,
        far_away=carrying.get("far_away", 0),
        arrears=carrying.get("arrears", 0),
    )
