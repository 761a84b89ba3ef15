"""``yachi sop run``: the repurchase playbook once, now.

Prints one tab-separated line per rule run, after a header line::

    clinic	rule	reached	skipped	held_out
    静安店	cleaning_recall	12	3	1

``clinic`` is the clinic's name, ``rule`` the rule's code; then how many patients the run
reached, skipped (removed, refused offers, already booked) and held out. A second run the
same day prints zeros: every occurrence is acted on once.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from yachi.clinics import facade as clinics
from yachi.core.errors import DomainError
from yachi.crm.playbook.services import playbook_run

HEADER = ("clinic", "rule", "reached", "skipped", "held_out")


class Command(BaseCommand):
    help = (
        "Run the repurchase playbook once and print, per rule, who was reached, skipped, held out."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["run"])
        parser.add_argument("--clinic", metavar="ID", help="only this clinic (its public id)")
        parser.add_argument(
            "--date", metavar="YYYY-MM-DD", help="run as on this day (default: today)"
        )

    def handle(self, *args, action, clinic=None, date=None, **options):
        clinic_ids = None
        if clinic:
            try:
                clinic_ids = {clinics.clinic_by_id(clinic).pk}
            except DomainError as exc:
                raise CommandError(f"no clinic {clinic}") from exc
        today = None
        if date:
            try:
                today = _day(date)
            except ValueError as exc:
                raise CommandError("--date must be YYYY-MM-DD") from exc
        results = playbook_run(clinic_ids=clinic_ids, today=today)
        self.stdout.write("\t".join(HEADER))
        for result in results:
            self.stdout.write(
                "\t".join(
                    [
                        result.rule.clinic.display_name,
                        result.rule.code,
                        str(result.reached),
                        str(result.skipped),
                        str(result.held_out),
                    ]
                )
            )


def _day(text: str) -> date:
    day = date.fromisoformat(text)
    if not 2000 <= day.year <= 2100:
        raise ValueError(text)
    return day
