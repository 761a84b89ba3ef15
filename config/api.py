"""The JSON API under /api/v1/: one router per context, one error format."""

from ninja import NinjaAPI

from yachi.accounts.api import router as accounts_router
from yachi.accounts.auth import token_auth
from yachi.booking.api import router as booking_router
from yachi.booking.emergency_api import router as emergency_router
from yachi.booking.waitlist_api import router as waitlist_router
from yachi.clinics.api import router as clinics_router
from yachi.compliance.api import router as privacy_router
from yachi.core.api_errors import install_error_handlers
from yachi.growth.api import router as growth_router
from yachi.messaging.api import router as messaging_router
from yachi.patients.api import router as patients_router
from yachi.patients.records_api import router as records_router
from yachi.payments.api import router as payments_router
from yachi.shop.api import router as shop_router
from yachi.shop.flash_api import router as flash_router

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


api.add_router("/", accounts_router)
api.add_router("/", clinics_router)
api.add_router("/", patients_router)
api.add_router("/", booking_router)
api.add_router("/", waitlist_router)
api.add_router("/", emergency_router)
api.add_router("/", records_router)
api.add_router("/", privacy_router)
api.add_router("/", messaging_router)
api.add_router("/", payments_router)
api.add_router("/", growth_router)
api.add_router("/", shop_router)
api.add_router("/", flash_router)
