"""Sending the children's milestone reminders, each once per child."""

from django.conf import settings
from django.utils import timezone

from yachi.clinics import facade as clinics
from yachi.messaging import facade as messaging
from yachi.patients.milestones import due_milestones, milestones_from_sources
from yachi.patients.models import Patient

CHUNK = 500


def send_child_milestones(*, today=None) -> int:
    """Remind account holders of what is due for their children under 13.

    Dates of birth are encrypted, so the database cannot pick the children by age
    (ADR 0018). It narrows the search to the people who can have a milestone at all —
    family members other than the holder, still on an active account, with a date of
    birth — and only their dates are decrypted here, a few microseconds each; the
    rest of a person is read only for those with something due.
    """
    today = today or timezone.localdate()
    if clinics.is_public_holiday(today):
        # Not urgent: the first working day after the holiday is soon enough, and
        # each milestone is still sent once (its key).
        return 0
    members = Patient.objects.filter(
        seat__gt=0,
        removed_at__isnull=True,
        birth_date__isnull=False,
        account__owner__is_active=True,
    )
    due = {}
    births = {}
    for pk, birth in members.values_list("pk", "birth_date").iterator(chunk_size=2000):
        births[pk] = birth
        milestones = due_milestones(birth=birth, today=today)
        if milestones:
            due[pk] = milestones
    # What the tooth chart says of a child's teeth (eruption, shedding) adds its own.
    for pk, milestones in milestones_from_sources(births=births, today=today).items():
        codes = {m.code for m in due.get(pk, [])}
        due.setdefault(pk, []).extend(m for m in milestones if m.code not in codes)
    asked = 0
    ids = sorted(due)
    for first in range(0, len(ids), CHUNK):
        chunk = ids[first : first + CHUNK]
        for child in Patient.objects.filter(pk__in=chunk).select_related("account__owner"):
            for milestone in due[child.pk]:
                created = messaging.notify(
                    recipient=child.account.owner,
                    kind="child_milestone",
                    params={
                        "child": child.name,
                        "milestone": str(milestone.text),
                        "link": f"{settings.YACHI_PUBLIC_URL}/book/?for={child.public_id}&service={milestone.service}",
                    },
                    key=f"milestone:{milestone.code}:{child.public_id}",
                    object_type="patient",
                    object_id=child.public_id,
                )
                asked += bool(created)
    return asked
