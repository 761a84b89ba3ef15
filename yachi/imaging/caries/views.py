"""The patient app's side of caries marks: the picture under the marks a doctor confirmed
(never the model's unreviewed suggestions: ADR 0061)."""

from yachi.core.pages import patient_required
from yachi.imaging.access import access_image_by_id
from yachi.imaging.caries.picture import picture_response


@patient_required
def picture(request, image_id):
    return picture_response(access_image_by_id(actor=request.user, image_id=image_id))
