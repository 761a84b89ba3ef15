"""The clinic console for front desk, doctors and managers."""

from django.urls import path

from yachi.accounts import views as accounts
from yachi.booking import absence_views as booking_absence
from yachi.booking import console_views as booking
from yachi.booking import emergency_views as booking_emergency
from yachi.compliance import console_views as compliance
from yachi.growth import console_views as growth
from yachi.patients import console_views as patients
from yachi.payments import console_views as payments
from yachi.shop import console_views as shop
from yachi.shop import flash_console_views as flash

app_name = "console"

urlpatterns = [
    path("", booking.console_home, name="home"),
    path("login/", accounts.staff_login, name="login"),
    path("logout/", accounts.staff_logout, name="logout"),
    path("login/code/", accounts.staff_totp, name="totp"),
    path("login/authenticator/", accounts.staff_totp_enroll, name="totp_enroll"),
    path("password/", accounts.password_change, name="password"),
    path("clinic/<str:clinic_id>/calendar/", booking.calendar_page, name="calendar"),
    path("clinic/<str:clinic_id>/book/", booking.book_page, name="book"),
    path("clinic/<str:clinic_id>/saturation/", booking.grid_page, name="grid"),
    path("appointment/<str:appointment_id>/", booking.appointment_panel, name="appointment"),
    path("appointment/<str:appointment_id>/step/", booking.appointment_step, name="step"),
    path("emergencies/", booking_emergency.doctor_emergencies, name="emergencies"),
    path(
        "emergencies/<str:case_id>/accept/",
        booking_emergency.doctor_accept,
        name="emergency_accept",
    ),
    path("clinic/<str:clinic_id>/shop/orders/", shop.orders_page, name="shop_orders"),
    path("clinic/<str:clinic_id>/shop/stock/", shop.stock_page, name="shop_stock"),
    path("shop/orders/<str:order_id>/", shop.order_page, name="shop_order"),
    path("shop/orders/<str:order_id>/step/", shop.order_step, name="shop_order_step"),
    path("shop/products/", shop.products_page, name="shop_products"),
    path("shop/products/<str:product_id>/", shop.product_page, name="shop_product"),
    path("clinic/<str:clinic_id>/flash-sales/", flash.flash_sales_page, name="flash_sales"),
    path(
        "clinic/<str:clinic_id>/flash-sales/live/", flash.flash_sales_live, name="flash_sales_live"
    ),
    path("flash-sales/<str:sale_id>/active/", flash.flash_sale_active, name="flash_sale_active"),
    path("patients/", patients.patient_search, name="patients"),
    path("patients/<str:patient_id>/", patients.chart_page, name="chart"),
    path("clinic/<str:clinic_id>/payments/", payments.payments_page, name="payments"),
    path("clinic/<str:clinic_id>/absence/", booking_absence.absence_page, name="absence"),
    path("payments/reconciliation/", payments.reconciliation_page, name="reconciliation"),
    path("payments/<str:payment_id>/", payments.payment_page, name="payment"),
    path("payments/<str:payment_id>/take/", payments.payment_take, name="payment_take"),
    path("payments/<str:payment_id>/refund/", payments.payment_refund, name="payment_refund"),
    path("coupons/", growth.templates_page, name="coupons"),
    path("coupons/new/", growth.template_edit, name="coupon_template_new"),
    path("coupons/issue/", growth.issue_page, name="coupon_issue"),
    path("coupons/<str:template_id>/", growth.template_detail, name="coupon_template"),
    path("coupons/<str:template_id>/edit/", growth.template_edit, name="coupon_template_edit"),
    path("points/", growth.points_page, name="points"),
    path("points/adjust/", growth.points_adjust, name="points_adjust"),
    path("audit/", compliance.audit_page, name="audit"),
    path("audit/export.csv", compliance.audit_export, name="audit_export"),
]
