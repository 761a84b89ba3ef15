"""Reads of the playbook: each rule's effect against its holdout, its last runs, the
clinic's follow-up calls."""

from bisect import bisect_right
from datetime import date, timedelta

from django.utils import timezone

from yachi.booking import facade as booking
from yachi.crm.playbook.choices import EFFECT_DAYS, Group, TaskStatus
from yachi.crm.playbook.models import FollowUpTask, RuleRun, Touch
from yachi.crm.playbook.stats import Effect, difference_interval


def rule_effects(rules, *, now=None) -> dict[int, Effect]:
    """For each rule: of the patients reached and of those held out whose 30 days are
    over, how many booked within them; the difference with its 95 % interval. Two
    queries for all the rules together."""
    now = now or timezone.now()
    window = timedelta(days=EFFECT_DAYS)
    touches = list(
        Touch.objects.filter(
            rule__in=list(rules),
            group__in=(Group.REACHED, Group.HOLDOUT),
            at__lte=now - window,
        ).values_list("rule_id", "patient_id", "group", "at")
    )
    booked_at: dict[int, list] = {}
    if touches:
        for row in booking.visit_rows(
            patient_ids={t[1] for t in touches}, created_from=min(t[3] for t in touches)
        ):
            booked_at.setdefault(row.patient_id, []).append(row.created_at)
    for moments in booked_at.values():
        moments.sort()
    tally = {rule.pk: {Group.REACHED: [0, 0], Group.HOLDOUT: [0, 0]} for rule in rules}
    for rule_id, patient_id, group, at in touches:
        moments = booked_at.get(patient_id, [])
        index = bisect_right(moments, at)
        booked = index < len(moments) and moments[index] <= at + window
        counts = tally[rule_id][group]
        counts[0] += 1
        counts[1] += int(booked)
    return {
        rule_id: difference_interval(
            groups[Group.REACHED][1],
            groups[Group.REACHED][0],
            groups[Group.HOLDOUT][1],
            groups[Group.HOLDOUT][0],
        )
        for rule_id, groups in tally.items()
    }


def last_runs(rules) -> dict[int, RuleRun]:
    last = {}
    for run in RuleRun.objects.filter(rule__in=list(rules)).order_by("rule_id", "-created_at"):
        last.setdefault(run.rule_id, run)
    return last


def rule_totals(rules) -> dict[int, dict]:
    from django.db.models import Count

    totals = {rule.pk: {g: 0 for g in Group.values} for rule in rules}
    for rule_id, group, n in (
        Touch.objects.filter(rule__in=list(rules))
        .values_list("rule_id", "group")
        .annotate(n=Count("pk"))
        .values_list("rule_id", "group", "n")
    ):
        totals[rule_id][group] = n
    return totals


def clinic_tasks(*, clinic, status: str = TaskStatus.OPEN, limit: int = 200) -> list[FollowUpTask]:
    return clinic_tasks_page(clinic=clinic, status=status, limit=limit)[0]


def clinic_tasks_page(
    *,
    clinic,
    status: str = TaskStatus.OPEN,
    due_from: date | None = None,
    due_to: date | None = None,
    limit: int = 200,
    offset: int = 0,
) -> tuple[list[FollowUpTask], int]:
    """A page of the clinic's follow-up calls in one state (those to call by the day
    they are due, those done the latest first), due between two days when given; and
    how many there are in all. Two queries."""
    tasks = FollowUpTask.objects.filter(clinic=clinic, status=status)
    if due_from is not None:
        tasks = tasks.filter(due_on__gte=due_from)
    if due_to is not None:
        tasks = tasks.filter(due_on__lte=due_to)
    order = ("due_on", "pk") if status == TaskStatus.OPEN else ("-done_at", "-pk")
    page = list(tasks.select_related("rule", "done_by").order_by(*order)[offset : offset + limit])
    return page, tasks.count()
