"""Insurance's pages and API: the desk's medical-insurance settlement and claims in
``console_patterns``, the family's claims in ``patient_patterns``, and ``api_router``."""

from django.urls import path
from ninja import Router

from yachi.insurance.claims import api as claims_api
from yachi.insurance.claims import console_views as claims_console
from yachi.insurance.claims import views as claims_views
from yachi.insurance.medical import api as medical_api
from yachi.insurance.medical import console_views as medical_console

patient_patterns = [
    path("me/claims/", claims_views.claims_page, name="claims"),
]

console_patterns = [
    path("payments/<str:payment_id>/insurance/", medical_console.desk_page, name="insurance_desk"),
    path(
        "payments/<str:payment_id>/insurance/identity/",
        medical_console.identity_action,
        name="insurance_identity",
    ),
    path(
        "payments/<str:payment_id>/insurance/pre-settle/",
        medical_console.pre_settle_action,
        name="insurance_pre_settle",
    ),
    path(
        "payments/<str:payment_id>/insurance/settle/",
        medical_console.settle_action,
        name="insurance_settle",
    ),
    path(
        "insurance-settlements/<str:settlement_id>/<str:step>/",
        medical_console.undo_action,
        name="insurance_undo",
    ),
    path(
        "clinic/<str:clinic_id>/insurance/catalogue/",
        medical_console.catalogue_page,
        name="insurance_catalogue",
    ),
    path(
        "clinic/<str:clinic_id>/insurance/reconciliation/",
        medical_console.reconciliation_page,
        name="insurance_reconciliation",
    ),
    path("payments/<str:payment_id>/claims/new/", claims_console.claim_new_page, name="claim_new"),
    path("clinic/<str:clinic_id>/claims/", claims_console.claims_page, name="claims"),
    path("claims/<str:claim_id>/", claims_console.claim_page, name="claim"),
    path(
        "claims/<str:claim_id>/documents/<str:kind>.pdf",
        claims_console.claim_document,
        name="claim_document",
    ),
    path("claims/<str:claim_id>/<str:step>/", claims_console.claim_action, name="claim_action"),
]

api_router = Router()
api_router.add_router("", medical_api.router)
api_router.add_router("", claims_api.router)
