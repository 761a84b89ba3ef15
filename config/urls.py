from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.urls.exceptions import Resolver404
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


class FirstSegmentResolver(URLResolver):
    """A resolver that goes straight to the patterns a path's first segment can match.

    Django tries a list's patterns in turn: after the grouping above, a request to
    ``flash-sales/<id>/reserve`` still tried some twenty groups before its own, the
    largest part of what a sold-out refusal cost beyond ``/health`` in URL routing. Here
    each first segment has a resolver of its own over the patterns that can match it (its
    group, a route that is the segment itself, and those that start with a converter),
    in their order; reversing still goes through all of them.
    """

    def __init__(self, pattern, urlconf, default_kwargs=None, app_name=None, namespace=None):
        super().__init__(pattern, urlconf, default_kwargs, app_name, namespace)
        keyed: dict[str, list] = {}
        anywhere = []
        for candidate in urlconf:
            first = str(candidate.pattern).split("/", 1)[0]
            if not first or "<" in first:
                anywhere.append(candidate)
                for patterns in keyed.values():
                    patterns.append(candidate)
            else:
                keyed.setdefault(first, list(anywhere)).append(candidate)
        self._by_segment = {
            first: URLResolver(pattern, patterns, default_kwargs, app_name, namespace)
            for first, patterns in keyed.items()
        }
        self._elsewhere = URLResolver(pattern, anywhere, default_kwargs, app_name, namespace)

    def resolve(self, path):
        path = str(path)
        match = self.pattern.match(path)
        if not match:
            raise Resolver404({"path": path})
        first = match[0].split("/", 1)[0]
        return self._by_segment.get(first, self._elsewhere).resolve(path)


def _api_resolver(urls):
    patterns, app_name, namespace = _by_first_segment(urls)
    return FirstSegmentResolver(
        RoutePattern("api/v1/", is_endpoint=False), patterns, None, app_name, namespace
    )


# A database or Redis that is away for a moment answers 503 with Retry-After (ADR 0040).
handler500 = "yachi.web.errors.server_error"

urlpatterns = [
    _api_resolver(api.urls),
    # Prometheus scrapes each instance here, with YACHI_METRICS_TOKEN (ADR 0041).
    path("metrics", metrics_view),
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("console/", include("yachi.web.console_urls")),
    path("payments/", include("yachi.payments.urls")),
    path("", include("yachi.web.urls")),
]
