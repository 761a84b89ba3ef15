"""Personal-information rights (PIPL arts. 45 and 47): a patient downloads all their
data, or asks for it to be deleted. Each context exports and erases its own part,
which it registers here when its app loads (``register_personal_data``); this module
puts the parts together, packs the download and answers in plain words. It imports
none of them: compliance lies beneath every context that holds personal data."""

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.compliance.audit import audit_record
from yachi.compliance.models import AuditAction, AuditEntry
from yachi.core.errors import patients_only

README = """这是您在牙齿口腔的全部个人信息。data.json 为结构化数据，photos/ 为面部照片，xrays/ 为 X 光片（DICOM）。
This is all the personal information Yachi Dental holds about you. data.json holds the
structured data; photos/ holds facial photos; xrays/ holds X-rays (DICOM files).
"""


@dataclass(frozen=True)
class ExportedPart:
    """What one context holds about the user: top-level keys of data.json, files of the zip,
    and the object the audit entry names (``(object_type, object_id)``), if it has one."""

    data: dict
    files: dict[str, bytes] = field(default_factory=dict)
    subject: tuple[str, object] | None = None


@dataclass(frozen=True)
class ErasedPart:
    """What one context deleted (in plain words), what it kept (``what``, ``until`` as an
    ISO date or None, ``reason``) and the figures the audit entry records."""

    deleted: list[str] = field(default_factory=list)
    retained: list[dict] = field(default_factory=list)
    details: dict = field(default_factory=dict)
    subject: tuple[str, object] | None = None


@dataclass(frozen=True)
class PersonalDataPart:
    """One context's part: exported in ``order``, erased in the reverse order, so that what
    stands on another part is erased before it. ``exporter(user)`` returns an
    ``ExportedPart``; ``eraser(user, reason=...)`` an ``ErasedPart``."""

    name: str
    order: int
    exporter: Callable[..., ExportedPart]
    eraser: Callable[..., ErasedPart]


_parts: dict[str, PersonalDataPart] = {}


def register_personal_data(part: PersonalDataPart) -> None:
    _parts[part.name] = part


def _registered() -> list[PersonalDataPart]:
    return sorted(_parts.values(), key=lambda part: part.order)


def _patients_only(user) -> None:
    patients_only(user, _("Only patients can download or erase their data here."))


def _subject(parts) -> tuple[str, object]:
    for part in parts:
        if part.subject is not None:
            return part.subject
    return "user", None


def personal_data_export(*, user) -> tuple[str, bytes]:
    """``(file name, zip bytes)`` with data.json, the photos and a short read-me."""
    _patients_only(user)
    exported_at = timezone.now().isoformat()
    parts = [part.exporter(user) for part in _registered()]
    activity = AuditEntry.objects.filter(actor_id=user.pk).order_by("-seq")[:500]
    data = {"exported_at": exported_at}
    files = {}
    for part in parts:
        data.update(part.data)
        files.update(part.files)
    data["activity"] = [
        {"at": e.created_at.isoformat(), "action": e.action, "ip": e.ip, "device": e.device}
        for e in activity
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README)
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        for name, content in files.items():
            archive.writestr(name, content)
    object_type, object_id = _subject(parts)
    audit_record(
        action=AuditAction.DATA_EXPORTED,
        actor=user,
        object_type=object_type,
        object_id=object_id if object_id is not None else user.public_id,
        details={
            "photos": sum(name.startswith("photos/") for name in files),
            "files": len(files),
        },
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
    _patients_only(user)
    reason = _("Account closed at the patient's request")
    registered = _registered()
    erased = {part.name: part.eraser(user, reason=reason) for part in reversed(registered)}
    parts = [erased[part.name] for part in registered]
    deleted = [text for part in parts for text in part.deleted]
    retained = [entry for part in parts for entry in part.retained]
    kept_until = next((entry["until"] for entry in retained if entry.get("until")), None)
    retained.append(
        {
            "what": _("the audit trail of what was done with the data"),
            "until": None,
            "reason": _("Kept for security and legal obligations, at least 180 days."),
        }
    )
    object_type, object_id = _subject(parts)
    audit_record(
        action=AuditAction.DATA_ERASED,
        actor=user,
        object_type=object_type,
        object_id=object_id if object_id is not None else user.public_id,
        details={key: value for part in parts for key, value in part.details.items()},
    )
    if kept_until:
        message = _(
            "Your account is closed and your personal information has been deleted, except "
            "your medical records, which the law requires us to keep until %(until)s."
        ) % {"until": kept_until}
    else:
        message = _("Your account is closed and your personal information has been deleted.")
    return ErasureResult(deleted=deleted, retained=retained, message=message)
