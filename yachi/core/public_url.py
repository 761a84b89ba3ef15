"""Where patients reach the platform, for the links in messages.

``YACHI_PUBLIC_URL`` says it when the platform stands behind a proxy or a domain.
Without it, ``yachi serve`` and ``yachi demo`` derive it from the address they listen
on and put it in the environment before starting anything, so that the web workers and
the job consumer they start (which send the messages) write the same links.
"""

import os

from django.conf import settings

VARIABLE = "YACHI_PUBLIC_URL"
# Listening on every interface says nothing about the name patients use: this machine.
_EVERY_INTERFACE = {"0.0.0.0", "::", ""}  # noqa: S104


def served_at(*, host: str, port: int) -> str:
    """The address a browser on this machine opens for a server on ``host:port``."""
    name = "127.0.0.1" if host in _EVERY_INTERFACE else host
    if ":" in name:
        name = f"[{name}]"  # an IPv6 address
    return f"http://{name}:{port}"


def announce_public_url(*, host: str, port: int) -> str:
    """The public address, derived from ``host:port`` unless the operator set it."""
    if not (os.environ.get(VARIABLE) or os.environ.get(f"{VARIABLE}_FILE")):
        os.environ[VARIABLE] = served_at(host=host, port=port)
        settings.YACHI_PUBLIC_URL = os.environ[VARIABLE]
    return settings.YACHI_PUBLIC_URL


REALTIME_PORT = "YACHI_REALTIME_PORT"


def announce_realtime_port(port: int) -> None:
    """``yachi serve`` serving on its own: pages open sockets on its socket port of the
    host they were requested from. Not when the operator named the public address (a
    proxy in front routes ``/ws/``, deploy/haproxy.cfg) or the realtime URL itself."""
    named = any(
        os.environ.get(name) or os.environ.get(f"{name}_FILE")
        for name in (VARIABLE, "YACHI_REALTIME_URL")
    )
    if not named:
        os.environ[REALTIME_PORT] = str(port)
        settings.YACHI_REALTIME_PORT = port


def _host_name(request) -> str:
    from django.http.request import split_domain_port

    name, _port = split_domain_port(request.get_host())
    # An IPv6 address keeps its brackets in a host header.
    return f"[{name}]" if ":" in name and not name.startswith("[") else name


def realtime_url(request=None, *, absolute: bool = False) -> str:
    """The base a client opens ``/ws/…`` against, without a trailing slash (ADR 0046).

    ``""`` means the page's own origin (the contract of web/realtime.js): a proxy in
    front routes ``/ws/`` to the socket servers. With ``absolute`` (the API's answer to
    a mini-program, which has no page origin) always a ``ws://`` or ``wss://`` URL."""
    if settings.YACHI_REALTIME_URL:
        return settings.YACHI_REALTIME_URL
    secure = request is not None and request.is_secure()
    scheme = "wss" if secure else "ws"
    if settings.YACHI_REALTIME_PORT and request is not None:
        return f"{scheme}://{_host_name(request)}:{settings.YACHI_REALTIME_PORT}"
    if not absolute:
        return ""
    if request is not None:
        return f"{scheme}://{request.get_host()}"
    public = settings.YACHI_PUBLIC_URL
    return "wss" + public[len("https") :] if public.startswith("https") else "ws" + public[4:]
