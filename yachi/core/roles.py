"""The roles a person can hold; every context reads them, so they live in the kernel."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PATIENT = "patient", _("Patient")
    DOCTOR = "doctor", _("Doctor")
    FRONT_DESK = "front_desk", _("Front desk")
    MANAGER = "manager", _("Clinic manager")
    ADMIN = "admin", _("Administrator")


STAFF_ROLES = frozenset({Role.DOCTOR, Role.FRONT_DESK, Role.MANAGER, Role.ADMIN})
