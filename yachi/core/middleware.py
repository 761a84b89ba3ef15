import contextvars
import logging
import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

from yachi.core.client_address import client_address, is_trusted, parse_address, trusted_networks


@dataclass(frozen=True)
class RequestOrigin:
    request_id: str
    ip: str
    device: str


_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_request_origin: contextvars.ContextVar[RequestOrigin | None] = contextvars.ContextVar(
    "request_origin", default=None
)
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def current_request_origin() -> RequestOrigin | None:
    """Where the request being handled comes from (for the audit trail), if any."""
    return _request_origin.get()


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


# Headers only a proxy should set. From any other peer they are what the client chose,
# and are dropped before anything (Django's is_secure, a view) can read them.
_FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_X_REQUEST_ID",
)


class RequestOriginMiddleware:
    """Where a request comes from: the client's address, its device and a request id,
    for the throttles, the audit trail, payment providers and the logs.

    The one place that reads forwarded headers (``core.client_address``). Only a
    configured proxy (``YACHI_TRUSTED_PROXIES``) is believed: its ``X-Forwarded-For``
    names the client (``request.client_ip``), and its well-formed ``X-Request-ID``
    is kept so that one request can be followed across services. Anyone else gets
    their own address and a fresh id.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        networks = trusted_networks(tuple(settings.YACHI_TRUSTED_PROXIES))
        peer = request.META.get("REMOTE_ADDR") or ""
        if not is_trusted(parse_address(peer), networks):
            for header in _FORWARDED_HEADERS:
                request.META.pop(header, None)
        request.client_ip = client_address(
            peer=peer,
            forwarded_for=request.META.get("HTTP_X_FORWARDED_FOR", ""),
            networks=networks,
        )
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _VALID_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        origin = RequestOrigin(
            request_id=request_id,
            ip=request.client_ip,
            device=request.headers.get("User-Agent", "")[:200],
        )
        token, origin_token = _request_id.set(request_id), _request_origin.set(origin)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
            _request_origin.reset(origin_token)
        response["X-Request-ID"] = request_id
        return response


class LanguageMiddleware:
    """Chinese first: every page is zh-Hans unless the user chose English.

    Pages follow only an explicit choice (the language cookie set by the switcher),
    not the browser's Accept-Language, so a phone set to English still opens the
    clinic's Chinese app. API clients choose with Accept-Language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = self._language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    @staticmethod
    def _language_for(request) -> str:
        supported = {code for code, _name in settings.LANGUAGES}
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "").lower()
        if chosen in supported:
            return chosen
        if request.path.startswith("/api/"):
            for code, _quality in translation.trans_real.parse_accept_lang_header(
                request.headers.get("Accept-Language", "")
            ):
                try:
                    return translation.get_supported_language_variant(code)
                except LookupError:
                    continue
        return settings.LANGUAGE_CODE
