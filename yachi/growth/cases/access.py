"""The only ways a request reaches a case contest or an entry.

An entry is seen by its entrant and by staff who treat or manage at a clinic (case
review, teaching), never by anyone else: "not yours" and "does not exist" are the same
"not found". Staff reads of an entry are in the audit trail. Contests and their prizes
are kept by managers."""

from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import NotFound, PermissionDenied
from yachi.core.models import as_public_id
from yachi.growth.cases.models import CaseContest, CaseEntry, CaseFile, ContestStatus


class CaseNotFound(NotFound):
    code = "case_not_found"

    def __init__(self):
        super().__init__(_("No such case contest or entry."))


def require_contest_manager(actor) -> None:
    if not clinics.anywhere(actor, clinics.Duty.MANAGE):
        raise PermissionDenied(_("Case contests are run by clinic managers."), code="managers_only")


def may_see_entries(actor) -> bool:
    return bool(
        getattr(actor, "is_clinic_staff", False)
        and (
            clinics.anywhere(actor, clinics.Duty.MANAGE)
            or clinics.anywhere(actor, clinics.Duty.TREAT)
        )
    )


def require_entry_staff(actor) -> None:
    if not may_see_entries(actor):
        raise PermissionDenied(
            _("Case entries are seen by doctors and managers only."), code="forbidden"
        )


def _by_public_id(queryset, value):
    public_id = as_public_id(value)
    found = queryset.filter(public_id=public_id).first() if public_id else None
    if found is None:
        raise CaseNotFound()
    return found


def access_contest_for_manager(*, actor, contest_id) -> CaseContest:
    require_contest_manager(actor)
    return _by_public_id(CaseContest.objects.all(), contest_id)


def access_public_contest(*, contest_id) -> CaseContest:
    """A contest patients may see: open, judging or finished (never a draft)."""
    return _by_public_id(CaseContest.objects.exclude(status=ContestStatus.DRAFT), contest_id)


def access_own_entry(*, user, entry_id) -> CaseEntry:
    return _by_public_id(CaseEntry.objects.select_related("contest").filter(entrant=user), entry_id)


def access_entry_for_staff(*, actor, entry_id, purpose: str = "review") -> CaseEntry:
    require_entry_staff(actor)
    entry = _by_public_id(CaseEntry.objects.select_related("contest", "entrant"), entry_id)
    audit_record(
        action=AuditAction.CLINICAL_READ,
        actor=actor,
        object_type="growth.case_entry",
        object_id=str(entry.public_id),
        details={"purpose": purpose},
    )
    return entry


def access_own_file(*, user, file_id) -> CaseFile:
    return _by_public_id(
        CaseFile.objects.select_related("entry").filter(entry__entrant=user), file_id
    )


def access_file_for_staff(*, actor, file_id) -> CaseFile:
    require_entry_staff(actor)
    case_file = _by_public_id(CaseFile.objects.select_related("entry"), file_id)
    audit_record(
        action=AuditAction.CLINICAL_READ,
        actor=actor,
        object_type="growth.case_entry",
        object_id=str(case_file.entry.public_id),
        details={"purpose": "file", "file": str(case_file.public_id)},
    )
    return case_file


def access_public_contest_or_draft(*, contest_id) -> CaseContest:
    """Any contest, for staff who see entries (the caller checked that)."""
    return _by_public_id(CaseContest.objects.all(), contest_id)
