"""The family's part of a personal-data export and of an erasure (PIPL).

Medical records must be kept: outpatient records at least 15 years after the last
visit (医疗机构病历管理规定, art. 29). Erasing an account therefore keeps, for each
person with records, what identifies them in those records (name, gender, date of
birth, ID number) and the records themselves, and removes everything else; a person
without records is anonymised completely.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from yachi.booking import facade as booking
from yachi.patients.faces import face_photo_content, face_photos_delete_all
from yachi.patients.models import ClinicalNote, FacePhoto, FamilyAccount, Patient

RECORD_RETENTION_YEARS = 15
ANONYMOUS = "—"


def family_export(account: FamilyAccount) -> tuple[dict, dict[str, bytes]]:
    """The account's people, notes, consents and photos; photo files separately."""
    people = list(Patient.objects.filter(account=account).order_by("seat", "pk"))
    ids = [p.pk for p in people]
    files = {}
    photos = []
    for photo in FacePhoto.objects.filter(patient__account=account).select_related("patient"):
        extension = "png" if photo.content_type == "image/png" else "jpg"
        name = f"photos/{photo.public_id}.{extension}"
        files[name] = face_photo_content(photo)
        photos.append(
            {
                "patient": str(photo.patient.public_id),
                "file": name,
                "uploaded_at": photo.created_at.isoformat(),
            }
        )
    notes = ClinicalNote.objects.filter(patient_id__in=ids).select_related(
        "patient", "clinic", "author"
    )
    data = {
        "people": [
            {
                "id": str(p.public_id),
                "relationship": p.relationship,
                "name": p.name,
                "gender": p.gender,
                "birth_date": p.birth_date.isoformat() if p.birth_date else None,
                "id_number": p.id_number,
                "phone": p.phone,
                "removed": p.removed_at is not None,
            }
            for p in people
        ],
        "appointments": booking.appointments_export(patient_ids=ids),
        "clinical_notes": [
            {
                "patient": str(n.patient.public_id),
                "clinic": n.clinic.display_name,
                "doctor": n.author.name,
                "written_at": n.created_at.isoformat(),
                "chief_complaint": n.chief_complaint,
                "findings": n.findings,
                "diagnosis": n.diagnosis,
                "treatment": n.treatment,
            }
            for n in notes
        ],
        "consents": [
            {
                "kind": c.kind,
                "version": c.version,
                "given_at": c.granted_at.isoformat(),
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
            }
            for c in account.consents.all()
        ],
        "face_photos": photos,
    }
    return data, files


@dataclass
class FamilyErasure:
    anonymised: int = 0
    kept_for_records: int = 0
    photos_deleted: int = 0
    appointments_cancelled: int = 0
    records_kept_until: date | None = None
    kept: list[str] = field(default_factory=list)


@transaction.atomic
def family_erase(account: FamilyAccount, *, reason: str) -> FamilyErasure:
    people = list(Patient.objects.filter(account=account))
    ids = [p.pk for p in people]
    report = FamilyErasure()
    report.appointments_cancelled = booking.appointments_cancel_upcoming(
        patient_ids=ids, reason=reason
    )
    report.photos_deleted = face_photos_delete_all(account=account)
    with_notes = set(
        ClinicalNote.objects.filter(patient_id__in=ids).values_list("patient_id", flat=True)
    )
    last_visits = booking.last_visits(patient_ids=ids)
    for person in people:
        last = last_visits.get(person.pk)
        if person.pk in with_notes or last:
            report.kept_for_records += 1
            person.phone = ""
            person.save()
            if last and (report.records_kept_until is None or last > report.records_kept_until):
                report.records_kept_until = last
        else:
            report.anonymised += 1
            person.name, person.phone, person.id_number = ANONYMOUS, "", ""
            person.birth_date = None
            person.save()
    if report.records_kept_until:
        last = report.records_kept_until
        report.records_kept_until = _years_after(last, RECORD_RETENTION_YEARS)
    return report


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
