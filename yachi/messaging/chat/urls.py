"""Chat's pages and API, mounted by ``yachi.messaging.urls``."""

from django.urls import path

from yachi.messaging.chat import api, console_views, views

patient_patterns = [
    path("chat/", views.conversations_page, name="chat"),
    path("chat/start/", views.conversation_start, name="chat_start"),
    path("chat/<uuid:conversation_id>/", views.conversation_page, name="chat_conversation"),
    path("chat/<uuid:conversation_id>/send/", views.conversation_send, name="chat_send"),
    path("chat/<uuid:conversation_id>/read/", views.conversation_read, name="chat_read"),
    path("chat/images/<uuid:message_id>", views.chat_image, name="chat_image"),
]

console_patterns = [
    path("clinic/<str:clinic_id>/chat/", console_views.inbox_page, name="chat_inbox"),
    path(
        "clinic/<str:clinic_id>/chat/quick-replies/",
        console_views.quick_replies_page,
        name="chat_quick_replies",
    ),
    path(
        "clinic/<str:clinic_id>/chat/quick-replies/<str:reply_id>/",
        console_views.quick_reply_page,
        name="chat_quick_reply",
    ),
    path(
        "clinic/<str:clinic_id>/chat/<str:conversation_id>/",
        console_views.conversation_page,
        name="chat_conversation",
    ),
    path(
        "clinic/<str:clinic_id>/chat/<str:conversation_id>/send/",
        console_views.conversation_send,
        name="chat_send",
    ),
    path(
        "clinic/<str:clinic_id>/chat/<str:conversation_id>/read/",
        console_views.conversation_read,
        name="chat_read",
    ),
    path(
        "clinic/<str:clinic_id>/chat/<str:conversation_id>/assign/",
        console_views.conversation_assign,
        name="chat_assign",
    ),
    path(
        "clinic/<str:clinic_id>/chat/<str:conversation_id>/close/",
        console_views.conversation_close,
        name="chat_close",
    ),
]

api_router = api.router
