"""How booking follows other contexts' events."""

from yachi.booking import cache
from yachi.clinics.facade import ChairsChanged
from yachi.core.events import subscribe
from yachi.rostering.facade import RosterChanged


@subscribe(RosterChanged)
def refresh_availability_after_roster_change(event: RosterChanged) -> None:
    # One version covers all of a doctor's days at every clinic: roster changes are
    # rare, so refreshing a little more than needed costs nothing.
    cache.invalidate_doctor(doctor_id=event.doctor_id)


@subscribe(ChairsChanged)
def refresh_availability_after_chair_change(event: ChairsChanged) -> None:
    cache.invalidate_clinic(clinic_id=event.clinic_id)
