"""The API's resolver by first segment finds what Django's plain resolver finds."""

import re
import uuid

import pytest
from django.urls import URLResolver, get_resolver
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RoutePattern

from config.urls import FirstSegmentResolver

SAMPLE = {"int": "7", "uuid": str(uuid.UUID(int=5)), "str": "abc", "path": "a/b", "slug": "a-b"}


def api_resolver() -> FirstSegmentResolver:
    found = [p for p in get_resolver().url_patterns if isinstance(p, FirstSegmentResolver)]
    assert len(found) == 1
    return found[0]


def routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, route)
        else:
            yield route


def example(route: str) -> str:
    return re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE[m.group(1) or "str"], route)


def outcome(resolver, path):
    try:
        match = resolver.resolve(path)
    except Resolver404:
        return None
    return match.view_name, match.route, match.kwargs


def test_every_api_path_resolves_as_django_would_resolve_it():
    fast = api_resolver()
    plain = URLResolver(
        RoutePattern("api/v1/", is_endpoint=False),
        fast.url_patterns,
        None,
        fast.app_name,
        fast.namespace,
    )
    paths = ["api/v1/" + example(r) for r in routes(fast.url_patterns)]
    assert len(paths) > 80
    misses = ["api/v1/nothing", "api/v1/flash-sales/x/y/z", "api/v2/health", "api/v1"]
    for path in [*paths, *misses, "api/v1/"]:
        assert outcome(fast, path) == outcome(plain, path), path
    assert all(outcome(fast, p) is None for p in misses)


@pytest.mark.parametrize("path", ["/api/v1/flash-sales/abc/reserve", "/api/v1/health", "/"])
def test_pages_and_the_api_still_resolve_from_the_root(path):
    assert get_resolver().resolve(path).view_name
