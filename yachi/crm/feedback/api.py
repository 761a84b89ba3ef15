from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from yachi.booking import facade as booking
from yachi.core.errors import patients_only
from yachi.core.schemas import InputSchema, Text, errors
from yachi.crm.feedback import services

router = Router(tags=["crm"])


class SurveyIn(InputSchema):
    score: int = Field(description="0 (not at all) to 10 (certainly): would you recommend us?")
    comment: Text = Field("", max_length=500)


class SurveyOut(Schema):
    appointment_id: str
    score: int
    points: int
    complaint_opened: bool


@router.post(
    "/surveys/{appointment_id}",
    response={201: SurveyOut, **errors(400, 401, 403, 404, 409, 413, 422)},
)
def answer_survey(request, appointment_id: str, payload: SurveyIn):
    """The account holder answers the survey of a completed visit of someone on their
    account: `score` 0–10 (422 `score_out_of_range`), an optional `comment` (at most 500
    characters). Once per visit: 409 `already_answered`; 409 `visit_not_completed`
    before the visit is completed, `survey_closed` 30 days after. The first answer earns
    the survey's points; a score of 6 or less opens a complaint case for the clinic."""
    patients_only(request.user, _("Surveys are answered by patients."))
    appointment = booking.access_appointment_by_id(
        actor=request.user, appointment_id=appointment_id
    )
    survey = services.survey_answer(
        user=request.user, appointment=appointment, score=payload.score, comment=payload.comment
    )
    return Status(
        201,
        {
            "appointment_id": str(appointment.public_id),
            "score": survey.score,
            "points": settings.YACHI_POINTS_FOR_SURVEY,
            "complaint_opened": survey.score <= services.DETRACTOR_MAX,
        },
    )
