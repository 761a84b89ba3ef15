"""The JSON API under /api/v1/: one router per context, one error format."""

from ninja import NinjaAPI

from yachi.accounts.auth import token_auth
from yachi.accounts.urls import api_router as accounts
from yachi.booking.urls import api_router as booking
from yachi.clinics.urls import api_router as clinics
from yachi.compliance.urls import api_router as compliance
from yachi.core.api_errors import install_error_handlers
from yachi.growth.urls import api_router as growth
from yachi.messaging.urls import api_router as messaging
from yachi.patients.urls import api_router as patients
from yachi.payments.urls import api_router as payments
from yachi.shop.urls import api_router as shop

api = NinjaAPI(
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
):
    api.add_router("/", context)
