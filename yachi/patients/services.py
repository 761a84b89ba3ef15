from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.accounts.facade import NAME_PURPOSE, user_rename
from yachi.compliance.facade import blind_index
from yachi.core.errors import Conflict, InvalidInput
from yachi.patients.choices import FAMILY_SEATS, Gender, Relationship
from yachi.patients.identity import normalize_id_number
from yachi.patients.models import FamilyAccount, Patient, SearchToken
from yachi.patients.search import digests_of
from yachi.patients.visits import visits


class FamilyLimitReached(Conflict):
    code = "family_limit"


def account_open(*, user, name: str = "") -> FamilyAccount:
    """The family account of a patient user, created with its holder on first use."""
    with transaction.atomic():
        account, created = FamilyAccount.objects.get_or_create(owner=user)
        if created:
            holder = Patient.objects.create(
                account=account,
                seat=0,
                relationship=Relationship.SELF,
                name=name or user.name,
                phone=user.phone,
            )
            search_tokens_write(patients=[holder])
    return account


def search_tokens_write(*, patients: list[Patient]) -> None:
    """Index these people's names and numbers for staff search anew (``search.py``).
    Every service that writes a name or a number calls it in its transaction."""
    with transaction.atomic():
        SearchToken.objects.filter(patient__in=[p.pk for p in patients]).delete()
        SearchToken.objects.bulk_create(
            [
                SearchToken(patient_id=person.pk, digest=digest)
                for person in patients
                for digest in digests_of(name=person.name, phone=person.phone)
            ],
            batch_size=1000,
        )


def _clean_id_number(id_number: str) -> str:
    return normalize_id_number(id_number) if (id_number or "").strip() else ""


def _clean_member(*, name: str, relationship: str, gender: str, birth_date: date | None):
    name = (name or "").strip()
    if not 1 <= len(name) <= 64:
        raise InvalidInput(_("Enter a name of 1 to 64 characters."), code="invalid_name")
    if relationship not in Relationship.values or relationship == Relationship.SELF:
        raise InvalidInput(_("Choose how this person is related to you."))
    if gender not in Gender.values:
        raise InvalidInput(_("Choose a gender."))
    if birth_date is not None:
        today = timezone.localdate()
        if birth_date > today or birth_date.year < 1900:
            raise InvalidInput(_("Enter a real date of birth."), code="invalid_birth_date")
    return name


def family_member_add(
    *,
    account: FamilyAccount,
    name: str,
    relationship: str,
    gender: str = Gender.UNKNOWN,
    birth_date: date | None = None,
    id_number: str = "",
) -> Patient:
    name = _clean_member(name=name, relationship=relationship, gender=gender, birth_date=birth_date)
    id_number = _clean_id_number(id_number)
    refused = FamilyLimitReached(
        _("A family account can hold at most %(count)s family members.") % {"count": FAMILY_SEATS}
    )
    with transaction.atomic():
        # Locking the account makes concurrent additions take turns on PostgreSQL;
        # the unique seat is the guard underneath on every database.
        FamilyAccount.objects.select_for_update().get(pk=account.pk)
        taken = set(
            Patient.objects.filter(account=account, seat__isnull=False).values_list(
                "seat", flat=True
            )
        )
        free = [seat for seat in range(1, FAMILY_SEATS + 1) if seat not in taken]
        if not free:
            raise refused
        try:
            with transaction.atomic():
                member = Patient.objects.create(
                    account=account,
                    seat=free[0],
                    relationship=relationship,
                    name=name,
                    gender=gender,
                    birth_date=birth_date,
                    id_number=id_number,
                )
        except IntegrityError as exc:
            raise refused from exc
        search_tokens_write(patients=[member])
        return member


def family_member_update(
    *,
    patient: Patient,
    name: str,
    relationship: str,
    gender: str,
    birth_date: date | None,
    id_number: str | None = None,
) -> Patient:
    """Change a person's details; ``id_number=None`` leaves the ID number as it is."""
    if patient.is_holder:
        relationship = Relationship.SELF
        name = (name or "").strip()
        if len(name) > 64:
            raise InvalidInput(_("Enter a name of 1 to 64 characters."), code="invalid_name")
        if gender not in Gender.values:
            raise InvalidInput(_("Choose a gender."))
    else:
        name = _clean_member(
            name=name, relationship=relationship, gender=gender, birth_date=birth_date
        )
    patient.name, patient.relationship = name, relationship
    patient.gender, patient.birth_date = gender, birth_date
    if id_number is not None:
        patient.id_number = _clean_id_number(id_number)
    # A full save, so that the blind index follows the ID number.
    with transaction.atomic():
        patient.save()
        search_tokens_write(patients=[patient])
    if patient.is_holder and patient.account.owner.name != name:
        user_rename(user_id=patient.account.owner_id, name=name)
    return patient


def family_member_remove(*, patient: Patient) -> None:
    if patient.is_holder:
        raise InvalidInput(_("The account holder cannot be removed."), code="holder_not_removable")
    if visits.patient_has_upcoming_appointments(patient_id=patient.pk):
        raise Conflict(
            _("Cancel this person's upcoming appointments before removing them."),
            code="member_has_appointments",
        )
    Patient.objects.filter(pk=patient.pk).update(seat=None, removed_at=timezone.now())


def holder_rename(*, account: FamilyAccount, name: str) -> None:
    """Give a nameless holder a name. The name is encrypted, so "has no name yet" is
    asked of its blind index, which is empty exactly when the name is."""
    with transaction.atomic():
        renamed = Patient.objects.filter(account=account, seat=0, name_index="").update(
            name=name, name_index=blind_index(NAME_PURPOSE, name)
        )
        if renamed:
            search_tokens_write(patients=[Patient.objects.get(account=account, seat=0)])


def patient_user_opened(*, user, name: str = "", rename: bool = False) -> None:
    """A patient user was registered or found at the front desk: their family account
    and own record exist from now on; ``rename``: the user was just given ``name``."""
    account = account_open(user=user, name=name)
    if rename:
        holder_rename(account=account, name=name)
