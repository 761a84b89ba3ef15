from huey.contrib.djhuey import db_task

from yachi.rostering.proposals import services
from yachi.rostering.proposals.models import RosterProposal


@db_task()
def compute_proposal_job(proposal_id: int) -> str:
    """Compute a proposal's options (minutes of CPU for a large chain: never in a request)."""
    proposal = RosterProposal.objects.filter(pk=proposal_id).first()
    if proposal is None:
        return "gone"
    return services.proposal_compute(proposal=proposal).status
