import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup(set_prefix=False)

from yachi.core.handlers import SplitASGIHandler  # noqa: E402  (needs Django set up first)

# /api/ through the API's short middleware stack, pages through the full one.
django_asgi_app = SplitASGIHandler()

from channels.routing import ProtocolTypeRouter  # noqa: E402  (needs Django set up first)

application = ProtocolTypeRouter({"http": django_asgi_app})
