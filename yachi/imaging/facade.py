"""What other contexts may use of imaging: the DICOM node (devices) hands each instance
it receives to ``instance_receive``, which answers with ``Received`` or raises
``Refused`` (its ``status`` is the DICOM failure status to send back). The demo has its
caries marks made and reviewed with ``caries_analyse``, ``caries_mark_decide`` and
``caries_mark_add``."""

from pydicom.uid import generate_uid as new_uid

from yachi.imaging.caries.selectors import marks_of_image as caries_marks_of_image
from yachi.imaging.caries.services import image_analyse as caries_analyse
from yachi.imaging.caries.services import mark_add as caries_mark_add
from yachi.imaging.caries.services import mark_decide as caries_mark_decide
from yachi.imaging.dicom.instances import Refused
from yachi.imaging.dicom.synthetic import Picture as SyntheticPicture
from yachi.imaging.dicom.synthetic import drawing as synthetic_drawing
from yachi.imaging.dicom.synthetic import part10 as synthetic_part10
from yachi.imaging.services import Received, instance_receive

# The demo draws its X-rays with ``SyntheticPicture`` and ``synthetic_part10``, knows the
# lesions it drew (``synthetic_drawing``), and has them marked and reviewed (ADR 0061).
__all__ = [
    "Received",
    "Refused",
    "SyntheticPicture",
    "caries_analyse",
    "caries_mark_add",
    "caries_mark_decide",
    "caries_marks_of_image",
    "instance_receive",
    "new_uid",
    "synthetic_drawing",
    "synthetic_part10",
]
