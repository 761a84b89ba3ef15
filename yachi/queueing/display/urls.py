"""The display's pages: ``display_patterns`` (the television's board, mounted by web at
the site's root) and ``console_patterns`` (managing display tokens)."""

from django.urls import path

from yachi.queueing.display import console_views, views

display_patterns = [
    path("display/<str:clinic_id>/", views.display_page, name="display"),
    path("display/<str:clinic_id>/board/", views.board_fragment, name="display_board"),
]

console_patterns = [
    path("clinic/<str:clinic_id>/displays/", console_views.displays_page, name="displays"),
]
