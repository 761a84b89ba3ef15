"""/api/ requests pass the API's short middleware stack, pages the full one, in the
served application (config.wsgi) as in the test client."""

import io
from unittest import mock
from wsgiref.util import setup_testing_defaults

import pytest
from django.contrib.sessions.middleware import SessionMiddleware

pytestmark = pytest.mark.django_db


def _call(application, path):
    environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "wsgi.input": io.BytesIO()}
    setup_testing_defaults(environ)
    environ["PATH_INFO"] = path
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["headers"] = {name.lower(): value for name, value in headers}

    body = b"".join(application(environ, start_response))
    return answer["status"], answer["headers"], body


def test_health_passes_the_api_stack_of_the_served_application():
    from config.wsgi import application

    status, headers, body = _call(application, "/api/v1/health")
    assert (status, body) == (200, b'{"status": "ok"}')
    # What every answer carries, from the API's stack …
    assert headers["x-frame-options"] == "DENY"
    assert "content-security-policy" in headers
    assert headers["x-request-id"]
    assert "set-cookie" not in headers


def test_only_pages_open_a_session():
    from config.wsgi import application

    real = SessionMiddleware.process_request
    with mock.patch.object(
        SessionMiddleware, "process_request", autospec=True, side_effect=real
    ) as opened:
        _call(application, "/api/v1/health")
        assert not opened.called
        _call(application, "/")
        assert opened.called


def test_pages_pass_the_full_stack():
    from config.wsgi import application

    status, headers, _ = _call(application, "/")
    assert status == 200
    assert headers["x-frame-options"] == "DENY"


def test_an_api_error_is_json_on_the_short_stack(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["code"]
    assert not response.cookies


def test_the_api_needs_no_csrf_token_and_pages_still_do():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/api/v1/auth/logout").status_code == 401
    assert strict.post("/login/", {"phone": "13800000000"}).status_code == 403
