"""The operations context's pages: ``console_patterns`` in the clinic console, which
``yachi.web`` mounts in its ``console`` namespace."""

from django.urls import path

from yachi.operations.backups import console_views

patient_patterns = []

console_patterns = [
    path("backups/", console_views.backups_page, name="backups"),
]
