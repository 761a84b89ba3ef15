"""Recording on the tooth chart: doctors only, history never overwritten, reads audited."""

from datetime import date

import pytest
from django.db import DatabaseError, connection, transaction

from conftest import tomorrow_at
from yachi.booking.services import appointments_book
from yachi.clinical import services
from yachi.clinical.access import chart_access, chart_write_access
from yachi.clinical.models import ChartEntry
from yachi.compliance.models import AuditEntry
from yachi.core.errors import InvalidInput, NotFound, PermissionDenied


@pytest.fixture
def seen(world):
    """The parent and the child have a visit at clinic A."""
    return appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(10),
        patients=[world.parent, world.patient_child],
    ).appointments


def record(world, patient, **finding):
    actor = world.clinic_a_doctor.user
    patient, clinic_ids = chart_write_access(actor=actor, patient_id=patient.public_id)
    return services.finding_record(actor=actor, patient=patient, clinic_ids=clinic_ids, **finding)


def test_a_doctor_records_caries_and_the_chart_shows_it_with_dmft(world, seen):
    record(world, world.parent, tooth="16", kind="caries", surfaces="od", note="远中深龋")
    access = chart_access(actor=world.patient_parent, patient_id=world.parent.public_id)
    chart = services.chart_read(actor=world.patient_parent, access=access)
    tooth = chart.tooth("16")
    assert tooth.surfaces == {"O": "caries", "D": "caries"}
    assert tooth.findings[0].note == "远中深龋" and tooth.findings[0].doctor == "王医生"
    assert chart.dmft.total == 1
    assert tooth.risk.level == "high"


def test_a_later_filling_replaces_caries_but_the_entry_stays(world, seen):
    record(world, world.parent, tooth="26", kind="caries", surfaces="O", seen_on=date(2026, 1, 5))
    record(world, world.parent, tooth="26", kind="filling", surfaces="O")
    access = chart_access(actor=world.patient_parent, patient_id=world.parent.public_id)
    tooth = services.chart_read(actor=world.patient_parent, access=access).tooth("26")
    assert tooth.surfaces == {"O": "filling"}
    assert [f.kind for f in tooth.findings] == ["filling", "caries"]


def test_chart_entries_cannot_be_updated_in_the_database(world, seen):
    entry = record(world, world.parent, tooth="36", kind="crown")
    with pytest.raises(DatabaseError), transaction.atomic():
        ChartEntry.objects.filter(pk=entry.pk).update(kind="missing")
    assert ChartEntry.objects.get(pk=entry.pk).kind == "crown"


def test_a_withdrawn_finding_leaves_the_chart_but_not_the_history(world, seen):
    entry = record(world, world.parent, tooth="46", kind="caries", surfaces="B")
    actor = world.clinic_a_doctor.user
    patient, clinic_ids = chart_write_access(actor=actor, patient_id=world.parent.public_id)
    services.finding_withdraw(
        actor=actor, patient=patient, clinic_ids=clinic_ids, entry=entry, reason="记错牙位"
    )
    access = chart_access(actor=actor, patient_id=world.parent.public_id)
    tooth = services.chart_read(actor=actor, access=access).tooth("46")
    assert tooth.surfaces == {}
    assert sorted(f.withdrawn for f in tooth.findings) == [False, True]


def test_notes_are_stored_encrypted(world, seen):
    record(world, world.parent, tooth="11", kind="fracture", note="切端缺损")
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM clinical_chartentry")
        (stored,) = cursor.fetchone()
    assert stored.startswith("sm4gcm:") and "缺损" not in stored


def test_staff_reads_and_writes_are_audited_but_the_patients_own_read_is_not(world, seen):
    record(world, world.parent, tooth="21", kind="sealant", surfaces="O")
    desk = world.clinic_a_front_desk
    services.chart_read(
        actor=desk, access=chart_access(actor=desk, patient_id=world.parent.public_id)
    )
    mine = chart_access(actor=world.patient_parent, patient_id=world.parent.public_id)
    services.chart_read(actor=world.patient_parent, access=mine)
    actions = list(AuditEntry.objects.order_by("seq").values_list("action", "actor_id"))
    assert ("clinical_write", world.clinic_a_doctor.user.pk) in actions
    assert ("clinical_read", desk.pk) in actions
    assert ("clinical_read", world.patient_parent.pk) not in actions


def test_bad_findings_are_refused_and_nothing_is_written(world, seen):
    for bad in (
        {"tooth": "19", "kind": "caries", "surfaces": "O"},
        {"tooth": "16", "kind": "caries", "surfaces": ""},
        {"tooth": "16", "kind": "caries", "surfaces": "X"},
        {"tooth": "16", "kind": "cavity"},
        {"tooth": "16", "kind": "exfoliated"},
        {"tooth": "16", "kind": "crown", "seen_on": date(2999, 1, 1)},
    ):
        with pytest.raises(InvalidInput):
            record(world, world.parent, **bad)
    assert not ChartEntry.objects.exists()


def test_front_desk_cannot_record_and_other_clinics_staff_do_not_see_the_patient(world, seen):
    with pytest.raises(PermissionDenied):
        chart_write_access(actor=world.clinic_a_front_desk, patient_id=world.parent.public_id)
    with pytest.raises(NotFound):
        chart_access(actor=world.clinic_b_front_desk, patient_id=world.parent.public_id)
    with pytest.raises(NotFound):
        chart_access(actor=world.other_patient, patient_id=world.parent.public_id)


def test_a_childs_chart_shows_primary_teeth_and_a_shed_tooth_makes_room(world, seen):
    record(world, world.patient_child, tooth="51", kind="exfoliated")
    record(world, world.patient_child, tooth="11", kind="erupted")
    access = chart_access(actor=world.patient_parent, patient_id=world.patient_child.public_id)
    chart = services.chart_read(actor=world.patient_parent, access=access, today=date(2026, 12, 1))
    shown = {t.tooth for t in chart.teeth if t.present}
    assert "11" in shown and "51" not in shown and "55" in shown and "16" in shown
    assert chart.dmft_primary.total == 0
