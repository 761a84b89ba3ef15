"""The segment builder (客户分群) in the console: saved segments, the builder with its live
count, the CSV export. Managers of the clinic only."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yachi.clinics import facade as clinics
from yachi.core.errors import DomainError
from yachi.core.pages import staff_required
from yachi.crm.access import of_clinic, staff_clinic
from yachi.crm.segments import builder, services
from yachi.crm.segments.definition import empty
from yachi.crm.segments.models import Segment


@staff_required
def segments_page(request, clinic_id):
    clinic = staff_clinic(actor=request.user, clinic_id=clinic_id, duty=clinics.Duty.MANAGE)
    segments = Segment.objects.filter(clinic=clinic).order_by("name")
    return render(
        request,
        "crm/console/segments.html",
        {"clinic": clinic, "segments": segments, "section": "crm_segments"},
    )


def _builder(request, clinic, segment):
    definition = segment.definition if segment else empty()
    name = segment.name if segment else ""
    bound = False
    if request.method == "POST":
        definition = builder.from_post(request.POST)
        name = request.POST.get("name", "")
        action = request.POST.get("action", "")
        if action == "save":
            bound = True
            try:
                saved = services.segment_save(
                    actor=request.user,
                    clinic=clinic,
                    name=name,
                    definition=definition,
                    segment=segment,
                )
            except DomainError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(
                    request,
                    _("Segment saved: %(count)s patients.") % {"count": saved.last_count},
                )
                return redirect(
                    "console:crm_segment", clinic_id=clinic.public_id, segment_id=saved.public_id
                )
        elif action == "delete" and segment is not None:
            try:
                services.segment_delete(actor=request.user, segment=segment)
            except DomainError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(request, _("Segment deleted."))
                return redirect("console:crm_segments", clinic_id=clinic.public_id)
        else:
            definition = builder.apply(definition, action, request.POST)
    count, problem = None, ""
    try:
        count = services.segment_count(clinic=clinic, definition=definition)
    except DomainError as exc:
        problem = str(exc.message)
    context = {
        "clinic": clinic,
        "segment": segment,
        "name": name,
        "match": definition.get("match", "all"),
        "groups": builder.rows(definition, clinic=clinic, bound=bound),
        "offered": builder.offered(),
        "count": count,
        "problem": problem,
        "section": "crm_segments",
    }
    return render(request, "crm/console/segment.html", context)


@staff_required
def segment_new(request, clinic_id):
    clinic = staff_clinic(actor=request.user, clinic_id=clinic_id, duty=clinics.Duty.MANAGE)
    return _builder(request, clinic, None)


@staff_required
def segment_page(request, clinic_id, segment_id):
    clinic = staff_clinic(actor=request.user, clinic_id=clinic_id, duty=clinics.Duty.MANAGE)
    segment = of_clinic(Segment, clinic=clinic, object_id=segment_id)
    return _builder(request, clinic, segment)


@require_POST
@staff_required
def segment_count(request, clinic_id):
    """The live count (htmx): how many patients the criteria as they stand match."""
    clinic = staff_clinic(actor=request.user, clinic_id=clinic_id, duty=clinics.Duty.MANAGE)
    count, problem = None, ""
    try:
        count = services.segment_count(clinic=clinic, definition=builder.from_post(request.POST))
    except DomainError as exc:
        problem = str(exc.message)
    return render(request, "crm/partials/segment_count.html", {"count": count, "problem": problem})


@staff_required
def segment_export(request, clinic_id, segment_id):
    clinic = staff_clinic(actor=request.user, clinic_id=clinic_id, duty=clinics.Duty.MANAGE)
    segment = of_clinic(Segment, clinic=clinic, object_id=segment_id)
    body = services.segment_export(actor=request.user, segment=segment)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="segment-{segment.public_id}-{day}.csv"'
    )
    return response
