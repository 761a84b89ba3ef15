"""Sending the children's milestone reminders, each once per child."""

from django.conf import settings
from django.utils import timezone

from yachi.messaging import facade as messaging
from yachi.patients.milestones import CHILD_UNTIL_MONTHS, due_milestones
from yachi.patients.models import Patient


def send_child_milestones(*, today=None) -> int:
    """Remind account holders of what is due for their children under 13."""
    today = today or timezone.localdate()
    youngest_birth = today.replace(year=today.year - CHILD_UNTIL_MONTHS // 12)
    children = Patient.objects.filter(
        birth_date__gt=youngest_birth,
        seat__gt=0,
        removed_at__isnull=True,
        account__owner__is_active=True,
    ).select_related("account__owner")
    asked = 0
    for child in children:
        for milestone in due_milestones(birth=child.birth_date, today=today):
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
