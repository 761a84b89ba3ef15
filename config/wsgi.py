import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup(set_prefix=False)

from yachi.core.handlers import SplitWSGIHandler  # noqa: E402  (needs Django set up first)

# /api/ through the API's short middleware stack, pages through the full one.
application = SplitWSGIHandler()
