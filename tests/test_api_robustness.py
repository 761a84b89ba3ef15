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


# --- text, bare values and bodies Django cannot read ---------------------------------------

SCHEMA = ninja_api.get_openapi_schema(path_prefix="")


def _resolved(node: dict) -> dict:
    while "$ref" in node:
        node = SCHEMA["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _text_fields(node: dict) -> list[str]:
    """The free-text fields of a body or query: strings with no format (not ids, dates)."""
    names = []
    for name, prop in _resolved(node).get("properties", {}).items():
        options = [_resolved(p) for p in prop.get("anyOf", [prop])]
        if any(o.get("type") == "string" and not {"format", "enum"} & set(o) for o in options):
            names.append(name)
    return names


def body_operations():
    for path, operations in SCHEMA["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                yield method.upper(), path, content["application/json"]["schema"]


def text_inputs():
    for method, path, body in body_operations():
        for name in _text_fields(body):
            yield method, path, "body", name
    for path, operations in SCHEMA["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and _text_fields(
                    {"properties": {parameter["name"]: parameter["schema"]}}
                ):
                    yield method.upper(), path, "query", parameter["name"]


def _send(client, method, path, body):
    return client.client.generic(
        method,
        "/api/v1" + fill(path, str(uuid.uuid4())),
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {client.token}"},
    )


@pytest.mark.parametrize(("method", "path", "where", "field"), list(text_inputs()))
def test_control_characters_are_refused_in_every_text_field(as_patient, method, path, where, field):
    for bad in ("a\x00b", "a\x1bb", "a\x7fb", "a\x85b"):
        if where == "body":
            response = _send(as_patient, method, path, json.dumps({field: bad}))
        else:
            response = as_patient.client.generic(
                method,
                "/api/v1" + fill(path, str(uuid.uuid4())),
                headers={"Authorization": f"Bearer {as_patient.token}"},
                QUERY_STRING=f"{field}={bad}",
            )
        assert response.status_code == 422, (bad, response.content)
        refused = [e["field"] for e in response.json()["errors"]]
        assert any(f.endswith(field) for f in refused), (bad, refused)


def test_a_name_with_nul_is_refused_and_nothing_is_stored(as_patient, world):
    response = as_patient.post("/family-members", {"name": "张\x00小宝", "relationship": "child"})
    assert response.status_code == 422
    assert world.patient_parent.family_account.members.count() == 2


def test_notes_keep_their_line_breaks_but_names_are_one_line(as_patient, world):
    response = as_patient.post("/family-members", {"name": "张\n小宝", "relationship": "child"})
    assert response.status_code == 422
    response = as_patient.post(
        f"/appointments/{uuid.uuid4()}/cancel", {"reason": "发烧了\n改天再来\t谢谢"}
    )
    assert response.status_code == 404  # past validation, to the lookup


@pytest.mark.parametrize(("method", "path", "_schema"), list(body_operations()))
def test_a_bare_json_value_is_not_a_body(as_patient, method, path, _schema):
    for body in ("5", '"x"', "[]", "true", "[{}]"):
        response = _send(as_patient, method, path, body)
        assert response.status_code == 422, (body, response.content)


def test_an_order_is_not_cancelled_by_a_bare_number(as_patient, world):
    from yachi.shop.choices import OrderStatus
    from yachi.shop.services import cart_add, order_checkout
    from yachi.shop.tests.conftest import catalogue

    cart_add(user=world.patient_parent, sku=catalogue(world).floss_50)
    order = order_checkout(buyer=world.patient_parent, clinic=world.clinic_a, fulfilment="pickup")
    response = as_patient.client.post(
        f"/api/v1/shop/orders/{order.order.public_id}/cancel",
        "5",
        content_type="application/json",
        headers={"Authorization": f"Bearer {as_patient.token}"},
    )
    assert response.status_code == 422
    order.order.refresh_from_db()
    assert order.order.status == OrderStatus.AWAITING_PAYMENT


def _no_traceback_logged(caplog):
    assert not [r for r in caplog.records if r.exc_info], [r.getMessage() for r in caplog.records]


def test_a_10_mb_body_is_too_large_even_before_login(client, db, caplog):
    body = json.dumps({"phone": "13800000001", "padding": "x" * (10 * 1024 * 1024)})
    response = client.post("/api/v1/auth/sms-code", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    _no_traceback_logged(caplog)


def test_a_10_mb_body_is_too_large_for_a_logged_in_patient(as_patient, world, caplog):
    response = _send(as_patient, "POST", "/family-members", "[" + "1," * (5 * 1024 * 1024) + "1]")
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert world.patient_parent.family_account.members.count() == 2
    _no_traceback_logged(caplog)


def test_an_upload_without_its_multipart_boundary_is_an_invalid_body(as_patient, world, caplog):
    response = as_patient.client.post(
        f"/api/v1/family-members/{world.parent.public_id}/face-photos",
        b"--x\r\nnot really multipart",
        content_type="multipart/form-data",
        headers={"Authorization": f"Bearer {as_patient.token}"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_body"
    _no_traceback_logged(caplog)
