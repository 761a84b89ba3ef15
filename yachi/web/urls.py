"""The patient mobile web app: the web context's own pages, then each context's.

web is the composition root: it mounts what the contexts offer and owns no flow of its own.
"""

from django.urls import path

from yachi.accounts import urls as accounts
from yachi.booking import urls as booking
from yachi.clinical import urls as clinical
from yachi.clinics import urls as clinics
from yachi.crm import urls as crm
from yachi.financing import urls as financing
from yachi.growth import urls as growth
from yachi.imaging import urls as imaging
from yachi.insurance import urls as insurance
from yachi.messaging import urls as messaging
from yachi.patients import urls as patients
from yachi.payments import urls as payments
from yachi.queueing import urls as queueing
from yachi.queueing.display import urls as display
from yachi.shop import urls as shop
from yachi.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.me, name="me"),
    path("favicon.ico", views.favicon, name="favicon"),
    *accounts.patient_patterns,
    *booking.patient_patterns,
    *clinics.patient_patterns,
    *shop.patient_patterns,
    *patients.patient_patterns,
    *messaging.patient_patterns,
    *payments.patient_patterns,
    *growth.patient_patterns,
    *queueing.patient_patterns,
    *clinical.patient_patterns,
    *crm.patient_patterns,
    *imaging.patient_patterns,
    *insurance.patient_patterns,
    *financing.patient_patterns,
    *display.display_patterns,
]
