"""The family's part of a personal-data export and of an erasure (PIPL).

Medical records must be kept: outpatient records at least 15 years after the last
visit (医疗机构病历管理规定, art. 29). Erasing an account therefore keeps, for each
person with records, what identifies them in those records (name, gender, date of
birth, ID number) and the records themselves, and removes everything else; a person
without records is anonymised completely.

Both are the family's part of the patient's download and erasure, which compliance
puts together (registered when the app loads).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from yachi.compliance.facade import ErasedPart, ExportedPart, PersonalDataPart
from yachi.patients.faces import face_photo_content, face_photos_delete_all
from yachi.patients.models import ClinicalNote, FacePhoto, FamilyAccount, Patient, SearchToken
from yachi.patients.services import account_open, search_tokens_write
from yachi.patients.visits import visits

RECORD_RETENTION_YEARS = 15
ANONYMOUS = "—"

# Contexts above that keep medical records of their own (the tooth chart, X-rays) say,
# for some people, the day of each one's latest record: an erasure then keeps what
# identifies those people in their records, as for a clinical note or a visit.
RecordSource = Callable[[list[int]], dict[int, date]]
_record_sources: list[RecordSource] = []


def register_record_source(source: RecordSource) -> None:
    if source not in _record_sources:
        _record_sources.append(source)


def _latest_records(ids: list[int]) -> dict[int, date]:
    latest: dict[int, date] = {}
    for source in _record_sources:
        for pk, day in source(ids).items():
            if pk not in latest or day > latest[pk]:
                latest[pk] = day
    return latest


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
        "appointments": visits.appointments_export(patient_ids=ids),
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
    report.appointments_cancelled = visits.appointments_cancel_upcoming(
        patient_ids=ids, reason=reason
    )
    report.photos_deleted = face_photos_delete_all(account=account)
    with_notes = set(
        ClinicalNote.objects.filter(patient_id__in=ids).values_list("patient_id", flat=True)
    )
    last_visits = visits.last_visits(patient_ids=ids)
    records = _latest_records(ids)
    for person in people:
        last = max(
            (d for d in (last_visits.get(person.pk), records.get(person.pk)) if d), default=None
        )
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
    # Kept records stay findable by name, no longer by number; the anonymised are not found.
    kept = [p for p in people if p.name != ANONYMOUS]
    search_tokens_write(patients=kept)
    SearchToken.objects.filter(patient__in=[p.pk for p in people if p.name == ANONYMOUS]).delete()
    if report.records_kept_until:
        last = report.records_kept_until
        report.records_kept_until = _years_after(last, RECORD_RETENTION_YEARS)
    return report


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _export(user) -> ExportedPart:
    account = account_open(user=user)
    data, files = family_export(account)
    return ExportedPart(data=data, files=files, subject=("family_account", account.public_id))


def _erase(user, *, reason: str) -> ErasedPart:
    account = account_open(user=user)
    family = family_erase(account, reason=reason)
    until = family.records_kept_until.isoformat() if family.records_kept_until else None
    retained = []
    if until:
        retained.append(
            {
                "what": _("medical records and the details that identify the patient in them"),
                "until": until,
                "reason": _(
                    "Outpatient medical records must be kept for at least 15 years after "
                    "the last visit (Medical Records Management Regulations, art. 29)."
                ),
            }
        )
    return ErasedPart(
        deleted=[
            _("facial photos (%(count)s)") % {"count": family.photos_deleted},
            _("upcoming appointments (%(count)s cancelled)")
            % {"count": family.appointments_cancelled},
            _("names and details of %(count)s people without medical records")
            % {"count": family.anonymised},
        ],
        retained=retained,
        details={
            "anonymised": family.anonymised,
            "kept_for_records": family.kept_for_records,
            "records_kept_until": until,
        },
        subject=("family_account", account.public_id),
    )


# The family stands on the login: exported after it, erased before it.
PERSONAL_DATA = PersonalDataPart(name="family", order=20, exporter=_export, eraser=_erase)
