"""The tooth chart and treatment plans: ``patient_patterns`` (read-only chart, plans and
their acceptance), ``console_patterns`` (the doctor's chart and plans) and
``api_router``; ``yachi.web`` and ``config.api`` mount them."""

from django.urls import path
from ninja import Router

from yachi.clinical import api, console_views, views

patient_patterns = [
    path("family/<str:patient_id>/teeth/", views.chart_page, name="clinical_chart"),
    path("family/<str:patient_id>/treatment-plans/", views.plans_page, name="clinical_plans"),
    path("treatment-plans/<str:plan_id>/accept/", views.accept_action, name="clinical_accept"),
    path(
        "treatment-plans/<str:plan_id>/items/<str:item_id>/book/",
        views.book_item_page,
        name="clinical_book_item",
    ),
]

console_patterns = [
    path("patients/<str:patient_id>/tooth-chart/", console_views.chart_page, name="clinical_chart"),
    path(
        "patients/<str:patient_id>/tooth-chart/findings/<str:finding_id>/withdraw/",
        console_views.withdraw_action,
        name="clinical_withdraw",
    ),
    path(
        "patients/<str:patient_id>/treatment-plans/",
        console_views.plans_page,
        name="clinical_plans",
    ),
    path(
        "treatment-plans/<str:plan_id>/items/<str:item_id>/book/",
        console_views.book_item_page,
        name="clinical_book_item",
    ),
    path(
        "treatment-plans/<str:plan_id>/<str:step>/",
        console_views.plan_action,
        name="clinical_plan_action",
    ),
]

api_router = Router()
api_router.add_router("", api.router)
