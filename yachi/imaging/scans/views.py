"""Scans and the 3D arch in the patient app (read-only) and the clinic console (with the
upload form)."""

import json
import re

from django.contrib import messages
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yachi.core.errors import DomainError
from yachi.core.pages import patient_required, staff_required
from yachi.imaging.scans import access, arch_view, services, setups
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
    context["records_setups"] = setups.records_setups(request.user)
    return with_viewer(
        render(request, "imaging/scans/console_arch.html", context), context["importmap"]
    )


# ``m-<tooth>-<field>``: one input of the setup form.
SETUP_FIELD = re.compile(r"^m-([1-8][1-8])-(along|outward|up|rotation)$")


def _posted_movements(post) -> dict[str, list]:
    movements: dict[str, list] = {}
    for name, value in post.items():
        match = SETUP_FIELD.match(name)
        if match:
            tooth, field = match.groups()
            values = movements.setdefault(tooth, [""] * len(setups.FIELDS))
            values[setups.FIELDS.index(field)] = value
    return movements


def _field_labels() -> dict[str, str]:
    return {
        "along": _("Along the arch (mm)"),
        "outward": _("Cheek or tongue (mm)"),
        "up": _("Up or down (mm)"),
        "rotation": _("Rotation (°)"),
    }


def _four(values) -> list:
    """A tooth's four inputs, blank where nothing was recorded or typed."""
    return (list(values or []) + [""] * len(setups.FIELDS))[: len(setups.FIELDS)]


def _setup_page(request, form, *, entered=None, error="", status=200):
    values = entered if entered is not None else form.values
    labels = _field_labels()
    rows = [
        {
            "jaw": label,
            "teeth": [
                {
                    "tooth": tooth,
                    "inputs": [
                        {"name": f"m-{tooth}-{field}", "label": labels[field], "value": value}
                        for field, value in zip(
                            setups.FIELDS, _four(values.get(tooth)), strict=True
                        )
                    ],
                }
                for tooth in teeth
            ],
        }
        for label, teeth in ((_("Upper jaw"), form.upper), (_("Lower jaw"), form.lower))
        if teeth
    ]
    context = {
        "section": "patients",
        "form": form,
        "rows": rows,
        "error": error,
        "labels": labels.values(),
        "patient_id": form.patient.public_id,
        "limits": {"mm": int(setups.MAX_MM), "deg": int(setups.MAX_DEGREES)},
    }
    return render(request, "imaging/scans/console_setup.html", context, status=status)


@staff_required
def console_setup_page(request, patient_id):
    """A doctor records, for an aligner plan, how far each tooth stands from its planned
    place; the 3D arch then shows the staging."""
    plan_id = (request.POST.get("plan_id") or request.GET.get("plan") or "")[:64]
    form = setups.setup_form(actor=request.user, patient_id=patient_id, plan_id=plan_id)
    if request.method != "POST":
        return _setup_page(request, form)
    entered = _posted_movements(request.POST)
    if form.plan is None or str(form.plan.public_id) != plan_id:
        return _setup_page(
            request, form, entered=entered, error=_("Choose the aligner plan."), status=422
        )
    try:
        setups.setup_record(actor=request.user, plan_id=plan_id, movements=entered)
    except DomainError as error:
        if error.status in (403, 404):
            raise
        return _setup_page(request, form, entered=entered, error=error.message, status=422)
    messages.success(request, _("The aligner setup was recorded."))
    return redirect("console:arch", patient_id=form.patient.public_id)
