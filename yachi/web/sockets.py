"""Who is at the other end of a WebSocket (ADR 0042).

A client names itself with ``?token=`` (the mini-program's API token, or a token of
another kind such as a display's, which the consumer itself interprets), or else with the
session cookie of the page that opened the socket. A cookie is believed only from a page of
our own host (a page elsewhere could otherwise open a socket with the visitor's cookie),
and a staff session that has been idle as long as the console's time-out is not believed.
An open socket asks again at every poll whether its token or session still holds
(``ResumableConsumer``): a logout closes it.
"""

import time
from urllib.parse import parse_qs, urlsplit

from channels.auth import get_user
from channels.db import database_sync_to_async
from channels.sessions import CookieMiddleware, SessionMiddleware
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http.request import validate_host

from yachi.accounts import facade as accounts

_MAX_TOKEN = 512


def _token_still_valid(token: str):
    return lambda: accounts.token_user_loaded(token) is not None


def _session_still_valid(session, user):
    """The session still exists (no logout, no time-out, no log-out-everywhere) and
    its user is still active."""
    key = session.session_key

    def check() -> bool:
        if not key or not session.exists(key):
            return False
        return type(user).objects.filter(pk=user.pk, is_active=True).exists()

    return check


class SocketUserMiddleware:
    def __init__(self, inner):
        self.inner = inner
        self.with_session = CookieMiddleware(SessionMiddleware(self._from_session))

    async def __call__(self, scope, receive, send):
        scope = dict(scope)
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        token = (query.get("token") or [""])[0]
        if token:
            scope["yachi_token"] = token
            user = None
            if len(token) <= _MAX_TOKEN:
                user = await database_sync_to_async(accounts.token_user_loaded)(token)
            scope["user"] = user or AnonymousUser()
            if user is not None:
                scope["yachi_still_valid"] = _token_still_valid(token)
            return await self.inner(scope, receive, send)
        scope["yachi_token"] = None
        if not _same_site(scope):
            scope["user"] = AnonymousUser()
            return await self.inner(scope, receive, send)
        return await self.with_session(scope, receive, send)

    async def _from_session(self, scope, receive, send):
        user = await get_user(scope)
        if user.is_authenticated and user.is_clinic_staff:
            last_seen = scope["session"].get("last_seen", 0)
            if time.time() - last_seen > settings.YACHI_STAFF_IDLE_MINUTES * 60:
                user = AnonymousUser()
        if user.is_authenticated:
            scope["yachi_still_valid"] = _session_still_valid(scope["session"], user)
        scope["user"] = user
        return await self.inner(scope, receive, send)


def _same_site(scope) -> bool:
    """The page that opens the socket is ours: its origin's host is the one the socket was
    asked of (any port: the sockets may have their own), or a host named in ALLOWED_HOSTS
    (a wildcard names none here)."""
    headers = dict(scope.get("headers", []))
    origin = urlsplit(headers.get(b"origin", b"").decode("latin-1")).hostname
    if not origin:
        return False
    asked = urlsplit("//" + headers.get(b"host", b"").decode("latin-1")).hostname
    if asked and origin == asked:
        return True
    return validate_host(origin, [h for h in settings.ALLOWED_HOSTS if h != "*"])
