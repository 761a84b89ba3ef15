"""``yachi sockets``: the WebSocket server (uvicorn, the ASGI application), alone or
beside ``yachi serve``, which starts it on its socket port (ADR 0046).

On the in-memory channel layer (no ``REDIS_URL``) every socket must be in one process:
a wake-up published in one process reaches only that process's sockets, so it runs one
worker whatever is asked. Events written by the web workers or the job consumer reach
its sockets all the same, from the durable logs the consumers read on every poll tick.
With Redis the layer spans processes and any number of workers may run.
"""

import os
import resource
import threading

import uvicorn
from django.conf import settings
from django.core.management.base import BaseCommand

from yachi.core.management.commands.jobs import _stop_when_gone
from yachi.core.server import ASGI_TARGET, socket_server_options


def in_memory_layer() -> bool:
    backend = settings.CHANNEL_LAYERS["default"]["BACKEND"]
    return backend == "channels.layers.InMemoryChannelLayer"


def raise_open_files_limit() -> int:
    """Every socket is a file descriptor, and so is each Redis and database connection:
    the soft limit (1024 on many systems) would refuse sockets long before memory or
    CPU run out. Raise it to the hard limit; return the limit in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    return soft


class Command(BaseCommand):
    help = "Serve WebSockets (uvicorn with the ASGI application)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8001)
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.YACHI_SOCKET_WORKERS,
            help="socket-server processes (default YACHI_SOCKET_WORKERS, 1; "
            "always 1 on the in-memory channel layer)",
        )
        parser.add_argument(
            "--exit-with",
            type=int,
            metavar="PID",
            help="stop when the process PID (the one that started this) is gone",
        )

    def handle(self, *args, host, port, workers, exit_with, **options):
        if exit_with is not None:
            if os.getppid() != exit_with:
                return  # it is gone already
            threading.Thread(target=_stop_when_gone, args=(exit_with,), daemon=True).start()
        if in_memory_layer() and workers > 1:
            self.stderr.write(
                "the in-memory channel layer reaches one process only: serving sockets "
                "with 1 worker (set REDIS_URL for more)"
            )
            workers = 1
        raise_open_files_limit()
        uvicorn.run(ASGI_TARGET, **socket_server_options(host=host, port=port, workers=workers))
