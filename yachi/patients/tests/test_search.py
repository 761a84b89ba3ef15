"""Staff find patients by part of a name, pinyin, a number's last four digits or the
chart number, through blind-indexed tokens: nothing searchable is stored in clear."""

import re

import pytest
from cryptography.hazmat.primitives import hashes
from django.db import connection

from conftest import book_seen, tomorrow_at
from yachi.booking.services import appointments_book
from yachi.patients.choices import Relationship
from yachi.patients.models import Patient
from yachi.patients.search import last4_digest, query_digests
from yachi.patients.selectors import patients_search
from yachi.patients.services import family_member_add, family_member_update


@pytest.fixture
def seen(world):
    return book_seen(world)


def names(actor, term):
    return [p.name for p in patients_search(actor=actor, term=term)]


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("张", ["张妈妈", "张小宝"]),
        ("小宝", ["张小宝"]),
        ("宝", ["张小宝"]),
        ("张小宝", ["张小宝"]),
        ("妈妈", ["张妈妈"]),
        ("zxb", ["张小宝"]),
        ("ZX", ["张小宝"]),
        ("z", ["张妈妈", "张小宝"]),
        ("zhangxiao", ["张小宝"]),
        ("zhangx", ["张小宝"]),
        ("zmm", ["张妈妈"]),
        ("宝小", []),
        ("张大宝", []),
    ],
)
def test_part_of_a_name_or_its_pinyin_finds_the_patient(seen, term, expected):
    assert names(seen.clinic_a_front_desk, term) == expected


def test_the_full_number_and_its_last_four_digits_find_the_family(seen):
    desk = seen.clinic_a_front_desk
    assert names(desk, "13800000001") == ["张妈妈", "张小宝"]
    assert names(desk, "0001") == ["张妈妈", "张小宝"]
    assert names(desk, "0009") == []


def test_the_chart_number_finds_the_patient(seen):
    child = Patient.objects.get(pk=seen.patient_child.pk)
    assert len(child.chart_number) == 6 and child.chart_number.isdigit()
    assert names(seen.clinic_a_front_desk, child.chart_number) == ["张小宝"]


def test_staff_find_only_patients_of_their_own_clinics(seen):
    assert names(seen.clinic_b_front_desk, "张") == []
    assert names(seen.clinic_b_front_desk, "0002") == ["陌生人"]
    assert names(seen.clinic_a_front_desk, "陌生") == []


def test_a_surname_is_found_by_each_of_its_readings(seen):
    person = family_member_add(
        account=seen.patient_parent.family_account,
        name="单雄信",
        relationship=Relationship.OTHER,
    )
    appointments_book(
        actor=seen.patient_parent,
        doctor=seen.clinic_a_doctor,
        service=seen.cleaning_a,
        start=tomorrow_at(11),
        patients=[person],
    )
    desk = seen.clinic_a_front_desk
    assert names(desk, "sxx") == ["单雄信"] == names(desk, "dxx")
    assert names(desk, "shanxiong") == ["单雄信"]


def test_a_new_name_replaces_the_old_tokens(seen):
    family_member_update(
        patient=seen.patient_child,
        name="李小龙",
        relationship=Relationship.CHILD,
        gender="male",
        birth_date=None,
    )
    desk = seen.clinic_a_front_desk
    assert names(desk, "小宝") == []
    assert names(desk, "lxl") == ["李小龙"]


def test_the_tokens_hold_no_plaintext(seen):
    """Each token is a bare 64-digit hex HMAC: no character of a name fits in one, and
    the digits of a number cannot be found without the index key (a hex digest holds
    "0001" by chance now and then, so digits are checked against their unkeyed hash)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT digest FROM patients_searchtoken")
        stored = {row[0] for row in cursor.fetchall()}
    assert stored
    assert all(re.fullmatch(r"[0-9a-f]{64}", digest) for digest in stored)
    for text in ("phone_last4:0001", "phone_last4:8000", "person_name_token:c:张"):
        assert unkeyed_sm3(text) not in stored
    assert last4_digest("0001") in stored


def unkeyed_sm3(text: str) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(text.encode())
    return digest.finalize().hex()


def test_a_search_is_a_handful_of_queries(seen, django_assert_max_num_queries):
    desk = seen.clinic_a_front_desk
    for term in ("张", "张小宝", "zxb", "0001", "13800000001"):
        with django_assert_max_num_queries(6):
            patients_search(actor=desk, term=term)


def test_the_console_search_page_finds_by_part_of_a_name(client, seen):
    client.force_login(seen.clinic_a_front_desk)
    page = client.get("/console/patients/", {"q": "小宝"}).content.decode()
    assert "张小宝" in page and "张妈妈" not in page


@pytest.mark.django_db(transaction=True)
def test_the_migration_indexes_the_people_already_there():
    """The people of the release before are written on an empty database migrated to it
    (``tests.db.scratch``), as a clinic upgrading from it has them."""
    from tests.db.scratch import empty_database, migrate_to

    with empty_database():
        old = migrate_to([("patients", "0004_encrypt_names_and_birth_dates")])
        parent = old.get_model("accounts", "User").objects.create(phone="13800000001")
        account = old.get_model("patients", "FamilyAccount").objects.create(owner=parent)
        person = old.get_model("patients", "Patient").objects.create
        mother = person(
            account=account, seat=0, relationship="self", name="张妈妈", phone="13800000001"
        )
        child = person(account=account, seat=1, relationship="child", name="张小宝")

        new = migrate_to([("patients", "0005_search_tokens")])
        tokens = new.get_model("patients", "SearchToken").objects
        held = {
            who.pk: set(tokens.filter(patient_id=who.pk).values_list("digest", flat=True))
            for who in (mother, child)
        }

        def found(term):
            return {
                pk
                for pk, digests in held.items()
                for wanted, _text in query_digests(term)
                if wanted <= digests
            }

        assert found("小宝") == {child.pk}
        assert found("zxb") == {child.pk}
        assert found("张") == {mother.pk, child.pk}
        assert {pk for pk, d in held.items() if last4_digest("0001") in d} == {mother.pk}
