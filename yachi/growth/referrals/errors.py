from django.utils.translation import gettext_lazy as _

from yachi.core.errors import Conflict, InvalidInput, NotFound


class InviteCodeUnknown(NotFound):
    code = "invite_code_unknown"
    default_message = _("There is no such invite code. Check it with the friend who sent it.")


class InviteExpired(Conflict):
    code = "invite_expired"
    default_message = _("This invitation has expired. Ask your friend to share a new one.")


class InviteOwnCode(InvalidInput):
    code = "invite_own_code"
    default_message = _("You cannot accept your own invitation.")


class InviteAlreadyPatient(Conflict):
    code = "invite_already_patient"
    default_message = _("Invitations are for new patients: this account is already registered.")


class InviteAlreadyInvited(Conflict):
    code = "invite_already_invited"
    default_message = _("This account already accepted another invitation.")
