"""Encrypted model fields: plaintext in Python, ciphertext in the column.

The models are in ``yachi/compliance/tests/models.py``: a test-only app, so that the
fields are exercised through real tables without any production model carrying them.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, connection, models
from django.db.migrations.writer import MigrationWriter
from django.test.utils import isolate_apps

from yachi.compliance.errors import DecryptionFailed, EncryptedLookupRefused, MalformedCiphertext
from yachi.compliance.fields import BlindIndexField, EncryptedCharField, EncryptedTextField
from yachi.compliance.tests.conftest import raw_column, write_raw_column
from yachi.compliance.tests.models import Note, Person

pytestmark = pytest.mark.django_db

NOTES = "主诉：左下后牙冷热痛两周。检查：36 深龋近髓。处理：间接盖髓，玻璃离子暂封。" * 20


def test_values_come_back_as_they_were_saved():
    person = Person.objects.create(
        name="张妈妈", phone="13800000001", id_number="11010519491231002X", notes=NOTES
    )
    person = Person.objects.get(pk=person.pk)
    assert (person.phone, person.id_number, person.notes) == (
        "13800000001",
        "11010519491231002X",
        NOTES,
    )
    assert list(Person.objects.values_list("phone", flat=True)) == ["13800000001"]


def test_null_stays_null_and_empty_stays_empty():
    person = Person.objects.create(phone="", id_number=None, notes=None)
    assert raw_column(Person, "phone", person.pk) == ""
    assert raw_column(Person, "notes", person.pk) is None
    person.refresh_from_db()
    assert (person.phone, person.id_number, person.notes) == ("", None, None)
    assert Person.objects.filter(notes__isnull=True).get() == person


def test_the_column_holds_no_plaintext_and_equal_values_look_unrelated():
    first = Person.objects.create(phone="13800000001", notes="青霉素过敏")
    second = Person.objects.create(phone="13800000001", notes="青霉素过敏")

    stored = [
        raw_column(Person, field, pk)
        for pk in (first.pk, second.pk)
        for field in ("phone", "notes")
    ]
    for value in stored:
        assert value.startswith("sm4gcm:v1:")
        assert "13800000001" not in value and "青霉素" not in value
    assert stored[0] != stored[2] and stored[1] != stored[3]


def test_bulk_create_and_update_encrypt_too():
    Person.objects.bulk_create([Person(phone=f"1380000000{i}", notes=f"记录{i}") for i in range(3)])
    Person.objects.filter(phone_index__isnull=False).update(notes="已更新")

    for person in Person.objects.order_by("pk"):
        assert raw_column(Person, "notes", person.pk).startswith("sm4gcm:v1:")
        assert person.notes == "已更新"
    assert sorted(Person.objects.values_list("phone", flat=True)) == [
        "13800000000",
        "13800000001",
        "13800000002",
    ]


def test_a_tampered_column_fails_loudly_instead_of_returning_garbage():
    person = Person.objects.create(notes="无过敏史")
    stored = raw_column(Person, "notes", person.pk)
    middle = len(stored) - 12
    flipped = stored[:middle] + ("A" if stored[middle] != "A" else "B") + stored[middle + 1 :]
    write_raw_column(Person, "notes", person.pk, flipped)

    with pytest.raises(DecryptionFailed, match=r"compliance_tests\.person\.notes"):
        Person.objects.get(pk=person.pk)


def test_a_ciphertext_copied_into_another_column_does_not_decrypt():
    person = Person.objects.create(phone="13800000001", notes="青霉素过敏")
    note = Note.objects.create(person=person, body="复诊")

    write_raw_column(Person, "notes", person.pk, raw_column(Person, "phone", person.pk))
    with pytest.raises(DecryptionFailed, match=r"compliance_tests\.person\.notes"):
        Person.objects.get(pk=person.pk)

    write_raw_column(Note, "body", note.pk, raw_column(Person, "phone", person.pk))
    with pytest.raises(DecryptionFailed, match=r"compliance_tests\.note\.body"):
        Note.objects.get(pk=note.pk)


def test_plaintext_written_behind_the_applications_back_is_refused_not_returned():
    person = Person.objects.create(phone="13800000001")
    write_raw_column(Person, "phone", person.pk, "13900000009")

    with pytest.raises(MalformedCiphertext) as refused:
        Person.objects.get(pk=person.pk)
    assert "13900000009" not in str(refused.value)


@pytest.mark.parametrize(
    "search",
    [
        {"phone": "13800000001"},
        {"phone__startswith": "138"},
        {"notes__icontains": "过敏"},
        {"phone__in": ["13800000001"]},
        {"notes__gt": ""},
        {"notes__lower": "x"},
    ],
)
def test_searching_an_encrypted_field_is_refused_with_a_clear_error(search):
    Person.objects.create(phone="13800000001", notes="青霉素过敏")
    lookup = next(iter(search)).partition("__")[2] or "exact"
    with pytest.raises(EncryptedLookupRefused, match=f"'{lookup}'.*BlindIndexField"):
        Person.objects.filter(**search).exists()


def test_max_length_limits_the_plaintext_not_the_longer_ciphertext():
    person = Person(phone="138000000011")
    with pytest.raises(ValidationError) as invalid:
        person.full_clean()
    assert "phone" in invalid.value.message_dict
    with pytest.raises(DataError, match=r"compliance_tests.person.phone: .*max_length=11"):
        Person.objects.create(phone="138000000011")

    column_type = Person._meta.get_field("phone").db_type(connection)
    assert column_type == connection.data_types["TextField"]


def test_the_fields_survive_a_migration_round_trip():
    for field in (
        EncryptedCharField(max_length=11, blank=True),
        EncryptedTextField(null=True, context="patients.clinicalnote.body"),
        Person._meta.get_field("phone_index"),
        Person._meta.get_field("id_number_index"),
        BlindIndexField(source="x", purpose="x", db_index=False, unique=True, editable=True),
    ):
        _, path, args, kwargs = field.deconstruct()
        assert path.startswith("yachi.compliance.fields.")
        rebuilt = type(field)(*args, **kwargs)
        assert rebuilt.deconstruct()[1:] == (path, args, kwargs)
        MigrationWriter.serialize(field)  # what makemigrations writes must be importable


def test_a_blind_index_field_keeps_its_configuration_in_migrations():
    *_, kwargs = Person._meta.get_field("id_number_index").deconstruct()
    assert kwargs["source"] == "id_number" and kwargs["purpose"] == "id_number"
    assert kwargs["null"] is True
    assert kwargs["normalize"] == "yachi.patients.identity.normalize_id_number"
    assert "max_length" not in kwargs and "db_index" not in kwargs


@isolate_apps("yachi.compliance.tests")
def test_a_unique_or_indexed_encrypted_field_is_reported_by_the_checks():
    class Patient(models.Model):
        phone = EncryptedCharField(max_length=11, unique=True)
        notes = EncryptedTextField(db_index=True)
        name_index = BlindIndexField(source="name", purpose="name")

        def __str__(self) -> str:
            return self.phone

    errors = {(error.obj.name, error.id) for error in Patient.check()}
    assert errors >= {
        ("phone", "compliance.E001"),
        ("notes", "compliance.E001"),
        ("name_index", "compliance.E002"),
    }


@pytest.fixture
def administrator():
    from tests.factories import StaffFactory
    from yachi.core.roles import Role

    return StaffFactory(role=Role.ADMIN, is_superuser=True)


def test_the_admin_shows_and_saves_plaintext(client, administrator):
    person = Person.objects.create(name="张妈妈", phone="13800000001", notes="青霉素过敏")
    client.force_login(administrator)
    url = f"/admin/compliance_tests/person/{person.pk}/change/"

    page = client.get(url).content.decode()
    assert "13800000001" in page and "青霉素过敏" in page
    assert "sm4gcm" not in page
    assert "13800000001" in client.get("/admin/compliance_tests/person/").content.decode()

    response = client.post(
        url, {"name": "张妈妈", "phone": "13800000002", "id_number": "", "notes": "无"}
    )
    assert response.status_code == 302, response.content
    person.refresh_from_db()
    assert (person.phone, person.notes) == ("13800000002", "无")
    assert raw_column(Person, "phone", person.pk).startswith("sm4gcm:v1:")
