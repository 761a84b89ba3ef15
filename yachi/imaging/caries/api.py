"""Caries marks over the API: a study's findings, and the doctors' review."""

from django.utils.translation import gettext as _
from ninja import Router, Status

from yachi.core.errors import InvalidInput, NotFound
from yachi.core.schemas import errors
from yachi.imaging import access as imaging_access
from yachi.imaging.caries import access, services
from yachi.imaging.caries.choices import NOTICE, MarkStatus
from yachi.imaging.caries.schemas import FindingsOut, MarkAddIn, MarkOut, box_in_range

router = Router(tags=["imaging"])


@router.get("/studies/{study_id}/findings", response={200: FindingsOut, **errors(401, 404)})
def study_findings(request, study_id: str):
    """The caries marks on a study's images, with the notice that they come from a
    demonstration model (演示模型，非临床诊断用). The patient and their family's holder see
    the marks a doctor confirmed; staff of a clinic where the patient was seen see every
    mark (every staff read is audited). 404 `study_not_found` for anyone else."""
    study, marks = access.access_findings_of_study(actor=request.user, study_id=study_id)
    return {"study_id": study.public_id, "notice": NOTICE, "marks": marks}


def _decide(request, mark_id: str, status: str):
    mark = access.access_mark_by_id(actor=request.user, mark_id=mark_id)
    return services.mark_decide(actor=request.user, mark=mark, status=status)


@router.post(
    "/caries-marks/{mark_id}/confirm",
    response={200: MarkOut, **errors(401, 403, 404, 409)},
)
def confirm_mark(request, mark_id: str):
    """A doctor of the study's clinic confirms a mark (it then colours the chart's risk
    heat map). 403 `treat_forbidden` for other staff; 409 `mark_already_decided` if it is
    confirmed already, `study_unmatched` while the study waits for its patient."""
    return _decide(request, mark_id, MarkStatus.CONFIRMED)


@router.post(
    "/caries-marks/{mark_id}/reject",
    response={200: MarkOut, **errors(401, 403, 404, 409)},
)
def reject_mark(request, mark_id: str):
    """A doctor of the study's clinic rejects a mark; as for confirming."""
    return _decide(request, mark_id, MarkStatus.REJECTED)


@router.post(
    "/images/{image_id}/caries-marks",
    response={201: MarkOut, **errors(400, 401, 403, 404, 409, 413, 422)},
)
def add_mark(request, image_id: str, payload: MarkAddIn):
    """A doctor marks a lesion the model missed: a box in the image's pixels and the
    tooth. 422 `box_outside_image` or `tooth_invalid`; 403 `treat_forbidden` for staff
    who are not the clinic's doctors."""
    if request.user.is_patient:
        raise NotFound(_("Image not found."), code="image_not_found")
    image = imaging_access.access_image_by_id(actor=request.user, image_id=image_id)
    if not box_in_range(payload.box):
        raise InvalidInput(_("The box must lie inside the image."), code="box_outside_image")
    mark = services.mark_add(actor=request.user, image=image, box=payload.box, tooth=payload.tooth)
    return Status(201, mark)
