from django.db import models
from django.utils.translation import gettext_lazy as _

# The account holder sits in seat 0; family members take seats 1..FAMILY_SEATS.
FAMILY_SEATS = 5


class Relationship(models.TextChoices):
    SELF = "self", _("Myself")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Sibling")
    OTHER = "other", _("Other")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Not stated")


class Acquisition(models.TextChoices):
    """How a family first came to the clinic (来源渠道)."""

    MINI_PROGRAM = "mini_program", _("Mini-program")
    LISTING = "dianping", _("Dianping / Meituan listing")
    REFERRAL = "referral", _("Referred by a patient")
    WALK_IN = "walk_in", _("Walked in")
    CORPORATE = "corporate", _("Employer's dental check")
    PHONE = "phone", _("Phoned the clinic")
    STREET = "street", _("Street promotion")
    OTHER = "other", _("Other")
