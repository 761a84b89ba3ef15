"""The clinics context's addresses: ``patient_patterns`` in the app and
``console_patterns`` in the clinic console (``yachi.web`` mounts them in its ``web`` and
``console`` namespaces), and its part of the JSON API, which ``config.api`` mounts."""

from django.urls import path
from ninja import Router

from yachi.clinics import api, console_views, views

patient_patterns = [
    path("doctors/<str:doctor_id>/", views.doctor_profile_page, name="doctor_profile"),
    path("doctors/<str:doctor_id>/photo/", views.doctor_photo, name="doctor_photo"),
]

console_patterns = [
    path("clinic/<str:clinic_id>/doctors/", console_views.doctors_page, name="doctors"),
    path(
        "clinic/<str:clinic_id>/doctors/<str:doctor_id>/",
        console_views.doctor_edit_page,
        name="doctor_edit",
    ),
]

api_router = Router()
api_router.add_router("", api.router)
