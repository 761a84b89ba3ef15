"""Yachi as a WSGI app whose ``/api/`` requests pass a shorter middleware stack.

    granian --interface wsgi bench.lean_wsgi:application --workers 2 --blocking-threads 8

Only for ``bench/http.py`` (``--server granian-wsgi-lean``): it shows what the page
middleware (sessions, CSRF, messages, the staff session, htmx, static files, the
domain-error pages) costs an API request. The API keeps what it needs from the full stack
(``bench._common.API_MIDDLEWARE``): the client's address and request id, the security
headers, the language and the JSON error format.
"""

import os

import django
from django.core.handlers.wsgi import WSGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup(set_prefix=False)

from bench._common import API_MIDDLEWARE, middleware_handler  # noqa: E402


def dispatcher(api, pages):
    def application(environ, start_response):
        handler = api if environ.get("PATH_INFO", "").startswith("/api/") else pages
        return handler(environ, start_response)

    return application


application = dispatcher(middleware_handler(API_MIDDLEWARE), WSGIHandler())
