"""CRM's part of the family's personal-data download and erasure (registered with
compliance in ``CrmConfig.ready``): their tags with reasons, survey answers and complaint
cases. An erasure deletes the tags and the words the family wrote; scores and the cases'
statuses stay, without a word of theirs, for the clinic's quality figures (NPS)."""

from django.db import transaction
from django.utils.translation import gettext as _

from yachi.compliance.facade import ErasedPart, ExportedPart, PersonalDataPart
from yachi.crm.feedback.models import Complaint, Survey
from yachi.crm.tags.models import PatientTag
from yachi.patients import facade as patients


def _family(user) -> list[int]:
    if not getattr(user, "is_patient", False):
        return []
    return [person.pk for person in patients.everyone_on(patients.account_of(user))]


def _export(user) -> ExportedPart:
    people = _family(user)
    tags = PatientTag.objects.filter(patient_id__in=people).select_related("definition")
    surveys = Survey.objects.filter(patient_id__in=people).select_related("appointment")
    complaints = Complaint.objects.filter(patient_id__in=people)
    return ExportedPart(
        data={
            "patient_tags": [
                {"tag": t.definition.label_zh, "reason": t.reason, "source": t.source}
                for t in tags.order_by("pk")
            ],
            "satisfaction_surveys": [
                {
                    "visit": str(s.appointment.public_id),
                    "at": s.created_at.isoformat(),
                    "score": s.score,
                    "comment": s.comment,
                }
                for s in surveys.order_by("pk")
            ],
            "complaints": [
                {
                    "at": c.created_at.isoformat(),
                    "status": c.status,
                    "what_you_said": c.summary,
                    "resolution": c.resolution_note,
                }
                for c in complaints.order_by("pk")
            ],
        }
    )


def _erase(user, *, reason: str) -> ErasedPart:
    people = _family(user)
    with transaction.atomic():
        tags, _count = PatientTag.objects.filter(patient_id__in=people).delete()
        surveys = [s for s in Survey.objects.filter(patient_id__in=people) if s.comment]
        for survey in surveys:
            survey.comment = ""
        Survey.objects.bulk_update(surveys, ["comment"])
        complaints = list(Complaint.objects.filter(patient_id__in=people))
        for complaint in complaints:
            complaint.summary = complaint.resolution_note = ""
        Complaint.objects.bulk_update(complaints, ["summary", "resolution_note"])
    deleted = []
    if tags:
        deleted.append(_("your patient tags (%(count)s)") % {"count": tags})
    if surveys or complaints:
        deleted.append(_("what you wrote in surveys and complaints"))
    return ErasedPart(
        deleted=deleted,
        details={"tags": tags, "survey_comments": len(surveys), "complaints": len(complaints)},
    )


# Erased before the family and the account (a higher order is erased first).
PERSONAL_DATA = PersonalDataPart(name="crm", order=40, exporter=_export, eraser=_erase)
