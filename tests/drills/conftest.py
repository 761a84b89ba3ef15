"""What the drills share: a Redis server of their own and the environment of the
processes they start (the test database, the test's Redis prefix)."""

import pytest
from django.db import connection

from conftest import own_database_url
from tests.drills.servers import RedisServer, python_env


def worker_env(settings, **variables: str) -> dict:
    """A job worker on the test's own database and Redis, under the test's prefix."""
    return python_env(
        DATABASE_URL=own_database_url(),
        REDIS_URL=settings.REDIS_URL,
        YACHI_REDIS_PREFIX=settings.YACHI_REDIS_PREFIX,
        **variables,
    )


@pytest.fixture
def postgres_and_redis(settings):
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("the drill needs PostgreSQL and Redis (the SQLite run has neither)")


@pytest.fixture
def own_redis(settings, postgres_and_redis):
    """A redis-server of the test's own, which the test may kill; the settings point at it."""
    server = RedisServer()
    server.start()
    settings.REDIS_URL = server.url
    settings.YACHI_FLASH_SALE_REDIS = True
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": settings.YACHI_REDIS_PREFIX,
        }
    }
    try:
        yield server
    finally:
        server.stop()
