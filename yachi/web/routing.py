"""The WebSocket routes: each context's ``websocket_patterns``, behind the socket's user
(ADR 0042). web is the composition root here as for the pages."""

from channels.generic.websocket import AsyncWebsocketConsumer
from channels.routing import URLRouter
from django.urls import re_path

from yachi.messaging.chat import routing as chat
from yachi.messaging.video.routing import websocket_patterns as video
from yachi.queueing import routing as queueing
from yachi.queueing.display import routing as display
from yachi.web.sockets import SocketUserMiddleware

NOT_FOUND = 4404

websocket_patterns = [
    *queueing.websocket_patterns,
    *display.websocket_patterns,
    *chat.websocket_patterns,
    *video,
]


class NoSuchSocket(AsyncWebsocketConsumer):
    """A path no context serves: closed with 4404 rather than an error in the server's log."""

    async def connect(self):
        await self.accept()
        await self.close(code=NOT_FOUND)


def socket_application(patterns=None):
    routes = websocket_patterns if patterns is None else patterns
    return SocketUserMiddleware(URLRouter([*routes, re_path(r"", NoSuchSocket.as_asgi())]))
