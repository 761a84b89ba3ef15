from django.utils.translation import gettext_lazy as _

from yachi.core.errors import DomainError


class ServiceUnavailable(DomainError):
    """The partner or provider is not configured, or did not answer."""

    code = "unavailable"
    status = 503
    default_message = _("This service is not available right now. Please try again later.")


class Unauthorized(DomainError):
    code = "bad_signature"
    status = 401
    default_message = _("The request's signature is missing or wrong.")
