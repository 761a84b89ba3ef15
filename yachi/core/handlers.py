"""Two middleware stacks in one Django handler: the API's short one for ``/api/``, the
pages' full one (``MIDDLEWARE``) for everything else.

A token-authenticated JSON request needs no session, no CSRF check, no messages, no
staff session, no htmx, no static files and no error pages; each of those costs every
request a little (a third of ``/health``'s time in-process, docs/benchmarks.md). The API
keeps what every answer needs: the client's address and request id, the security
headers, the language and the JSON error format (``API_MIDDLEWARE``).

The split sits in ``get_response``, so Django's WSGI and ASGI handlers and the test
client (``conftest.py``) take the same path: ``/health`` still passes Django's whole
request handling and the API's stack, as every API request does.
"""

from django.conf import settings
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIHandler
from django.test.utils import override_settings

API_PREFIX = "/api/"


class _ApiStack(BaseHandler):
    def load_middleware(self, is_async=False):
        # Read once, at start-up (or at a test client's first request).
        with override_settings(MIDDLEWARE=settings.API_MIDDLEWARE):
            super().load_middleware(is_async=is_async)


class SplitStack:
    """Mixed into a Django handler: ``/api/`` requests pass ``API_MIDDLEWARE`` only."""

    def load_middleware(self, is_async=False):
        super().load_middleware(is_async=is_async)
        self._api = _ApiStack()
        self._api.load_middleware(is_async=is_async)

    def get_response(self, request):
        if request.path_info.startswith(API_PREFIX):
            return self._api.get_response(request)
        return super().get_response(request)

    async def get_response_async(self, request):
        if request.path_info.startswith(API_PREFIX):
            return await self._api.get_response_async(request)
        return await super().get_response_async(request)


class SplitWSGIHandler(SplitStack, WSGIHandler):
    pass


class SplitASGIHandler(SplitStack, ASGIHandler):
    pass
