"""The queue's pages and API: ``patient_patterns`` (the patient's ticket and check-in),
``console_patterns`` (boards, the doctor's queue, the summary, the poster, the help
page) and ``api_router``; ``yachi.web`` and ``config.api`` mount them."""

from django.urls import path
from ninja import Router

from yachi.queueing import api, console_views, views

patient_patterns = [
    path("queue/", views.my_queue_page, name="queue"),
    path("queue/check-in/<str:clinic_id>/", views.poster_check_in_page, name="queue_poster"),
    path(
        "queue/appointments/<str:appointment_id>/check-in/",
        views.check_in_action,
        name="queue_check_in",
    ),
    path("queue/tickets/<str:ticket_id>/", views.ticket_page, name="queue_ticket"),
]

console_patterns = [
    path("queues/help/", console_views.help_page, name="queue_help"),
    path("clinic/<str:clinic_id>/queues/", console_views.board_page, name="queue_board"),
    path(
        "clinic/<str:clinic_id>/queues/summary/",
        console_views.summary_page,
        name="queue_summary",
    ),
    path("clinic/<str:clinic_id>/queues/poster/", console_views.poster_page, name="queue_poster"),
    path(
        "clinic/<str:clinic_id>/queues/check-in/<str:appointment_id>/",
        console_views.desk_check_in,
        name="queue_desk_check_in",
    ),
    path(
        "clinic/<str:clinic_id>/queues/walk-in/",
        console_views.walk_in_action,
        name="queue_walk_in",
    ),
    path(
        "clinic/<str:clinic_id>/queues/<str:queue_id>/",
        console_views.doctor_queue_page,
        name="queue_doctor",
    ),
    path(
        "clinic/<str:clinic_id>/queues/<str:queue_id>/call-next/",
        console_views.call_next_action,
        name="queue_call_next",
    ),
    path(
        "clinic/<str:clinic_id>/queue-tickets/<str:ticket_id>/<str:step>/",
        console_views.ticket_step_action,
        name="queue_ticket_step",
    ),
]

api_router = Router()
api_router.add_router("", api.router)
