from django.contrib import admin
from django.urls import URLPattern, include, path
from django.urls.resolvers import RoutePattern

from config.api import api
from yachi.accounts.views import admin_login
from yachi.core.metrics import metrics_view


def _by_first_segment(urls):
    """The API's patterns (a flat list of about ninety), grouped under one include per
    first path segment: Django tries the patterns of a list in turn, so a request to
    ``flash-sales/<id>/reserve`` tried some eighty-five patterns before its own (ADR
    0028). Names and the namespace are kept, so ``reverse`` is unchanged; no two groups
    can match the same path."""
    patterns, app_name, namespace = urls
    groups: dict[str, list] = {}
    flat = []
    for pattern in patterns:
        route = str(pattern.pattern)
        first, slash, rest = route.partition("/")
        if not slash or "<" in first:
            flat.append(pattern)
            continue
        groups.setdefault(first, []).append(
            URLPattern(
                RoutePattern(rest, name=pattern.pattern.name, is_endpoint=True),
                pattern.callback,
                pattern.default_args,
                pattern.name,
            )
        )
    grouped = [path(f"{first}/", include(inner)) for first, inner in groups.items()]
    return flat + grouped, app_name, namespace


# A database or Redis that is away for a moment answers 503 with Retry-After (ADR 0040).
handler500 = "yachi.web.errors.server_error"

urlpatterns = [
    path("api/v1/", _by_first_segment(api.urls)),
    # Prometheus scrapes each instance here, with YACHI_METRICS_TOKEN (ADR 0041).
    path("metrics", metrics_view),
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("console/", include("yachi.web.console_urls")),
    path("payments/", include("yachi.payments.urls")),
    path("", include("yachi.web.urls")),
]
