"""The migrations that encrypt names, dates of birth, notes, locations and message
texts encrypt the rows that already exist, and give them back in clear when reversed.

The rows are written on an empty database migrated to the release before
(``tests.db.scratch``), as a clinic upgrading from it has them."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connections

from tests.db.scratch import empty_database, migrate_to

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
START = datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def stored(table: str, column: str) -> list:
    with connections["default"].cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def sealed(value) -> bool:
    return str(value).startswith("sm4gcm:v1:")


@pytest.fixture
def release_before():
    with empty_database():
        yield migrate_to(BEFORE)


def _rows_of_the_release_before(old) -> None:
    model = old.get_model
    parent = model("accounts", "User").objects.create(
        phone="13800009901", phone_index="i-parent", name="张妈妈", role="patient"
    )
    doctor_user = model("accounts", "User").objects.create(
        phone="13900009901", phone_index="i-doctor", name="王医生", role="doctor"
    )
    chain = model("clinics", "Chain").objects.create(name="牙齿口腔")
    clinic = model("clinics", "Clinic").objects.create(
        chain=chain, name="静安店", address="-", latitude=31, longitude=121
    )
    chair = model("clinics", "Chair").objects.create(clinic=clinic, name="1 号椅")
    doctor = model("clinics", "Doctor").objects.create(
        user=doctor_user, name="王医生", title="attending"
    )
    service = model("clinics", "Service").objects.create(
        clinic=clinic,
        code="cleaning",
        name="洁牙",
        duration_minutes=30,
        price_fen=20000,
        required_skill="general",
    )
    account = model("patients", "FamilyAccount").objects.create(owner=parent)
    model("patients", "Patient").objects.create(
        account=account, seat=0, relationship="self", name="张妈妈"
    )
    child = model("patients", "Patient").objects.create(
        account=account, seat=1, relationship="child", name="张小宝", birth_date=date(2019, 5, 1)
    )
    model("booking", "Appointment").objects.create(
        channel="patient_app",
        start=START,
        end=START + timedelta(minutes=30),
        price_fen=20000,
        note="左下后牙咬合痛",
        cancel_reason="发烧了",
        booked_by=parent,
        chair=chair,
        clinic=clinic,
        doctor=doctor,
        patient=child,
        service=service,
    )
    case = model("booking", "EmergencyCase").objects.create(
        patient=child,
        requested_by=parent,
        pain_level=7,
        latitude=Decimal("31.2304"),
        longitude=Decimal("121.4737"),
    )
    model("booking", "EmergencyDispatch").objects.create(
        case=case,
        doctor=doctor,
        clinic=clinic,
        round=1,
        distance_km=Decimal("2.35"),
        notified_at=START,
    )
    model("messaging", "Notification").objects.create(
        recipient=parent,
        kind="appointment_reminder",
        channel="sms",
        category="service",
        idempotency_key="reminder-1",
        params={"patient": "张小宝", "time": "10:00"},
        scheduled_for=START - timedelta(days=1),
    )


def _all_in_clear(old) -> None:
    for table, columns in COLUMNS.items():
        for column in columns:
            values = stored(table, column)
            assert values and not any(sealed(v) for v in values), (table, column)
    child = old.get_model("patients", "Patient").objects.get(seat=1)
    assert (child.name, child.birth_date) == ("张小宝", date(2019, 5, 1))


@pytest.mark.django_db(transaction=True)
def test_existing_rows_are_encrypted_in_place_and_decrypted_on_the_way_back(release_before):
    _rows_of_the_release_before(release_before)

    new = migrate_to(AFTER)
    for table, columns in COLUMNS.items():
        for column in columns:
            values = [value for value in stored(table, column) if value not in (None, "")]
            assert values and all(sealed(v) for v in values), (table, column)
    model = new.get_model
    child = model("patients", "Patient").objects.get(name_index__matches="张小宝")
    assert (child.name, child.birth_date) == ("张小宝", date(2019, 5, 1))
    assert model("accounts", "User").objects.get(name_index__matches="张妈妈").role == "patient"
    appointment = model("booking", "Appointment").objects.get()
    assert (appointment.note, appointment.cancel_reason) == ("左下后牙咬合痛", "发烧了")
    case = model("booking", "EmergencyCase").objects.get()
    assert (case.latitude, case.longitude) == (Decimal("31.230400"), Decimal("121.473700"))
    assert model("booking", "EmergencyDispatch").objects.get().distance_km == Decimal("2.35")
    notification = model("messaging", "Notification").objects.get()
    assert notification.params == {"patient": "张小宝", "time": "10:00"}

    _all_in_clear(migrate_to(BEFORE))
