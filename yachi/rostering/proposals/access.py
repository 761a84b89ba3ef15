"""Fetching a proposal for a staff member: only those who manage every one of its
clinics see it; for anyone else it does not exist."""

from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.core.errors import NotFound
from yachi.core.models import as_public_id
from yachi.rostering.proposals.models import RosterOption, RosterProposal


def _missing():
    return NotFound(_("Roster proposal not found."), code="proposal_not_found")


def access_proposal_by_id(*, actor, proposal_id) -> RosterProposal:
    public_id = as_public_id(proposal_id)
    proposal = (
        RosterProposal.objects.filter(public_id=public_id).prefetch_related("clinics").first()
        if public_id
        else None
    )
    if proposal is None or not all(clinics.may_manage(actor, c) for c in proposal.clinics.all()):
        raise _missing()
    return proposal


def access_option_by_id(*, actor, proposal_id, option_id) -> RosterOption:
    proposal = access_proposal_by_id(actor=actor, proposal_id=proposal_id)
    public_id = as_public_id(option_id)
    option = (
        RosterOption.objects.filter(proposal=proposal, public_id=public_id).first()
        if public_id
        else None
    )
    if option is None:
        raise NotFound(_("Roster option not found."), code="option_not_found")
    option.proposal = proposal
    return option
