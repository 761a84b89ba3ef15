"""A small demo chain built by the same code as the full one: the plan lands in the
database whole, encrypted where it must be, with money and points that add up and an
audit trail that verifies."""

import io
from collections import Counter
from datetime import datetime

import pytest
from django.db import connection
from django.db.models import Sum

from yachi.demo.builder import build_demo, demo_plan
from yachi.demo.plan import CANCELLED, ZONE

NOW = datetime(2026, 12, 1, 15, 30, tzinfo=ZONE)
FAMILIES = 40


@pytest.fixture
def built(db, settings):
    out = io.StringIO()
    summary = build_demo(
        seed=11, now=NOW, families=FAMILIES, log=lambda line: out.write(line + "\n")
    )
    return summary, demo_plan(seed=11, now=NOW, families=FAMILIES), out.getvalue()


def test_a_small_chain_is_the_plan_written_down(built):
    from yachi.booking.models import Appointment
    from yachi.patients.choices import Acquisition
    from yachi.patients.models import ClinicalNote, FamilyAccount, Patient
    from yachi.rostering.models import ShiftException

    summary, plan, output = built
    assert summary.patients == FAMILIES and summary.appointments == len(plan.visits)
    assert Patient.objects.count() == len(plan.people)
    assert ShiftException.objects.filter(kind="leave").count() == len(plan.leave)
    came = Counter(FamilyAccount.objects.values_list("acquisition", flat=True))
    assert came == Counter(f.acquisition for f in plan.families)
    assert set(came) <= set(Acquisition.values) and len(came) > 3
    assert ClinicalNote.objects.count() == sum(v.noted for v in plan.visits)
    stored = {
        a.public_id: (a.status, a.start, a.channel)
        for a in Appointment.objects.only("public_id", "status", "start", "channel")
    }
    assert stored == {v.public_id: (v.status, v.start, v.channel) for v in plan.visits}
    away = set(ShiftException.objects.values_list("doctor__user__name", "date"))
    assert not [
        a
        for a in Appointment.objects.exclude(status=CANCELLED).select_related("doctor__user")
        if (a.doctor.user.name, a.start.astimezone(ZONE).date()) in away
    ]
    # The front desk finds a patient of the year by name, and by pinyin initials.
    from pypinyin import lazy_pinyin

    from yachi.accounts.models import User
    from yachi.patients.selectors import patients_search

    admin = User.objects.get(is_superuser=True)
    seen = {v.person for v in plan.visits if v.status == "completed"}
    person = plan.people[min(seen)]
    assert person.name in {p.name for p in patients_search(actor=admin, term=person.name)}
    initials = "".join(reading[0] for reading in lazy_pinyin(person.name))
    assert person.name in {p.name for p in patients_search(actor=admin, term=initials)}
    # One line a step when the output is not a terminal.
    assert "patient accounts" in output and "days of doctors' leave" in output


def names_notes_and_dates_of_birth_are_stored_encrypted(built):
    from yachi.patients.models import ClinicalNote, Patient

    _, plan, _ = built
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, birth_date FROM patients_patient")
        rows = cursor.fetchall()
        cursor.execute("SELECT diagnosis FROM patients_clinicalnote")
        notes = cursor.fetchall()
    names = {p.name for p in plan.people}
    assert rows and not {name for name, _ in rows} & names
    assert all(value.startswith("sm4gcm:") for row in rows for value in row)
    assert all(value.startswith("sm4gcm:") for (value,) in notes)
    # Read back through the field code, they are the plan's.
    assert sorted(p.name for p in Patient.objects.all()) == sorted(p.name for p in plan.people)
    assert {p.birth_date for p in Patient.objects.all()} == {p.birth_date for p in plan.people}
    assert all(note.diagnosis for note in ClinicalNote.objects.all())


def the_money_adds_up_and_the_audit_trail_verifies(built):
    from yachi.booking.models import Appointment
    from yachi.compliance.audit import audit_verify
    from yachi.growth.models import PointsAccount, PointsEntry
    from yachi.payments.models import Bill, PaymentIntent, Refund

    _, plan, _ = built
    assert audit_verify().intact
    completed = Appointment.objects.filter(status="completed", price_fen__gt=0)
    billed = set(Bill.objects.exclude(appointment=None).values_list("appointment_id", flat=True))
    assert set(completed.values_list("pk", flat=True)) <= billed
    for intent in PaymentIntent.objects.annotate(held=Sum("entries__amount_fen")):
        reserved = sum(
            intent.refunds.filter(status="awaiting").values_list("amount_fen", flat=True)
        )
        expected = intent.amount_fen - intent.refunded_fen + reserved if intent.paid_at else 0
        assert (intent.held or 0) == expected, intent.description
    assert Refund.objects.filter(status="succeeded").exists()
    assert PaymentIntent.objects.filter(purpose="deposit").count() == sum(
        1 for v in plan.visits if v.deposit
    )
    assert PaymentIntent.objects.filter(purpose="shop_order").count() >= len(plan.orders)
    for account in PointsAccount.objects.all():
        total = PointsEntry.objects.filter(user_id=account.user_id).aggregate(s=Sum("delta"))["s"]
        assert account.balance == total >= 0
    assert not PointsEntry.objects.filter(balance_after__lt=0).exists()
