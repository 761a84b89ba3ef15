"""How `yachi serve` serves HTTP: granian, WSGI, a fixed number of blocking threads per
worker process (ADR 0021); and how it serves WebSockets: uvicorn with the ASGI
application (``config.asgi``) on a port of its own, in its own processes (ADR 0046).

Under WSGI a request runs on one of the worker's threads from start to end; under ASGI
Django hands every sync view to a thread and back, which cost more than the view itself
for the API's short requests (docs/benchmarks.md).

For uvicorn: asyncio turns Nagle off only for sockets it knows to be TCP. When uvicorn runs several
worker processes it hands them a listening socket whose protocol number is 0, and the
connections accepted from it keep Nagle on: a keep-alive client's next request then
waits about 40 ms for a delayed ACK (measured: 87 instead of 480 requests a second on
the same machine). Setting TCP_NODELAY on each connection fixes that whatever socket
the server was given.
"""

import contextlib
import ctypes
import signal
import socket
import sys

from granian.constants import HTTPModes, Interfaces, Loops, RuntimeModes
from granian.log import LogLevels
from uvicorn.protocols.http.h11_impl import H11Protocol

PR_SET_PDEATHSIG = 1
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None

WSGI_TARGET = "config.wsgi:application"
ASGI_TARGET = "config.asgi:application"


class NoDelayH11Protocol(H11Protocol):
    def connection_made(self, transport):
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            # Not a TCP socket after all: nothing to turn off.
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)


def server_options(*, host: str, port: int, workers: int) -> dict:
    """uvicorn's settings for ``yachi serve``.

    ``proxy_headers`` is off: uvicorn would otherwise replace the client's address
    with ``X-Forwarded-For`` from every peer in ``FORWARDED_ALLOW_IPS`` (127.0.0.1 by
    default, ``*`` where an operator follows common advice), so anything on the same
    machine could choose its address. The client's address is derived in one place,
    ``core.middleware.RequestOriginMiddleware``, from ``YACHI_TRUSTED_PROXIES``.
    """
    return {
        "host": host,
        "port": port,
        "workers": max(1, workers),
        "http": "yachi.core.server:NoDelayH11Protocol",
        "log_level": "info",
        "proxy_headers": False,
        "lifespan": "off",
    }


# Connections a worker holds per thread (``backpressure``): room for a balancer's idle
# keep-alive connections beside the requests being run.
CONNECTIONS_PER_THREAD = 16


def granian_options(*, host: str, port: int, workers: int, threads: int) -> dict:
    """granian's settings for ``yachi serve``, every one that shapes a request's path named.

    - WSGI: a request stays on one thread, no hop between an event loop and a thread.
    - ``threads`` blocking threads run requests in each worker. ``backpressure`` bounds the
      connections a worker holds, idle keep-alive ones included: a balancer keeps idle
      connections open to every worker, and with room for no more than the threads a rush
      waited in the backlog until the balancer closed its idle ones (haproxy after 10 s:
      thirty bookings took 26 s behind it, 1.9 s with room). So a worker holds up to
      ``CONNECTIONS_PER_THREAD`` connections a thread; requests beyond the threads wait in
      granian for one, holding no database connection (a request takes its connection on
      the thread that runs it). The PostgreSQL pool (``YACHI_DB_POOL_SIZE``) is at least
      the threads, so a running request never waits for a connection.
    - One Rust runtime thread (``st``) per worker for the sockets: the Python threads, not
      the I/O, are the limit on a small machine. The loop is named (asyncio), though WSGI
      workers run no Python event loop.
    - HTTP/1.1 only (behind a proxy that speaks HTTP/2 to browsers), no WebSockets (the
      ASGI application serves those when they come), no access log (it cost ~15 % of
      ``/health`` under uvicorn; a proxy in front keeps one).
    - A worker that has not stopped 10 s after it was told to is killed: a worker given
      Ctrl-C's SIGINT and the main process's SIGTERM at once was seen to miss both and
      hang the shutdown for good.
    - The client's address is the peer's: granian does not read X-Forwarded-For, which
      ``core.middleware.RequestOriginMiddleware`` alone interprets (ADR 0016).
    """
    return {
        "target": WSGI_TARGET,
        "address": host,
        "port": port,
        "interface": Interfaces.WSGI,
        "workers": max(1, workers),
        "blocking_threads": max(1, threads),
        "backpressure": max(1, threads) * CONNECTIONS_PER_THREAD,
        "runtime_threads": 1,
        "runtime_mode": RuntimeModes.st,
        "loop": Loops.asyncio,
        "http": HTTPModes.http1,
        "websockets": False,
        "log_access": False,
        "log_level": LogLevels.info,
        "workers_kill_timeout": 10,
    }


def socket_server_options(*, host: str, port: int, workers: int) -> dict:
    """uvicorn's settings for the socket server ``yachi serve`` starts beside granian.

    - The ASGI application, whose WebSocket routes are the consumers (``/ws/…``); it
      answers HTTP too (the balancer's readiness check reaches it), through ASGI.
    - ``websockets-sansio``: the websockets library's own protocol core, without its
      legacy server (deprecated since websockets 14).
    - A ping every 20 s and a socket closed after 20 s without its pong: a television
      switched off at the wall leaves no socket behind for long.
    - Client messages of 64 KiB at most (a resume, a ping, a chat text): nothing a
      client sends is larger, and a socket may not make the server hold megabytes.
    - No proxy headers and no access log, as for HTTP (``server_options``).
    """
    return {
        "host": host,
        "port": port,
        "workers": max(1, workers),
        "http": "yachi.core.server:NoDelayH11Protocol",
        "ws": "websockets-sansio",
        "ws_max_size": 64 * 1024,
        "ws_ping_interval": 20.0,
        "ws_ping_timeout": 20.0,
        "log_level": "warning",
        "access_log": False,
        "proxy_headers": False,
        "lifespan": "off",
        "timeout_graceful_shutdown": 5,
    }


def end_with_parent() -> None:
    """Between fork and exec of a companion (the job consumer, the socket server): on Linux
    the kernel sends it SIGTERM the moment the server that started it dies, however it died,
    even while the companion is still importing Django, long before its own watch on its
    parent (``--exit-with``) begins."""
    if _LIBC is not None:
        _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
