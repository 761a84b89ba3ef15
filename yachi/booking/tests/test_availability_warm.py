"""A warm availability read asks the database nothing: each process remembers the service
and the doctor it named, while their versions in the shared cache stay the same. A
manager's change of a service, a doctor's profile or their schedule replaces a version,
so the next read, in this process or any other, reads them again."""

from datetime import UTC

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import tomorrow_at
from yachi.booking import lookups
from yachi.clinics.choices import Skill
from yachi.rostering.choices import ExceptionKind
from yachi.rostering.models import ShiftException
from yachi.rostering.services import shift_exception_save

# The versions are replaced after commit, so these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)


def availability(api, world, service=None):
    return api.get(
        f"/doctors/{world.clinic_a_doctor.public_id}/availability",
        {"service_id": str((service or world.cleaning_a).public_id), "days": 2},
    )


def tomorrow_starts(api, world) -> list[str]:
    response = availability(api, world)
    assert response.status_code == 200, response.content
    return [slot["start"] for slot in response.json()["days"][1]["slots"]]


def _statements(action) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        action()
    return [query["sql"] for query in queries.captured_queries]


def _remembered(world, service=None) -> bool:
    return any(
        known.service.pk == (service or world.cleaning_a).pk for known in lookups._known.values()
    )


def test_a_warm_availability_read_asks_the_database_nothing(api, world):
    tomorrow_starts(api, world)  # what this process found, before it knew the versions
    tomorrow_starts(api, world)  # read again under the versions, and remembered
    assert _statements(lambda: tomorrow_starts(api, world)) == []


def test_a_service_a_manager_lengthens_is_offered_with_its_new_length_at_once(api, client, world):
    tomorrow_starts(api, world)
    before = tomorrow_starts(api, world)
    assert tomorrow_at(17, 30).isoformat() in before  # 17:30–18:00 fits 30 minutes
    administrator = _administrator()
    client.force_login(administrator)
    service = world.cleaning_a
    answer = client.post(
        reverse("admin:clinics_service_change", args=[service.pk]),
        {
            "clinic": service.clinic_id,
            "code": service.code,
            "name": service.name,
            "name_en": service.name_en,
            "duration_minutes": 60,
            "price_fen": service.price_fen,
            "deposit_fen": service.deposit_fen,
            "required_skill": service.required_skill,
            "kind": service.kind,
            "is_active": "on",
        },
    )
    assert answer.status_code == 302
    # Nothing told this process: only the clinic's version in the shared cache moved.
    assert _remembered(world)
    after = tomorrow_starts(api, world)
    assert tomorrow_at(17, 30).isoformat() not in after
    assert after[-1] == tomorrow_at(17).isoformat()


def test_a_service_a_manager_withdraws_is_not_found_at_once(api, client, world):
    tomorrow_starts(api, world)
    tomorrow_starts(api, world)
    client.force_login(_administrator())
    service = world.cleaning_a
    answer = client.post(
        reverse("admin:clinics_service_change", args=[service.pk]),
        {
            "clinic": service.clinic_id,
            "code": service.code,
            "name": service.name,
            "name_en": service.name_en,
            "duration_minutes": service.duration_minutes,
            "price_fen": service.price_fen,
            "deposit_fen": service.deposit_fen,
            "required_skill": service.required_skill,
            "kind": service.kind,
        },
    )
    assert answer.status_code == 302
    response = availability(api, world)
    assert response.status_code == 404
    assert response.json()["code"] == "service_not_found"


def test_a_skill_removed_from_a_doctors_profile_refuses_the_service_at_once(api, client, world):
    implant = world.implant_a
    doctor = world.clinic_a_implant_doctor
    url = f"/doctors/{doctor.public_id}/availability"
    params = {"service_id": str(implant.public_id), "days": 2}
    assert api.get(url, params).status_code == 200
    assert api.get(url, params).status_code == 200
    assert _remembered(world, implant)
    client.force_login(world.clinic_a_manager)
    answer = client.post(
        reverse("console:doctor_edit", args=[world.clinic_a.public_id, doctor.public_id]),
        {
            "title": doctor.title,
            "practising_since": doctor.practising_since or "",
            "introduction": doctor.bio,
            "skills_shown": "1",
            "skills": [Skill.GENERAL],
            "photo_shown": "1",
        },
    )
    assert answer.status_code == 302
    response = api.get(url, params)
    assert response.status_code == 422
    assert response.json()["code"] == "doctor_not_qualified"


def test_leave_added_to_the_schedule_empties_the_day_at_once(api, world):
    tomorrow_starts(api, world)
    assert tomorrow_starts(api, world)
    shift_exception_save(
        exception=ShiftException(
            doctor=world.clinic_a_doctor,
            date=tomorrow_at(9).date(),
            kind=ExceptionKind.LEAVE,
        )
    )
    assert tomorrow_starts(api, world) == []


def test_the_patient_pages_grid_reads_the_service_and_doctor_as_the_api_does(client, world):
    client.force_login(world.patient_parent)
    url = f"/book/service/{world.cleaning_a.public_id}/doctor/{world.clinic_a_doctor.public_id}/"
    params = {"day": tomorrow_at(9).date().isoformat()}
    headers = {"HX-Request": "true"}
    client.get(url, params, headers=headers)
    client.get(url, params, headers=headers)
    grid = []
    statements = _statements(lambda: grid.append(client.get(url, params, headers=headers)))
    assert 'data-start="' + tomorrow_at(9).isoformat() + '"' in grid[0].content.decode()
    assert not [sql for sql in statements if "clinics_service" in sql or "clinics_doctor" in sql]


def _administrator():
    from tests.factories import StaffFactory
    from yachi.core.roles import Role

    return StaffFactory(role=Role.ADMIN, is_superuser=True)


@pytest.mark.parametrize(
    "moment",
    [
        tomorrow_at(9),
        tomorrow_at(9).replace(microsecond=123456),
        tomorrow_at(9).astimezone(UTC),
        tomorrow_at(9).astimezone(UTC).replace(microsecond=5),
    ],
)
def test_slot_times_are_written_as_the_api_schema_writes_them(moment):
    from ninja.responses import NinjaJSONEncoder

    from yachi.booking.api import _moment

    assert _moment(moment) == NinjaJSONEncoder().default(moment)


def _lengthen_when_read(monkeypatch, service, reads: list):
    """The service is lengthened, and the change committed, right after a read of it:
    as when another process's change lands in the middle of this one's read."""
    from django.db import transaction

    from yachi.clinics.events import ClinicChanged
    from yachi.clinics.models import Service
    from yachi.core.events import publish

    original = lookups.clinics.service_by_id

    def service_by_id(service_id):
        found = original(service_id)
        reads.append(found.duration_minutes)
        if len(reads) == 1:
            with transaction.atomic():
                Service.objects.filter(pk=service.pk).update(duration_minutes=60)
                publish(ClinicChanged(clinic_id=service.clinic_id))
        return found

    monkeypatch.setattr(lookups.clinics, "service_by_id", service_by_id)


def test_a_change_committed_during_a_first_read_is_seen_by_the_next(api, world, monkeypatch):
    reads = []
    _lengthen_when_read(monkeypatch, world.cleaning_a, reads)
    tomorrow_starts(api, world)  # read the service, then its versions moved
    assert tomorrow_starts(api, world)[-1] == tomorrow_at(17).isoformat()
    assert reads == [30, 60]


def test_a_change_committed_during_a_read_again_is_seen_by_the_next(api, world, monkeypatch):
    tomorrow_starts(api, world)
    tomorrow_starts(api, world)
    client_change = []
    _lengthen_when_read(monkeypatch, world.cleaning_a, client_change)
    from yachi.booking import cache

    cache.invalidate_clinic(clinic_id=world.clinic_a.pk)  # something else changed first
    tomorrow_starts(api, world)  # reads again, and the lengthening lands after that read
    assert tomorrow_starts(api, world)[-1] == tomorrow_at(17).isoformat()
    assert client_change == [30, 60]
