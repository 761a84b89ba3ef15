"""The rostering context's pages: ``console_patterns`` in the clinic console, which
``yachi.web`` mounts in its ``console`` namespace."""

from django.urls import path

from yachi.rostering import console_views

console_patterns = [
    path("clinic/<str:clinic_id>/roster/", console_views.roster_page, name="roster"),
    path(
        "clinic/<str:clinic_id>/roster/calendar/",
        console_views.calendar_page,
        name="roster_calendar",
    ),
]
