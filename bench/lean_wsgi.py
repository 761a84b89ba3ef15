"""Yachi as a WSGI app whose ``/api/`` requests pass a shorter middleware stack.

    granian --interface wsgi bench.lean_wsgi:application --workers 2 --blocking-threads 8

Only for ``bench/http.py`` (``--server granian-wsgi-lean``) and ``bench/api_profile.py``:
it shows what the page middleware (sessions, CSRF, messages, the staff session, htmx,
static files, the domain-error pages) costs an API request. The API keeps what it needs
from the full stack: the client's address and request id, the security headers, the
language and the JSON error format.
"""

import os

from django.core.handlers.wsgi import WSGIHandler
from django.test.utils import override_settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

API_MIDDLEWARE = [
    "yachi.core.middleware.RequestOriginMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "yachi.web.security.SecurityHeadersMiddleware",
    "yachi.core.middleware.LanguageMiddleware",
    "yachi.core.api_errors.JsonErrorsMiddleware",
]


class MiddlewareHandler(WSGIHandler):
    """A WSGI handler built with its own middleware list instead of ``MIDDLEWARE``."""

    def __init__(self, middleware: list[str]):
        self.middleware = middleware
        super().__init__()

    def load_middleware(self, is_async=False):
        with override_settings(MIDDLEWARE=self.middleware):
            super().load_middleware(is_async=is_async)


def dispatcher(api, pages):
    def application(environ, start_response):
        handler = api if environ.get("PATH_INFO", "").startswith("/api/") else pages
        return handler(environ, start_response)

    return application


def _application():
    import django

    django.setup(set_prefix=False)
    return dispatcher(MiddlewareHandler(API_MIDDLEWARE), WSGIHandler())


application = _application()
