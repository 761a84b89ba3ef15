"""Connections to the web server have Nagle's algorithm off, even on a socket handed over
the way uvicorn hands one to its worker processes (protocol number 0)."""

import http.client
import socket
import threading
import time

import uvicorn

from yachi.core.server import NoDelayH11Protocol


async def app(scope, receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def _serve(protocol):
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # proto 0, as for workers
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listening.bind(("127.0.0.1", 0))
    # asyncio's own loop, whose transports leave Nagle alone on such a socket; uvloop (a
    # development dependency, which uvicorn's "auto" loop would pick) turns it off itself.
    config = uvicorn.Config(app, http=protocol, loop="asyncio", lifespan="off", log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    return server, thread, listening.getsockname()[1]


def _nodelay_of_connections(protocol) -> list[int]:
    server, thread, port = _serve(protocol)
    try:
        client = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        client.request("GET", "/")
        assert client.getresponse().read() == b"ok"
        return [
            c.transport.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
            for c in server.server_state.connections
        ]
    finally:
        server.should_exit = True
        thread.join(timeout=5)


def test_keep_alive_connections_are_not_held_back_by_nagle():
    assert _nodelay_of_connections(NoDelayH11Protocol) == [1]


def test_without_it_a_handed_over_socket_keeps_nagle_on():
    """Why the protocol exists: plain h11 on such a socket leaves Nagle on."""
    assert _nodelay_of_connections("h11") == [0]
