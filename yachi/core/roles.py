"""The words for who a person is and what they are at a clinic; every context reads them,
so they live in the kernel (ADR 0026).

- ``Role`` is what an *account* is (``accounts.User.role``): a patient, clinic staff, or an
  administrator of the installation. It says which door a person logs in by, never what
  they may do at a clinic.
- ``ClinicRole`` is what a staff member is at one clinic: a doctor there (``Doctor.clinics``)
  or front desk or manager there (``clinics.StaffMembership.role``). A person may hold a
  different one at each clinic.
- ``ChainRole`` is held over clinics of a chain (``clinics.ChainAssignment``): a regional
  manager over a set of them, chain operations over all of them.

What each role may do at a clinic is decided in one place, ``yachi.clinics.roles``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PATIENT = "patient", _("Patient")
    STAFF = "staff", _("Clinic staff")
    ADMIN = "admin", _("Administrator")


class ClinicRole(models.TextChoices):
    DOCTOR = "doctor", _("Doctor")
    FRONT_DESK = "front_desk", _("Front desk")
    MANAGER = "manager", _("Clinic manager")


class ChainRole(models.TextChoices):
    REGIONAL_MANAGER = "regional_manager", _("Regional manager")
    CHAIN_OPERATIONS = "chain_operations", _("Chain operations")


STAFF_ROLES = frozenset({Role.STAFF, Role.ADMIN})


def role_label(value: str) -> str:
    """The name of any role, account, clinic or chain (audit entries keep the word)."""
    for choices in (ClinicRole, ChainRole, Role):
        if value in choices.values:
            return str(choices(value).label)
    return value
