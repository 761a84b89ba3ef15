"""The family's X-rays in the patient app: read-only, with the viewer."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from yachi.core.pages import patient_required
from yachi.imaging import access
from yachi.imaging.api import dicom_response
from yachi.imaging.caries.choices import NOTICE
from yachi.imaging.caries.review import images_with_marks
from yachi.imaging.viewer import import_map, panes, with_viewer


@patient_required
def studies_page(request, patient_id):
    patient, studies = access.access_studies_of_patient(actor=request.user, patient_id=patient_id)
    importmap = import_map()
    viewer = panes(studies, image_route="web:xray_image")
    response = render(
        request,
        "imaging/studies.html",
        {
            "patient": patient,
            "studies": studies,
            "viewer": viewer,
            "sides": [(_("Left image"), viewer["left"]), (_("Right image"), viewer["right"])],
            "importmap": importmap,
            # Only what a doctor confirmed reaches the patient (ADR 0061).
            "marked": [
                item
                for item in images_with_marks(
                    studies, confirmed_only=True, picture_route="web:xray_picture"
                )
                if item["marks"]
            ],
            "notice": NOTICE,
        },
    )
    return with_viewer(response, importmap)


@patient_required
def image_file(request, image_id):
    return dicom_response(access.access_image_by_id(actor=request.user, image_id=image_id))
