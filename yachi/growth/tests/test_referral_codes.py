from datetime import timedelta

from django.utils import timezone

from yachi.growth.facade import invite_code_for, invite_link_for
from yachi.growth.models import InviteCode


def test_a_patient_keeps_one_live_code_and_gets_a_new_one_when_it_expires(world, settings):
    settings.YACHI_INVITE_LINK_DAYS = 30
    user = world.patient_parent
    first = invite_code_for(user)
    assert invite_code_for(user) == first
    assert len(first) == 8
    row = InviteCode.objects.get(code=first)
    assert timedelta(days=29) < row.expires_at - timezone.now() <= timedelta(days=30)

    later = timezone.now() + timedelta(days=31)
    second = invite_code_for(user, now=later)
    assert second != first
    assert InviteCode.objects.filter(owner=user).count() == 2


def test_the_link_carries_the_code(world, settings):
    settings.YACHI_PUBLIC_URL = "https://yachi.example"
    code = invite_code_for(world.patient_parent)
    assert invite_link_for(world.patient_parent) == f"https://yachi.example/i/{code}/"


def test_codes_of_two_patients_differ(world):
    assert invite_code_for(world.patient_parent) != invite_code_for(world.other_patient)
