"""The growth context's pages: ``patient_patterns`` in the app, ``console_patterns`` in the
clinic console. ``yachi.web`` mounts them; the names live in its ``web`` and ``console`` namespaces."""

from django.urls import path
from ninja import Router

from yachi.growth import api, console_views, views
from yachi.growth.articles import api as articles_api
from yachi.growth.articles import console_views as articles_console
from yachi.growth.articles import views as articles_views
from yachi.growth.attribution import console_views as attribution_console
from yachi.growth.attribution import views as attribution_views
from yachi.growth.cases import api as cases_api
from yachi.growth.cases import console_views as cases_console
from yachi.growth.cases import views as cases_views
from yachi.growth.challenges import api as challenges_api
from yachi.growth.challenges import console_views as challenges_console
from yachi.growth.challenges import views as challenges_views
from yachi.growth.fraud import console_views as fraud_console_views
from yachi.growth.groupbuys import api as groupbuys_api
from yachi.growth.groupbuys import console_views as groupbuys_console
from yachi.growth.groupbuys import views as groupbuys_views
from yachi.growth.referrals import api as referral_api
from yachi.growth.referrals import console_views as referral_console_views
from yachi.growth.referrals import views as referral_views

patient_patterns = [
    path("coupons/", views.coupons_page, name="coupons"),
    path("points/", views.points_page, name="points"),
    path("points/rewards/<str:template_id>/", views.reward_confirm, name="reward"),
    path("activities/", views.activities_page, name="activities"),
    path(
        "group-buys/<str:campaign_id>/start/",
        groupbuys_views.group_start_view,
        name="group_buy_start",
    ),
    path("groups/<str:group_id>/", groupbuys_views.group_page, name="group"),
    path("groups/<str:group_id>/join/", groupbuys_views.group_join_view, name="group_join"),
    path("challenges/<str:challenge_id>/", challenges_views.challenge_page, name="challenge"),
    path(
        "challenges/<str:challenge_id>/check-in/",
        challenges_views.challenge_check_in_view,
        name="challenge_check_in",
    ),
    path("invite/", referral_views.invite_page, name="invite"),
    path("invite/qr.png", referral_views.invite_qr, name="invite_qr"),
    path("i/<str:code>/", referral_views.invite_landing, name="invite_landing"),
    *articles_views.patient_patterns,
    *cases_views.patient_patterns,
    *attribution_views.patient_patterns,
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
    path(
        "clinic/<str:clinic_id>/group-buys/", groupbuys_console.group_buys_page, name="group_buys"
    ),
    path(
        "clinic/<str:clinic_id>/group-buys/<str:campaign_id>/",
        groupbuys_console.group_buy_page,
        name="group_buy",
    ),
    path(
        "clinic/<str:clinic_id>/group-buys/<str:campaign_id>/status/",
        groupbuys_console.group_buy_status,
        name="group_buy_status",
    ),
    path(
        "clinic/<str:clinic_id>/challenges/", challenges_console.challenges_page, name="challenges"
    ),
    path(
        "clinic/<str:clinic_id>/challenges/<str:challenge_id>/",
        challenges_console.challenge_page,
        name="challenge",
    ),
    path(
        "clinic/<str:clinic_id>/challenges/<str:challenge_id>/status/",
        challenges_console.challenge_status,
        name="challenge_status",
    ),
    path("referrals/", referral_console_views.campaigns_page, name="referral_campaigns"),
    path("referrals/new/", referral_console_views.campaign_edit, name="referral_campaign_new"),
    path(
        "referrals/<str:referral_campaign_id>/edit/",
        referral_console_views.campaign_edit,
        name="referral_campaign_edit",
    ),
    path("fraud/", fraud_console_views.reviews_page, name="fraud_reviews"),
    path(
        "fraud/<str:risk_review_id>/decide/",
        fraud_console_views.review_decide,
        name="fraud_review_decide",
    ),
    *articles_console.console_patterns,
    *cases_console.console_patterns,
    *attribution_console.console_patterns,
]

# The context's part of the JSON API, which ``config.api`` mounts.
api_router = Router()
api_router.add_router("", api.router)
api_router.add_router("", groupbuys_api.router)
api_router.add_router("", challenges_api.router)
api_router.add_router("", referral_api.router)
api_router.add_router("", articles_api.router)
api_router.add_router("", cases_api.router)
