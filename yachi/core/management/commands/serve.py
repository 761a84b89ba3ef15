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
from yachi.core.server import end_with_parent, granian_options


class Command(BaseCommand):
    help = (
        "Migrate the database, then serve Yachi: HTTP (granian, WSGI) on --port, WebSockets "
        "(uvicorn, ASGI) on --socket-port, and the job consumer."
    )

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
            "--socket-port",
            type=int,
            help="the WebSocket server's port (default: --port + 1)",
        )
        parser.add_argument(
            "--socket-workers",
            type=int,
            default=settings.YACHI_SOCKET_WORKERS,
            help="WebSocket server processes (default YACHI_SOCKET_WORKERS, 1; "
            "always 1 without Redis)",
        )
        parser.add_argument(
            "--no-sockets", action="store_true", help="do not start the WebSocket server"
        )
        parser.add_argument(
            "--no-jobs", action="store_true", help="do not start the background job consumer"
        )

    def handle(
        self,
        *args,
        host,
        port,
        workers,
        socket_port,
        socket_workers,
        no_sockets,
        no_jobs,
        **options,
    ):
        socket_port = socket_port or port + 1
        # Before anything starts: the workers and the job consumer inherit them.
        if not no_sockets:
            public_url.announce_realtime_port(socket_port)
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
        companions = []
        if not no_sockets:
            # WebSockets in processes of their own (ADR 0046): HTTP keeps WSGI's thread
            # per request, the sockets an event loop.
            companions.append(
                subprocess.Popen(  # noqa: S603
                    [
                        sys.executable,
                        "-m",
                        "yachi.cli",
                        "sockets",
                        "--host",
                        host,
                        "--port",
                        str(socket_port),
                        "--workers",
                        str(socket_workers),
                        "--exit-with",
                        str(os.getpid()),
                    ],
                    preexec_fn=end_with_parent,
                )
            )
        if not no_jobs and not settings.HUEY.get("immediate"):
            # The consumer runs beside the web server so that one command runs everything.
            companions.append(
                subprocess.Popen(  # noqa: S603
                    [sys.executable, "-m", "yachi.cli", "jobs", "--exit-with", str(os.getpid())],
                    preexec_fn=end_with_parent,
                )
            )
        self.stdout.write(f"Yachi listening on http://{host}:{port}/ (data in {settings.DATA_DIR})")
        if not no_sockets:
            self.stdout.write(f"WebSockets on ws://{host}:{socket_port}/ws/")
        self.stdout.flush()
        try:
            Server(
                **granian_options(host=host, port=port, workers=workers, threads=threads)
            ).serve()
        finally:
            for companion in companions:
                companion.terminate()
            for companion in companions:
                try:
                    companion.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    companion.kill()
                    companion.wait()
