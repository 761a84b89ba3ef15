"""Writes of scans: an export uploaded by staff, checked, converted and kept encrypted."""

import datetime
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.compliance.facade import AuditAction, audit_record, decrypt_bytes, encrypt_bytes
from yachi.core.errors import DomainError, InvalidInput
from yachi.imaging.scans.geometry.meshes import MeshRefused, convert
from yachi.imaging.scans.models import Jaw, Scan

FILE_CONTEXT = "imaging.scan.file"


class ScanTooLarge(DomainError):
    status = 413
    code = "scan_too_large"


def refusal_message(code: str) -> str:
    limit = settings.YACHI_SCAN_MAX_BYTES // (1024 * 1024)
    return {
        "scan_unsupported_format": _("Upload the scanner's export as an STL, PLY or OBJ file."),
        "scan_not_a_mesh": _("This file is not a 3D mesh the scanner exported (STL, PLY or OBJ)."),
        "scan_truncated": _("The file ends too early: it was cut off. Export it again."),
        "scan_empty": _("The file holds no triangles: export the scan again."),
        "scan_too_many_triangles": _(
            "The scan has more than %(count)s triangles: export it at a lower resolution."
        )
        % {"count": f"{settings.YACHI_SCAN_MAX_TRIANGLES:,}"},
        "scan_too_large": _("The file is too large (at most %(mb)s MB).") % {"mb": limit},
    }.get(code, _("The scan could not be read."))


def _taken_on(value) -> datetime.date:
    if isinstance(value, datetime.date):
        taken = value
    else:
        try:
            taken = datetime.date.fromisoformat(str(value or "").strip()[:10])
        except ValueError:
            raise InvalidInput(
                _("Give the date the scan was taken."), code="invalid_date"
            ) from None
    if taken > timezone.localdate() or taken.year < 2000:
        raise InvalidInput(
            _("The date the scan was taken cannot be in the future."), code="invalid_date"
        )
    return taken


def scan_upload(
    *,
    actor,
    patient,
    clinic,
    upload,
    jaw: str,
    taken_on,
    description: str = "",
    synthetic: bool = False,
) -> Scan:
    """Check one export, convert it to the viewers' GLB and keep it encrypted; refusals
    are ``InvalidInput`` (422) or ``ScanTooLarge`` (413), and nothing is kept then."""
    if jaw not in Jaw.values:
        raise InvalidInput(_("Choose the upper or the lower jaw."), code="invalid_jaw")
    taken = _taken_on(taken_on)
    if upload is None:
        raise InvalidInput(_("Choose the scanner's export to upload."), code="file_missing")
    limit = settings.YACHI_SCAN_MAX_BYTES
    if upload.size > limit:
        raise ScanTooLarge(refusal_message("scan_too_large"))
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ScanTooLarge(refusal_message("scan_too_large"))
    try:
        converted = convert(
            data,
            upload.name or "",
            max_triangles=settings.YACHI_SCAN_MAX_TRIANGLES,
            phone_triangles=settings.YACHI_SCAN_PHONE_TRIANGLES,
        )
    except MeshRefused as refused:
        raise InvalidInput(refusal_message(refused.code), code=refused.code) from None
    scan = Scan(
        clinic=clinic,
        patient=patient,
        jaw=jaw,
        taken_on=taken,
        description=str(description or "")[:120],
        source_format=converted.source_format,
        source_size=len(data),
        source_triangles=converted.source_triangles,
        triangles=converted.triangles,
        watertight=converted.watertight,
        synthetic=synthetic,
        size=len(converted.glb),
        uploaded_by=actor,
    )
    name = f"{uuid.uuid4().hex}.glb.sm4"
    scan.file.save(
        name, ContentFile(encrypt_bytes(converted.glb, context=FILE_CONTEXT)), save=False
    )
    try:
        with transaction.atomic():
            scan.save()
            audit_record(
                action=AuditAction.SCAN_UPLOADED,
                actor=actor,
                object_type="scan",
                object_id=scan.public_id,
                clinic=clinic,
                details={
                    "patient": str(patient.public_id),
                    "jaw": jaw,
                    "format": converted.source_format,
                    "triangles": converted.source_triangles,
                },
            )
    except BaseException:
        scan.file.storage.delete(scan.file.name)
        raise
    return scan


def scan_glb(scan: Scan) -> bytes:
    with scan.file.open("rb") as stored:
        return decrypt_bytes(stored.read(), context=FILE_CONTEXT)
