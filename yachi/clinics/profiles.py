"""Doctors' profiles: what patients read before they book (photo, title, skills, years in
practice, a short introduction), who may change which part, and the audited change.

Who may change what is decided in one place, ``may_edit_doctor_profile``.
"""

import re
import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.clinics.choices import DoctorTitle, Skill
from yachi.clinics.events import DoctorChanged
from yachi.clinics.models import (
    FIRST_PRACTICE_YEAR,
    INTRODUCTION_MAX_LENGTH,
    Clinic,
    Doctor,
    DoctorSkill,
    Service,
)
from yachi.clinics.roles import Duty, clinics_where
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import InvalidInput, NotFound, PermissionDenied
from yachi.core.events import publish
from yachi.core.text import has_control_characters
from yachi.core.uploads import clean_image

TITLE = "title"
PRACTISING_SINCE = "practising_since"
INTRODUCTION = "introduction"
SKILLS = "skills"
PHOTO = "photo"

EVERY_PART = frozenset({TITLE, PRACTISING_SINCE, INTRODUCTION, SKILLS, PHOTO})
OWN_PARTS = frozenset({INTRODUCTION, PHOTO})

# Shown at most this big (pixels on the longer side); the phone shows far less.
PHOTO_MAX_SIDE = 800
# The only names a stored photo can have: nothing from outside is ever part of a path.
_PHOTO_NAME = re.compile(r"doctors/[0-9a-f]{32}\.(?:jpg|png)")
_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png"}


def may_edit_doctor_profile(actor, doctor: Doctor) -> frozenset[str]:
    """The parts of ``doctor``'s profile ``actor`` may change; empty: none.

    Administrators and whoever manages a clinic the doctor works at (its manager, a
    regional manager over it, chain operations) change all of it; a
    doctor changes their own introduction and photo (not their title, years or skills);
    nobody else changes anything.
    """
    managed = clinics_where(actor, Duty.MANAGE)
    if managed is None:  # an administrator
        return EVERY_PART
    if managed and doctor.clinics.filter(pk__in=managed).exists():
        return EVERY_PART
    if doctor.user_id == getattr(actor, "pk", None):
        return OWN_PARTS
    return frozenset()


def _refusal(part: str) -> PermissionDenied:
    if part == TITLE:
        text = _("A doctor's title is changed by the clinic's manager.")
    elif part in (PRACTISING_SINCE, SKILLS):
        text = _("Years in practice and skills are changed by the clinic's manager.")
    else:
        text = _("Only the clinic's managers and the doctor may change this profile.")
    return PermissionDenied(text, code="profile_part_forbidden")


def _title(value) -> str:
    if value not in DoctorTitle.values:
        raise InvalidInput(_("Choose one of the titles."), code="invalid_title")
    return value


def _practising_since(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        year = int(str(value).strip())
    except ValueError:
        raise InvalidInput(
            _("Give the year practice began, e.g. 2012."), code="invalid_year"
        ) from None
    this_year = timezone.localdate().year
    if not FIRST_PRACTICE_YEAR <= year <= this_year:
        raise InvalidInput(
            _("The year practice began must be between %(first)s and %(last)s.")
            % {"first": FIRST_PRACTICE_YEAR, "last": this_year},
            code="invalid_year",
        )
    return year


def _introduction(value) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if has_control_characters(text, multiline=True):
        raise InvalidInput(_("The introduction holds characters that cannot be shown."))
    if len(text) > INTRODUCTION_MAX_LENGTH:
        raise InvalidInput(
            _("The introduction is too long: at most %(limit)s characters (now %(count)s).")
            % {"limit": INTRODUCTION_MAX_LENGTH, "count": len(text)},
            code="introduction_too_long",
        )
    return text


def _skills(values) -> list[str]:
    chosen = sorted(set(values or []))
    if not chosen:
        raise InvalidInput(_("Choose at least one skill."), code="skills_missing")
    if any(value not in Skill.values for value in chosen):
        raise InvalidInput(_("Choose skills from the list."), code="invalid_skill")
    return chosen


def _photo_bytes(upload) -> tuple[bytes, str]:
    """The upload checked and cleaned, scaled down to what is shown."""
    image = clean_image(upload, max_side=PHOTO_MAX_SIDE)
    return image.content, image.content_type


def _skill_codes(doctor: Doctor) -> list[str]:
    return sorted(doctor.skills.values_list("skill", flat=True))


@transaction.atomic
def doctor_profile_update(
    *,
    actor,
    doctor: Doctor,
    clinic: Clinic | None = None,
    changes: dict,
    photo_upload=None,
    photo_remove: bool = False,
) -> list[str]:
    """Change the parts of a profile named in ``changes`` (``title``,
    ``practising_since``, ``introduction``, ``skills``, ``photo_is_illustration``) and,
    with ``photo_upload`` or ``photo_remove``, its photo. Returns what changed.

    A part the actor may not change is refused when it would change (a form that sends
    it unchanged is fine); bad input is refused; either way nothing is changed. The
    change is audited; ``clinic`` is the clinic whose console it was made in.
    """
    allowed = may_edit_doctor_profile(actor, doctor)
    if not allowed:
        raise _refusal("")
    doctor = Doctor.objects.select_for_update().get(pk=doctor.pk)
    unknown = set(changes) - {
        TITLE,
        PRACTISING_SINCE,
        INTRODUCTION,
        SKILLS,
        "photo_is_illustration",
    }
    if unknown:
        raise InvalidInput(_("Unknown part of a profile."))

    wanted: dict = {}
    if TITLE in changes:
        wanted[TITLE] = _title(changes[TITLE])
    if PRACTISING_SINCE in changes:
        wanted[PRACTISING_SINCE] = _practising_since(changes[PRACTISING_SINCE])
    if INTRODUCTION in changes:
        wanted[INTRODUCTION] = _introduction(changes[INTRODUCTION])
    if SKILLS in changes:
        wanted[SKILLS] = _skills(changes[SKILLS])
    new_photo = _photo_bytes(photo_upload) if photo_upload is not None else None

    current = {
        TITLE: doctor.title,
        PRACTISING_SINCE: doctor.practising_since,
        INTRODUCTION: doctor.bio,
        SKILLS: _skill_codes(doctor) if SKILLS in wanted else None,
    }
    changed = [part for part, value in wanted.items() if value != current[part]]
    illustration = changes.get("photo_is_illustration")
    photo_changed = (
        new_photo is not None
        or (photo_remove and bool(doctor.photo))
        or (illustration is not None and bool(illustration) != doctor.photo_is_illustration)
    )
    if photo_changed:
        changed.append(PHOTO)
    for part in changed:
        if part not in allowed:
            raise _refusal(part)
    if not changed:
        return []

    details: dict = {"changed": changed}
    if TITLE in changed:
        details[TITLE] = {"from": doctor.title, "to": wanted[TITLE]}
        doctor.title = wanted[TITLE]
    if PRACTISING_SINCE in changed:
        details[PRACTISING_SINCE] = {
            "from": doctor.practising_since,
            "to": wanted[PRACTISING_SINCE],
        }
        doctor.practising_since = wanted[PRACTISING_SINCE]
    if INTRODUCTION in changed:
        doctor.bio = wanted[INTRODUCTION]
    if SKILLS in changed:
        details[SKILLS] = {"from": current[SKILLS], "to": wanted[SKILLS]}
        DoctorSkill.objects.filter(doctor=doctor).exclude(skill__in=wanted[SKILLS]).delete()
        DoctorSkill.objects.bulk_create(
            [DoctorSkill(doctor=doctor, skill=s) for s in wanted[SKILLS]], ignore_conflicts=True
        )
    old_name = doctor.photo.name if (new_photo is not None or photo_remove) else ""
    if new_photo is not None:
        content, content_type = new_photo
        # A random name each time: the address of the old picture is not reused.
        doctor.photo.save(
            f"{uuid.uuid4().hex}.{_EXTENSIONS[content_type]}", ContentFile(content), save=False
        )
        doctor.photo_content_type = content_type
        details[PHOTO] = "replaced" if old_name else "added"
    elif photo_remove and doctor.photo:
        doctor.photo = ""
        doctor.photo_content_type = ""
        details[PHOTO] = "removed"
    if illustration is not None and doctor.photo:
        doctor.photo_is_illustration = bool(illustration)
    if not doctor.photo:
        doctor.photo_is_illustration = False
    doctor.save()
    publish(DoctorChanged(doctor_id=doctor.pk))
    # The old file goes once the change is committed (a file written for a change that
    # is rolled back stays unnamed by any row, and so is never served).
    if old_name and _PHOTO_NAME.fullmatch(old_name):
        storage = doctor.photo.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    audit_record(
        action=AuditAction.DOCTOR_PROFILE_CHANGED,
        actor=actor,
        object_type="doctor",
        object_id=doctor.public_id,
        clinic=clinic,
        details=details,
    )
    return changed


def doctor_photo_url(doctor: Doctor) -> str | None:
    """Where the app and the mini-program load the doctor's photo (None without one).

    The query names the stored picture, so a new photo is a new address and browsers may
    keep each one as long as they like."""
    if not doctor.photo:
        return None
    version = doctor.photo.name.rsplit("/", 1)[-1][:12]
    return reverse("web:doctor_photo", args=[doctor.public_id]) + f"?v={version}"


def doctor_photo_content(doctor: Doctor) -> tuple[bytes, str]:
    """The stored photo of an active doctor, or "not found"."""
    name = doctor.photo.name if doctor.photo else ""
    if not _PHOTO_NAME.fullmatch(name) or doctor.photo_content_type not in _EXTENSIONS:
        raise NotFound(_("This doctor has no photo."), code="photo_not_found")
    try:
        with doctor.photo.storage.open(name, "rb") as stored:
            return stored.read(), doctor.photo_content_type
    except FileNotFoundError:
        raise NotFound(_("This doctor has no photo."), code="photo_not_found") from None


def doctor_bookable_services(*, doctor: Doctor) -> list[tuple[Clinic, list[Service]]]:
    """The doctor's open clinics, each with the services there the doctor provides."""
    skills = set(doctor.skills.values_list("skill", flat=True))
    clinics = list(doctor.clinics.filter(is_active=True).order_by("name"))
    services = (
        Service.objects.filter(clinic__in=clinics, is_active=True, required_skill__in=skills)
        .exclude(required_skill=Skill.EMERGENCY)
        .select_related("clinic")
        .order_by("duration_minutes", "code")
    )
    by_clinic: dict[int, list[Service]] = {clinic.pk: [] for clinic in clinics}
    for service in services:
        by_clinic[service.clinic_id].append(service)
    return [(clinic, by_clinic[clinic.pk]) for clinic in clinics]
