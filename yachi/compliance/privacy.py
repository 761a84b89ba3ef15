"""Personal-information rights (PIPL arts. 45 and 47): a patient downloads all their
data, or asks for it to be deleted. Each context exports and erases its own part;
this module puts them together, packs the download and answers in plain words."""

import io
import json
import zipfile
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.accounts import facade as accounts
from yachi.compliance.audit import audit_record
from yachi.compliance.models import AuditAction, AuditEntry
from yachi.core.errors import PermissionDenied
from yachi.patients import facade as patients

README = """这是您在牙齿口腔的全部个人信息。data.json 为结构化数据，photos/ 为面部照片。
This is all the personal information Yachi Dental holds about you. data.json holds the
structured data; photos/ holds facial photos.
"""


def _patient_account(user):
    if not user.is_patient:
        raise PermissionDenied(
            _("Only patients can download or erase their data here."), code="patients_only"
        )
    return patients.account_open(user=user)


def personal_data_export(*, user) -> tuple[str, bytes]:
    """``(file name, zip bytes)`` with data.json, the photos and a short read-me."""
    account = _patient_account(user)
    family, files = patients.family_export(account)
    activity = AuditEntry.objects.filter(actor_id=user.pk).order_by("-seq")[:500]
    data = {
        "exported_at": timezone.now().isoformat(),
        "account": accounts.account_export(user),
        **family,
        "activity": [
            {"at": e.created_at.isoformat(), "action": e.action, "ip": e.ip, "device": e.device}
            for e in activity
        ],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README)
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        for name, content in files.items():
            archive.writestr(name, content)
    audit_record(
        action=AuditAction.DATA_EXPORTED,
        actor=user,
        object_type="family_account",
        object_id=account.public_id,
        details={"photos": len(files)},
    )
    stamp = timezone.localdate().isoformat()
    return f"yachi-my-data-{stamp}.zip", buffer.getvalue()


@dataclass(frozen=True)
class ErasureResult:
    deleted: list[str]
    retained: list[dict]
    message: str


@transaction.atomic
def personal_data_erase(*, user) -> ErasureResult:
    """Delete what the law lets us delete, keep medical records as long as it requires."""
    account = _patient_account(user)
    reason = _("Account closed at the patient's request")
    family = patients.family_erase(account, reason=reason)
    deleted = [
        _("mobile numbers, login and devices"),
        _("facial photos (%(count)s)") % {"count": family.photos_deleted},
        _("upcoming appointments (%(count)s cancelled)") % {"count": family.appointments_cancelled},
        _("names and details of %(count)s people without medical records")
        % {"count": family.anonymised},
    ]
    retained = []
    if family.records_kept_until:
        retained.append(
            {
                "what": _("medical records and the details that identify the patient in them"),
                "until": family.records_kept_until.isoformat(),
                "reason": _(
                    "Outpatient medical records must be kept for at least 15 years after "
                    "the last visit (Medical Records Management Regulations, art. 29)."
                ),
            }
        )
    retained.append(
        {
            "what": _("the audit trail of what was done with the data"),
            "until": None,
            "reason": _("Kept for security and legal obligations, at least 180 days."),
        }
    )
    audit_record(
        action=AuditAction.DATA_ERASED,
        actor=user,
        object_type="family_account",
        object_id=account.public_id,
        details={
            "anonymised": family.anonymised,
            "kept_for_records": family.kept_for_records,
            "records_kept_until": family.records_kept_until.isoformat()
            if family.records_kept_until
            else None,
        },
    )
    accounts.account_erase(user)
    if family.records_kept_until:
        message = _(
            "Your account is closed and your personal information has been deleted, except "
            "your medical records, which the law requires us to keep until %(until)s."
        ) % {"until": family.records_kept_until.isoformat()}
    else:
        message = _("Your account is closed and your personal information has been deleted.")
    return ErasureResult(deleted=deleted, retained=retained, message=message)
