"""A store that is away for a moment: 503 with ``Retry-After``, never a 500 (ADR 0040).

PostgreSQL restarting, a pool that finds no live connection in time, Redis killed or
unreachable: the request could not be served, yet nothing is wrong with it, and the
same request a few seconds later will most likely succeed. The client is told so, in
the API's JSON format or on a friendly page. Nothing is half written: a write is one
transaction (or one statement), and a connection lost before its commit commits
nothing.

What counts is the connection-level errors only. Constraint violations, programming
errors and data errors are our own mistakes (or the caller's) and stay 4xx / 500.
"""

import logging

import redis
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.utils.translation import gettext as _

logger = logging.getLogger("yachi.outage")

# Long enough for a PostgreSQL restart or a Redis failover, short enough that a
# patient's phone tries again while they still look at it.
RETRY_AFTER_SECONDS = 5

OUTAGES = (OperationalError, InterfaceError, redis.ConnectionError, redis.TimeoutError)


def is_outage(exc: BaseException | None) -> bool:
    return isinstance(exc, OUTAGES)


def error_body() -> dict:
    return {
        "code": "unavailable",
        "message": _("The service is briefly unavailable. Please try again in a moment."),
    }


def json_response(request, exc: BaseException) -> JsonResponse:
    logger.warning("store unavailable in %s %s: %r", request.method, request.path, exc)
    response = JsonResponse(error_body(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
