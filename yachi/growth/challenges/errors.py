from django.utils.translation import gettext_lazy as _

from yachi.core.errors import Conflict, NotFound


class ChallengeNotFound(NotFound):
    code = "challenge_not_found"
    default_message = _("Challenge not found.")


class ChallengeNotRunning(Conflict):
    code = "challenge_not_running"
    default_message = _("This challenge is not running today.")


class AlreadyCheckedIn(Conflict):
    code = "already_checked_in"
    default_message = _("You have already checked in today: come back tomorrow.")
