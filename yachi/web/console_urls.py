"""The clinic console for front desk, doctors and managers."""

from django.urls import path

from yachi.accounts import views as accounts
from yachi.booking import console_views as booking
from yachi.booking import emergency_views as booking_emergency
from yachi.compliance import console_views as compliance
from yachi.patients import console_views as patients
from yachi.shop import flash_console_views as flash

app_name = "console"

urlpatterns = [
    path("", booking.console_home, name="home"),
    path("login/", accounts.staff_login, name="login"),
    path("logout/", accounts.staff_logout, name="logout"),
    path("login/code/", accounts.staff_totp, name="totp"),
    path("login/authenticator/", accounts.staff_totp_enroll, name="totp_enroll"),
    path("password/", accounts.password_change, name="password"),
    path("clinic/<str:clinic_id>/calendar/", booking.calendar_page, name="calendar"),
    path("clinic/<str:clinic_id>/book/", booking.book_page, name="book"),
    path("clinic/<str:clinic_id>/saturation/", booking.grid_page, name="grid"),
    path("appointment/<str:appointment_id>/", booking.appointment_panel, name="appointment"),
    path("appointment/<str:appointment_id>/step/", booking.appointment_step, name="step"),
    path("emergencies/", booking_emergency.doctor_emergencies, name="emergencies"),
    path(
        "emergencies/<str:case_id>/accept/",
        booking_emergency.doctor_accept,
        name="emergency_accept",
    ),
    path("clinic/<str:clinic_id>/flash-sales/", flash.flash_sales_page, name="flash_sales"),
    path(
        "clinic/<str:clinic_id>/flash-sales/live/", flash.flash_sales_live, name="flash_sales_live"
    ),
    path("patients/", patients.patient_search, name="patients"),
    path("patients/<str:patient_id>/", patients.chart_page, name="chart"),
    path("audit/", compliance.audit_page, name="audit"),
    path("audit/export.csv", compliance.audit_export, name="audit_export"),
]
