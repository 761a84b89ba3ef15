import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup(set_prefix=False)

from channels.routing import ProtocolTypeRouter  # noqa: E402  (needs Django set up first)

from yachi.core.handlers import SplitASGIHandler  # noqa: E402
from yachi.web.routing import socket_application  # noqa: E402

# /api/ through the API's short middleware stack, pages through the full one; sockets
# through their user's middleware to each context's consumers (ADR 0042).
application = ProtocolTypeRouter({"http": SplitASGIHandler(), "websocket": socket_application()})
