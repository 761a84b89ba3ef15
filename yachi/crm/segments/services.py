"""Saving, counting and exporting segments. Every save and export is audited."""

import csv
import io

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import Conflict, InvalidInput
from yachi.crm.segments.criteria import age_on
from yachi.crm.segments.definition import definition_clean
from yachi.crm.segments.engine import segment_patient_ids
from yachi.crm.segments.models import Segment
from yachi.crm.segments.scope import Scope
from yachi.patients import facade as patients


def segment_count(*, clinic, definition: dict) -> int:
    """How many patients of the clinic a raw definition matches (validated first)."""
    cleaned = definition_clean(definition, clinic=clinic)
    return len(segment_patient_ids(cleaned, Scope(clinic=clinic)))


def segment_members(segment: Segment, *, scope: Scope | None = None) -> set[int]:
    return segment_patient_ids(segment.definition, scope or Scope(clinic=segment.clinic))


def segment_save(*, actor, clinic, name: str, definition: dict, segment=None) -> Segment:
    name = (name or "").strip()
    if not 1 <= len(name) <= 64:
        raise InvalidInput(_("Give the segment a name of at most 64 characters."), code="name")
    cleaned = definition_clean(definition, clinic=clinic)
    count = len(segment_patient_ids(cleaned, Scope(clinic=clinic)))
    try:
        with transaction.atomic():
            if segment is None:
                segment = Segment(clinic=clinic, created_by=actor)
            segment.name, segment.definition = name, cleaned
            segment.last_count, segment.counted_at = count, timezone.now()
            segment.save()
            audit_record(
                action=AuditAction.SEGMENT_CHANGED,
                actor=actor,
                object_type="crm.segment",
                object_id=segment.public_id,
                clinic=clinic,
                details={"name": name, "count": count},
            )
    except IntegrityError:
        raise Conflict(
            _("This clinic already has a segment of that name."), code="segment_name_taken"
        ) from None
    return segment


def segment_delete(*, actor, segment: Segment) -> None:
    if segment.campaigns.exists():
        raise Conflict(
            _("A campaign was sent to this segment: it is kept with it."), code="segment_used"
        )
    with transaction.atomic():
        audit_record(
            action=AuditAction.SEGMENT_CHANGED,
            actor=actor,
            object_type="crm.segment",
            object_id=segment.public_id,
            clinic=segment.clinic,
            details={"name": segment.name, "deleted": True},
        )
        segment.delete()


def may_see_full_phones(user, clinic) -> bool:
    allowed = set(settings.YACHI_CRM_FULL_PHONE_ROLES)
    if user.is_staff and "admin" in allowed:
        return True
    return bool(allowed & set(clinics.roles_at(user, clinic)))


def masked_phone(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if len(phone or "") >= 7 else ""


EXPORT_COLUMNS = ("chart_number", "name", "phone", "gender", "age", "last_visit")


def segment_export(*, actor, segment: Segment) -> str:
    """The segment's patients as CSV (UTF-8 with BOM, which Excel reads as such);
    phones masked unless the actor's role at the clinic allows. Audited with the count."""
    scope = Scope(clinic=segment.clinic)
    ids = segment_members(segment, scope=scope)
    full = may_see_full_phones(actor, segment.clinic)
    contact = patients.people_facts(patient_ids=ids, contact=True)
    genders = {"female": _("Female"), "male": _("Male"), "unknown": _("Not stated")}
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(
        [_("chart number"), _("name"), _("mobile number"), _("gender"), _("age"), _("last visit")]
    )
    for pk in sorted(ids, key=lambda pk: contact[pk].chart_number if pk in contact else ""):
        person, facts = contact.get(pk), scope.people[pk]
        if person is None:
            continue
        last = scope.last_visits.get(pk)
        writer.writerow(
            [
                person.chart_number,
                person.name,
                person.phone if full else masked_phone(person.phone),
                genders.get(person.gender, ""),
                age_on(scope.today, facts.birth_date) if facts.birth_date else "",
                last[0].isoformat() if last else "",
            ]
        )
    audit_record(
        action=AuditAction.SEGMENT_EXPORTED,
        actor=actor,
        object_type="crm.segment",
        object_id=segment.public_id,
        clinic=segment.clinic,
        details={"name": segment.name, "count": len(ids), "phones": "full" if full else "masked"},
    )
    return out.getvalue()
