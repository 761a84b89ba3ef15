from huey.contrib.djhuey import db_task

from yachi.crm.campaigns.models import Campaign


@db_task()
def campaign_send_job(campaign_pk: int) -> int:
    """Work through a campaign's waiting recipients, a batch at a time; safe to run twice."""
    from yachi.crm.campaigns.services import campaign_send_batch

    campaign = Campaign.objects.select_related("clinic").filter(pk=campaign_pk).first()
    if campaign is None:
        return 0
    total = 0
    while done := campaign_send_batch(campaign):
        total += done
    return total
