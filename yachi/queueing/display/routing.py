"""The display's socket route; ``yachi.web.routing`` mounts it beside the queue's."""

from django.urls import path

from yachi.queueing.display.consumers import DisplayConsumer

websocket_patterns = [
    path("ws/displays/<uuid:clinic_id>/", DisplayConsumer.as_asgi()),
]
