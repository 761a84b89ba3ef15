"""The repurchase playbook: the shipped rules, once per occurrence, within consent, with
a deterministic holdout, the follow-up calls, the effect, and ``yachi sop run``."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from yachi.crm.playbook import selectors, services, stats
from yachi.crm.playbook.models import FollowUpTask, Rule, Touch
from yachi.crm.tests.history import service, visit
from yachi.growth.models import Coupon, PointsEntry
from yachi.messaging.models import Notification
from yachi.messaging.services import preference_update


def rule(world, code) -> Rule:
    services.rules_seed(clinic=world.clinic_a)
    found = Rule.objects.get(clinic=world.clinic_a, code=code)
    found.holdout_percent = 0
    found.save(update_fields=["holdout_percent"])
    return found


def test_every_clinic_starts_with_the_four_rules_in_chinese(world):
    assert services.rules_seed(clinic=world.clinic_a) == 4
    assert services.rules_seed(clinic=world.clinic_a) == 0
    rules = {r.code: r for r in Rule.objects.filter(clinic=world.clinic_a)}
    assert set(rules) == {
        "cleaning_recall",
        "implant_maintenance",
        "extraction_follow_up",
        "birthday",
    }
    assert (
        rules["cleaning_recall"].days_after == 180
        and rules["cleaning_recall"].holdout_percent == 10
    )
    assert "洁牙" in rules["cleaning_recall"].name and "7折" in rules["cleaning_recall"].text
    from yachi.growth.facade import promotion_hits

    assert all(promotion_hits({"text": r.text}) == [] for r in rules.values())


def test_cleaning_recall_reaches_once_with_the_coupon_and_skips_who_refused(world):
    recall = rule(world, "cleaning_recall")
    visit(world, world.parent, world.cleaning_a, 180)
    visit(world, world.other, world.cleaning_a, 182)
    # Cleaned 180 days ago but booked again since: not recalled.
    visit(world, world.patient_child, world.cleaning_a, 180)
    visit(world, world.patient_child, world.cleaning_a, -3, status="booked")
    preference_update(user=world.other_patient, sms=True, wechat=True, marketing=False)
    result = services.rule_run(recall)
    assert (result.reached, result.skipped, result.held_out) == (1, 1, 0)
    assert (
        Coupon.objects.filter(owner=world.patient_parent, template__name="洁牙7折券").count() == 1
    )
    assert Notification.objects.filter(
        kind="crm_care_reminder", recipient=world.patient_parent
    ).exists()
    again = services.rule_run(recall)
    assert (again.reached, again.skipped, again.held_out) == (0, 0, 0)
    assert Coupon.objects.filter(template__name="洁牙7折券").count() == 1


def test_implant_maintenance_comes_every_year(world):
    implant = service(world.clinic_a, "implant", "种植牙")
    maintenance = rule(world, "implant_maintenance")
    visit(world, world.parent, implant, 365 * 2)
    visit(world, world.other, implant, 300)
    services.rule_run(maintenance)
    assert list(Touch.objects.values_list("patient_id", "occurrence")) == [
        (world.parent.pk, f"visit:{world.parent.appointments.get().public_id}:1")
    ]


def test_a_follow_up_call_is_asked_three_days_after_an_extraction(client, world):
    extraction = service(world.clinic_a, "wisdom_tooth_extraction", "拔智齿")
    follow = rule(world, "extraction_follow_up")
    visit(world, world.other, extraction, 3)
    # Not a promotion: whoever refused offers still gets the call.
    preference_update(user=world.other_patient, sms=True, wechat=True, marketing=False)
    assert services.rule_run(follow).reached == 1
    task = FollowUpTask.objects.get()
    assert task.due_on == timezone.localdate() and task.service_name == "拔智齿"
    client.force_login(world.clinic_a_front_desk)
    page = client.get(
        reverse("console:crm_follow_up", args=[world.clinic_a.public_id, task.public_id])
    )
    assert page.status_code == 200 and "13800000002" in page.content.decode()
    listed = client.get(reverse("console:crm_follow_ups", args=[world.clinic_a.public_id]))
    assert "138****0002" in listed.content.decode()
    done = client.post(page.request["PATH_INFO"], {"outcome": "well", "note": "无肿胀，已嘱软食"})
    assert done.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.outcome, task.note) == ("done", "well", "无肿胀，已嘱软食")


def test_a_birthday_brings_points_once(world):
    birthday = rule(world, "birthday")
    today = timezone.localdate()
    world.parent.birth_date = date(1990, today.month, min(today.day, 28))
    world.parent.save(update_fields=["birth_date"])
    visit(world, world.parent, world.cleaning_a, 40)
    if today.day > 28:
        pytest.skip("the test's birthday is the 28th at most")
    assert services.rule_run(birthday).reached == 1
    assert services.rule_run(birthday).reached == 0
    assert PointsEntry.objects.filter(user=world.patient_parent, delta=200).count() == 1
    assert Notification.objects.filter(kind="crm_birthday").exists()


def test_the_holdout_is_left_alone_and_the_effect_compares_the_two(world):
    recall = rule(world, "cleaning_recall")
    recall.holdout_percent = 50
    recall.save(update_fields=["holdout_percent"])
    from tests import factories as f

    patients = []
    for n in range(24):
        member = f.patient_user(f"1370000{n:04d}", name=f"患者{n}").family_account.members.get(
            seat=0
        )
        visit(world, member, world.cleaning_a, 215)
        patients.append(member)
    past = timezone.now() - timedelta(days=35)
    scope_day = timezone.localdate() - timedelta(days=35)
    from yachi.crm.segments.scope import Scope

    result = services.rule_run(
        recall, scope=Scope(clinic=world.clinic_a, today=scope_day), now=past
    )
    assert result.reached + result.held_out == 24 and result.held_out > 0
    held = {t.patient_id for t in Touch.objects.filter(group="holdout")}
    assert held == {
        p.pk for p in patients if stats.in_holdout(str(recall.public_id), str(p.public_id), 50)
    }
    assert not Coupon.objects.filter(owner__family_account__members__pk__in=held).exists()
    # Three reached patients booked within 30 days of the message, one held-out patient did.
    reached = [p for p in patients if p.pk not in held]
    for member in [*reached[:3], next(p for p in patients if p.pk in held)]:
        visit(world, member, world.cleaning_a, 25, booked_days_before=2)
    effect = selectors.rule_effects([recall])[recall.pk]
    assert (effect.reached_booked, effect.holdout_booked) == (3, 1)
    assert effect.difference == pytest.approx(3 / len(reached) - 1 / len(held))


def test_sop_run_prints_each_rule_reached_skipped_and_held_out(world):
    rule(world, "cleaning_recall")
    visit(world, world.parent, world.cleaning_a, 181)
    out = StringIO()
    call_command("sop", "run", "--clinic", str(world.clinic_a.public_id), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "clinic\trule\treached\tskipped\theld_out"
    assert "静安店\tcleaning_recall\t1\t0\t0" in lines
    assert len(lines) == 5
    again = StringIO()
    call_command("sop", "run", "--clinic", str(world.clinic_a.public_id), stdout=again)
    assert "静安店\tcleaning_recall\t0\t0\t0" in again.getvalue().splitlines()


def test_managers_edit_a_rule_and_see_the_effects(client, world):
    recall = rule(world, "cleaning_recall")
    client.force_login(world.clinic_a_manager)
    page = client.get(reverse("console:crm_playbook", args=[world.clinic_a.public_id]))
    assert page.status_code == 200 and recall.name in page.content.decode()
    url = reverse("console:crm_rule", args=[world.clinic_a.public_id, recall.public_id])
    refused = client.post(
        url,
        {
            "name": recall.name,
            "active": "on",
            "days_after": 150,
            "repeat_days": 0,
            "text": "全国第一的洁牙，100%有效",
            "holdout_percent": 10,
        },
    )
    assert refused.status_code == 200
    recall.refresh_from_db()
    assert recall.days_after == 180
    saved = client.post(
        url,
        {
            "name": recall.name,
            "active": "on",
            "days_after": 150,
            "repeat_days": 0,
            "text": recall.text,
            "holdout_percent": 20,
        },
    )
    assert saved.status_code == 302
    recall.refresh_from_db()
    assert (recall.days_after, recall.holdout_percent) == (150, 20)
    client.force_login(world.clinic_a_front_desk)
    assert client.get(url).status_code == 403
