"""``yachi roster propose --clinic N --week YYYY-MM-DD [--weeks 2]``: compute a roster
proposal on this server and print its front as a table (ADR 0056)."""

import sys
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from yachi.clinics import facade as clinics
from yachi.core.dates import day_param
from yachi.core.errors import DomainError
from yachi.rostering.proposals import services
from yachi.rostering.proposals.models import ProposalStatus

COLUMNS = (
    ("unmet_demand_minutes", "unmet min"),
    ("imbalance_hours", "imbalance h"),
    ("overtime_hours", "overtime h"),
    ("preference_violations", "pref. missed"),
    ("emergency_buffer_minutes", "buffer min"),
)
BAR = 30


def _bar(stream, stop: threading.Event, started: float) -> None:
    """A progress bar by the share of the optimizer's time limit gone."""
    limit = max(1, settings.YACHI_ROSTER_TIME_LIMIT_SECONDS)
    while not stop.wait(0.2):
        share = min(0.99, (time.monotonic() - started) / limit)
        filled = int(BAR * share)
        stream.write(f"\r[{'#' * filled}{'.' * (BAR - filled)}] {int(share * 100):3d}%")
        stream.flush()
    stream.write(f"\r[{'#' * BAR}] 100%\n")
    stream.flush()


class Command(BaseCommand):
    help = "Roster proposals: `propose` computes one and prints its options."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        propose = sub.add_parser("propose", help="compute a proposal and print its front")
        propose.add_argument(
            "--clinic",
            action="append",
            required=True,
            help="the clinic's number, public id or name (repeat to plan several together)",
        )
        propose.add_argument("--week", required=True, help="the Monday it starts, YYYY-MM-DD")
        propose.add_argument("--weeks", type=int, default=1, choices=(1, 2))

    def _clinic(self, raw: str):
        for clinic in clinics.active_clinics():
            if raw in (str(clinic.pk), str(clinic.public_id), clinic.name, clinic.name_en):
                return clinic
        raise CommandError(f"No open clinic {raw!r}.")

    def handle(self, *args, action, clinic, week, weeks, **options):
        clinic_list = [self._clinic(raw) for raw in clinic]
        week_start = day_param(week)
        if week_start is None:
            raise CommandError("Give the week as YYYY-MM-DD.")
        try:
            proposal = services.proposal_create(
                actor=None,
                clinic_list=clinic_list,
                week_start=week_start,
                weeks=weeks,
                operator=True,
            )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        stop = threading.Event()
        bar = threading.Thread(target=_bar, args=(sys.stderr, stop, time.monotonic()))
        bar.start()
        try:
            proposal = services.proposal_compute(proposal=proposal)
        finally:
            stop.set()
            bar.join()
        if proposal.status != ProposalStatus.READY:
            raise CommandError(f"No roster: {proposal.error}")
        self._table(proposal)

    def _table(self, proposal) -> None:
        header = ["option", *[label for _name, label in COLUMNS], "shifts"]
        rows = [
            [str(index), *[str(o.objectives[name]) for name, _label in COLUMNS], str(len(o.shifts))]
            for index, o in enumerate(proposal.options.all(), start=1)
        ]
        widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
        for line in [header, ["-" * w for w in widths], *rows]:
            self.stdout.write(
                "  ".join(cell.rjust(w) for cell, w in zip(line, widths, strict=True))
            )
        self.stdout.write(f"proposal {proposal.public_id}: publish an option in the console.")
