"""The insurance context's tables: medical insurance (``medical/``) and claims (``claims/``)."""

from yachi.insurance.claims.models import ClaimCase, ClaimDocument, ClaimEvent
from yachi.insurance.medical.models import CatalogueMapping, Institution, Reconciliation, Settlement

__all__ = [
    "CatalogueMapping",
    "ClaimCase",
    "ClaimDocument",
    "ClaimEvent",
    "Institution",
    "Reconciliation",
    "Settlement",
]
