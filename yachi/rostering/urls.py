"""The rostering context's pages and API: ``console_patterns`` in the clinic console,
which ``yachi.web`` mounts in its ``console`` namespace, and ``api_router``, which
``config.api`` mounts."""

from django.urls import path
from ninja import Router

from yachi.rostering import console_views
from yachi.rostering.calendar import console_views as calendar_console
from yachi.rostering.forecast import api as forecast_api
from yachi.rostering.forecast import console_views as forecast_console
from yachi.rostering.proposals import api as proposals_api
from yachi.rostering.proposals import console_views as proposals_views

console_patterns = [
    path("clinic/<str:clinic_id>/roster/", console_views.roster_page, name="roster"),
    path(
        "clinic/<str:clinic_id>/roster/calendar/",
        console_views.calendar_page,
        name="roster_calendar",
    ),
    path(
        "clinic/<str:clinic_id>/roster/proposals/",
        proposals_views.proposals_page,
        name="roster_proposals",
    ),
    path(
        "clinic/<str:clinic_id>/roster/proposals/<str:proposal_id>/",
        proposals_views.proposal_page,
        name="roster_proposal",
    ),
    path(
        "clinic/<str:clinic_id>/roster/proposals/<str:proposal_id>/options/<str:option_id>/publish/",
        proposals_views.publish_action,
        name="roster_option_publish",
    ),
    path(
        "clinic/<str:clinic_id>/roster/sick/",
        proposals_views.sick_page,
        name="roster_sick",
    ),
    path(
        "clinic/<str:clinic_id>/roster/school-holidays/",
        calendar_console.school_holidays_page,
        name="roster_school_holidays",
    ),
    path(
        "clinic/<str:clinic_id>/forecast/",
        forecast_console.forecast_page,
        name="roster_forecast",
    ),
]

api_router = Router()
api_router.add_router("", proposals_api.router)
api_router.add_router("", forecast_api.router)
