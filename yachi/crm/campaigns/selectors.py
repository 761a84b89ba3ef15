"""Reads of campaigns for one patient: the message and coupon campaigns that included
them and the playbook rules that reached them (the patient 360 page)."""

from dataclasses import dataclass
from datetime import datetime

from yachi.crm.campaigns.choices import RecipientOutcome
from yachi.crm.campaigns.models import Recipient
from yachi.crm.playbook.choices import Group
from yachi.crm.playbook.models import Touch


@dataclass(frozen=True)
class Joined:
    """A campaign or playbook rule the patient was part of."""

    kind: str  # "campaign" | "playbook"
    name: str
    clinic_id: int
    clinic_public_id: object
    object_public_id: object  # the campaign or the rule
    what: str  # the campaign's kind, or the rule's action
    outcome: str  # reached, refused offers, held out…
    at: datetime | None


def campaigns_of_patient(*, patient_id: int, clinic_ids=None, limit: int = 20) -> list[Joined]:
    """The patient's campaigns and playbook touches at these clinics (every clinic for
    ``None``), the latest first. Two queries."""
    recipients = Recipient.objects.filter(patient_id=patient_id).select_related(
        "campaign", "campaign__clinic"
    )
    touches = Touch.objects.filter(patient_id=patient_id).select_related("rule", "rule__clinic")
    if clinic_ids is not None:
        recipients = recipients.filter(campaign__clinic_id__in=list(clinic_ids))
        touches = touches.filter(rule__clinic_id__in=list(clinic_ids))
    outcomes = dict(RecipientOutcome.choices)
    groups = dict(Group.choices)
    joined = [
        Joined(
            kind="campaign",
            name=r.campaign.name,
            clinic_id=r.campaign.clinic_id,
            clinic_public_id=r.campaign.clinic.public_id,
            object_public_id=r.campaign.public_id,
            what=r.campaign.get_kind_display(),
            outcome=str(outcomes.get(r.outcome, r.outcome)),
            at=r.done_at or r.campaign.started_at,
        )
        for r in recipients.order_by("-created_at")[:limit]
    ]
    joined += [
        Joined(
            kind="playbook",
            name=t.rule.name,
            clinic_id=t.rule.clinic_id,
            clinic_public_id=t.rule.clinic.public_id,
            object_public_id=t.rule.public_id,
            what=t.rule.get_action_display(),
            outcome=str(groups.get(t.group, t.group)),
            at=t.at,
        )
        for t in touches.order_by("-at")[:limit]
    ]
    joined.sort(key=lambda j: (j.at is not None, j.at or 0), reverse=True)
    return joined[:limit]
