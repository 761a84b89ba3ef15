"""The patient mobile web app."""

from django.urls import path

from yachi.accounts import views as accounts
from yachi.booking import emergency_views as booking_emergency
from yachi.booking import link_views as booking_links
from yachi.booking import views as booking
from yachi.booking import waitlist_views as booking_waitlist
from yachi.growth import views as growth
from yachi.messaging import views as notifications
from yachi.patients import privacy_views as privacy
from yachi.patients import views as patients
from yachi.payments import views as payments
from yachi.shop import flash_views as flash
from yachi.shop import views as shop
from yachi.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.me, name="me"),
    path("login/", accounts.patient_login, name="login"),
    path("logout/", accounts.patient_logout, name="logout"),
    path("logout/everywhere/", accounts.logout_everywhere, name="logout_everywhere"),
    path("book/", booking.clinics_page, name="book_clinics"),
    path("book/clinic/<str:clinic_id>/", booking.services_page, name="book_services"),
    path("book/service/<str:service_id>/", booking.doctors_page, name="book_doctors"),
    path(
        "book/service/<str:service_id>/doctor/<str:doctor_id>/",
        booking.slots_page,
        name="book_slots",
    ),
    path("book/confirm/", booking.confirm_page, name="book_confirm"),
    path("a/<str:token>/", booking_links.appointment_link, name="appointment_link"),
    path("emergency/", booking_emergency.emergency_page, name="emergency"),
    path("emergency/<str:case_id>/", booking_emergency.emergency_case_page, name="emergency_case"),
    path("waitlist/", booking_waitlist.waitlist_page, name="waitlist"),
    path("waitlist/join/", booking_waitlist.waitlist_join_page, name="waitlist_join"),
    path("waitlist/offers/<str:offer_id>/", booking_waitlist.offer_answer, name="waitlist_offer"),
    path("waitlist/<str:entry_id>/leave/", booking_waitlist.waitlist_leave, name="waitlist_leave"),
    path("appointments/", booking.appointments_page, name="appointments"),
    path("appointments/<str:appointment_id>/", booking.appointment_page, name="appointment"),
    path("appointments/<str:appointment_id>/cancel/", booking.cancel_view, name="cancel"),
    path(
        "appointments/<str:appointment_id>/reschedule/",
        booking.reschedule_page,
        name="reschedule",
    ),
    path("shop/", shop.shop_page, name="shop"),
    path("shop/products/<str:product_id>/", shop.product_page, name="shop_product"),
    path("shop/cart/", shop.cart_page, name="shop_cart"),
    path("shop/cart/add/", shop.cart_add_view, name="shop_cart_add"),
    path("shop/cart/<str:sku_id>/", shop.cart_line_view, name="shop_cart_line"),
    path("shop/checkout/", shop.checkout_page, name="shop_checkout"),
    path("shop/orders/", shop.orders_page, name="shop_orders"),
    path("shop/orders/<str:order_id>/", shop.order_page, name="shop_order"),
    path("shop/orders/<str:order_id>/cancel/", shop.order_cancel_view, name="shop_order_cancel"),
    path("flash/", flash.flash_sales_page, name="flash_sales"),
    path("flash/<str:sale_id>/reserve/", flash.flash_reserve_view, name="flash_reserve"),
    path("family/", patients.family_page, name="family"),
    path("family/add/", patients.family_add_page, name="family_add"),
    path("family/<str:patient_id>/", patients.family_edit_page, name="family_edit"),
    path("family/<str:patient_id>/remove/", patients.family_remove_view, name="family_remove"),
    path("notifications/", notifications.notifications_page, name="notifications"),
    path(
        "notifications/preferences/",
        notifications.preferences_update,
        name="notification_preferences",
    ),
    path("me/payments/", payments.payments_page, name="payments"),
    path("pay/<str:payment_id>/", payments.pay_page, name="pay"),
    path("coupons/", growth.coupons_page, name="coupons"),
    path("points/", growth.points_page, name="points"),
    path("points/rewards/<str:template_id>/", growth.reward_confirm, name="reward"),
    path("privacy/", privacy.privacy_page, name="privacy"),
    path("privacy/policy/", privacy.policy_page, name="policy"),
    path("privacy/consent/", privacy.consent_page, name="consent"),
    path("privacy/consent/<str:kind>/", privacy.consent_change, name="consent_change"),
    path("privacy/export/", privacy.export_download, name="export"),
    path("privacy/erase/", privacy.erase_page, name="erase"),
]
