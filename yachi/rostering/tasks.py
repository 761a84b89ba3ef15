"""The rostering context's jobs, found by Huey's discovery of ``<app>.tasks``."""

from yachi.rostering.proposals.tasks import compute_proposal_job

__all__ = ["compute_proposal_job"]
