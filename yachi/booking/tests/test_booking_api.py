import uuid

import pytest

from conftest import tomorrow_at
from yachi.booking.models import Appointment


def booking(world, start, **extra):
    return {
        "doctor_id": str(world.clinic_a_doctor.public_id),
        "service_id": str(world.cleaning_a.public_id),
        "start": start.isoformat(),
        **extra,
    }


def availability(api, world, **params):
    return api.get(
        f"/doctors/{world.clinic_a_doctor.public_id}/availability",
        {"service_id": str(world.cleaning_a.public_id), **params},
    )


def test_availability_has_seven_coloured_days_of_slots(api, world):
    response = availability(api, world, days=7)
    assert response.status_code == 200
    days = response.json()["days"]
    assert len(days) == 7
    assert {d["level"] for d in days} <= {"green", "yellow", "red"}
    slot = days[1]["slots"][0]
    assert slot["start"] == tomorrow_at(9).isoformat()
    assert slot["end"].endswith("+08:00")


@pytest.mark.parametrize(
    "params",
    [{"days": 0}, {"days": 15}, {"days": "x"}, {"party_size": 9}, {"service_id": "nope"}],
)
def test_bad_availability_queries_are_clear_errors(api, world, params):
    response = availability(api, world, **params)
    assert response.status_code in (404, 422)
    assert set(response.json()) >= {"code", "message"}


def test_availability_refuses_a_service_the_doctor_does_not_give(api, world):
    response = api.get(
        f"/doctors/{world.clinic_a_doctor.public_id}/availability",
        {"service_id": str(world.implant_a.public_id)},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "doctor_not_qualified"


def test_patient_books_and_sees_the_appointment(api, world):
    api.as_user(world.patient_parent)
    response = api.post("/appointments", booking(world, tomorrow_at(10)))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "booked"
    assert body["start"] == tomorrow_at(10).isoformat()
    assert body["end"] == tomorrow_at(10, 30).isoformat()
    assert body["patient"]["id"] == str(world.parent.public_id)
    listed = api.get("/appointments").json()
    assert [a["id"] for a in listed] == [body["id"]]
    assert api.get(f"/appointments/{body['id']}").json()["id"] == body["id"]
    # The booked slot is gone from availability straight away.
    starts = [s["start"] for s in availability(api, world).json()["days"][1]["slots"]]
    assert tomorrow_at(10).isoformat() not in starts


def test_booking_a_taken_slot_is_409_slot_taken(api, world):
    api.as_user(world.patient_parent).post("/appointments", booking(world, tomorrow_at(10)))
    response = api.as_user(world.other_patient).post(
        "/appointments", booking(world, tomorrow_at(10))
    )
    assert response.status_code == 409
    assert response.json()["code"] == "slot_taken"
    assert Appointment.objects.count() == 1


def test_booking_for_a_family_member(api, world):
    api.as_user(world.patient_parent)
    body = booking(world, tomorrow_at(10), patient_id=str(world.patient_child.public_id))
    response = api.post("/appointments", body)
    assert response.status_code == 201
    assert response.json()["patient"]["name"] == "张小宝"


def test_nobody_books_for_someone_elses_family(api, world):
    api.as_user(world.other_patient)
    body = booking(world, tomorrow_at(10), patient_id=str(world.patient_child.public_id))
    response = api.post("/appointments", body)
    assert response.status_code == 404
    assert not Appointment.objects.exists()


def test_a_retried_booking_with_the_same_idempotency_key_books_once(api, world):
    api.as_user(world.patient_parent)
    headers = {"Idempotency-Key": "phone-retry-1"}
    first = api.post("/appointments", booking(world, tomorrow_at(10)), headers=headers)
    again = api.post("/appointments", booking(world, tomorrow_at(10)), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert Appointment.objects.count() == 1


def test_an_idempotency_key_cannot_be_reused_for_another_booking(api, world):
    api.as_user(world.patient_parent)
    headers = {"Idempotency-Key": "phone-retry-2"}
    api.post("/appointments", booking(world, tomorrow_at(10)), headers=headers)
    response = api.post("/appointments", booking(world, tomorrow_at(11)), headers=headers)
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert Appointment.objects.count() == 1


def test_idempotency_keys_belong_to_one_user(api, world):
    headers = {"Idempotency-Key": "same-key"}
    api.as_user(world.patient_parent).post(
        "/appointments", booking(world, tomorrow_at(10)), headers=headers
    )
    response = api.as_user(world.other_patient).post(
        "/appointments", booking(world, tomorrow_at(11)), headers=headers
    )
    assert response.status_code == 201
    assert Appointment.objects.count() == 2


def test_family_booking_in_one_request(api, world):
    api.as_user(world.patient_parent)
    response = api.post(
        "/appointments/family",
        booking(
            world,
            tomorrow_at(14),
            patient_ids=[str(world.parent.public_id), str(world.patient_child.public_id)],
        ),
    )
    assert response.status_code == 201, response.content
    assert [a["start"] for a in response.json()] == [
        tomorrow_at(14).isoformat(),
        tomorrow_at(14, 30).isoformat(),
    ]


def test_cancel_and_reschedule(api, world):
    api.as_user(world.patient_parent)
    created = api.post("/appointments", booking(world, tomorrow_at(10))).json()
    moved = api.post(
        f"/appointments/{created['id']}/reschedule", {"start": tomorrow_at(15).isoformat()}
    )
    assert moved.status_code == 200
    assert moved.json()["start"] == tomorrow_at(15).isoformat()
    assert moved.json()["reschedule_count"] == 1
    cancelled = api.post(f"/appointments/{created['id']}/cancel", {"reason": "临时有事"})
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    again = api.post(f"/appointments/{created['id']}/cancel")
    assert again.status_code == 409


def test_reschedule_to_a_naive_time_is_refused(api, world):
    api.as_user(world.patient_parent)
    created = api.post("/appointments", booking(world, tomorrow_at(10))).json()
    response = api.post(
        f"/appointments/{created['id']}/reschedule",
        {"start": tomorrow_at(15).replace(tzinfo=None).isoformat()},
    )
    assert response.status_code == 422
    assert Appointment.objects.get().start == tomorrow_at(10)


def test_times_and_days_are_iso_8601_text_not_numbers(api, world):
    # A number would otherwise be read as seconds since 1970.
    api.as_user(world.patient_parent)
    as_number = booking(world, tomorrow_at(10)) | {"start": int(tomorrow_at(10).timestamp())}
    assert api.post("/appointments", as_number).status_code == 422
    assert not Appointment.objects.exists()
    api.as_user(world.clinic_a_front_desk)
    assert api.get("/appointments", {"date": "0"}).status_code == 422


def test_another_patient_cannot_touch_my_appointment(api, world):
    created = (
        api.as_user(world.patient_parent)
        .post("/appointments", booking(world, tomorrow_at(10)))
        .json()
    )
    api.as_user(world.other_patient)
    path = f"/appointments/{created['id']}"
    assert api.get(path).status_code == 404
    assert api.post(f"{path}/cancel").status_code == 404
    assert api.post(f"{path}/reschedule", {"start": tomorrow_at(15).isoformat()}).status_code == 404
    assert api.get("/appointments").json() == []
    appointment = Appointment.objects.get()
    assert appointment.status == "booked"
    assert appointment.start == tomorrow_at(10)


def test_staff_of_another_clinic_cannot_see_the_appointment(api, world):
    created = (
        api.as_user(world.patient_parent)
        .post("/appointments", booking(world, tomorrow_at(10)))
        .json()
    )
    response = api.as_user(world.clinic_b_front_desk).post(f"/appointments/{created['id']}/arrive")
    assert response.status_code == 404


def test_patients_cannot_mark_themselves_arrived(api, world):
    created = (
        api.as_user(world.patient_parent)
        .post("/appointments", booking(world, tomorrow_at(10)))
        .json()
    )
    response = api.post(f"/appointments/{created['id']}/no-show")
    assert response.status_code == 403
    assert Appointment.objects.get().status == "booked"


def test_doctor_sees_their_own_schedule(api, world):
    api.as_user(world.patient_parent).post("/appointments", booking(world, tomorrow_at(10)))
    response = api.as_user(world.clinic_a_doctor.user).get("/appointments", {"scope": "upcoming"})
    assert [a["patient"]["name"] for a in response.json()] == ["张妈妈"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"doctor_id": "x", "service_id": "y", "start": "z"},
        {
            "doctor_id": str(uuid.uuid4()),
            "service_id": str(uuid.uuid4()),
            "start": "2030-01-01T10:00:00+08:00",
        },
        "not an object",
        [1, 2, 3],
    ],
)
def test_malformed_bookings_are_clear_errors_and_book_nothing(api, world, body):
    api.as_user(world.patient_parent)
    response = api.post("/appointments", body)
    assert 400 <= response.status_code < 500
    assert set(response.json()) >= {"code", "message"}
    assert not Appointment.objects.exists()


def test_a_body_that_is_not_json_is_a_clear_error(api, world):
    api.as_user(world.patient_parent)
    response = api.client.post(
        "/api/v1/appointments",
        "{oops",
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.token}"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_body"


def test_unknown_paths_and_methods_answer_in_json(api):
    response = api.get("/no-such-thing")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    response = api.delete("/health")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_front_desk_lists_a_day_at_their_clinic(api, world):
    api.as_user(world.patient_parent).post("/appointments", booking(world, tomorrow_at(10)))
    day = tomorrow_at(9).date().isoformat()
    listed = api.as_user(world.clinic_a_front_desk).get("/appointments", {"date": day}).json()
    assert [a["patient"]["name"] for a in listed] == ["张妈妈"]
    assert api.as_user(world.clinic_b_front_desk).get("/appointments", {"date": day}).json() == []
