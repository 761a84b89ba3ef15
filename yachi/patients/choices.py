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
