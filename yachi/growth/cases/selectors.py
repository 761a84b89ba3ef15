"""Reads of case contests: what patients see (contests, never entries but their own) and
the console's lists."""

from django.db.models import Count, Q

from yachi.growth.cases.models import CaseContest, CaseEntry, ContestStatus, EntryStatus


def contests_for_patients():
    return list(
        CaseContest.objects.exclude(status=ContestStatus.DRAFT)
        .defer("check_hits")
        .order_by("-starts_on")[:20]
    )


def entries_of(user):
    return list(
        CaseEntry.objects.filter(entrant=user)
        .select_related("contest")
        .prefetch_related("files")
        .order_by("-created_at")
    )


def own_entry_in(user, contest):
    return (
        CaseEntry.objects.filter(entrant=user, contest=contest)
        .exclude(status=EntryStatus.WITHDRAWN)
        .first()
    )


def contests_for_console():
    return list(
        CaseContest.objects.annotate(
            entry_count=Count("entries", filter=~Q(entries__status=EntryStatus.WITHDRAWN)),
            waiting=Count("entries", filter=Q(entries__status=EntryStatus.SUBMITTED)),
        ).order_by("-starts_on")
    )


def entries_of_contest(contest, *, status: str | None = None):
    entries = CaseEntry.objects.filter(contest=contest).select_related("entrant")
    if status in EntryStatus.values:
        entries = entries.filter(status=status)
    return list(entries.prefetch_related("scores").order_by("status", "created_at"))
