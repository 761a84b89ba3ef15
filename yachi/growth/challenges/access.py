"""Fetching challenges by the public ids that come from outside: a running challenge is
anyone's to see and join; a console challenge is one of the staff member's clinic."""

from yachi.core.models import as_public_id
from yachi.growth.challenges.errors import ChallengeNotFound
from yachi.growth.challenges.models import Challenge


def challenge_by_id(challenge_id) -> Challenge:
    """A challenge that is running or was (its calendar stays); drafts are nobody's."""
    public_id = as_public_id(challenge_id)
    challenge = (
        Challenge.objects.select_related("clinic", "reward_template")
        .filter(public_id=public_id)
        .exclude(status="draft")
        .first()
        if public_id
        else None
    )
    if challenge is None:
        raise ChallengeNotFound()
    return challenge


def staff_challenge_by_id(*, clinic, challenge_id) -> Challenge:
    public_id = as_public_id(challenge_id)
    challenge = (
        Challenge.objects.select_related("clinic", "reward_template")
        .filter(public_id=public_id, clinic=clinic)
        .first()
        if public_id
        else None
    )
    if challenge is None:
        raise ChallengeNotFound()
    return challenge
