"""X-rays in the clinic console: a patient's studies with the viewer, and the clinic's
queue of studies whose Patient ID named no one (given to a patient here, audited)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yachi.clinics import facade as clinics
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import DomainError
from yachi.core.pages import staff_required
from yachi.imaging import access, selectors, services
from yachi.imaging.api import dicom_response
from yachi.imaging.caries.choices import NOTICE
from yachi.imaging.caries.review import images_with_marks
from yachi.imaging.viewer import import_map, panes, with_viewer


def _viewer_context(studies) -> dict:
    viewer = panes(studies, image_route="console:xray_image")
    return {
        "viewer": viewer,
        "sides": [(_("Left image"), viewer["left"]), (_("Right image"), viewer["right"])],
        "importmap": import_map(),
    }


@staff_required
def studies_page(request, patient_id):
    patient, studies = access.access_studies_of_patient(actor=request.user, patient_id=patient_id)
    context = _viewer_context(studies)
    marked = images_with_marks(studies, confirmed_only=False, picture_route="console:xray_picture")
    response = render(
        request,
        "imaging/console/studies.html",
        {
            "patient": patient,
            "studies": studies,
            "section": "patients",
            "marked": marked,
            "notice": NOTICE,
            **context,
        },
    )
    return with_viewer(response, context["importmap"])


@staff_required
def image_file(request, image_id):
    return dicom_response(access.access_image_by_id(actor=request.user, image_id=image_id))


def _clinic(request, clinic_id):
    clinic = clinics.staff_clinic_by_id(actor=request.user, clinic_id=clinic_id)
    clinics.require(request.user, clinic, clinics.Duty.SEE)
    return clinic


@staff_required
def unmatched_page(request, clinic_id):
    clinic = _clinic(request, clinic_id)
    studies = selectors.unmatched_studies(clinic=clinic)
    audit_record(
        action=AuditAction.STUDY_READ,
        actor=request.user,
        object_type="clinic",
        object_id=clinic.public_id,
        clinic=clinic,
        details={"unmatched": len(studies)},
    )
    context = _viewer_context(studies)
    response = render(
        request,
        "imaging/console/unmatched.html",
        {"clinic": clinic, "studies": studies, "section": "xrays", **context},
    )
    return with_viewer(response, context["importmap"])


@staff_required
@require_POST
def assign_action(request, clinic_id, study_id):
    clinic = _clinic(request, clinic_id)
    study = access.access_unmatched_study(actor=request.user, clinic=clinic, study_id=study_id)
    try:
        services.study_assign(
            actor=request.user,
            study=study,
            chart_number=request.POST.get("chart_number", "")[:32],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The study was given to the patient."))
    return redirect("console:xray_unmatched", clinic_id=clinic.public_id)
