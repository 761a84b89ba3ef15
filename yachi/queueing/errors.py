from django.utils.translation import gettext_lazy as _

from yachi.core.errors import Conflict


class TooEarly(Conflict):
    code = "too_early"


class NotAtClinic(Conflict):
    code = "not_at_clinic"
    default_message = _(
        "You do not seem to be at the clinic: check in there, or with the code on its poster."
    )


class AlreadyCheckedIn(Conflict):
    code = "already_checked_in"
    default_message = _("This appointment is already checked in.")


class NotCheckable(Conflict):
    code = "not_checkable"
    default_message = _("This appointment cannot be checked in.")


class QueueEmpty(Conflict):
    code = "queue_empty"
    default_message = _("Nobody is waiting in this queue.")


class TicketStateChanged(Conflict):
    code = "ticket_state_changed"
    default_message = _("The ticket has changed meanwhile: look again.")
