"""Writes of patient tags: the refresh of computed tags, manual tags, tag definitions."""

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import Conflict, InvalidInput, NotFound
from yachi.crm.tags import facts, rules
from yachi.crm.tags.models import PatientTag, TagDefinition, TagKind, TagSource

# The shipped definitions: code → (中文, English). Thresholds from ``rules.DEFAULTS``.
LABELS = {
    "ltv_12m_top": ("高价值客户", "Top spender (12 months)"),
    "ltv_12m_high": ("较高消费", "High spender (12 months)"),
    "ltv_all_top": ("累计高消费", "Top spender (all time)"),
    "rfm_champion": ("忠诚客户", "Loyal (RFM)"),
    "rfm_at_risk": ("流失风险", "At risk of leaving (RFM)"),
    "price_sensitive": ("价格敏感", "Price-sensitive"),
    "service_sensitive": ("服务敏感", "Service-sensitive"),
    "far_away": ("距离较远", "Lives far away"),
    "arrears": ("欠费", "Arrears"),
    "complaint_history": ("有投诉记录", "Has complained"),
    "no_show_habit": ("爱爽约", "Often misses appointments"),
}
# Manual tags shipped for staff to start with; managers add their own.
MANUAL_LABELS = {
    "vip": ("重要客户", "VIP"),
    "anxious": ("牙科焦虑", "Dental anxiety"),
    "referrer": ("热心推荐人", "Refers friends"),
}

MAX_NOTE = 200


def definitions_ensure() -> None:
    """The shipped definitions, created where missing (a manager's changes are kept)."""
    known = set(TagDefinition.objects.values_list("code", flat=True))
    missing = [
        TagDefinition(code=code, label_zh=zh, label_en=en, kind=kind, thresholds=thresholds)
        for code, (kind, thresholds) in rules.DEFAULTS.items()
        if code not in known
        for zh, en in [LABELS[code]]
    ] + [
        TagDefinition(code=code, label_zh=zh, label_en=en, kind=TagKind.MANUAL)
        for code, (zh, en) in MANUAL_LABELS.items()
        if code not in known
    ]
    TagDefinition.objects.bulk_create(missing, ignore_conflicts=True)


@dataclass(frozen=True)
class Refreshed:
    patients: int
    added: int
    removed: int
    changed: int
    kept: int
    seconds: float

    @property
    def total_changed(self) -> int:
        return self.added + self.removed + self.changed


def tags_refresh(
    *, patient_ids=None, progress: Callable[[str], None] | None = None, today=None
) -> Refreshed:
    """Compute every patient's tags again (or these patients') and store what changed:
    new tags added, tags that no longer hold removed, reasons that moved rewritten.
    Manual tags are left alone."""
    started = time.monotonic()
    step = progress or (lambda label: None)
    definitions_ensure()
    definitions = list(TagDefinition.objects.all())
    by_code = {d.code: d for d in definitions}
    patients, clinic_facts = facts.gather(patient_ids=patient_ids, progress=step)
    today = today or timezone.localdate()
    computed = rules.compute(
        patients=patients,
        clinics=clinic_facts,
        definitions=[
            rules.Definition(code=d.code, kind=d.kind, thresholds=d.thresholds, active=d.active)
            for d in definitions
        ],
        today=today,
    )
    step("computed")
    wanted = {(tag.patient_id, by_code[tag.code].pk): tag for tag in computed}
    existing = PatientTag.objects.filter(source=TagSource.COMPUTED)
    if patient_ids is not None:
        existing = existing.filter(patient_id__in=list(patient_ids))
    stored = {(row.patient_id, row.definition_id): row for row in existing}
    manual = set(
        PatientTag.objects.filter(source=TagSource.MANUAL).values_list(
            "patient_id", "definition_id"
        )
    )
    gone = [row.pk for key, row in stored.items() if key not in wanted]
    new, moved = [], []
    for key, tag in wanted.items():
        row = stored.get(key)
        if row is None:
            if key not in manual:
                new.append(
                    PatientTag(
                        patient_id=tag.patient_id,
                        definition_id=key[1],
                        source=TagSource.COMPUTED,
                        clinic_id=tag.clinic_id,
                        reason=tag.reason[:300],
                    )
                )
        elif row.reason != tag.reason[:300] or row.clinic_id != tag.clinic_id:
            row.reason, row.clinic_id = tag.reason[:300], tag.clinic_id
            row.updated_at = timezone.now()
            moved.append(row)
    with transaction.atomic():
        PatientTag.objects.filter(pk__in=gone).delete()
        PatientTag.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
        PatientTag.objects.bulk_update(moved, ["reason", "clinic_id", "updated_at"], batch_size=500)
    step("stored")
    return Refreshed(
        patients=len(patients),
        added=len(new),
        removed=len(gone),
        changed=len(moved),
        kept=len(wanted) - len(new) - len(moved),
        seconds=time.monotonic() - started,
    )


def _manual_definition(code: str) -> TagDefinition:
    definition = TagDefinition.objects.filter(code=code, kind=TagKind.MANUAL, active=True).first()
    if definition is None:
        raise NotFound(_("No such manual tag."), code="tag_not_found")
    return definition


def manual_tag_add(*, actor, patient, code: str, note: str = "", clinic=None) -> PatientTag:
    """A staff member puts a manual tag on a patient, with a note saying why (the
    reason shown with it). The caller has checked the actor may see this patient."""
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise InvalidInput(
            _("Keep the note to %(n)d characters.") % {"n": MAX_NOTE}, code="note_too_long"
        )
    definition = _manual_definition(code)
    with transaction.atomic():
        tag, created = PatientTag.objects.get_or_create(
            patient=patient,
            definition=definition,
            defaults={"source": TagSource.MANUAL, "reason": note, "added_by": actor},
        )
        if not created:
            raise Conflict(_("The patient already has this tag."), code="tag_exists")
        audit_record(
            action=AuditAction.PATIENT_TAG_CHANGED,
            actor=actor,
            object_type="patient",
            object_id=patient.public_id,
            clinic=clinic or "",
            details={"tag": code, "change": "added"},
        )
    return tag


def manual_tag_remove(*, actor, patient, code: str, clinic=None) -> None:
    definition = _manual_definition(code)
    with transaction.atomic():
        deleted, _count = PatientTag.objects.filter(
            patient=patient, definition=definition, source=TagSource.MANUAL
        ).delete()
        if not deleted:
            raise NotFound(_("The patient has no such tag."), code="tag_not_found")
        audit_record(
            action=AuditAction.PATIENT_TAG_CHANGED,
            actor=actor,
            object_type="patient",
            object_id=patient.public_id,
            clinic=clinic or "",
            details={"tag": code, "change": "removed"},
        )


def definition_save(
    *,
    actor,
    code: str,
    label_zh: str,
    label_en: str = "",
    kind: str = TagKind.MANUAL,
    thresholds: dict | None = None,
    active: bool = True,
) -> TagDefinition:
    """A manager adds a manual tag or renames, tunes or switches off any tag. A
    computed tag keeps its kind and takes only the thresholds its rule knows, each a
    whole number from 0 to 1,000,000."""
    clinics.require_anywhere(actor, clinics.Duty.MANAGE)
    code = (code or "").strip().lower()
    label_zh, label_en = (label_zh or "").strip(), (label_en or "").strip()
    if not label_zh or len(label_zh) > 32 or len(label_en) > 48:
        raise InvalidInput(
            _("Give the tag a Chinese name of at most 32 characters."), code="label_invalid"
        )
    existing = TagDefinition.objects.filter(code=code).first()
    computed = code in rules.DEFAULTS
    if computed:
        kind = rules.DEFAULTS[code][0]
        allowed = rules.DEFAULTS[code][1]
        thresholds = dict(thresholds or {})
        unknown = set(thresholds) - set(allowed)
        if unknown or not all(
            isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 1_000_000
            for v in thresholds.values()
        ):
            raise InvalidInput(
                _("Thresholds must be whole numbers this rule knows."), code="thresholds_invalid"
            )
        thresholds = {**allowed, **thresholds}
    else:
        if kind != TagKind.MANUAL:
            raise InvalidInput(
                _("Only manual tags can be added; computed tags come with the platform."),
                code="kind_invalid",
            )
        if not re.fullmatch(r"[a-z][a-z0-9_]{1,31}", code):
            raise InvalidInput(
                _("A code is 2 to 32 lower-case letters, digits or underscores."),
                code="code_invalid",
            )
        thresholds = {}
    with transaction.atomic():
        if existing is None:
            definition = TagDefinition.objects.create(
                code=code,
                label_zh=label_zh,
                label_en=label_en,
                kind=kind,
                thresholds=thresholds,
                active=active,
            )
        else:
            definition = existing
            definition.label_zh, definition.label_en = label_zh, label_en
            definition.thresholds, definition.active = thresholds, active
            definition.save()
        audit_record(
            action=AuditAction.TAG_DEFINITION_CHANGED,
            actor=actor,
            object_type="crm.tag_definition",
            object_id=definition.public_id,
            details={"code": code, "active": active, "thresholds": thresholds},
        )
    return definition
