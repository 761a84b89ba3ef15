from django.shortcuts import render
from django.utils.translation import gettext as _

from yachi.core.errors import DomainError


class DomainErrorPageMiddleware:
    """A domain error that escapes a page view becomes a friendly page, not a crash.

    The API has its own JSON handlers; this covers the server-rendered screens.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        return render(
            request,
            "web/message.html",
            {
                "title": _("Sorry"),
                "text": str(exception.message),
                "link": "/",
                "link_text": _("Back to the start"),
            },
            status=exception.status,
        )
