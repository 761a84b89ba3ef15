"""The shop context's pages: ``patient_patterns`` in the app, ``console_patterns`` in the
clinic console. ``yachi.web`` mounts them; the names live in its ``web`` and ``console`` namespaces."""

from django.urls import path
from ninja import Router

from yachi.shop import api, console_views, views
from yachi.shop.flash import api as flash_api
from yachi.shop.flash import console_views as flash_console_views
from yachi.shop.flash import views as flash_views

patient_patterns = [
    path("shop/", views.shop_page, name="shop"),
    path("shop/products/<str:product_id>/", views.product_page, name="shop_product"),
    path("shop/cart/", views.cart_page, name="shop_cart"),
    path("shop/cart/add/", views.cart_add_view, name="shop_cart_add"),
    path("shop/cart/<str:sku_id>/", views.cart_line_view, name="shop_cart_line"),
    path("shop/checkout/", views.checkout_page, name="shop_checkout"),
    path("shop/orders/", views.orders_page, name="shop_orders"),
    path("shop/orders/<str:order_id>/", views.order_page, name="shop_order"),
    path("shop/orders/<str:order_id>/cancel/", views.order_cancel_view, name="shop_order_cancel"),
    path("shop/images/<str:name>", views.product_image, name="shop_image"),
    path("flash/", flash_views.flash_sales_page, name="flash_sales"),
    path("flash/<str:sale_id>/reserve/", flash_views.flash_reserve_view, name="flash_reserve"),
]

console_patterns = [
    path("clinic/<str:clinic_id>/shop/orders/", console_views.orders_page, name="shop_orders"),
    path("clinic/<str:clinic_id>/shop/stock/", console_views.stock_page, name="shop_stock"),
    path("clinic/<str:clinic_id>/shop/pickup/", console_views.pickup_page, name="shop_pickup"),
    path("shop/orders/<str:order_id>/", console_views.order_page, name="shop_order"),
    path("shop/orders/<str:order_id>/step/", console_views.order_step, name="shop_order_step"),
    path("shop/products/", console_views.products_page, name="shop_products"),
    path("shop/products/<str:product_id>/", console_views.product_page, name="shop_product"),
    path(
        "clinic/<str:clinic_id>/flash-sales/",
        flash_console_views.flash_sales_page,
        name="flash_sales",
    ),
    path(
        "clinic/<str:clinic_id>/flash-sales/live/",
        flash_console_views.flash_sales_live,
        name="flash_sales_live",
    ),
    path(
        "flash-sales/<str:sale_id>/active/",
        flash_console_views.flash_sale_active,
        name="flash_sale_active",
    ),
]

# The context's part of the JSON API, which ``config.api`` mounts.
api_router = Router()
api_router.add_router("", api.router)
api_router.add_router("", flash_api.router)
