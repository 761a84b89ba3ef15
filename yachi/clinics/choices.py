from django.db import models
from django.utils.translation import gettext_lazy as _


class Skill(models.TextChoices):
    GENERAL = "general", _("General dentistry")
    ENDODONTICS = "endodontics", _("Endodontics")
    IMPLANT = "implant", _("Implantology")
    ORTHODONTICS = "orthodontics", _("Orthodontics")
    PAEDIATRIC = "paediatric", _("Paediatric dentistry")
    PERIODONTICS = "periodontics", _("Periodontics")
    ORAL_SURGERY = "oral_surgery", _("Oral surgery")
    EMERGENCY = "emergency", _("Emergency care")


class ServiceKind(models.TextChoices):
    """How a service is given: at the clinic, in a dental chair, or as a video consultation
    (复诊咨询, an orthodontic follow-up), which holds the doctor's time but no chair."""

    IN_PERSON = "in_person", _("At the clinic")
    VIDEO = "video", _("Video consultation")


class DoctorTitle(models.TextChoices):
    CHIEF = "chief", _("Chief physician")
    ASSOCIATE_CHIEF = "associate_chief", _("Associate chief physician")
    ATTENDING = "attending", _("Attending physician")
    RESIDENT = "resident", _("Resident physician")
    PHYSICIAN = "physician", _("Physician")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class DayKind(models.TextChoices):
    CLOSED = "closed", _("Closed (holiday)")
    OPEN = "open", _("Open (make-up working day)")
