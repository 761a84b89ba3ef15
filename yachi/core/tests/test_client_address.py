"""Which address a request comes from, given its peer and X-Forwarded-For."""

import http.client
import socket
import threading
import time

import pytest
import uvicorn
from django.core.exceptions import ImproperlyConfigured

from config.env import envnetworks
from yachi.core.client_address import client_address, trusted_networks
from yachi.core.server import server_options

PROXIES = trusted_networks(("10.0.0.0/8", "2001:db8::/32"))


def client(peer, forwarded_for="", networks=PROXIES):
    return client_address(peer=peer, forwarded_for=forwarded_for, networks=networks)


def test_without_trusted_proxies_the_header_is_ignored():
    assert client("198.51.100.7", "203.0.113.1", networks=()) == "198.51.100.7"


def test_an_untrusted_peer_cannot_choose_its_address():
    assert client("198.51.100.7", "203.0.113.1, 10.0.0.5") == "198.51.100.7"


def test_the_first_untrusted_hop_from_the_right_is_the_client():
    # The client wrote "1.1.1.1" itself; our edge proxy 10.0.0.9 appended the real peer.
    assert client("10.0.0.2", "1.1.1.1, 203.0.113.5, 10.0.0.9") == "203.0.113.5"


def test_a_request_from_inside_the_proxy_network_is_its_leftmost_hop():
    assert client("10.0.0.2", "10.0.0.7, 10.0.0.9") == "10.0.0.7"


def test_a_trusted_proxy_without_the_header_is_the_client():
    assert client("10.0.0.2") == "10.0.0.2"


def test_garbage_in_the_header_stops_the_walk_at_the_last_trusted_hop():
    assert client("10.0.0.2", "203.0.113.5, not-an-address, 10.0.0.9") == "10.0.0.9"
    assert client("10.0.0.2", "  ,") == "10.0.0.2"


@pytest.mark.parametrize(
    ("hop", "expected"),
    [
        ("203.0.113.5:51234", "203.0.113.5"),
        ("[2001:db9::1]:443", "2001:db9::1"),
        ("2001:db9::1", "2001:db9::1"),
        ("::ffff:203.0.113.5", "203.0.113.5"),
    ],
)
def test_the_forms_proxies_write_addresses_in(hop, expected):
    assert client("2001:db8::2", hop) == expected


def test_a_peer_without_an_address_has_none():
    assert client("") == ""
    assert client("unix-socket") == ""


def test_a_malformed_proxy_setting_stops_the_start(monkeypatch):
    monkeypatch.setenv("YACHI_TRUSTED_PROXIES", "10.0.0.0/8, proxy.internal")
    with pytest.raises(ImproperlyConfigured, match="YACHI_TRUSTED_PROXIES"):
        envnetworks("YACHI_TRUSTED_PROXIES")
    monkeypatch.setenv("YACHI_TRUSTED_PROXIES", "10.0.0.0/8, ::1")
    assert envnetworks("YACHI_TRUSTED_PROXIES") == ["10.0.0.0/8", "::1"]


async def _echo_client(scope, receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": scope["client"][0].encode()})


def test_the_web_server_does_not_rewrite_the_address_from_forwarded_headers():
    """uvicorn trusts X-Forwarded-For from 127.0.0.1 unless told not to; `yachi serve`
    leaves the address to the middleware."""
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.bind(("127.0.0.1", 0))
    options = server_options(host="127.0.0.1", port=0, workers=1)
    server = uvicorn.Server(uvicorn.Config(_echo_client, **{**options, "log_level": "warning"}))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.01)
        connection = http.client.HTTPConnection("127.0.0.1", listening.getsockname()[1], timeout=5)
        connection.request("GET", "/", headers={"X-Forwarded-For": "203.0.113.9"})
        assert connection.getresponse().read() == b"127.0.0.1"
    finally:
        server.should_exit = True
        thread.join(timeout=5)
