"""The page a crash shows: "try again in a moment" when a store is away (ADR 0040)."""

import sys

from django.http import HttpResponse
from django.template import loader
from django.views.defaults import server_error as crashed

from yachi.core import outage


def server_error(request):
    """Django's 500 handler, unless what failed was the database or Redis being away.

    Then the same request will most likely work in a few seconds: 503 with
    ``Retry-After``. The page is rendered without the request's context, as Django's
    own 500 page is, so that showing it needs neither the database nor a session.
    Under ``/api/`` the JSON error middleware turns it into ``{"code", "message"}``.
    """
    if not outage.is_outage(sys.exc_info()[1]):
        return crashed(request)
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(outage.RETRY_AFTER_SECONDS)
    return response
