"""What other contexts may use of imaging (an insurance claim attaches the newest X-ray
with ``latest_xray_picture``): the DICOM node (devices) hands each instance
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
from yachi.imaging.pictures import XrayPicture, latest_xray_picture
from yachi.imaging.scans.arch_view import present_teeth as arch_present_teeth
from yachi.imaging.scans.demo_support import synthetic_jaw
from yachi.imaging.scans.services import scan_upload
from yachi.imaging.scans.setups import setup_record as arch_setup_record
from yachi.imaging.services import Received, instance_receive

# The demo draws its X-rays with ``SyntheticPicture`` and ``synthetic_part10``, knows the
# lesions it drew (``synthetic_drawing``), and has them marked and reviewed (ADR 0061); it
# draws intraoral scans with ``synthetic_jaw`` (kept with ``scan_upload``, ``synthetic=True``)
# and has its aligner setups recorded by the plan's doctor with ``arch_setup_record``, for
# the teeth the arch draws (``arch_present_teeth`` of a chart).
__all__ = [
    "Received",
    "Refused",
    "SyntheticPicture",
    "XrayPicture",
    "arch_present_teeth",
    "arch_setup_record",
    "caries_analyse",
    "caries_mark_add",
    "caries_mark_decide",
    "caries_marks_of_image",
    "instance_receive",
    "latest_xray_picture",
    "new_uid",
    "scan_upload",
    "synthetic_drawing",
    "synthetic_jaw",
    "synthetic_part10",
]
