"""The managers' complaint cases: the list of their clinics' cases and one case."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import DomainError, NotFound, PermissionDenied
from yachi.core.models import as_public_id
from yachi.core.pages import staff_required
from yachi.crm.feedback import selectors, services
from yachi.crm.feedback.models import Complaint, ComplaintStatus
from yachi.patients import facade as patients


def _managed(user) -> set[int] | None:
    if not clinics.anywhere(user, clinics.Duty.MANAGE):
        raise PermissionDenied(
            _("Complaints are handled by clinic managers."), code="manage_forbidden"
        )
    return clinics.clinics_where(user, clinics.Duty.MANAGE)


def access_complaint_by_id(*, actor, complaint_id) -> Complaint:
    """A case of a clinic the actor manages: 404 for "no such case" and for a case of a
    clinic the actor does not work at, 403 for staff there who do not manage it."""
    public_id = as_public_id(complaint_id)
    complaint = (
        Complaint.objects.select_related("clinic", "survey", "survey__appointment")
        .filter(public_id=public_id)
        .first()
        if public_id
        else None
    )
    seen = clinics.clinics_where(actor, clinics.Duty.SEE)
    if complaint is None or (seen is not None and complaint.clinic_id not in seen):
        raise NotFound(_("Complaint not found."), code="complaint_not_found")
    clinics.require(actor, complaint.clinic, clinics.Duty.MANAGE)
    return complaint


@staff_required
def complaints_page(request):
    mine = _managed(request.user)
    status = request.GET.get("status", "")
    cases = selectors.complaints_of_clinics(clinic_ids=mine, status=status)
    people = patients.patients_by_ids({c.patient_id for c in cases})
    return render(
        request,
        "crm/console/complaints.html",
        {
            "rows": [(c, people.get(c.patient_id)) for c in cases],
            "status": status,
            "statuses": ComplaintStatus.choices,
            "section": "crm_complaints",
        },
    )


@staff_required
def complaint_page(request, complaint_id):
    complaint = access_complaint_by_id(actor=request.user, complaint_id=complaint_id)
    status = 200
    if request.method == "POST":
        try:
            services.complaint_update(
                actor=request.user,
                complaint=complaint,
                status=request.POST.get("status", ""),
                note=request.POST.get("note", ""),
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
            status = exc.status
        else:
            messages.success(request, _("Complaint case saved."))
            return redirect("console:crm_complaint", complaint.public_id)
    else:
        # The case holds what the patient wrote: its reading is audited like the chart.
        audit_record(
            action=AuditAction.PATIENT_360_READ,
            actor=request.user,
            object_type="crm.complaint",
            object_id=complaint.public_id,
            clinic=complaint.clinic,
        )
    patient = patients.patients_by_ids([complaint.patient_id]).get(complaint.patient_id)
    return render(
        request,
        "crm/console/complaint.html",
        {
            "complaint": complaint,
            "patient": patient,
            "statuses": ComplaintStatus.choices,
            "section": "crm_complaints",
        },
        status=status,
    )
