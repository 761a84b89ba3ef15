from huey.contrib.djhuey import db_task

from yachi.imaging.caries import services
from yachi.imaging.models import Image


@db_task()
def caries_mark_job(image_id: int) -> str:
    """Mark suspected caries on a received image (ONNX Runtime: never in the DICOM node's
    association or a request)."""
    image = Image.objects.filter(pk=image_id).first()
    if image is None or not services.wants_marks(image):
        return "skipped"
    return services.image_analyse(image=image).status
