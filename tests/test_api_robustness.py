"""No endpoint answers bad input with a 500 or with anything but ``{"code", "message"}``.

Every route of the published OpenAPI document is called with malformed ids, bodies and
tokens, as a stranger and as a patient.
"""

import json
import uuid

import pytest

from config.api import api as ninja_api

BAD_IDS = ["x", str(uuid.uuid4()), "1", "%00", "a" * 300, "../../etc/passwd"]
BAD_BODIES = [
    None,
    "",
    "{",
    "[]",
    "null",
    '"text"',
    "{}",
    json.dumps({"start": "soon", "doctor_id": 1}),
]


def routes():
    schema = ninja_api.get_openapi_schema(path_prefix="")
    for path, operations in schema["paths"].items():
        for method in operations:
            yield method.upper(), path


def fill(path: str, value: str) -> str:
    while "{" in path:
        start, end = path.index("{"), path.index("}")
        path = path[:start] + value + path[end + 1 :]
    return path


@pytest.mark.parametrize(("method", "path"), list(routes()))
def test_bad_input_never_breaks_an_endpoint(api, world, method, path):
    callers = [None, world.patient_parent, world.clinic_a_front_desk]
    for caller in callers:
        headers = {}
        if caller is not None:
            api.as_user(caller)
            headers = {"Authorization": f"Bearer {api.token}"}
        for bad_id in BAD_IDS if "{" in path else [""]:
            url = "/api/v1" + fill(path, bad_id)
            for body in BAD_BODIES if method in ("POST", "PUT", "PATCH") else [None]:
                response = api.client.generic(
                    method, url, body or "", content_type="application/json", headers=headers
                )
                assert response.status_code < 500, (method, url, body, response.content[:300])
                if response.status_code >= 400:
                    payload = response.json()
                    assert isinstance(payload.get("code"), str) and payload["code"], payload
                    assert isinstance(payload.get("message"), str) and payload["message"], payload
