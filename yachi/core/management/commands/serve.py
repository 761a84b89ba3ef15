import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from granian.server import Server

from yachi.core import public_url
from yachi.core.metrics import clear_process_files
from yachi.core.server import granian_options


class Command(BaseCommand):
    help = "Migrate the database, then serve Yachi (granian, WSGI) with its job consumer."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.YACHI_WEB_WORKERS,
            help="web server processes (default YACHI_WEB_WORKERS, 1)",
        )
        parser.add_argument(
            "--no-jobs", action="store_true", help="do not start the background job consumer"
        )

    def handle(self, *args, host, port, workers, no_jobs, **options):
        # Before anything starts: the workers and the job consumer inherit it.
        public_url.announce_public_url(host=host, port=port)
        threads = settings.YACHI_WEB_THREADS
        pool = getattr(settings, "YACHI_DB_POOL_SIZE", 0)
        if pool and pool < threads:
            # A thread that finds the pool empty waits and then fails with a 500.
            raise CommandError(
                f"YACHI_DB_POOL_SIZE={pool} is below YACHI_WEB_THREADS={threads}: "
                "give every request thread a connection (or set the pool to 0)"
            )
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        # Counters start again with this server's processes, not those of the last run.
        clear_process_files(settings.YACHI_METRICS_DIR)
        # The workers are forked from this process: none may inherit its connections.
        for connection in connections.all(initialized_only=True):
            connection.close()
            if hasattr(connection, "close_pool"):
                connection.close_pool()
        consumer = None
        if not no_jobs and not settings.HUEY.get("immediate"):
            # The consumer runs beside the web server so that one command runs everything.
            consumer = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "yachi.cli", "jobs", "--exit-with", str(os.getpid())]
            )
        self.stdout.write(f"Yachi listening on http://{host}:{port}/ (data in {settings.DATA_DIR})")
        self.stdout.flush()
        try:
            Server(
                **granian_options(host=host, port=port, workers=workers, threads=threads)
            ).serve()
        finally:
            if consumer is not None:
                consumer.terminate()
                consumer.wait(timeout=10)
