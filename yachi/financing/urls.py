"""Financing's ``patient_patterns`` (the instalment quote and plan, a payment's invoice),
``console_patterns`` (the clinic's instalment plans, a receipt) and ``api_router``; ``yachi.web`` and ``config.api`` mount them."""

from django.urls import path
from ninja import Router

from yachi.financing import api, console_views, views

patient_patterns = [
    path("treatment-plans/<str:plan_id>/instalments/", views.quote_page, name="financing_quote"),
    path("instalment-plans/<str:plan_id>/", views.plan_page, name="financing_plan"),
    path("instalment-plans/<str:plan_id>/agree/", views.agree_action, name="financing_agree"),
    path("payments/<str:payment_id>/invoice/", views.invoice_page, name="financing_invoice"),
    path("payments/<str:payment_id>/receipt.pdf", views.receipt_pdf_page, name="receipt_pdf"),
]

console_patterns = [
    path(
        "clinic/<str:clinic_id>/instalments/",
        console_views.instalments_page,
        name="instalments",
    ),
    path(
        "payments/<str:payment_id>/receipt.pdf",
        views.console_receipt_pdf,
        name="receipt_pdf",
    ),
]

api_router = Router()
api_router.add_router("", api.router)
