"""One place that turns every failure of the JSON API into ``{"code", "message"}``."""

import logging

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from yachi.core import outage
from yachi.core.errors import DomainError

logger = logging.getLogger("yachi.api")

_GENERIC = {
    400: ("bad_request", lambda: _("The request could not be understood.")),
    401: ("unauthorized", lambda: _("Please log in first.")),
    403: ("forbidden", lambda: _("You are not allowed to do this.")),
    404: ("not_found", lambda: _("Not found.")),
    405: ("method_not_allowed", lambda: _("This method is not allowed here.")),
    413: ("payload_too_large", lambda: _("The request is too large.")),
    415: ("unsupported_media_type", lambda: _("Send the request body as JSON.")),
    429: ("rate_limited", lambda: _("Too many requests. Please try again later.")),
    500: ("server_error", lambda: _("Something went wrong on our side. Please try again.")),
    503: ("unavailable", lambda: outage.error_body()["message"]),
}


# Bodies Django refuses to read: more than DATA_UPLOAD_MAX_MEMORY_SIZE (or too many
# fields or files), or not what their Content-Type says (a multipart body without its
# boundary, a connection cut short). The client's mistake, so a 4xx and no traceback.
BODY_TOO_LARGE = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)
BODY_UNREADABLE = (MultiPartParserError, UnreadablePostError)


def error_body(status: int) -> dict:
    code, message = _GENERIC.get(status, _GENERIC[500] if status >= 500 else _GENERIC[400])
    return {"code": code, "message": message()}


def invalid_body() -> dict:
    return {
        "code": "invalid_body",
        "message": _("The request body could not be read: check its format and Content-Type."),
    }


def _field_path(location: list) -> str:
    return ".".join(str(part) for part in location[1:]) or str(location[0])


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        body = {"code": exc.code, "message": str(exc.message)}
        response = JsonResponse(body, status=exc.status)
        if "retry_after" in exc.details:
            response["Retry-After"] = str(exc.details["retry_after"])
        return response

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        errors = [
            {"field": _field_path(list(e.get("loc", ["body"]))), "message": e.get("msg", "")}
            for e in exc.errors
        ]
        fields = ", ".join(sorted({e["field"] for e in errors}))
        message = _("Some of the data is not valid: %(fields)s.") % {"fields": fields}
        return JsonResponse({"code": "invalid", "message": message, "errors": errors}, status=422)

    @api.exception_handler(AuthenticationError)
    def authentication_error(request, exc):
        return JsonResponse(error_body(401), status=401)

    @api.exception_handler(AuthorizationError)
    def authorization_error(request, exc):
        return JsonResponse(error_body(403), status=403)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if exc.status_code == 400:
            # Django Ninja's only 400: a body that does not parse as JSON.
            return JsonResponse(invalid_body(), status=400)
        return JsonResponse(error_body(exc.status_code), status=exc.status_code)

    for exception in BODY_TOO_LARGE:
        api.add_exception_handler(exception, _body_too_large)
    for exception in BODY_UNREADABLE:
        api.add_exception_handler(exception, _body_unreadable)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return JsonResponse(error_body(404), status=404)

    for exception in outage.OUTAGES:
        api.add_exception_handler(exception, outage.json_response)

    @api.exception_handler(Exception)
    def unexpected(request, exc):
        logger.exception("unhandled error in %s %s", request.method, request.path)
        return JsonResponse(error_body(500), status=500)


def _body_too_large(request, exc):
    logger.warning("refused the body of %s %s: %s", request.method, request.path, exc)
    return JsonResponse(error_body(413), status=413)


def _body_unreadable(request, exc):
    logger.warning("refused the body of %s %s: %s", request.method, request.path, exc)
    return JsonResponse(invalid_body(), status=400)


class JsonErrorsMiddleware:
    """Errors raised outside the API's own handlers still answer in JSON under /api/.

    Unknown paths (Django's 404), wrong methods (405), CSRF refusals and crashes in
    middleware would otherwise come back as HTML pages, which a mini-program
    client cannot show.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            status = response.status_code
            replacement = JsonResponse(error_body(status), status=status)
            for header in ("Allow", "Retry-After", "X-Request-ID"):
                if header in response:
                    replacement[header] = response[header]
            return replacement
        return response

    def process_exception(self, request, exception):
        if request.path.startswith("/api/") and outage.is_outage(exception):
            return outage.json_response(request, exception)
        if request.path.startswith("/api/"):
            logger.exception("unhandled error in %s %s", request.method, request.path)
            return JsonResponse(error_body(500), status=500)
        return None
