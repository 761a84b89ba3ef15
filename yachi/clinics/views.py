"""The patient's pages of clinics: a doctor's profile, and the doctor's photo."""

from django.http import HttpResponse
from django.shortcuts import render

from yachi.clinics import access, profiles
from yachi.core.pages import patient_required


@patient_required
def doctor_profile_page(request, doctor_id):
    doctor = access.doctor_by_id(doctor_id)
    offers = profiles.doctor_bookable_services(doctor=doctor)
    # Come from a service's list of doctors: the button books that service at once.
    service = None
    wanted = request.GET.get("service")
    if wanted:
        service = next(
            (s for _, services in offers for s in services if str(s.public_id) == wanted), None
        )
    if service is not None:
        # The clinic of the chosen service first, with the other services on offer.
        offers.sort(key=lambda offer: offer[0].pk != service.clinic_id)
        offers = [(clinic, [s for s in services if s != service]) for clinic, services in offers]
    return render(
        request,
        "clinics/doctor.html",
        {
            "doctor": doctor,
            "offers": offers,
            "service": service,
            "tab": "book",
        },
    )


def doctor_photo(request, doctor_id):
    """An active doctor's photo, for everyone (patients see it before they log in). The
    address names the doctor, never a file: nothing else on the disk can be asked for."""
    doctor = access.doctor_by_id(doctor_id)
    content, content_type = profiles.doctor_photo_content(doctor)
    response = HttpResponse(content, content_type=content_type)
    # Each new photo has a new address (``?v=``), so the old one may be kept long.
    response["Cache-Control"] = "public, max-age=86400"
    return response
