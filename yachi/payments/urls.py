"""Provider-facing endpoints (notifications) and the development payment simulator."""

from django.urls import path

from yachi.payments import views

app_name = "payments"

urlpatterns = [
    path("notify/<str:method>/", views.callback, name="callback"),
    path("simulator/<str:out_trade_no>/", views.simulator_page, name="simulator"),
]
