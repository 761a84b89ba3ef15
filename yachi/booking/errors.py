from django.utils.translation import gettext_lazy as _

from yachi.core.errors import Conflict, InvalidInput


class SlotTaken(Conflict):
    code = "slot_taken"
    default_message = _("Sorry, this time was just taken. Please choose another one.")


class SlotUnavailable(InvalidInput):
    code = "slot_unavailable"
    default_message = _("This time cannot be booked. Please choose a time from the list.")


class PatientBusy(Conflict):
    code = "patient_busy"
    default_message = _("This person already has an appointment at that time.")


class TooLate(Conflict):
    code = "too_late"


class StatusChanged(Conflict):
    code = "status_changed"
    default_message = _("The appointment was changed in the meantime. Please reload.")
