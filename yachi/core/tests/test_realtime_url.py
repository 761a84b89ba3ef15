"""Where clients open their WebSockets (ADR 0046): the socket port of `yachi serve` on
the host a page came from, the balancer's own origin behind a proxy, or the URL the
operator names; pages learn it from their meta tag (and may connect there under their
CSP), the mini-program from `GET /api/v1/realtime`."""

import os

import pytest
from django.test import Client

from yachi.core import public_url
from yachi.core.management.commands import sockets
from yachi.core.server import socket_server_options


@pytest.fixture
def nothing_named(monkeypatch, settings):
    for name in ("YACHI_PUBLIC_URL", "YACHI_REALTIME_URL", "YACHI_REALTIME_PORT"):
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
        monkeypatch.delenv(f"{name}_FILE", raising=False)
    settings.YACHI_REALTIME_URL = ""
    settings.YACHI_REALTIME_PORT = 0
    return settings


def realtime_of(response) -> str:
    return response.json()["realtime_url"]


def test_serve_alone_sends_pages_to_its_socket_port_on_the_host_they_came_from(nothing_named, db):
    public_url.announce_realtime_port(8801)
    assert os.environ["YACHI_REALTIME_PORT"] == "8801"  # for the workers it starts
    client = Client()
    # A television on the clinic's network opens the page by the server's address.
    answer = client.get("/api/v1/realtime", HTTP_HOST="192.168.1.20:8800")
    assert realtime_of(answer) == "ws://192.168.1.20:8801"
    page = client.get("/", HTTP_HOST="192.168.1.20:8800")
    # The page may connect there: 'self' alone would not cover another port.
    assert "connect-src 'self' ws://192.168.1.20:8801" in page["Content-Security-Policy"]
    assert realtime_of(client.get("/api/v1/realtime", HTTP_HOST="[::1]:8800")) == "ws://[::1]:8801"


def test_behind_a_proxy_pages_use_their_own_origin(nothing_named, monkeypatch, db):
    monkeypatch.setenv("YACHI_PUBLIC_URL", "https://yachi.example.cn")
    public_url.announce_realtime_port(8801)
    assert "YACHI_REALTIME_PORT" not in os.environ
    assert public_url.realtime_url() == ""  # the meta tag's "same origin"
    client = Client()
    page = client.get("/", HTTP_HOST="yachi.example.cn")
    assert "connect-src 'self';" in page["Content-Security-Policy"] + ";"
    assert "ws:" not in page["Content-Security-Policy"]
    # The mini-program has no page origin: it is told the whole URL.
    answer = client.get("/api/v1/realtime", HTTP_HOST="yachi.example.cn", secure=True)
    assert realtime_of(answer) == "wss://yachi.example.cn"


def test_a_named_realtime_url_wins(nothing_named, db):
    nothing_named.YACHI_REALTIME_URL = "wss://ws.yachi.example.cn"
    nothing_named.YACHI_REALTIME_PORT = 8801
    client = Client()
    assert realtime_of(client.get("/api/v1/realtime")) == "wss://ws.yachi.example.cn"
    page = client.get("/")
    assert "connect-src 'self' wss://ws.yachi.example.cn" in page["Content-Security-Policy"]


def test_the_socket_server_options():
    options = socket_server_options(host="127.0.0.1", port=8801, workers=3)
    assert options["workers"] == 3
    assert options["ws"] == "websockets-sansio"
    assert options["ws_max_size"] == 64 * 1024
    assert options["ws_ping_interval"] == options["ws_ping_timeout"] == 20.0
    assert options["proxy_headers"] is False


def test_the_in_memory_layer_gets_one_socket_process(monkeypatch, settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    started = {}
    monkeypatch.setattr(sockets.uvicorn, "run", lambda app, **options: started.update(options))
    from django.core.management import call_command

    call_command("sockets", port=8801, workers=4)
    assert started["workers"] == 1
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "yachi.core.channel_layer.PooledRedisChannelLayer"}
    }
    call_command("sockets", port=8801, workers=4)
    assert started["workers"] == 4
