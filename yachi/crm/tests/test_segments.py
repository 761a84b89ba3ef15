"""Segments: criteria in AND / OR groups over a clinic's patients, validated, counted
live, saved, exported (audited, phones masked unless the role allows)."""

from datetime import date

import pytest
from django import forms
from django.urls import reverse

from tests import factories as f
from yachi.compliance.models import AuditEntry
from yachi.core.roles import ChainRole
from yachi.crm.segments import services
from yachi.crm.segments.definition import DefinitionInvalid
from yachi.crm.segments.models import Segment
from yachi.crm.segments.registry import _CRITERIA, Criterion, CriterionForm, register_criterion
from yachi.crm.segments.scope import Scope
from yachi.crm.tests.history import visit
from yachi.growth import facade as growth
from yachi.messaging.services import preference_update


def one(code, value, match="all"):
    return {
        "match": "all",
        "groups": [{"match": match, "criteria": [{"code": code, "value": value}]}],
    }


@pytest.fixture
def people(world):
    world.parent.gender, world.parent.birth_date = "female", date(1985, 3, 1)
    world.parent.save(update_fields=["gender", "birth_date"])
    visit(world, world.parent, world.cleaning_a, 200)
    visit(world, world.patient_child, world.cleaning_a, 30)
    visit(world, world.other, world.filling_a, 400)
    # Seen only at the other clinic: never part of clinic A's segments.
    stranger = f.patient_user("13800000077", name="徐汇患者").family_account.members.get(seat=0)
    visit(world, stranger, world.cleaning_b, 300)
    preference_update(user=world.other_patient, sms=True, wechat=True, marketing=False)
    growth.points_earn(
        user=world.patient_parent, points=300, reason="activity", idempotency_key="seg-1"
    )
    return world


def ids(world, definition):
    return services.segment_count(clinic=world.clinic_a, definition=definition)


def members(world, definition):
    from yachi.crm.segments.definition import definition_clean
    from yachi.crm.segments.engine import segment_patient_ids

    cleaned = definition_clean(definition, clinic=world.clinic_a)
    return segment_patient_ids(cleaned, Scope(clinic=world.clinic_a))


def test_criteria_join_by_and_within_a_group_and_or_across_groups(people):
    w = people
    lapsed = {"code": "last_visit", "value": {"when": "before", "days": 180}}
    women = {"code": "gender", "value": {"genders": ["female"]}}
    children = {"code": "age", "value": {"max_age": 12}}
    assert members(w, one("last_visit", lapsed["value"])) == {w.parent.pk, w.other.pk}
    both = {"match": "all", "groups": [{"match": "all", "criteria": [lapsed, women]}]}
    assert members(w, both) == {w.parent.pk}
    either = {
        "match": "any",
        "groups": [
            {"match": "all", "criteria": [lapsed, women]},
            {"match": "all", "criteria": [children]},
        ],
    }
    assert members(w, either) == {w.parent.pk, w.patient_child.pk}
    # No criteria: everyone seen at the clinic, and only there.
    assert members(w, {"match": "all", "groups": []}) == {
        w.parent.pk,
        w.patient_child.pk,
        w.other.pk,
    }


def test_treatments_points_and_consent_to_offers(people):
    w = people
    assert members(w, one("service", {"codes": ["cleaning"], "days": 365})) == {
        w.parent.pk,
        w.patient_child.pk,
    }
    assert members(w, one("service", {"codes": ["filling"]})) == {w.other.pk}
    # Points belong to the family's holder: the whole family has them.
    assert members(w, one("points", {"min_points": 100})) == {w.parent.pk, w.patient_child.pk}
    assert members(w, one("marketing", {"accepts": "no"})) == {w.other.pk}
    assert members(w, one("clinic", {"clinics": [str(w.clinic_a.public_id)]})) == {
        w.parent.pk,
        w.patient_child.pk,
        w.other.pk,
    }


@pytest.mark.parametrize(
    "definition",
    [
        None,
        {"match": "both", "groups": []},
        {
            "match": "all",
            "groups": [{"match": "all", "criteria": [{"code": "zodiac", "value": {}}]}],
        },
        one("last_visit", {"when": "before", "days": -3}),
        one("age", {"min_age": 40, "max_age": 20}),
        one("service", {"codes": ["not_a_service"]}),
        {"match": "all", "groups": [{"match": "all", "criteria": []}] * 9},
    ],
)
def test_malformed_definitions_are_refused_and_nothing_is_saved(world, definition):
    with pytest.raises(DefinitionInvalid):
        services.segment_save(
            actor=world.clinic_a_manager, clinic=world.clinic_a, name="x", definition=definition
        )
    assert not Segment.objects.exists()


def test_a_criterion_is_one_registration(people):
    class InitialForm(CriterionForm):
        letter = forms.CharField(max_length=1)

    register_criterion(
        Criterion(
            code="holder_only",
            label="家庭账户持有人",
            form=InitialForm,
            select=lambda value, scope: {
                pk
                for pk, p in scope.people.items()
                if p.owner_id and pk in {people.parent.pk, people.other.pk}
            },
        )
    )
    try:
        assert members(people, one("holder_only", {"letter": "x"})) == {
            people.parent.pk,
            people.other.pk,
        }
    finally:
        _CRITERIA.pop("holder_only")


def test_a_segment_is_counted_in_few_queries_however_many_criteria(
    people, django_assert_max_num_queries
):
    every = {
        "match": "all",
        "groups": [
            {
                "match": "any",
                "criteria": [
                    {"code": "last_visit", "value": {"when": "within", "days": 3650}},
                    {"code": "service", "value": {"codes": ["cleaning"]}},
                    {"code": "age", "value": {"min_age": 1}},
                    {"code": "gender", "value": {"genders": ["female", "male"]}},
                    {"code": "spend", "value": {"min_yuan": "0"}},
                    {"code": "points", "value": {"min_points": 0}},
                    {"code": "marketing", "value": {"accepts": "yes"}},
                ],
            }
        ],
    }
    with django_assert_max_num_queries(14):
        assert ids(people, every) == 3


def test_export_masks_phones_unless_the_role_allows_and_is_audited(people):
    w = people
    segment = services.segment_save(
        actor=w.clinic_a_manager,
        clinic=w.clinic_a,
        name="半年未到",
        definition=one("last_visit", {"when": "before", "days": 180}),
    )
    assert segment.last_count == 2
    masked = services.segment_export(actor=w.clinic_a_manager, segment=segment)
    assert "138****0001" in masked and "13800000001" not in masked
    operations = f.StaffFactory()
    f.chain_role(operations, w.chain, ChainRole.CHAIN_OPERATIONS)
    full = services.segment_export(actor=operations, segment=segment)
    assert "13800000001" in full
    entries = AuditEntry.objects.filter(action="segment_exported", object_id=str(segment.public_id))
    assert sorted(e.details["phones"] for e in entries) == ["full", "masked"]
    assert {e.details["count"] for e in entries} == {2}


def test_the_builder_counts_live_and_saves(client, people):
    w = people
    client.force_login(w.clinic_a_manager)
    count_url = reverse("console:crm_segment_count", args=[w.clinic_a.public_id])
    fields = {
        "name": "女性",
        "match": "all",
        "g-0-match": "all",
        "c-0-0-code": "gender",
        "c-0-0-genders": ["female"],
    }
    response = client.post(count_url, fields, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "1" in response.content.decode()
    bad = client.post(count_url, {**fields, "c-0-0-genders": ["neither"]}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 200 and 'class="error"' in bad.content.decode()
    new_url = reverse("console:crm_segment_new", args=[w.clinic_a.public_id])
    added = client.post(new_url, {**fields, "action": "add:0", "add-0": "age"})
    assert added.status_code == 200 and 'name="c-0-1-code" value="age"' in added.content.decode()
    saved = client.post(new_url, {**fields, "action": "save"})
    assert saved.status_code == 302
    segment = Segment.objects.get(name="女性")
    assert segment.definition == one("gender", {"genders": ["female"]}) and segment.last_count == 1
    export = client.get(
        reverse("console:crm_segment_export", args=[w.clinic_a.public_id, segment.public_id])
    )
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")


def test_front_desk_cannot_open_segments(client, world):
    client.force_login(world.clinic_a_front_desk)
    response = client.get(reverse("console:crm_segments", args=[world.clinic_a.public_id]))
    assert response.status_code == 403
