"""X-ray studies over the API: a patient's studies, and an image's DICOM file."""

from django.http import HttpResponse
from ninja import Router

from yachi.core.schemas import errors
from yachi.imaging import access, selectors
from yachi.imaging.schemas import StudyOut

router = Router(tags=["imaging"])


@router.get("/patients/{patient_id}/studies", response={200: list[StudyOut], **errors(401, 404)})
def list_studies(request, patient_id: str):
    """A patient's X-ray studies, newest first, with their images: for the patient and
    their family account's holder, and for staff of a clinic where the patient was seen
    (the studies their clinics took; every staff read is audited). 404 `patient_not_found`
    for anyone else."""
    _patient, studies = access.access_studies_of_patient(actor=request.user, patient_id=patient_id)
    return studies


@router.get(
    "/images/{image_id}/dicom",
    response={200: None, **errors(401, 404, 503)},
    openapi_extra={
        "responses": {200: {"description": "the image", "content": {"application/dicom": {}}}}
    },
)
def download_image(request, image_id: str):
    """One image's DICOM Part 10 file as the X-ray unit sent it; 404 `image_not_found`
    for an image the caller may not see; 503 `archive_unavailable` while the PACS that
    keeps it cannot be reached."""
    image = access.access_image_by_id(actor=request.user, image_id=image_id)
    return dicom_response(image)


def dicom_response(image) -> HttpResponse:
    response = HttpResponse(selectors.image_bytes(image), content_type="application/dicom")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = f'inline; filename="{image.public_id}.dcm"'
    return response
