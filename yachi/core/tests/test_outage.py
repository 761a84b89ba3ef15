"""A store that does not answer is "try again in a moment", not a crash (ADR 0040).

Real failures on both engines: Redis is pointed at a port where nothing listens, so the
token's record cannot be read. (The drills in tests/drills stop PostgreSQL and kill
Redis and workers for real.)
"""

import socket

from tests.apiclient import ApiClient


def test_an_api_request_while_redis_is_away_gets_503_with_retry_after(world, settings):
    api = ApiClient().as_user(world.patient_parent)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        settings.REDIS_URL = f"redis://127.0.0.1:{probe.getsockname()[1]}/0"
    response = api.get("/me")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response.json() == {"code": "unavailable", "message": "服务暂时不可用，请稍后重试。"}
