"""The growth context's pages: ``patient_patterns`` in the app, ``console_patterns`` in the
clinic console. ``yachi.web`` mounts them; the names live in its ``web`` and ``console`` namespaces."""

from django.urls import path
from ninja import Router

from yachi.growth import api, console_views, views

patient_patterns = [
    path("coupons/", views.coupons_page, name="coupons"),
    path("points/", views.points_page, name="points"),
    path("points/rewards/<str:template_id>/", views.reward_confirm, name="reward"),
]

console_patterns = [
    path("coupons/", console_views.templates_page, name="coupons"),
    path("coupons/new/", console_views.template_edit, name="coupon_template_new"),
    path("coupons/issue/", console_views.issue_page, name="coupon_issue"),
    path("coupons/<str:template_id>/", console_views.template_detail, name="coupon_template"),
    path(
        "coupons/<str:template_id>/edit/", console_views.template_edit, name="coupon_template_edit"
    ),
    path("points/", console_views.points_page, name="points"),
    path("points/adjust/", console_views.points_adjust, name="points_adjust"),
]

# The context's part of the JSON API, which ``config.api`` mounts.
api_router = Router()
api_router.add_router("", api.router)
