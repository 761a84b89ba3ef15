"""Campaigns: created against a saved segment, sent by a job.

Sending freezes the audience (one ``Recipient`` row per patient, unique per campaign)
and then works through the rows still waiting, a batch at a time, so that a job run
twice, or resumed after a crash, reaches nobody twice: each message carries a key per
campaign and patient (messaging sends a key once) and each coupon an idempotency key
(growth issues it once). Who refused offers is skipped; messaging itself holds promotions
back during the quiet hours and leaves out the channels a person turned off.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.accounts import facade as accounts
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import Conflict, DomainError, InvalidInput
from yachi.crm.campaigns.choices import CHANNELS, CampaignKind, CampaignStatus, RecipientOutcome
from yachi.crm.campaigns.models import Campaign, Recipient
from yachi.crm.segments.services import segment_members
from yachi.growth import facade as growth
from yachi.messaging import facade as messaging
from yachi.patients import facade as patients

BATCH = 200


def campaign_create(
    *,
    actor,
    segment,
    name: str,
    kind: str,
    text: str = "",
    channels=(),
    coupon_template: str = "",
) -> Campaign:
    name, text = (name or "").strip(), (text or "").strip()
    if not 1 <= len(name) <= 64:
        raise InvalidInput(_("Give the campaign a name of at most 64 characters."), code="name")
    if kind not in CampaignKind.values:
        raise InvalidInput(_("Choose a message or a coupon campaign."), code="kind")
    channels = [c for c in CHANNELS if c in set(channels or ())]
    if kind == CampaignKind.MESSAGE and not text:
        raise InvalidInput(_("Write the message."), code="text_required")
    if len(text) > 200:
        raise InvalidInput(_("A message has at most 200 characters."), code="text_too_long")
    if text and not channels:
        raise InvalidInput(_("Choose at least one way to send the message."), code="channels")
    coupon_name = ""
    if kind == CampaignKind.COUPON:
        offered = dict(growth.coupon_templates_offered())
        if coupon_template not in offered:
            raise InvalidInput(_("Choose a coupon that can be given."), code="coupon_template")
        coupon_name = offered[coupon_template]
    else:
        coupon_template = ""
    # Promotional words pass the advertising content check before they are kept.
    growth.promotion_require({_("message"): text, _("campaign name"): name})
    return Campaign.objects.create(
        clinic=segment.clinic,
        segment=segment,
        name=name,
        kind=kind,
        text=text,
        channels=channels if text else [],
        coupon_template=coupon_template,
        coupon_name=coupon_name,
        created_by=actor,
    )


def campaign_start(*, actor, campaign: Campaign) -> Campaign:
    """Freeze the audience and hand the sending to the job (after commit)."""
    from yachi.crm.campaigns.tasks import campaign_send_job

    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status != CampaignStatus.DRAFT:
            raise Conflict(_("This campaign was already sent."), code="campaign_sent")
        ids = segment_members(locked.segment)
        Recipient.objects.bulk_create(
            [Recipient(campaign=locked, patient_id=pk) for pk in sorted(ids)],
            batch_size=500,
            ignore_conflicts=True,
        )
        locked.status, locked.audience, locked.started_at = (
            CampaignStatus.SENDING,
            len(ids),
            timezone.now(),
        )
        locked.save(update_fields=["status", "audience", "started_at", "updated_at"])
        audit_record(
            action=AuditAction.CRM_CAMPAIGN_SENT,
            actor=actor,
            object_type="crm.campaign",
            object_id=locked.public_id,
            clinic=locked.clinic,
            details={"name": locked.name, "kind": locked.kind, "audience": len(ids)},
        )
        transaction.on_commit(lambda: campaign_send_job(locked.pk))
    return locked


def _message(campaign: Campaign, person, patient_name: str) -> messaging.Message:
    return messaging.Message(
        kind="crm_campaign",
        params={
            "clinic": campaign.clinic.display_name,
            "text": campaign.text,
            "patient": patient_name,
            "link": reverse("web:book_services", args=[campaign.clinic.public_id]),
        },
        key=f"crm.campaign:{campaign.public_id}:{person.public_id}",
        channels=tuple(campaign.channels),
        object_type="crm.campaign",
        object_id=campaign.public_id,
    )


def _give(campaign: Campaign, recipient: Recipient, person, owner, refusing: set[int]) -> str:
    if person is None or person.removed or owner is None:
        return RecipientOutcome.REMOVED
    if person.owner_id in refusing:
        return RecipientOutcome.NO_CONSENT
    if campaign.kind == CampaignKind.COUPON:
        growth.coupon_issue(
            template_id=campaign.coupon_template,
            user=owner,
            reason=_("Campaign: %(name)s") % {"name": campaign.name},
            idempotency_key=f"crm.campaign:{campaign.public_id}:{person.public_id}",
        )
    if campaign.text:
        messaging.notify_all(
            recipient=owner, messages=[_message(campaign, person, person.name or "")]
        )
    return RecipientOutcome.SENT


def campaign_send_batch(campaign: Campaign) -> int:
    """Give the next batch of waiting recipients their message or coupon; how many were
    done (0: nothing was waiting, and the campaign is marked sent)."""
    waiting = list(
        Recipient.objects.filter(campaign=campaign, outcome=RecipientOutcome.PENDING).order_by(
            "pk"
        )[:BATCH]
    )
    if not waiting:
        Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.SENDING).update(
            status=CampaignStatus.SENT, finished_at=timezone.now()
        )
        return 0
    people = patients.people_facts(
        patient_ids=[r.patient_id for r in waiting], contact=bool(campaign.text)
    )
    owners = accounts.users_by_ids({p.owner_id for p in people.values()})
    refusing = messaging.marketing_refused(user_ids=owners.keys())
    for recipient in waiting:
        person = people.get(recipient.patient_id)
        with transaction.atomic():
            try:
                outcome = _give(
                    campaign,
                    recipient,
                    person,
                    owners.get(getattr(person, "owner_id", None)),
                    refusing,
                )
            except DomainError:  # the template ended, a per-person limit was reached
                outcome = RecipientOutcome.FAILED
            Recipient.objects.filter(pk=recipient.pk, outcome=RecipientOutcome.PENDING).update(
                outcome=outcome, done_at=timezone.now()
            )
    return len(waiting)


def campaign_progress(campaign: Campaign) -> dict:
    from django.db.models import Count

    counts = dict(
        Recipient.objects.filter(campaign=campaign)
        .values_list("outcome")
        .annotate(n=Count("pk"))
        .values_list("outcome", "n")
    )
    done = sum(n for outcome, n in counts.items() if outcome != RecipientOutcome.PENDING)
    return {
        "audience": campaign.audience,
        "done": done,
        "percent": round(100 * done / campaign.audience) if campaign.audience else 100,
        "reached": counts.get(RecipientOutcome.SENT, 0),
        "no_consent": counts.get(RecipientOutcome.NO_CONSENT, 0),
        "removed": counts.get(RecipientOutcome.REMOVED, 0),
        "failed": counts.get(RecipientOutcome.FAILED, 0),
    }
