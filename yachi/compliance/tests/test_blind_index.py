"""Finding people by an encrypted phone or ID number, through blind indexes."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from yachi.compliance import blindindex
from yachi.compliance.blindindex import blind_index
from yachi.compliance.tests.conftest import new_master_key, new_secret
from yachi.compliance.tests.models import Person
from yachi.core.errors import InvalidInput
from yachi.patients.identity import normalize_id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        phone: Person.objects.create(name=name, phone=phone)
        for name, phone in (("张妈妈", "13800000001"), ("李爸爸", "13800000002"))
    }


@pytest.mark.parametrize("written", ["13800000001", "+86 138-0000-0001", "0086 13800000001"])
def test_a_phone_number_finds_exactly_its_person_however_it_is_written(people, written):
    found = Person.objects.filter(phone_index=blind_index("phone", written))
    assert list(found) == [people["13800000001"]]


def test_a_number_nobody_has_finds_nobody(people):
    assert not Person.objects.filter(phone_index=blind_index("phone", "13900000000")).exists()


def test_the_index_is_a_keyed_digest_not_the_number(people):
    index = Person.objects.get(name="张妈妈").phone_index
    assert len(index) == 64 and "13800000001" not in index
    assert index == blind_index("phone", "13800000001")


def test_equal_values_of_different_purposes_have_unrelated_indexes():
    """Two identifiers that happen to be written the same do not link their owners."""
    blindindex.register(purpose="test_card", normalize=None, owner="tests.card_index")
    blindindex.register(purpose="test_badge", normalize=None, owner="tests.badge_index")
    assert blind_index("test_card", "A1234") != blind_index("test_badge", "A1234")


def test_the_id_number_check_character_matches_in_either_case():
    person = Person.objects.create(id_number="11010519491231002X")
    found = Person.objects.filter(id_number_index=blind_index("id_number", "11010519491231002x"))
    assert list(found) == [person]


def test_saving_a_new_number_moves_the_index(people):
    person = people["13800000001"]
    person.phone = "13800000009"
    person.save()

    assert not Person.objects.filter(phone_index=blind_index("phone", "13800000001")).exists()
    assert Person.objects.get(phone_index=blind_index("phone", "13800000009")) == person


def test_bulk_create_fills_the_indexes():
    Person.objects.bulk_create(
        [Person(phone="13800000003"), Person(id_number="31010120000101123X")]
    )
    assert Person.objects.filter(phone_index=blind_index("phone", "13800000003")).count() == 1
    assert Person.objects.filter(id_number_index=blind_index("id_number", "31010120000101123X"))


def test_an_update_sets_the_index_alongside_the_value(people):
    """``QuerySet.update()`` skips ``pre_save``: the documented way sets both."""
    phone = "13800000008"
    Person.objects.filter(name="李爸爸").update(
        phone=phone, phone_index=blind_index("phone", phone)
    )
    assert Person.objects.get(phone_index=blind_index("phone", phone)).phone == phone


def test_no_value_has_no_index():
    person = Person.objects.create(phone="", id_number=None)
    assert (person.phone_index, person.id_number_index) == ("", None)
    assert blind_index("phone", "") == "" and blind_index("phone", None) is None


def test_a_value_the_normalization_refuses_is_refused_on_save_and_on_search():
    with pytest.raises(InvalidInput):
        Person.objects.create(phone="12345")
    with pytest.raises(InvalidInput):
        blind_index("phone", "12345")


def test_an_unknown_purpose_is_a_mistake_not_an_empty_result():
    with pytest.raises(LookupError, match="'phon'"):
        blind_index("phon", "13800000001")


def test_one_purpose_cannot_have_two_normalizations():
    blindindex.register(purpose="id_number", normalize=normalize_id_number, owner="again")
    with pytest.raises(ImproperlyConfigured, match=r"'phone' is normalized by yachi\.accounts"):
        blindindex.register(
            purpose="phone", normalize=normalize_id_number, owner="x.Other.phone_index"
        )
    with pytest.raises(ImproperlyConfigured, match="module-level function"):
        blindindex.register(purpose="name", normalize=lambda v: v, owner="x.Other.name_index")
    with pytest.raises(ImproperlyConfigured, match="purpose 'a:b'"):
        blindindex.register(purpose="a:b", normalize=None, owner="x.Other.a_index")


def test_a_new_index_key_needs_a_reindex(use_keys):
    """The trade-off of a keyed index: rotating its key means recomputing every index."""
    master_keys = new_master_key("k1")
    use_keys(master_keys)
    person = Person.objects.create(phone="13800000001")

    use_keys(master_keys, index_key=new_secret())
    assert not Person.objects.filter(phone_index=blind_index("phone", "13800000001")).exists()

    person.save()
    assert Person.objects.filter(phone_index=blind_index("phone", "13800000001")).get() == person
