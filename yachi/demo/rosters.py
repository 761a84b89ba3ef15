"""The demo's roster proposals: doctors' preferences, and a proposal for next week at the
first clinic, computed, so a manager sees options to compare and publish (ADR 0056)."""

from datetime import datetime, timedelta

from django.test.utils import override_settings

from yachi.clinics.models import StaffMembership
from yachi.core.roles import ClinicRole
from yachi.rostering.proposals.models import DoctorPreference
from yachi.rostering.proposals.services import proposal_compute, proposal_create

# The demo's proposal is computed while the chain is built: a few seconds, not ten.
DEMO_TIME_LIMIT_SECONDS = 4


def build_rosters(*, clinics, doctors, now: datetime, zone) -> int:
    """Preferences for every doctor (Sunday off for those who work weekends, their first
    clinic preferred where they work at several), and one computed proposal; its number
    of options."""
    preferences = []
    for doctor, _skills, schedule, _afternoon in doctors:
        weekdays = {day for days in schedule.values() for day in days}
        first_clinic = clinics[min(schedule)]
        preferences.append(
            DoctorPreference(
                doctor=doctor,
                days_off=[6] if 6 in weekdays else [5] if 5 in weekdays else [],
                preferred_clinic=first_clinic if len(schedule) > 1 else None,
            )
        )
    DoctorPreference.objects.bulk_create(preferences)
    today = now.astimezone(zone).date()
    monday = today + timedelta(days=7 - today.weekday())
    manager = (
        StaffMembership.objects.filter(clinic=clinics[0], role=ClinicRole.MANAGER)
        .order_by("pk")
        .first()
        .user
    )
    proposal = proposal_create(actor=manager, clinic_list=[clinics[0]], week_start=monday, weeks=1)
    with override_settings(YACHI_ROSTER_TIME_LIMIT_SECONDS=DEMO_TIME_LIMIT_SECONDS):
        proposal = proposal_compute(proposal=proposal)
    return proposal.options.count()
