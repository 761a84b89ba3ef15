"""The messaging context's pages: ``patient_patterns`` in the app, ``console_patterns`` in the
clinic console. ``yachi.web`` mounts them; the names live in its ``web`` and ``console`` namespaces."""

from django.urls import path
from ninja import Router

from yachi.messaging import api, views
from yachi.messaging.chat import urls as chat
from yachi.messaging.video import api as video_api
from yachi.messaging.video import views as video_views

patient_patterns = [
    path("s/<str:code>", views.short_link, name="short_link"),
    path("notifications/", views.notifications_page, name="notifications"),
    path(
        "notifications/preferences/",
        views.preferences_update,
        name="notification_preferences",
    ),
    *chat.patient_patterns,
    path(
        "appointments/<str:appointment_id>/video/",
        video_views.patient_room,
        name="video_room",
    ),
]

console_patterns = [
    *chat.console_patterns,
    path(
        "video/<str:appointment_id>/",
        video_views.doctor_room,
        name="video_room",
    ),
]

# The context's part of the JSON API, which ``config.api`` mounts.
api_router = Router()
api_router.add_router("", api.router)
api_router.add_router("", chat.api_router)
api_router.add_router("", video_api.router)
