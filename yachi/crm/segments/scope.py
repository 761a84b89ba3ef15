"""What a segment is evaluated over: the patients seen at its clinic, and their facts,
each read once in bulk (through the other contexts' facades) the first time a criterion
asks for it."""

from datetime import date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from django.utils import timezone

from yachi.booking import facade as booking
from yachi.growth import facade as growth
from yachi.messaging import facade as messaging
from yachi.patients import facade as patients
from yachi.payments import facade as payments

VISITED = (
    booking.AppointmentStatus.ARRIVED,
    booking.AppointmentStatus.IN_TREATMENT,
    booking.AppointmentStatus.COMPLETED,
)


class Scope:
    def __init__(self, *, clinic, today: date | None = None):
        self.clinic = clinic
        self.clinic_id = clinic.pk
        self.zone = ZoneInfo(clinic.timezone)
        self.today = today or timezone.localdate(timezone=self.zone)

    @cached_property
    def people(self) -> dict:
        """Everyone seen at the clinic and not removed, by primary key."""
        seen = booking.patient_ids_seen_at(clinic_ids={self.clinic_id})
        everyone = patients.people_facts(patient_ids=seen, birth_dates=True)
        return {pk: person for pk, person in everyone.items() if not person.removed}

    @cached_property
    def patient_ids(self) -> frozenset[int]:
        return frozenset(self.people)

    @cached_property
    def visits(self) -> list:
        """Their visits (arrived, treated or completed) at any clinic, oldest first."""
        return booking.visit_rows(patient_ids=self.patient_ids, statuses=VISITED)

    @cached_property
    def last_visits(self) -> dict[int, tuple[date, int]]:
        """Each person's last visit: its local day and clinic."""
        last = {}
        for row in self.visits:
            last[row.patient_id] = (row.start.astimezone(self.zone).date(), row.clinic_id)
        return last

    def day_start(self, day: date) -> datetime:
        return datetime.combine(day, time(), tzinfo=self.zone)

    def days_ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    @cached_property
    def owners(self) -> set[int]:
        return {person.owner_id for person in self.people.values()}

    @cached_property
    def points(self) -> dict[int, int]:
        return growth.points_balances(user_ids=self.owners)

    @cached_property
    def refusing_offers(self) -> set[int]:
        return messaging.marketing_refused(user_ids=self.owners)

    def spend(self, since: date | None) -> dict[int, int]:
        """What each family holder paid at the clinic (fen), since ``since`` or ever."""
        return payments.spend_by_payers(
            user_ids=self.owners,
            since=self.day_start(since) if since else None,
            clinic_ids={self.clinic_id},
        )
