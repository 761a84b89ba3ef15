"""No endpoint answers bad input with a 500 or with anything but ``{"code", "message"}``.

Every route of the published OpenAPI document is called with malformed ids, bodies and
tokens, as a stranger and as a patient.
"""

import json
import uuid

import pytest

from config.api import api as ninja_api
from tests.apiclient import ApiClient

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


# --- far dates -----------------------------------------------------------------------------


@pytest.fixture
def as_patient(world):
    return ApiClient().as_user(world.patient_parent)


@pytest.fixture
def as_front_desk(world):
    return ApiClient().as_user(world.clinic_a_front_desk)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31", "2201-01-01"])
def test_the_front_desk_asking_for_a_far_day_gets_a_clear_422(as_front_desk, day):
    response = as_front_desk.get("/appointments", {"date": day})
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid"
    assert [e["field"] for e in response.json()["errors"]] == ["date"]


def test_the_first_and_last_accepted_days_still_answer(as_front_desk):
    for day in ("1900-01-01", "2200-12-31"):
        assert as_front_desk.get("/appointments", {"date": day}).status_code == 200


def test_a_booking_in_year_9999_is_refused_clearly(as_patient, world):
    from yachi.booking.models import Appointment

    for start in ("9999-12-31T23:30:00+08:00", "0001-01-01T00:00:00+14:00"):
        response = as_patient.post(
            "/appointments",
            {
                "doctor_id": str(world.clinic_a_doctor.public_id),
                "service_id": str(world.cleaning_a.public_id),
                "start": start,
            },
        )
        assert response.status_code == 422, response.content
    assert not Appointment.objects.exists()


def test_a_date_of_birth_in_year_1_is_refused_clearly(as_patient, world):
    response = as_patient.post(
        "/family-members", {"name": "张爷爷", "relationship": "parent", "birth_date": "0001-01-01"}
    )
    assert response.status_code == 422
    assert world.patient_parent.family_account.members.count() == 2
