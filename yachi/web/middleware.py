import logging

from django.shortcuts import render
from django.utils.translation import gettext as _

from yachi.core.api_errors import BODY_TOO_LARGE, BODY_UNREADABLE
from yachi.core.errors import DomainError
from yachi.core.text import has_control_characters

logger = logging.getLogger(__name__)


def message_page(request, *, text: str, status: int):
    """A friendly refusal; a console page's leads back to the console, not the app."""
    console = request.path.startswith("/console/")
    return render(
        request,
        "web/message.html",
        {
            "title": _("Sorry"),
            "text": text,
            "link": "/console/" if console else "/",
            "link_text": _("Back to the console") if console else _("Back to the start"),
        },
        status=status,
    )


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
        return message_page(request, text=str(exception.message), status=exception.status)


class PageInputMiddleware:
    """What a page is sent is read once, before the CSRF check and the view.

    A body Django cannot read (too large, a multipart body without its boundary) gets
    a friendly 413 / 400 page instead of a traceback; a query or form value with a
    control character (NUL, escape; line breaks and tabs are fine) gets a 400 page
    before any view stores or searches for it (``yachi.core.text``).

    The API parses its bodies into schemas (``yachi.core.schemas``), and provider
    notifications, exempt from CSRF, read theirs byte for byte to check signatures:
    neither is touched here. For every other POST the CSRF check reads the form anyway.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith("/api/") or getattr(view_func, "csrf_exempt", False):
            return None
        try:
            fields = list(request.GET.lists())
            if request.method == "POST":
                fields += request.POST.lists()
        except BODY_TOO_LARGE as exc:
            logger.warning("refused the body of %s %s: %s", request.method, request.path, exc)
            return message_page(request, text=_("What was sent is too large."), status=413)
        except BODY_UNREADABLE as exc:
            logger.warning("refused the body of %s %s: %s", request.method, request.path, exc)
            return message_page(request, text=_("What was sent could not be read."), status=400)
        for name, values in fields:
            if has_control_characters(name, multiline=False) or any(
                has_control_characters(value, multiline=True) for value in values
            ):
                logger.warning("refused control characters in %s %s", request.method, request.path)
                return message_page(
                    request,
                    text=_("Some of what was entered contains characters that cannot be kept."),
                    status=400,
                )
        return None
