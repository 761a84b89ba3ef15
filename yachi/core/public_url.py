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
