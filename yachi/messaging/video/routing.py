"""The video consultation's socket, which ``yachi.web.routing`` mounts."""

from django.urls import path

from yachi.messaging.video.consumers import VideoRoomConsumer

websocket_patterns = [
    path("ws/video/<str:appointment_id>/", VideoRoomConsumer.as_asgi()),
]
