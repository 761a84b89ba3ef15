"""Provider-facing endpoints (notifications) and the development payment simulator, in
``urlpatterns``; the payments pages of the app and the console in ``patient_patterns`` and
``console_patterns``, which ``yachi.web`` mounts in its ``web`` and ``console`` namespaces."""

from django.urls import path
from ninja import Router

from yachi.payments import api, console_views, views

app_name = "payments"

urlpatterns = [
    path("notify/<str:method>/", views.callback, name="callback"),
    path("simulator/<str:out_trade_no>/", views.simulator_page, name="simulator"),
]

patient_patterns = [
    path("me/payments/", views.payments_page, name="payments"),
    path("pay/<str:payment_id>/", views.pay_page, name="pay"),
    path("pay/<str:payment_id>/receipt/", views.receipt_page, name="receipt"),
]

console_patterns = [
    path("clinic/<str:clinic_id>/payments/", console_views.payments_page, name="payments"),
    path(
        "clinic/<str:clinic_id>/refunds/approvals/",
        console_views.refund_approvals_page,
        name="refund_approvals",
    ),
    path(
        "refunds/<str:refund_id>/<str:decision>/",
        console_views.refund_decide,
        name="refund_decide",
    ),
    path("payments/reconciliation/", console_views.reconciliation_page, name="reconciliation"),
    path(
        "payments/reconciliation/run/", console_views.reconciliation_run, name="reconciliation_run"
    ),
    path(
        "payments/reconciliation/<str:run_id>/",
        console_views.reconciliation_detail,
        name="reconciliation_detail",
    ),
    path("payments/<str:payment_id>/", console_views.payment_page, name="payment"),
    path(
        "payments/<str:payment_id>/receipt/", console_views.payment_receipt, name="payment_receipt"
    ),
    path("payments/<str:payment_id>/coupon/", console_views.payment_coupon, name="payment_coupon"),
    path(
        "payments/<str:payment_id>/lines/add/",
        console_views.payment_line_add,
        name="payment_line_add",
    ),
    path(
        "payments/<str:payment_id>/lines/remove/",
        console_views.payment_line_remove,
        name="payment_line_remove",
    ),
    path("payments/<str:payment_id>/take/", console_views.payment_take, name="payment_take"),
    path("payments/<str:payment_id>/refund/", console_views.payment_refund, name="payment_refund"),
]

# The context's part of the JSON API, which ``config.api`` mounts.
api_router = Router()
api_router.add_router("", api.router)
