"""Caries marks in the console: an image's marks for the doctor to confirm, reject or add
to, and the model's agreement with the clinic's doctors per model version."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yachi.clinics import facade as clinics
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import DomainError, InvalidInput
from yachi.core.pages import staff_required
from yachi.imaging.access import access_image_by_id
from yachi.imaging.caries import access, selectors, services
from yachi.imaging.caries.charts import agreement_chart
from yachi.imaging.caries.choices import NOTICE, MarkStatus
from yachi.imaging.caries.picture import picture_response
from yachi.imaging.caries.review import review_context

DECISIONS = {"confirm": MarkStatus.CONFIRMED, "reject": MarkStatus.REJECTED}


@staff_required
def review_page(request, image_id):
    image = access_image_by_id(actor=request.user, image_id=image_id)
    context = review_context(request.user, image)
    audit_record(
        action=AuditAction.CARIES_MARKS_READ,
        actor=request.user,
        object_type="study",
        object_id=image.study.public_id,
        clinic=image.study.clinic,
        details={"image": str(image.public_id), "marks": len(context["marks"])},
    )
    return render(
        request,
        "imaging/console/caries_review.html",
        {**context, "notice": NOTICE, "section": "patients"},
    )


@staff_required
def picture(request, image_id):
    return picture_response(access_image_by_id(actor=request.user, image_id=image_id))


@staff_required
@require_POST
def decide_action(request, mark_id):
    mark = access.access_mark_by_id(actor=request.user, mark_id=mark_id)
    # Refused outright (403) for staff who are not the clinic's doctors.
    services.require_treating(request.user, mark.image.study.clinic)
    decision = DECISIONS.get(request.POST.get("decision", ""))
    try:
        if decision is None:
            raise InvalidInput(_("Say confirmed or rejected."), code="decision_invalid")
        services.mark_decide(actor=request.user, mark=mark, status=decision)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Mark confirmed.") if decision == MarkStatus.CONFIRMED else _("Mark rejected."),
        )
    return redirect("console:caries_review", image_id=mark.image.public_id)


def _number(value: str) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) <= 5 else None


@staff_required
@require_POST
def add_action(request, image_id):
    image = access_image_by_id(actor=request.user, image_id=image_id)
    services.require_treating(request.user, image.study.clinic)
    box = [_number(request.POST.get(name, "")) for name in ("x0", "y0", "x1", "y1")]
    try:
        if None in box:
            raise InvalidInput(
                _("Draw the box on the image, or give its corners in pixels."),
                code="box_outside_image",
            )
        services.mark_add(
            actor=request.user,
            image=image,
            box=box,
            tooth=request.POST.get("tooth", "")[:4],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your mark was added."))
    return redirect("console:caries_review", image_id=image.public_id)


@staff_required
def agreement_page(request, clinic_id):
    clinic = clinics.staff_clinic_by_id(actor=request.user, clinic_id=clinic_id)
    clinics.require(request.user, clinic, clinics.Duty.SEE)
    figures = selectors.agreement(clinic=clinic)
    return render(
        request,
        "imaging/console/caries_agreement.html",
        {
            "clinic": clinic,
            "figures": figures,
            "chart": agreement_chart(figures),
            "notice": NOTICE,
            "section": "caries",
        },
    )
