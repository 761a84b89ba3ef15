"""The clinic console for front desk, doctors and managers: each context's console pages."""

from yachi.accounts import urls as accounts
from yachi.booking import urls as booking
from yachi.clinical import urls as clinical
from yachi.clinics import urls as clinics
from yachi.compliance import urls as compliance
from yachi.crm import urls as crm
from yachi.financing import urls as financing
from yachi.growth import urls as growth
from yachi.imaging import urls as imaging
from yachi.insurance import urls as insurance
from yachi.messaging import urls as messaging
from yachi.operations import urls as operations
from yachi.patients import urls as patients
from yachi.payments import urls as payments
from yachi.queueing import urls as queueing
from yachi.queueing.display import urls as display
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
    *queueing.console_patterns,
    *clinical.console_patterns,
    *display.console_patterns,
    *messaging.console_patterns,
    *crm.console_patterns,
    *imaging.console_patterns,
    *insurance.console_patterns,
    *financing.console_patterns,
]
