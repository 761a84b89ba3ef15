"""X-rays' pages and API: ``patient_patterns`` (the family's X-rays, read-only viewer),
``console_patterns`` (a patient's X-rays with the viewer, the clinic's unmatched queue)
and ``api_router``; ``yachi.web`` and ``config.api`` mount them."""

from django.urls import path
from ninja import Router

from yachi.imaging import api, console_views, views
from yachi.imaging.caries import api as caries_api
from yachi.imaging.caries import console_views as caries_console
from yachi.imaging.caries import views as caries_views
from yachi.imaging.scans import api as scans_api
from yachi.imaging.scans import views as scans_views

patient_patterns = [
    path("xrays/<str:patient_id>/", views.studies_page, name="xrays"),
    path("xrays/images/<str:image_id>/dicom/", views.image_file, name="xray_image"),
    path("scans/<str:patient_id>/", scans_views.patient_scans_page, name="scans"),
    path("scans/files/<str:scan_id>/glb/", scans_views.patient_scan_file, name="scan_glb"),
    path("arch/<str:patient_id>/", scans_views.patient_arch_page, name="arch"),
    path("xrays/images/<str:image_id>/picture.png", caries_views.picture, name="xray_picture"),
]

console_patterns = [
    path("patients/<str:patient_id>/scans/", scans_views.console_scans_page, name="scans"),
    path("patients/<str:patient_id>/scans/upload/", scans_views.console_upload, name="scan_upload"),
    path("scan-files/<str:scan_id>/glb/", scans_views.console_scan_file, name="scan_glb"),
    path("patients/<str:patient_id>/arch/", scans_views.console_arch_page, name="arch"),
    path(
        "patients/<str:patient_id>/arch/setup/",
        scans_views.console_setup_page,
        name="arch_setup",
    ),
    path("patients/<str:patient_id>/xrays/", console_views.studies_page, name="xrays"),
    path("xray-images/<str:image_id>/dicom/", console_views.image_file, name="xray_image"),
    path(
        "clinic/<str:clinic_id>/xrays/unmatched/",
        console_views.unmatched_page,
        name="xray_unmatched",
    ),
    path(
        "clinic/<str:clinic_id>/xrays/unmatched/<str:study_id>/assign/",
        console_views.assign_action,
        name="xray_assign",
    ),
    # Caries marks (ADR 0061): the review of one image, its picture, the doctors' decisions.
    path("xray-images/<str:image_id>/picture.png", caries_console.picture, name="xray_picture"),
    path("xray-images/<str:image_id>/caries/", caries_console.review_page, name="caries_review"),
    path("xray-images/<str:image_id>/caries/add/", caries_console.add_action, name="caries_add"),
    path("caries-marks/<str:mark_id>/decide/", caries_console.decide_action, name="caries_decide"),
    path("clinic/<str:clinic_id>/caries/", caries_console.agreement_page, name="caries_agreement"),
]

api_router = Router()
api_router.add_router("", api.router)
api_router.add_router("", scans_api.router)
api_router.add_router("", caries_api.router)
