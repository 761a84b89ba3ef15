"""Content-Security-Policy and Permissions-Policy on every response.

Django 5.2's own SecurityMiddleware sends HSTS, nosniff, the referrer and the opener
policies; these two it leaves to the project. The policy comes from ``SECURE_CSP``,
in the shape Django 6 reads (directive → sources), so that moving to Django 6's
middleware later is a change of one line in ``MIDDLEWARE``.
"""

from functools import wraps

from django.conf import settings

from yachi.core.public_url import realtime_url


def policy_header(directives: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def permissions_header(features: dict[str, list[str]]) -> str:
    return ", ".join(f"{name}=({' '.join(origins)})" for name, origins in features.items())


def csp_extend(extra: dict[str, list[str]]):
    """Widen the policy for one view only, with the reason stated where it is used."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response.csp_extra = extra
            return response

        return wrapper

    return decorator


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions = permissions_header(settings.YACHI_PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        directives = dict(settings.SECURE_CSP)
        sockets = realtime_url(request)
        connect = directives.get("connect-src", ["'self'"])
        if sockets and sockets not in connect:
            # Pages open their WebSockets there (ADR 0046); 'self' covers only their own
            # origin, not the socket server's port.
            directives["connect-src"] = [*connect, sockets]
        for name, sources in getattr(response, "csp_extra", {}).items():
            directives[name] = [*directives.get(name, []), *sources]
        response.headers.setdefault("Content-Security-Policy", policy_header(directives))
        response.headers.setdefault("Permissions-Policy", self.permissions)
        return response
