"""The JSON API under /api/v1/: one router per context, one error format."""

import copy

from django.http import JsonResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema

from yachi.accounts.auth import token_auth
from yachi.accounts.urls import api_router as accounts
from yachi.booking.urls import api_router as booking
from yachi.clinical.urls import api_router as clinical
from yachi.clinics.urls import api_router as clinics
from yachi.compliance.urls import api_router as compliance
from yachi.core.api_errors import install_error_handlers
from yachi.core.public_url import realtime_url
from yachi.core.readiness import readiness
from yachi.crm.urls import api_router as crm
from yachi.financing.urls import api_router as financing
from yachi.growth.urls import api_router as growth
from yachi.imaging.urls import api_router as imaging
from yachi.insurance.urls import api_router as insurance
from yachi.messaging.urls import api_router as messaging
from yachi.patients.urls import api_router as patients
from yachi.payments.urls import api_router as payments
from yachi.queueing.urls import api_router as queueing
from yachi.rostering.urls import api_router as rostering
from yachi.shop.urls import api_router as shop


class YachiAPI(NinjaAPI):
    """Builds its OpenAPI description once per prefix and language: building it takes seconds
    of CPU (the API docs page waited for it on every visit) and nothing changes it while the
    process runs."""

    _schemas: dict

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        schemas = self.__dict__.setdefault("_schemas", {})
        key = (path_prefix, get_language())
        if key not in schemas:
            schemas[key] = super().get_openapi_schema(path_prefix=path_prefix)
        return copy.deepcopy(schemas[key])


api = YachiAPI(
    title="Yachi API",
    version="1",
    description=(
        "The API of the Yachi patient mini-program and scripted clients. "
        "Authenticate with `Authorization: Bearer <token>` (from `POST /auth/login` or "
        '`yachi token`). Errors are `{"code", "message"}` with a fitting status.'
    ),
    urls_namespace="api",
    auth=token_auth,
)
install_error_handlers(api)


@api.get("/health", auth=None, tags=["system"])
def health(request):
    return {"status": "ok"}


class RealtimeOut(Schema):
    realtime_url: str = Field(
        description="The base to open WebSockets against: `<realtime_url>/ws/…?token=…`"
    )


@api.get("/realtime", auth=None, tags=["system"], response=RealtimeOut)
def realtime(request):
    """Where a client opens its WebSockets (`/ws/queues/{id}/`, `/ws/queue-tickets/{id}/`,
    …): a `ws://` or `wss://` URL, the same host pages use (ADR 0046)."""
    return {"realtime_url": realtime_url(request, absolute=True)}


@api.get("/ready", auth=None, tags=["system"])
def ready(request):
    """Whether this instance's database, Redis and job queue answer: 200, or 503 naming
    what is down (for a load balancer's health check; ``/health`` is the liveness check)."""
    up, checks = readiness()
    if up:
        return {"status": "ok", "checks": checks}
    body = {
        "status": "unavailable",
        "code": "not_ready",
        "message": _("A service this server needs is not answering. Please try again shortly."),
        "checks": checks,
        "failing": [name for name, check in checks.items() if check["status"] != "ok"],
    }
    response = JsonResponse(body, status=503)
    response["Retry-After"] = "5"
    return response


for context in (
    accounts,
    clinics,
    patients,
    booking,
    compliance,
    messaging,
    payments,
    growth,
    shop,
    queueing,
    clinical,
    crm,
    rostering,
    imaging,
    insurance,
    financing,
):
    api.add_router("/", context)
