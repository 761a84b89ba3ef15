"""Dates, decimals and JSON kept encrypted, a whole-value search through blind indexes,
and the refusal to sort or search ciphertext (in queries, in models, in the admin)."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import models
from django.db.migrations.writer import MigrationWriter
from django.test.utils import isolate_apps

from yachi.compliance.checks import check_admin_pages, check_encrypted_models, queryset_errors
from yachi.compliance.errors import EncryptedLookupRefused
from yachi.compliance.fields import (
    EncryptedCharField,
    EncryptedDateField,
    EncryptedDecimalField,
    EncryptedJSONField,
)
from yachi.compliance.tests.conftest import raw_column
from yachi.compliance.tests.models import Note, Person

pytestmark = pytest.mark.django_db


def test_a_date_a_decimal_and_json_come_back_as_they_were_saved():
    person = Person.objects.create(
        born=date(2019, 5, 1),
        latitude=Decimal("31.2304"),
        extra={"child": "张小宝", "time": "10:30"},
    )
    person = Person.objects.get(pk=person.pk)
    assert person.born == date(2019, 5, 1)
    assert person.latitude == Decimal("31.230400") and str(person.latitude) == "31.230400"
    assert person.extra == {"child": "张小宝", "time": "10:30"}
    assert list(Person.objects.values_list("born", flat=True)) == [date(2019, 5, 1)]


def test_their_columns_hold_ciphertext_only():
    person = Person.objects.create(
        born=date(2019, 5, 1), latitude=31.2304, extra={"child": "张小宝"}
    )
    for field in ("born", "latitude", "extra"):
        stored = raw_column(Person, field, person.pk)
        assert stored.startswith("sm4gcm:v1:")
        assert "2019" not in stored and "31.23" not in stored and "张小宝" not in stored


def test_null_stays_null_for_the_typed_fields_too():
    person = Person.objects.create()
    assert raw_column(Person, "born", person.pk) is None
    assert raw_column(Person, "extra", person.pk) is None
    person.refresh_from_db()
    assert (person.born, person.latitude, person.extra) == (None, None, None)
    assert Person.objects.filter(born__isnull=True).get() == person


@pytest.mark.parametrize(
    "search",
    [
        {"born__gt": date(2013, 1, 1)},
        {"born__year": 2019},
        {"latitude__lte": 31},
        {"extra__child": "张小宝"},
        {"extra__has_key": "child"},
    ],
)
def test_comparing_or_looking_inside_them_in_the_database_is_refused(search):
    Person.objects.create(born=date(2019, 5, 1), latitude=31, extra={"child": "张小宝"})
    with pytest.raises(EncryptedLookupRefused):
        Person.objects.filter(**search).exists()


def test_a_rotation_reencrypts_the_typed_fields_too(use_keys):
    from yachi.compliance.services import data_key_rotate, values_reencrypt
    from yachi.compliance.tests.conftest import new_master_key

    use_keys(new_master_key("k1"))
    person = Person.objects.create(born=date(2019, 5, 1), latitude=31.23, extra={"a": "b"})
    before = raw_column(Person, "born", person.pk)
    data_key_rotate()
    values_reencrypt()
    assert raw_column(Person, "born", person.pk).split(":")[2] != before.split(":")[2]
    person.refresh_from_db()
    assert (person.born, person.latitude, person.extra) == (
        date(2019, 5, 1),
        Decimal("31.230000"),
        {"a": "b"},
    )


def test_the_typed_fields_survive_a_migration_round_trip():
    for field in (
        EncryptedDateField(null=True, blank=True),
        EncryptedDecimalField(max_digits=9, decimal_places=6),
        EncryptedJSONField(default=dict),
    ):
        _, path, args, kwargs = field.deconstruct()
        rebuilt = type(field)(*args, **kwargs)
        assert rebuilt.deconstruct()[1:] == (path, args, kwargs)
        MigrationWriter.serialize(field)


# --- whole-value search through a blind index ---------------------------------------------


def test_a_search_term_finds_the_rows_whose_value_it_is_however_it_is_written():
    mother = Person.objects.create(name="张妈妈", phone="13800000001")
    Person.objects.create(name="李爸爸", phone="13800000002")
    assert list(Person.objects.filter(phone_index__matches="+86 138-0000-0001")) == [mother]


def test_a_term_the_normalization_refuses_matches_nothing_instead_of_failing():
    Person.objects.create(phone="13800000001")
    assert not Person.objects.filter(phone_index__matches="张妈妈").exists()
    either = Person.objects.filter(
        models.Q(phone_index__matches="张妈妈") | models.Q(phone_index__matches="13800000001")
    )
    assert either.count() == 1


# --- no sorting of ciphertext ---------------------------------------------------------------


@pytest.mark.parametrize(
    "ordering", ["phone", "-born", "person__phone", models.F("latitude").desc()]
)
def test_ordering_by_an_encrypted_field_is_refused_instead_of_silently_wrong(ordering):
    queryset = Note.objects if "person__" in str(ordering) else Person.objects
    with pytest.raises(EncryptedLookupRefused, match="cannot sort"):
        queryset.order_by(ordering)


def test_ordering_by_plain_fields_still_works():
    Person.objects.create(name="b")
    Person.objects.create(name="a")
    assert [p.name for p in Person.objects.order_by("name", "-pk")] == ["a", "b"]


@isolate_apps("yachi.compliance.tests")
def test_a_model_ordered_by_an_encrypted_field_or_without_the_queryset_is_reported():
    class Visit(models.Model):
        note = EncryptedCharField(max_length=20)

        class Meta:
            ordering = ["-note"]

        def __str__(self) -> str:
            return f"visit {self.pk}"

    assert "compliance.E003" in {error.id for error in Visit.check()}
    assert [error.id for error in queryset_errors(Visit)] == ["compliance.E006"]


def test_every_model_with_encrypted_fields_refuses_sorting_them():
    assert check_encrypted_models() == []


def test_an_admin_that_would_search_or_sort_ciphertext_is_reported():
    class CarelessAdmin(admin.ModelAdmin):
        search_fields = ("phone", "name")
        list_display = ("name", "phone")
        list_filter = ("born",)
        ordering = ("-phone",)

    registry = {Person: CarelessAdmin(Person, admin.site)}
    found = {(error.id, error.msg.split(" ")[0]) for error in check_admin_pages(registry=registry)}
    assert found == {
        ("compliance.E004", "search_fields"),
        ("compliance.E005", "ordering"),
        ("compliance.E005", "list_filter"),
        ("compliance.E005", "list_display"),
    }
    shown = [e.msg for e in check_admin_pages(registry=registry) if "list_display" in e.msg]
    assert len(shown) == 1 and "'phone'" in shown[0]  # the name is not encrypted here


def test_the_registered_admin_pages_search_and_sort_no_ciphertext():
    assert check_admin_pages() == []
