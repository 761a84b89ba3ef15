"""The compliance context's pages: ``patient_patterns`` in the app, ``console_patterns`` in the
clinic console. ``yachi.web`` mounts them; the names live in its ``web`` and ``console`` namespaces."""

from django.urls import path
from ninja import Router

from yachi.compliance import api, console_views

patient_patterns = []

console_patterns = [
    path("audit/", console_views.audit_page, name="audit"),
    path("audit/export.csv", console_views.audit_export, name="audit_export"),
]

# The context's part of the JSON API, which ``config.api`` mounts.
api_router = Router()
api_router.add_router("", api.router)
