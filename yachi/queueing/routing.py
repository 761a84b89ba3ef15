"""The queue's sockets; ``yachi.web.routing`` (the composition root) mounts them."""

from django.urls import path

from yachi.queueing.consumers import QueueConsumer, TicketConsumer

websocket_patterns = [
    path("ws/queues/<str:queue_id>/", QueueConsumer.as_asgi()),
    path("ws/queue-tickets/<str:ticket_id>/", TicketConsumer.as_asgi()),
]
