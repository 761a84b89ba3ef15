import subprocess
import sys

import uvicorn
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from yachi.core import public_url
from yachi.core.server import server_options


class Command(BaseCommand):
    help = "Migrate the database, then serve Yachi (ASGI) with its job consumer."

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
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        consumer = None
        if not no_jobs and not settings.HUEY.get("immediate"):
            # The consumer runs beside the web server so that one command runs everything.
            consumer = subprocess.Popen(
                [sys.executable, "-m", "yachi.cli", "run_huey", "--workers", "2", "-k", "thread"]
            )
        self.stdout.write(f"Yachi listening on http://{host}:{port}/ (data in {settings.DATA_DIR})")
        try:
            uvicorn.run(
                "config.asgi:application", **server_options(host=host, port=port, workers=workers)
            )
        finally:
            if consumer is not None:
                consumer.terminate()
                consumer.wait(timeout=10)
