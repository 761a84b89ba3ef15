"""Links in messages point where the platform is really served."""

import pytest
from django.core.management import call_command

from yachi.core import public_url
from yachi.core.public_url import announce_public_url, served_at


class Started(Exception):
    pass


@pytest.fixture
def no_public_url(monkeypatch, settings):
    monkeypatch.delenv("YACHI_PUBLIC_URL", raising=False)
    monkeypatch.delenv("YACHI_PUBLIC_URL_FILE", raising=False)
    settings.YACHI_PUBLIC_URL = "http://127.0.0.1:8000"
    # `serve` announces its socket port too: undone after the test.
    monkeypatch.setenv("YACHI_REALTIME_PORT", "")
    settings.YACHI_REALTIME_PORT = 0


def test_the_address_follows_the_host_and_port_served(no_public_url, settings, monkeypatch):
    assert announce_public_url(host="0.0.0.0", port=8801) == "http://127.0.0.1:8801"  # noqa: S104
    assert settings.YACHI_PUBLIC_URL == "http://127.0.0.1:8801"
    # The web workers and the job consumer started next read it from the environment.
    import os

    assert os.environ["YACHI_PUBLIC_URL"] == "http://127.0.0.1:8801"
    assert served_at(host="192.168.1.20", port=9000) == "http://192.168.1.20:9000"
    assert served_at(host="::1", port=9000) == "http://[::1]:9000"


def test_a_configured_public_url_wins(monkeypatch, settings):
    monkeypatch.setenv("YACHI_PUBLIC_URL", "https://yachi.example.cn")
    settings.YACHI_PUBLIC_URL = "https://yachi.example.cn"
    assert announce_public_url(host="127.0.0.1", port=8801) == "https://yachi.example.cn"


@pytest.mark.parametrize("command", ["serve", "demo"])
def test_serve_and_demo_announce_their_address_before_starting(no_public_url, monkeypatch, command):
    seen = []

    def announce(*, host, port):
        seen.append((host, port))
        raise Started

    monkeypatch.setattr(public_url, "announce_public_url", announce)
    with pytest.raises(Started):
        call_command(command, host="127.0.0.1", port=8801)
    assert seen == [("127.0.0.1", 8801)]
