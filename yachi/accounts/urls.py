"""The accounts context's pages: ``patient_patterns`` in the app, ``console_patterns`` in the
clinic console. ``yachi.web`` mounts them; the names live in its ``web`` and ``console`` namespaces."""

from django.urls import path
from ninja import Router

from yachi.accounts import api, views

patient_patterns = [
    path("login/", views.patient_login, name="login"),
    path("logout/", views.patient_logout, name="logout"),
    path("logout/everywhere/", views.logout_everywhere, name="logout_everywhere"),
    path("me/devices/", views.devices, name="devices"),
    path("me/devices/<str:token_id>/logout/", views.device_logout, name="device_logout"),
]

console_patterns = [
    path("login/", views.staff_login, name="login"),
    path("logout/", views.staff_logout, name="logout"),
    path("login/code/", views.staff_totp, name="totp"),
    path("login/authenticator/", views.staff_totp_enroll, name="totp_enroll"),
    path("password/", views.password_change, name="password"),
]

# The context's part of the JSON API, which ``config.api`` mounts.
api_router = Router()
api_router.add_router("", api.router)
