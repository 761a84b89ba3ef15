from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F

from yachi.accounts import facade as accounts
from yachi.clinics import facade as clinics
from yachi.compliance.facade import blind_index
from yachi.core.errors import DomainError
from yachi.core.models import as_public_id
from yachi.patients.identity import normalize_id_number
from yachi.patients.models import FamilyAccount, Patient, SearchToken
from yachi.patients.search import (
    CHART_NUMBER_DIGITS,
    chart_number,
    compact,
    last4_digest,
    query_digests,
)
from yachi.patients.services import account_open
from yachi.patients.visits import visits


def holder_of(account: FamilyAccount) -> Patient:
    return Patient.objects.get(account=account, seat=0)


def family_members(account: FamilyAccount) -> list[Patient]:
    """The family members of an account, without its holder, oldest first."""
    return list(
        Patient.objects.filter(account=account, seat__gt=0, removed_at__isnull=True).order_by(
            "created_at", "pk"
        )
    )


def everyone_on(account: FamilyAccount) -> list[Patient]:
    """Holder first, then the family members: whom the account can book for."""
    return list(Patient.objects.filter(account=account, removed_at__isnull=True).order_by("seat"))


def profile_part(user) -> dict:
    """The patient's own record in their ``/me`` profile."""
    if not user.is_patient:
        return {}
    holder = holder_of(account_open(user=user))
    return {"patient_id": holder.public_id, "chart_number": holder.chart_number}


# A search shows at most this many people: a common surname is shared by many.
SEARCH_MATCHES = 20
# Candidates read and decrypted for a part of a name, before the clinic scope.
_CANDIDATES = 400


def _by_number(term: str) -> list[Patient] | None:
    """People found by a number: a mobile number (its whole family), the last four
    digits of one (the families of those whose number ends so), a resident ID number or a
    chart number. ``None`` when the term is no kind of number."""
    digits = term.replace(" ", "").replace("-", "")
    try:
        user = accounts.patient_user_by_phone(digits)
    except DomainError:
        user = None
    if user is not None:
        return list(
            Patient.objects.filter(account__owner=user, removed_at__isnull=True).order_by("seat")
        )
    try:
        normalize_id_number(digits)
    except DomainError:
        pass
    else:
        return list(Patient.objects.filter(id_number_index=blind_index("id_number", digits)))
    if not digits.isdigit():
        return None
    if len(digits) == 4:
        accounts_ending = SearchToken.objects.filter(digest=last4_digest(digits)).values(
            "patient__account"
        )
        return list(
            Patient.objects.filter(account__in=accounts_ending, removed_at__isnull=True).order_by(
                "account_id", "seat"
            )[:_CANDIDATES]
        )
    if len(digits) >= CHART_NUMBER_DIGITS:
        return list(Patient.objects.filter(pk=int(digits), removed_at__isnull=True))
    return []


def _by_name(term: str) -> list[Patient]:
    found: dict[int, Patient] = {}
    for digests, check in query_digests(term):
        holders = (
            SearchToken.objects.filter(digest__in=digests)
            .values("patient")
            .annotate(held=Count("digest"))
            .filter(held=len(digests))
            .values("patient")
        )
        people = Patient.objects.filter(pk__in=holders, removed_at__isnull=True).order_by("pk")
        for person in people[:_CANDIDATES]:
            # Pairs narrow a longer part down; the decrypted name says whether it is in it.
            if not check or check in compact(person.name):
                found.setdefault(person.pk, person)
    return sorted(found.values(), key=lambda p: p.pk)


def patients_search(*, actor, term: str) -> list[Patient]:
    """Staff search: by name (whole, part, pinyin initials or spelling), mobile number or its
    last four digits, resident ID number or chart number; only people seen at the
    searcher's clinics (every clinic for chain-wide staff), at most ``SEARCH_MATCHES``."""
    term = (term or "").strip()[:64]
    if not term:
        return []
    found = _by_number(term)
    if found is None:
        found = _by_name(term)
    if not found:
        return []
    mine = clinics.staff_clinic_ids(actor)
    if mine is not None:
        seen = visits.patients_seen_at(patient_ids=[p.pk for p in found], clinic_ids=mine)
        found = [p for p in found if p.pk in seen]
    return found[:SEARCH_MATCHES]


def _named_if_seen(viewer, patients: dict[str, Patient]) -> dict[str, str]:
    """Their names, for staff of a clinic where they were seen (any, for chain-wide
    staff): whom the viewer could open at the desk (``access.desk_access``)."""
    patients = {key: patient for key, patient in patients.items() if patient.name}
    if not viewer.is_clinic_staff or not patients:
        return {}
    seen = visits.patients_seen_at(
        patient_ids=[patient.pk for patient in patients.values()],
        clinic_ids=clinics.staff_clinic_ids(viewer),
    )
    return {key: patient.name for key, patient in patients.items() if patient.pk in seen}


def patient_labels(viewer, ids) -> dict[str, str]:
    """Patients by their names, where the viewer may see them (the console's lists)."""
    public_ids = [public_id for public_id in map(as_public_id, ids) if public_id]
    found = Patient.objects.filter(public_id__in=public_ids, removed_at__isnull=True)
    return _named_if_seen(viewer, {str(patient.public_id): patient for patient in found})


def patient_user_labels(viewer, ids) -> dict[str, str]:
    """Patients' accounts by their holders' names, where the viewer may see them."""
    public_ids = [public_id for public_id in map(as_public_id, ids) if public_id]
    holders = Patient.objects.filter(
        account__owner__public_id__in=public_ids, seat=0, removed_at__isnull=True
    ).annotate(owner_public_id=F("account__owner__public_id"))
    return _named_if_seen(viewer, {str(holder.owner_public_id): holder for holder in holders})


def patient_rows(*, patient_ids=None) -> list[tuple]:
    """People on family accounts as plain rows ``(id, account holder's user id, seat,
    public_id)`` — these people, or everyone for ``None`` — in one query (patient tags
    and reports attribute a payer's bills to the people on the account)."""
    rows = Patient.objects.filter(removed_at__isnull=True)
    if patient_ids is not None:
        rows = rows.filter(pk__in=list(patient_ids))
    return list(rows.order_by("pk").values_list("pk", "account__owner_id", "seat", "public_id"))


def patient_by_chart_number(number: str) -> Patient | None:
    """The person whose chart number this is (the Patient ID an X-ray unit sends), or None:
    digits only, leading zeros optional; a removed person is no one's."""
    text = (number or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        return None
    return (
        Patient.objects.select_related("account")
        .filter(pk=int(text), removed_at__isnull=True)
        .first()
    )


def patients_by_ids(ids) -> dict[int, Patient]:
    """People by their row ids (lists that show names: search results, complaints)."""
    return {p.pk: p for p in Patient.objects.filter(pk__in=list(ids)).select_related("account")}


@dataclass(frozen=True)
class Person:
    """What reads over many people (CRM's segments, campaigns and playbook) need of one:
    the account holder who is messaged and owns the points, and only the personal fields
    asked for (decrypted only then)."""

    pk: int
    public_id: object
    owner_id: int
    gender: str
    removed: bool
    birth_date: date | None = None
    name: str = ""
    phone: str = ""

    @property
    def chart_number(self) -> str:
        return chart_number(self.pk)


def people_facts(*, patient_ids, birth_dates: bool = False, contact: bool = False) -> dict:
    """Each person of ``patient_ids`` by primary key, in one query."""
    fields = ["pk", "public_id", "account__owner_id", "gender", "removed_at"]
    if birth_dates:
        fields.append("birth_date")
    if contact:
        fields += ["name", "phone"]
    people = {}
    for values in Patient.objects.filter(pk__in=list(patient_ids)).values_list(*fields):
        row = dict(zip(fields, values, strict=True))
        people[row["pk"]] = Person(
            pk=row["pk"],
            public_id=row["public_id"],
            owner_id=row["account__owner_id"],
            gender=row["gender"],
            removed=row["removed_at"] is not None,
            birth_date=row.get("birth_date"),
            name=row.get("name") or "",
            phone=row.get("phone") or "",
        )
    return people
