"""Scans and the 3D arch in the patient app (read-only) and the clinic console (with the
upload form)."""

import json

from django.contrib import messages
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yachi.core.errors import DomainError
from yachi.core.pages import patient_required, staff_required
from yachi.imaging.scans import access, arch_view, services
from yachi.imaging.scans.api import glb_response
from yachi.imaging.scans.models import Jaw
from yachi.imaging.viewer import with_viewer


def import_map() -> str:
    """three.js and the two add-ons the viewers use, by the names they import."""
    return json.dumps(
        {
            "imports": {
                "three": static("vendor/three/build/three.module.js"),
                "three/addons/controls/OrbitControls.js": static(
                    "vendor/three/examples/jsm/controls/OrbitControls.js"
                ),
                "three/addons/loaders/GLTFLoader.js": static(
                    "vendor/three/examples/jsm/loaders/GLTFLoader.js"
                ),
            }
        },
        separators=(",", ":"),
    )


def visits(scans, *, route: str) -> list[dict]:
    """Scans grouped by the day they were taken (a visit's upper and lower jaw), newest
    first: what each pane of the viewer chooses between."""
    by_day: dict = {}
    for scan in scans:
        day = by_day.setdefault(scan.taken_on, {"label": f"{scan.taken_on:%Y-%m-%d}", "jaws": {}})
        day["jaws"].setdefault(scan.jaw, reverse(route, args=[scan.public_id]))
    return [
        {
            "label": day["label"],
            "upper": day["jaws"].get("upper", ""),
            "lower": day["jaws"].get("lower", ""),
        }
        for _day, day in sorted(by_day.items(), reverse=True)
    ]


def _scans_context(patient, scans, *, route: str) -> dict:
    choices = visits(scans, route=route)
    return {
        "patient": patient,
        "scans": scans,
        "choices": choices,
        "choices_json": choices,
        # The newest visit on the left, the one before it on the right (before and after).
        "sides": [
            {"label": _("Left view"), "index": 0},
            {"label": _("Right view"), "index": 1 if len(choices) > 1 else 0},
        ],
        "synthetic": any(scan.synthetic for scan in scans),
        "importmap": import_map(),
    }


@patient_required
def patient_scans_page(request, patient_id):
    patient, scans = access.access_scans_of_patient(actor=request.user, patient_id=patient_id)
    context = _scans_context(patient, scans, route="web:scan_glb")
    return with_viewer(render(request, "imaging/scans/scans.html", context), context["importmap"])


@patient_required
def patient_scan_file(request, scan_id):
    return glb_response(access.access_scan_by_id(actor=request.user, scan_id=scan_id))


@staff_required
def console_scans_page(request, patient_id):
    patient, scans = access.access_scans_of_patient(actor=request.user, patient_id=patient_id)
    context = _scans_context(patient, scans, route="console:scan_glb")
    context.update(
        section="patients",
        jaws=Jaw.choices,
        today=timezone.localdate().isoformat(),
    )
    return with_viewer(
        render(request, "imaging/scans/console_scans.html", context), context["importmap"]
    )


@staff_required
@require_POST
def console_upload(request, patient_id):
    try:
        patient, clinic = access.upload_access(
            actor=request.user,
            patient_id=patient_id,
            clinic_id=request.POST.get("clinic_id", "")[:64] or None,
        )
        services.scan_upload(
            actor=request.user,
            patient=patient,
            clinic=clinic,
            upload=request.FILES.get("file"),
            jaw=request.POST.get("jaw", ""),
            taken_on=request.POST.get("taken_on", "")[:10],
            description=request.POST.get("description", "")[:120],
        )
    except DomainError as error:
        if error.status == 404:
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, _("The scan was uploaded."))
    return redirect("console:scans", patient_id=patient_id)


@staff_required
def console_scan_file(request, scan_id):
    return glb_response(access.access_scan_by_id(actor=request.user, scan_id=scan_id))


def _arch_context(request, patient_id) -> dict:
    model = arch_view.arch_model(actor=request.user, patient_id=patient_id)
    return {"model": model, "importmap": import_map(), "patient_id": patient_id}


@patient_required
def patient_arch_page(request, patient_id):
    context = _arch_context(request, patient_id)
    return with_viewer(render(request, "imaging/scans/arch.html", context), context["importmap"])


@staff_required
def console_arch_page(request, patient_id):
    context = _arch_context(request, patient_id)
    context["section"] = "patients"
    return with_viewer(
        render(request, "imaging/scans/console_arch.html", context), context["importmap"]
    )
