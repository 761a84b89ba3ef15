"""The clinic console for front desk, doctors and managers: each context's console pages."""

from yachi.accounts import urls as accounts
from yachi.booking import urls as booking
from yachi.clinics import urls as clinics
from yachi.compliance import urls as compliance
from yachi.growth import urls as growth
from yachi.operations import urls as operations
from yachi.patients import urls as patients
from yachi.payments import urls as payments
from yachi.rostering import urls as rostering
from yachi.shop import urls as shop

app_name = "console"

urlpatterns = [
    *accounts.console_patterns,
    *booking.console_patterns,
    *shop.console_patterns,
    *patients.console_patterns,
    *payments.console_patterns,
    *growth.console_patterns,
    *compliance.console_patterns,
    *rostering.console_patterns,
    *clinics.console_patterns,
    *operations.console_patterns,
]
