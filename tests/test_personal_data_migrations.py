"""The migrations that encrypt names, dates of birth, notes, locations and message
texts encrypt the rows that already exist, and give them back in clear when reversed."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from conftest import tomorrow_at
from tests.db.scratch import copy_of_the_test_database
from yachi.accounts.models import User
from yachi.booking.models import Appointment, EmergencyCase, EmergencyDispatch
from yachi.booking.services import appointments_book
from yachi.messaging.models import Notification
from yachi.patients.models import Patient

BEFORE = [
    ("accounts", "0004_wechat_binding"),
    ("patients", "0003_clinical_notes_consents_face_photos"),
    ("booking", "0005_emergencies"),
    ("messaging", "0001_notifications"),
]
AFTER = [
    ("accounts", "0005_encrypt_user_names"),
    ("patients", "0004_encrypt_names_and_birth_dates"),
    ("booking", "0006_encrypt_notes_and_locations"),
    ("messaging", "0002_encrypt_notification_params"),
]
COLUMNS = {
    "accounts_user": ["name"],
    "patients_patient": ["name", "birth_date"],
    "booking_appointment": ["note", "cancel_reason"],
    "booking_emergencycase": ["latitude", "longitude"],
    "booking_emergencydispatch": ["distance_km"],
    "messaging_notification": ["params"],
}


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    if targets is LATEST:
        targets = executor.loader.graph.leaf_nodes()
    executor.migrate(targets)


LATEST = object()


def stored(table: str, column: str) -> list:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.long
@pytest.mark.django_db(transaction=True)
def test_existing_rows_are_encrypted_in_place_and_decrypted_on_the_way_back(world):
    appointment = appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(10),
        patients=[world.parent],
        note="左下后牙咬合痛",
    ).appointments[0]  # its reminders are notifications with the patient's name
    Appointment.objects.filter(pk=appointment.pk).update(cancel_reason="发烧了")
    case = EmergencyCase.objects.create(
        patient=world.patient_child,
        requested_by=world.patient_parent,
        pain_level=7,
        latitude=Decimal("31.2304"),
        longitude=Decimal("121.4737"),
    )
    EmergencyDispatch.objects.create(
        case=case,
        doctor=world.clinic_a_doctor,
        clinic=world.clinic_a,
        round=1,
        distance_km=Decimal("2.35"),
        notified_at=case.created_at,
    )
    # On a copy: a test stopped half-way leaves the test database as it was.
    with copy_of_the_test_database():
        _back_and_forth(world, appointment, case)


def _back_and_forth(world, appointment, case):
    migrate(BEFORE)
    for table, columns in COLUMNS.items():
        for column in columns:
            clear = not any(str(v).startswith("sm4gcm:") for v in stored(table, column))
            assert clear, (table, column)
    assert "张小宝" in stored("patients_patient", "name")
    migrate(AFTER)
    migrate(LATEST)  # and every later migration: today's models read the rows below

    for table, columns in COLUMNS.items():
        for column in columns:
            values = [value for value in stored(table, column) if value not in (None, "")]
            assert values and all(v.startswith("sm4gcm:v1:") for v in values), (table, column)

    child = Patient.objects.get(pk=world.patient_child.pk)
    assert (child.name, child.birth_date) == ("张小宝", date(2019, 5, 1))
    assert Patient.objects.get(name_index__matches="张小宝") == child
    assert User.objects.get(name_index__matches="张妈妈") == world.patient_parent
    appointment.refresh_from_db()
    assert (appointment.note, appointment.cancel_reason) == ("左下后牙咬合痛", "发烧了")
    case.refresh_from_db()
    assert (case.latitude, case.longitude) == (Decimal("31.230400"), Decimal("121.473700"))
    assert case.dispatches.get().distance_km == Decimal("2.35")
    # Only the column this migration changed: later ones add columns the table lacks here.
    assert all(isinstance(n.params, dict) for n in Notification.objects.only("params"))
