"""``yachi jobs``: the background job consumer (huey), alone or beside ``yachi serve``.

Beside the server it is started with ``--exit-with`` the server's process id, and stops
as soon as that process is gone, however it went: Ctrl-C and SIGTERM reach the server,
which stops the consumer itself, but a server killed outright (``kill -9``, the kernel's
out-of-memory killer) could not, and an orphaned consumer would keep running jobs
against a platform nobody serves any more.
"""

import os
import signal
import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

PARENT_POLL_SECONDS = 0.5


def _stop_when_gone(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    # The consumer's own SIGTERM handling: running jobs finish, then it exits.
    os.kill(os.getpid(), signal.SIGTERM)


class Command(BaseCommand):
    help = "Run the background job consumer (huey)."

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument(
            "--exit-with",
            type=int,
            metavar="PID",
            help="stop when the process PID (the one that started this) is gone",
        )
        parser.add_argument(
            "--no-periodic",
            action="store_true",
            help="run queued jobs only; another consumer queues the periodic ones "
            "(exactly one consumer per deployment may, or they run twice)",
        )

    def handle(self, *args, workers, exit_with, no_periodic, **options):
        if exit_with is not None:
            if os.getppid() != exit_with:
                return  # it is gone already
            threading.Thread(target=_stop_when_gone, args=(exit_with,), daemon=True).start()
        call_command("run_huey", workers=workers, worker_type="thread", periodic=not no_periodic)
