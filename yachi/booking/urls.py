"""The booking context's pages: ``patient_patterns`` in the app, ``console_patterns`` in the
clinic console. ``yachi.web`` mounts them; the names live in its ``web`` and ``console`` namespaces."""

from django.urls import path
from ninja import Router

from yachi.booking import api, console_views, views
from yachi.booking.absence import views as absence_views
from yachi.booking.emergency import api as emergency_api
from yachi.booking.emergency import views as emergency_views
from yachi.booking.history import api as history_api
from yachi.booking.history import console_views as history_console
from yachi.booking.history import views as history_views
from yachi.booking.reminders import views as link_views
from yachi.booking.vouchers import api as vouchers_api
from yachi.booking.vouchers import views as vouchers_views
from yachi.booking.waitlist import api as waitlist_api
from yachi.booking.waitlist import views as waitlist_views

patient_patterns = [
    path("book/", views.clinics_page, name="book_clinics"),
    path("book/clinic/<str:clinic_id>/", views.services_page, name="book_services"),
    path("book/service/<str:service_id>/", views.doctors_page, name="book_doctors"),
    path(
        "book/service/<str:service_id>/doctor/<str:doctor_id>/",
        views.slots_page,
        name="book_slots",
    ),
    path("book/confirm/", views.confirm_page, name="book_confirm"),
    path("a/<str:token>/", link_views.appointment_link, name="appointment_link"),
    path("emergency/", emergency_views.emergency_page, name="emergency"),
    path("emergency/<str:case_id>/", emergency_views.emergency_case_page, name="emergency_case"),
    path("waitlist/", waitlist_views.waitlist_page, name="waitlist"),
    path("waitlist/join/", waitlist_views.waitlist_join_page, name="waitlist_join"),
    path("waitlist/offers/<str:offer_id>/", waitlist_views.offer_answer, name="waitlist_offer"),
    path("waitlist/<str:entry_id>/leave/", waitlist_views.waitlist_leave, name="waitlist_leave"),
    path("vouchers/", vouchers_views.vouchers_page, name="vouchers"),
    path("vouchers/<str:voucher_id>/", vouchers_views.voucher_page, name="voucher"),
    path("visits/", history_views.visits_page, name="visits"),
    path("visits/<str:appointment_id>/", history_views.visit_page, name="visit"),
    path("appointments/", views.appointments_page, name="appointments"),
    path("appointments/<str:appointment_id>/", views.appointment_page, name="appointment"),
    path("appointments/<str:appointment_id>/cancel/", views.cancel_view, name="cancel"),
    path(
        "appointments/<str:appointment_id>/reschedule/",
        views.reschedule_page,
        name="reschedule",
    ),
]

console_patterns = [
    path("", console_views.console_home, name="home"),
    path("clinic/<str:clinic_id>/calendar/", console_views.calendar_page, name="calendar"),
    path("clinic/<str:clinic_id>/book/", console_views.book_page, name="book"),
    path("clinic/<str:clinic_id>/saturation/", console_views.grid_page, name="grid"),
    path("appointment/<str:appointment_id>/", console_views.appointment_panel, name="appointment"),
    path("appointment/<str:appointment_id>/step/", console_views.appointment_step, name="step"),
    path("appointment/<str:appointment_id>/bill/", history_console.visit_bill, name="visit_bill"),
    path("emergencies/", emergency_views.doctor_emergencies, name="emergencies"),
    path(
        "emergencies/<str:case_id>/accept/",
        emergency_views.doctor_accept,
        name="emergency_accept",
    ),
    path("clinic/<str:clinic_id>/absence/", absence_views.absence_page, name="absence"),
]

# The context's part of the JSON API, which ``config.api`` mounts.
api_router = Router()
api_router.add_router("", api.router)
api_router.add_router("", waitlist_api.router)
api_router.add_router("", emergency_api.router)
api_router.add_router("", history_api.router)
api_router.add_router("", vouchers_api.router)
