"""How `yachi serve` runs uvicorn, and the HTTP protocol it speaks: with Nagle's algorithm
off on every connection, and without rewriting the client's address.

asyncio turns Nagle off only for sockets it knows to be TCP. When uvicorn runs several
worker processes it hands them a listening socket whose protocol number is 0, and the
connections accepted from it keep Nagle on: a keep-alive client's next request then
waits about 40 ms for a delayed ACK (measured: 87 instead of 480 requests a second on
the same machine). Setting TCP_NODELAY on each connection fixes that whatever socket
the server was given.
"""

import contextlib
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol


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
