from django.urls import path

from yachi.messaging.chat.consumers import ConversationConsumer

websocket_patterns = [
    path("ws/conversations/<uuid:conversation_id>/", ConversationConsumer.as_asgi()),
]
