"""Doctors' profiles in the clinic console: every member of the clinic sees them; managers
(and administrators) edit them, a doctor edits their own introduction and photo."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from yachi.clinics import access, profiles, selectors
from yachi.clinics.choices import DoctorTitle, Skill
from yachi.clinics.models import FIRST_PRACTICE_YEAR, INTRODUCTION_MAX_LENGTH
from yachi.core.errors import DomainError, NotFound, PermissionDenied
from yachi.core.pages import staff_required


def _doctor_of(clinic, doctor_id):
    doctor = next(
        (d for d in selectors.clinic_doctors(clinic=clinic) if str(d.public_id) == doctor_id),
        None,
    )
    if doctor is None:
        raise NotFound(_("Doctor not found."), code="doctor_not_found")
    return doctor


@staff_required
def doctors_page(request, clinic_id):
    clinic = access.staff_clinic_by_id(actor=request.user, clinic_id=clinic_id)
    doctors = selectors.clinic_doctors(clinic=clinic)
    rows = [(d, bool(profiles.may_edit_doctor_profile(request.user, d))) for d in doctors]
    return render(
        request,
        "clinics/console/doctors.html",
        {"clinic": clinic, "rows": rows, "section": "doctors"},
    )


def _changes(post) -> dict:
    """What the form sends. Parts the member may not change are shown disabled, so a
    browser sends nothing for them; one sent anyway is refused by the service."""
    changes = {
        k: post.get(k, "") for k in ("title", "practising_since", "introduction") if k in post
    }
    if post.get("skills_shown") == "1":
        changes["skills"] = post.getlist("skills")
    if post.get("photo_shown") == "1":
        changes["photo_is_illustration"] = post.get("photo_is_illustration") == "on"
    return changes


@staff_required
def doctor_edit_page(request, clinic_id, doctor_id):
    clinic = access.staff_clinic_by_id(actor=request.user, clinic_id=clinic_id)
    doctor = _doctor_of(clinic, doctor_id)
    allowed = profiles.may_edit_doctor_profile(request.user, doctor)
    if not allowed:
        raise PermissionDenied(
            _("Only the clinic's managers and the doctor may change this profile."),
            code="profile_forbidden",
        )
    values = {
        "title": doctor.title,
        "practising_since": doctor.practising_since or "",
        "introduction": doctor.bio,
        "skills": [s.skill for s in doctor.skills.all()],
        "photo_is_illustration": doctor.photo_is_illustration,
    }
    status = 200
    if request.method == "POST":
        post = request.POST
        try:
            changed = profiles.doctor_profile_update(
                actor=request.user,
                doctor=doctor,
                clinic=clinic,
                changes=_changes(post),
                photo_upload=request.FILES.get("photo"),
                photo_remove=post.get("photo_remove") == "on",
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
            status = 400 if exc.status < 500 else exc.status
            # What was typed stays in the form; nothing was saved.
            values.update({k: v for k, v in _changes(post).items() if k != "photo_is_illustration"})
        else:
            if changed:
                messages.success(request, _("The profile is saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(
                "console:doctor_edit", clinic_id=clinic.public_id, doctor_id=doctor.public_id
            )
    return render(
        request,
        "clinics/console/doctor_edit.html",
        {
            "clinic": clinic,
            "doctor": doctor,
            "values": values,
            "allowed": allowed,
            "titles": DoctorTitle.choices,
            "skills": [(value, label) for value, label in Skill.choices],
            "first_year": FIRST_PRACTICE_YEAR,
            "introduction_max": INTRODUCTION_MAX_LENGTH,
            "section": "doctors",
        },
        status=status,
    )
