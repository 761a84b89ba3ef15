"""The tooth chart feeds the children's milestone reminders."""

from datetime import date

from yachi.clinical.models import ChartEntry
from yachi.messaging.models import Notification
from yachi.patients.reminders import send_child_milestones


def chart(world, child, tooth, kind, surfaces=""):
    return ChartEntry.objects.create(
        patient=child,
        clinic=world.clinic_a,
        doctor=world.clinic_a_doctor,
        tooth=tooth,
        kind=kind,
        surfaces=surfaces,
        seen_on=date(2026, 3, 1),
    )


def keys(world) -> str:
    return " ".join(
        Notification.objects.filter(
            kind="child_milestone", recipient=world.patient_parent
        ).values_list("idempotency_key", flat=True)
    )


def test_an_erupted_first_molar_brings_the_sealant_reminder_before_its_age(world):
    child = world.patient_child  # born 2019-05-01: five, before the sealant age
    chart(world, child, "36", "erupted")
    send_child_milestones(today=date(2024, 12, 3))
    assert f"milestone:first_molar_sealant:{child.public_id}" in keys(world)


def test_a_sealed_molar_brings_no_sealant_reminder(world):
    child = world.patient_child
    chart(world, child, "36", "erupted")
    chart(world, child, "36", "sealant", "O")
    send_child_milestones(today=date(2024, 12, 3))
    assert f"milestone:first_molar_sealant:{child.public_id}" not in keys(world)


def test_a_primary_incisor_still_there_long_after_its_age_brings_a_check_up(world):
    child = world.patient_child  # eight and a half on 2027-11-03
    chart(world, child, "51", "caries", "M")
    send_child_milestones(today=date(2027, 11, 3))
    assert f"milestone:primary_tooth_late:{child.public_id}" in keys(world)


def test_a_shed_primary_tooth_is_not_late(world):
    child = world.patient_child
    chart(world, child, "51", "caries", "M")
    chart(world, child, "51", "exfoliated")
    send_child_milestones(today=date(2027, 11, 3))
    assert f"milestone:primary_tooth_late:{child.public_id}" not in keys(world)
