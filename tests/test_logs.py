"""The logs: JSON lines with the request id, and no personal data in them at any level.

A representative run — a patient logs in by phone and SMS code, books with a note, pays a
bill; the doctor writes and reads the chart — is made with every logger at DEBUG and
every SQL statement logged with its parameters, and the log is searched for what only
the people involved know: their numbers, their names, the note's and the chart's words.
"""

import io
import json
import logging

import pytest
from django.db import connection
from django.test import Client

from conftest import tomorrow_at
from yachi.accounts.services import token_issue
from yachi.core.logs import JsonFormatter
from yachi.core.middleware import RequestIdLogFilter
from yachi.messaging.providers.local import MemoryProvider
from yachi.payments import bills

pytestmark = pytest.mark.django_db(transaction=True)

NOTE = "左下智齿反复肿痛三天"
DIAGNOSIS = "慢性冠周炎伴牙髓充血"


@pytest.fixture
def captured_log():
    """Every record of every logger, at DEBUG, formatted as the deployment formats it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdLogFilter())
    root = logging.getLogger()
    quieted = {
        name: logging.getLogger(name).level
        for name in ("django.request", "httpx", "httpcore", "django.db.backends")
    }
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for name in quieted:
        logging.getLogger(name).setLevel(logging.DEBUG)
    connection.force_debug_cursor = True  # SQL with its parameters, as DEBUG would log it
    try:
        yield stream
    finally:
        connection.force_debug_cursor = False
        root.removeHandler(handler)
        root.setLevel(previous)
        for name, level in quieted.items():
            logging.getLogger(name).setLevel(level)


def _api(client, method, path, token=None, body=None, **headers):
    if token:
        headers["Authorization"] = f"Bearer {token}"
    call = getattr(client, method)
    if body is None:
        return call(f"/api/v1{path}", headers=headers)
    return call(
        f"/api/v1{path}", data=json.dumps(body), content_type="application/json", headers=headers
    )


def test_a_day_of_requests_leaves_no_number_name_or_clinical_word_in_the_log(world, captured_log):
    client = Client()
    phone = "13800000001"  # world.patient_parent, 张妈妈
    assert _api(client, "post", "/auth/sms-code", body={"phone": phone}).status_code == 202
    code = MemoryProvider.outbox[-1].params["code"]
    login = _api(client, "post", "/auth/login", body={"phone": phone, "code": code})
    assert login.status_code == 200, login.content
    token = login.json()["token"]

    booked = _api(
        client,
        "post",
        "/appointments",
        token,
        {
            "doctor_id": str(world.clinic_a_doctor.public_id),
            "service_id": str(world.cleaning_a.public_id),
            "start": tomorrow_at(10).isoformat(),
            "patient_id": str(world.patient_child.public_id),
            "note": NOTE,
        },
    )
    assert booked.status_code == 201, booked.content

    bill = bills.bill_create(
        actor=world.clinic_a_front_desk,
        clinic=world.clinic_a,
        payer=world.patient_parent,
        amount_fen=19900,
        description="补牙",
    )
    started = _api(
        client, "post", f"/payments/{bill.public_id}/start", token, {"method": "simulator"}
    )
    assert started.status_code == 200, started.content
    client.force_login(world.patient_parent)
    assert client.post(f"/payments/simulator/{bill.out_trade_no}/").status_code == 302
    client.logout()

    doctor_token = token_issue(user=world.clinic_a_doctor.user, label="test")
    chart = f"/patients/{world.patient_child.public_id}/notes"
    written = _api(
        client, "post", chart, doctor_token, {"diagnosis": DIAGNOSIS, "chief_complaint": NOTE}
    )
    assert written.status_code == 201, written.content
    assert _api(client, "get", chart, doctor_token).status_code == 200
    assert _api(client, "get", "/me", token).status_code == 200

    log = captured_log.getvalue()
    assert log.count("\n") > 50  # SQL and the rest were logged: the search means something
    lines = [json.loads(line) for line in log.splitlines()]
    assert all({"time", "level", "logger", "message", "request_id"} <= set(e) for e in lines)
    assert any(e["request_id"] != "-" for e in lines)
    secrets_of_people = [
        phone,
        world.other_patient.phone,
        "张妈妈",
        "陌生人",
        "张小宝",
        "王医生",
        NOTE,
        DIAGNOSIS,
    ]
    found = [word for word in secrets_of_people if word and word in log]
    assert not found, found
