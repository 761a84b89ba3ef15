"""``python -m yachi.core.reachable DATABASE_URL REDIS_URL``: exit 0 when both answer.

Used by ``make test`` to decide whether the PostgreSQL + Redis pass can run here.
"""

import sys

import psycopg
import redis


def reachable(database_url: str, redis_url: str) -> bool:
    try:
        # The server's maintenance database: the test database need not exist yet.
        conninfo = database_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(conninfo, connect_timeout=3):
            pass
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except (psycopg.Error, redis.RedisError, OSError):
        return False
    return True


if __name__ == "__main__":
    sys.exit(0 if reachable(sys.argv[1], sys.argv[2]) else 1)
