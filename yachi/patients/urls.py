"""The patients context's pages: ``patient_patterns`` in the app, ``console_patterns`` in the
clinic console. ``yachi.web`` mounts them; the names live in its ``web`` and ``console`` namespaces."""

from django.urls import path
from ninja import Router

from yachi.patients import api, views
from yachi.patients import console_views as desk_views
from yachi.patients.privacy import views as privacy_views
from yachi.patients.records import api as records_api
from yachi.patients.records import console_views

patient_patterns = [
    path("family/", views.family_page, name="family"),
    path("family/add/", views.family_add_page, name="family_add"),
    path("family/<str:patient_id>/", views.family_edit_page, name="family_edit"),
    path("family/<str:patient_id>/remove/", views.family_remove_view, name="family_remove"),
    path("privacy/", privacy_views.privacy_page, name="privacy"),
    path("privacy/policy/", privacy_views.policy_page, name="policy"),
    path("privacy/consent/", privacy_views.consent_page, name="consent"),
    path("privacy/consent/<str:kind>/", privacy_views.consent_change, name="consent_change"),
    path("privacy/export/", privacy_views.export_download, name="export"),
    path("privacy/erase/", privacy_views.erase_page, name="erase"),
]

console_patterns = [
    path("patients/", console_views.patient_search, name="patients"),
    path("patients/<str:patient_id>/", console_views.chart_page, name="chart"),
    path(
        "patients/<str:patient_id>/notes/<str:note_id>/shared/",
        console_views.note_patient_part,
        name="note_patient_part",
    ),
    path("patients/<str:patient_id>/desk/", desk_views.patient_page, name="patient_desk"),
]

# The context's part of the JSON API, which ``config.api`` mounts.
api_router = Router()
api_router.add_router("", api.router)
api_router.add_router("", records_api.router)
