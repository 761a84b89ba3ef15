"""The messaging context's pages: ``patient_patterns`` in the app, ``console_patterns`` in the
clinic console. ``yachi.web`` mounts them; the names live in its ``web`` and ``console`` namespaces."""

from django.urls import path
from ninja import Router

from yachi.messaging import api, views

patient_patterns = [
    path("s/<str:code>", views.short_link, name="short_link"),
    path("notifications/", views.notifications_page, name="notifications"),
    path(
        "notifications/preferences/",
        views.preferences_update,
        name="notification_preferences",
    ),
]

console_patterns = []

# The context's part of the JSON API, which ``config.api`` mounts.
api_router = Router()
api_router.add_router("", api.router)
