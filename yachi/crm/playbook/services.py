"""Running the playbook and changing it.

A run of a rule decides, for each new occurrence, whether the patient is reached,
skipped (removed from the family, refused offers, already booked) or held out (a share
of the eligible patients chosen by ``stats.in_holdout``, left alone so that the rule's
effect can be measured). Every decision is a ``Touch``, unique per rule, patient and
occurrence, and only the touches a run wrote lead to a message, a coupon, points or a
call task — each with a key of its own on top — so a rule acts once per occurrence
however often, or however concurrently, it runs. Promotions go through messaging, which
holds them back during the quiet hours.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from yachi.accounts import facade as accounts
from yachi.clinics import facade as clinics
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import Conflict, InvalidInput
from yachi.crm.playbook import engine, stats
from yachi.crm.playbook.choices import Action, CallOutcome, Group, SkipReason, TaskStatus
from yachi.crm.playbook.defaults import DEFAULT_RULES
from yachi.crm.playbook.models import MAX_HOLDOUT_PERCENT, FollowUpTask, Rule, RuleRun, Touch
from yachi.crm.segments.scope import Scope
from yachi.growth import facade as growth
from yachi.messaging import facade as messaging

# Actions that are promotions: they need the patient's consent to offers.
PROMOTIONS = (Action.MESSAGE, Action.MESSAGE_COUPON, Action.POINTS)


def rules_seed(*, clinic) -> int:
    """The default rules a clinic does not have yet (by code); how many were made."""
    have = set(Rule.objects.filter(clinic=clinic).values_list("code", flat=True))
    made = 0
    with translation.override(settings.LANGUAGE_CODE):
        for spec in DEFAULT_RULES:
            if spec["code"] in have:
                continue
            values = {k: str(v) if k in ("name", "text", "script") else v for k, v in spec.items()}
            try:
                with transaction.atomic():
                    Rule.objects.create(clinic=clinic, **values)
                made += 1
            except IntegrityError:
                pass  # made meanwhile by another run
    return made


def clinic_rules(*, clinic) -> list[Rule]:
    rules_seed(clinic=clinic)
    return list(Rule.objects.filter(clinic=clinic).order_by("created_at", "pk"))


EDITABLE = (
    "name",
    "days_after",
    "repeat_days",
    "text",
    "points",
    "script",
    "holdout_percent",
    "active",
)


def rule_save(*, actor, rule: Rule, changes: dict) -> Rule:
    changes = {k: v for k, v in changes.items() if k in EDITABLE}
    if not 0 <= changes.get("holdout_percent", rule.holdout_percent) <= MAX_HOLDOUT_PERCENT:
        raise InvalidInput(
            _("The holdout is at most %(n)s %%.") % {"n": MAX_HOLDOUT_PERCENT}, code="holdout"
        )
    if "text" in changes:
        growth.promotion_require({_("message"): changes["text"]})
    before = {k: getattr(rule, k) for k in changes}
    with transaction.atomic():
        for key, value in changes.items():
            setattr(rule, key, value)
        rule.updated_by = actor
        rule.full_clean(exclude=["clinic", "updated_by"])
        rule.save()
        audit_record(
            action=AuditAction.PLAYBOOK_RULE_CHANGED,
            actor=actor,
            object_type="crm.rule",
            object_id=rule.public_id,
            clinic=rule.clinic,
            details={
                "rule": rule.code,
                "changed": sorted(k for k in changes if before[k] != changes[k]),
            },
        )
    return rule


@dataclass(frozen=True)
class RunResult:
    rule: Rule
    reached: int
    skipped: int
    held_out: int


def _link(rule: Rule) -> str:
    if rule.action == Action.POINTS:
        return reverse("web:points")
    return reverse("web:book_services", args=[rule.clinic.public_id])


def _act(rule: Rule, touch: Touch, person, owner, occurrence, service_names) -> None:
    key = f"crm.rule:{rule.public_id}:{touch.occurrence}:{person.public_id}"
    if rule.action == Action.FOLLOW_UP:
        FollowUpTask.objects.create(
            clinic=rule.clinic,
            rule=rule,
            touch=touch,
            patient_id=touch.patient_id,
            service_name=service_names.get(occurrence.service_code, occurrence.service_code),
            visit_on=occurrence.visit_on or occurrence.due_on,
            due_on=occurrence.due_on,
        )
        return
    if rule.action == Action.MESSAGE_COUPON:
        growth.cleaning_recall_coupon_issue(
            user=owner, idempotency_key=key, reason=_("Playbook: %(rule)s") % {"rule": rule.name}
        )
    if rule.action == Action.POINTS and rule.points:
        growth.points_earn(
            user=owner, points=rule.points, reason="activity", idempotency_key=key, reference=key
        )
    kind = "crm_birthday" if rule.action == Action.POINTS else "crm_care_reminder"
    messaging.notify(
        recipient=owner,
        kind=kind,
        params={
            "clinic": rule.clinic.display_name,
            "patient": person.name or "",
            "text": rule.text,
            "link": _link(rule),
        },
        key=key,
        object_type="crm.rule",
        object_id=rule.public_id,
    )


def rule_run(rule: Rule, *, scope: Scope | None = None, now=None) -> RunResult:
    """Run one rule once for the scope's day (today at the clinic by default)."""
    from yachi.patients import facade as patients

    now = now or timezone.now()
    scope = scope or Scope(clinic=rule.clinic)
    found = engine.occurrences(rule, scope)
    with transaction.atomic():
        run = RuleRun.objects.create(rule=rule, run_on=scope.today)
        decided = set(
            Touch.objects.filter(rule=rule, occurrence__in={o.key for o in found}).values_list(
                "patient_id", "occurrence"
            )
        )
        new = [o for o in found if (o.patient_id, o.key) not in decided]
        people = patients.people_facts(patient_ids={o.patient_id for o in new}, contact=True)
        refusing = messaging.marketing_refused(user_ids={p.owner_id for p in people.values()})
        booked = set()
        if rule.action in (Action.MESSAGE, Action.MESSAGE_COUPON) and not rule.none_booked_since:
            booked = engine.upcoming_booked({o.patient_id for o in new}, now=now)
        touches = []
        for occurrence in new:
            person = people.get(occurrence.patient_id)
            group, reason = Group.REACHED, ""
            if person is None or person.removed:
                group, reason = Group.SKIPPED, SkipReason.REMOVED
            elif rule.action in PROMOTIONS and person.owner_id in refusing:
                group, reason = Group.SKIPPED, SkipReason.NO_CONSENT
            elif occurrence.patient_id in booked:
                group, reason = Group.SKIPPED, SkipReason.BOOKED
            elif stats.in_holdout(str(rule.public_id), str(person.public_id), rule.holdout_percent):
                group = Group.HOLDOUT
            touches.append(
                Touch(
                    rule=rule,
                    patient_id=occurrence.patient_id,
                    occurrence=occurrence.key,
                    group=group,
                    reason=reason,
                    run=run,
                    at=now,
                )
            )
        Touch.objects.bulk_create(touches, batch_size=500, ignore_conflicts=True)
        # Only what this run wrote is acted on: a concurrent run's rows are its own.
        mine = list(Touch.objects.filter(run=run))
        by_key = {(o.patient_id, o.key): o for o in new}
        reached = [t for t in mine if t.group == Group.REACHED]
        owners = accounts.users_by_ids({people[t.patient_id].owner_id for t in reached})
        service_names = {}
        if rule.action == Action.FOLLOW_UP:
            for service in clinics.clinic_services(clinic=rule.clinic):
                service_names.setdefault(service.code, service.display_name)
        for touch in reached:
            person = people[touch.patient_id]
            _act(
                rule,
                touch,
                person,
                owners[person.owner_id],
                by_key[(touch.patient_id, touch.occurrence)],
                service_names,
            )
        counts = {g: sum(1 for t in mine if t.group == g) for g in Group.values}
        run.reached, run.skipped, run.held_out = (
            counts[Group.REACHED],
            counts[Group.SKIPPED],
            counts[Group.HOLDOUT],
        )
        run.save(update_fields=["reached", "skipped", "held_out", "updated_at"])
    return RunResult(rule, run.reached, run.skipped, run.held_out)


def playbook_run(*, clinic_ids=None, today=None, now=None) -> list[RunResult]:
    """Every active rule of every active clinic (or of ``clinic_ids``), once."""
    results = []
    for clinic in clinics.active_clinics():
        if clinic_ids is not None and clinic.pk not in clinic_ids:
            continue
        scope = Scope(clinic=clinic, today=today)
        for rule in clinic_rules(clinic=clinic):
            if rule.active:
                results.append(rule_run(rule, scope=scope, now=now))
    return results


def follow_up_record(*, actor, task: FollowUpTask, outcome: str, note: str = "") -> FollowUpTask:
    if outcome not in CallOutcome.values:
        raise InvalidInput(_("Choose how the call went."), code="outcome")
    note = (note or "").strip()
    if len(note) > 1000:
        raise InvalidInput(_("A note has at most 1000 characters."), code="note_too_long")
    with transaction.atomic():
        now = timezone.now()
        # Conditional, so that two people recording the same call keep the first outcome.
        recorded = FollowUpTask.objects.filter(pk=task.pk, status=TaskStatus.OPEN).update(
            status=TaskStatus.DONE,
            outcome=outcome,
            note=note,
            done_by=actor,
            done_at=now,
            updated_at=now,
        )
        if not recorded:
            raise Conflict(_("This call has already been recorded."), code="already_recorded")
        task.status, task.outcome, task.note = TaskStatus.DONE, outcome, note
        task.done_by, task.done_at, task.updated_at = actor, now, now
        audit_record(
            action=AuditAction.FOLLOW_UP_RECORDED,
            actor=actor,
            object_type="crm.follow_up",
            object_id=task.public_id,
            clinic=task.clinic,
            details={"outcome": outcome},
        )
    return task
