"""The front desk's page of a patient in the clinic console: everything but the chart."""

from django.shortcuts import render
from django.utils import timezone

from yachi.clinics import facade as clinics
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.pages import staff_required
from yachi.messaging import facade as messaging
from yachi.patients import selectors
from yachi.patients.access import desk_access
from yachi.patients.desk import desk_parts
from yachi.patients.visits import visits

MESSAGES_SHOWN = 10


@staff_required
def patient_page(request, patient_id):
    patient, clinic_ids = desk_access(actor=request.user, patient_id=patient_id)
    owner = patient.account.owner
    now = timezone.now()
    seen = [
        visit
        for visit in visits.appointments_of_patient(patient_id=patient.pk, limit=50)
        if clinic_ids is None or visit.clinic_id in clinic_ids
    ]
    audit_record(
        action=AuditAction.PATIENT_PAGE_READ,
        actor=request.user,
        object_type="patient",
        object_id=patient.public_id,
        clinic=seen[0].clinic if seen else "",
    )
    return render(
        request,
        "patients/console/patient.html",
        {
            "patient": patient,
            "holder_phone": owner.phone,
            "came_through": patient.account.get_acquisition_display(),
            "family": selectors.everyone_on(patient.account),
            "upcoming": sorted((v for v in seen if v.start >= now), key=lambda v: v.start),
            "past": [v for v in seen if v.start < now],
            "parts": desk_parts(user=owner, clinic_ids=clinic_ids),
            "notifications": messaging.notifications_of(user=owner, limit=MESSAGES_SHOWN),
            "may_open_chart": clinics.anywhere(request.user, clinics.Duty.TREAT),
            "section": "patients",
        },
    )
