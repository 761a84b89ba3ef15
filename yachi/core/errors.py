"""Typed domain errors with stable codes.

Services raise these; the API maps them to ``{"code", "message"}`` with the status
below and pages show the message. Nothing here knows about HTTP beyond the status
number a client should see.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "error"
    status = 400
    default_message = _("The request could not be completed.")

    def __init__(self, message=None, *, code: str | None = None, **details):
        self.message = message if message is not None else self.default_message
        if code is not None:
            self.code = code
        self.details = details
        super().__init__(str(self.message))


class InvalidInput(DomainError):
    code = "invalid"
    status = 422
    default_message = _("Some of the data is not valid.")


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = _("Not found.")


class PermissionDenied(DomainError):
    code = "forbidden"
    status = 403
    default_message = _("You are not allowed to do this.")


def patients_only(user, message=None) -> None:
    """The patient's own endpoints and services (``/me/...``) answer patients only: staff
    accounts get 403 ``patients_only`` with the context's own word for why."""
    if not getattr(user, "is_patient", False):
        raise PermissionDenied(message, code="patients_only")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    default_message = _("This conflicts with the current state.")


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429
    default_message = _("Too many requests. Please try again later.")
