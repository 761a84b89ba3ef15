"""A small demo chain built by the same code as the full one: the plan lands in the
database whole, encrypted where it must be, with money and points that add up and an
audit trail that verifies."""

import io
from collections import Counter
from datetime import datetime, timedelta

import pytest
from django.db import connection, transaction
from django.db.models import Sum

from yachi.demo.builder import build_demo, demo_plan
from yachi.demo.plan import CANCELLED, ZONE

NOW = datetime(2026, 12, 1, 15, 30, tzinfo=ZONE)
FAMILIES = 40


@pytest.fixture(scope="module")
def _built_once(django_db_setup, django_db_blocker):
    """One build for the module's tests, in a transaction rolled back at the module's end:
    each test's own transaction is a savepoint within it, so what a test changes is gone
    before the next one reads the chain."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            out = io.StringIO()
            summary = build_demo(
                seed=11, now=NOW, families=FAMILIES, log=lambda line: out.write(line + "\n")
            )
            yield summary, demo_plan(seed=11, now=NOW, families=FAMILIES), out.getvalue()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def built(_built_once, db):
    return _built_once


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
    from yachi.queueing.models import Ticket

    # Today's visits the front desk checked in afterwards moved on through the queue.
    queued = set(Ticket.objects.values_list("appointment__public_id", flat=True))
    stored = {
        a.public_id: (a.status if a.public_id not in queued else "booked", a.start, a.channel)
        for a in Appointment.objects.exclude(service__kind="video").only(
            "public_id", "status", "start", "channel"
        )
    }
    assert stored == {v.public_id: (v.status, v.start, v.channel) for v in plan.visits}
    # Beside the plan, the first patient's two video follow-ups, booked by the desk.
    video = Appointment.objects.filter(service__kind="video")
    assert video.count() == 2
    assert {a.chair_id for a in video} == {None}
    assert {a.patient.account.owner.phone for a in video} == {"13800000001"}
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
    # A running group-buy with a forming and a confirmed group; a challenge with streaks.
    from yachi.booking.models import ServiceVoucher
    from yachi.growth.models import ChallengeEntry, ChallengeReward, Group

    assert sorted(Group.objects.values_list("status", "paid_count")) == [("full", 3), ("open", 2)]
    assert ServiceVoucher.objects.filter(source__startswith="growth.group_member:").count() == 3
    assert ChallengeEntry.objects.filter(best_streak__gte=4).count() >= 2
    assert ChallengeReward.objects.count() == 1


def test_names_notes_and_dates_of_birth_are_stored_encrypted(built):
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


def test_the_money_adds_up_and_the_audit_trail_verifies(built):
    from yachi.booking.models import Appointment
    from yachi.compliance.audit import audit_verify
    from yachi.growth.models import PointsAccount, PointsEntry
    from yachi.payments.models import Bill, PaymentIntent, Refund
    from yachi.queueing.models import Ticket

    _, plan, _ = built
    assert audit_verify().intact
    completed = Appointment.objects.filter(status="completed", price_fen__gt=0)
    billed = set(Bill.objects.exclude(appointment=None).values_list("appointment_id", flat=True))
    # Every visit completed is billed, but today's that the queue has just finished: those
    # patients are on their way to the desk to pay.
    just_finished = Ticket.objects.filter(status="finished").values_list("appointment_id")
    assert set(completed.exclude(pk__in=just_finished).values_list("pk", flat=True)) <= billed
    assert completed.filter(pk__in=just_finished).exists()
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


def test_the_demo_invites_in_chains_and_holds_a_farms_rewards(built):
    from yachi.growth.facade import points_balance
    from yachi.growth.models import Referral, ReferralReward, RiskReview
    from yachi.growth.referrals import stats

    _, _, output = built
    assert "referrals in chains of two levels" in output
    levels = set(ReferralReward.objects.values_list("level", "status"))
    assert {(1, "paid"), (2, "paid"), (1, "held")} <= levels
    held = RiskReview.objects.filter(status="held")
    assert held.exists() and all(
        "device_shared" in {r["rule"] for r in review.reasons} for review in held
    )
    first = Referral.objects.order_by("created_at").first().inviter
    assert stats.reach_of_inviter(first.pk, exact=True) == stats.Reach(3, 2)
    assert points_balance(user=first) >= 2 * 500 + 200
    assert Referral.objects.filter(status="refused_existing").count() == 1


def test_todays_queues_hold_tickets_in_several_states(built):
    from yachi.queueing.models import QueueEvent, Ticket

    statuses = set(Ticket.objects.values_list("status", flat=True))
    assert {"finished", "in_treatment", "called", "waiting"} <= statuses
    assert {"appointment", "walk_in"} <= set(Ticket.objects.values_list("kind", flat=True))
    seqs = list(QueueEvent.objects.order_by("clinic_id", "seq").values_list("clinic_id", "seq"))
    for clinic_id in {c for c, _ in seqs}:
        mine = [s for c, s in seqs if c == clinic_id]
        assert mine == list(range(1, len(mine) + 1))


def test_managers_find_a_no_show_model_a_policy_and_scored_visits(built):
    from yachi.booking.models import Appointment
    from yachi.crm.noshow.models import NoShowModel, NoShowPolicy, NoShowScore

    _summary, plan, log = built
    chain = NoShowModel.objects.get(clinic__isnull=True)
    assert chain.no_shows > 0 and chain.samples > chain.no_shows
    assert NoShowPolicy.objects.filter(require_deposit=True).count() == 1
    upcoming = Appointment.objects.filter(
        start__gt=NOW, start__lt=NOW + timedelta(days=14), status__in=("booked", "pending")
    ).exclude(channel__in=("walk_in", "emergency"))
    assert NoShowScore.objects.count() == upcoming.count() > 0
    assert "no-show models" in log
    # The year's no-shows follow habits and circumstances, not a coin toss: some
    # patients missed more than once.
    missed = Counter(v.person for v in plan.visits if v.status == "no_show")
    assert max(missed.values()) >= 2


def test_demo_patients_have_tooth_charts_and_treatment_plans_some_under_way(built):
    from yachi.clinical.models import ChartEntry, PlanAcceptance, PlanItem, TreatmentPlan

    _summary, _plan, output = built
    assert "treatment plans" in output
    titles = set(TreatmentPlan.objects.values_list("title", flat=True))
    assert {"补牙", "种植修复", "隐形矫正"} <= titles
    statuses = set(TreatmentPlan.objects.values_list("status", flat=True))
    assert {"proposed", "accepted", "in_progress"} <= statuses
    accepted = TreatmentPlan.objects.filter(status__in=["accepted", "in_progress"])
    assert PlanAcceptance.objects.filter(plan__in=accepted).count() == accepted.count()
    done = PlanItem.objects.filter(status="done")
    assert done.exists() and all(item.payment_id for item in done)
    for item in done:
        assert item.payment.amount_fen == item.unit_fen * item.quantity
    assert ChartEntry.objects.filter(plan_item__in=done).exists()
    for plan in TreatmentPlan.objects.all()[:5]:
        total = sum(i.unit_fen * i.quantity for i in PlanItem.objects.filter(phase__plan=plan))
        assert plan.total_fen == total


def test_a_few_patients_have_synthetic_xrays_and_one_study_waits_for_staff(built):
    from yachi.imaging.models import Image, Study
    from yachi.imaging.selectors import image_bytes

    _summary, _plan, log = built
    matched = Study.objects.filter(patient__isnull=False)
    assert matched.values("patient").distinct().count() >= 2
    assert {"IO", "PX", "CT"} <= set(matched.values_list("modality", flat=True))
    assert Study.objects.filter(patient__isnull=True).count() == 1
    # Labelled as synthetic wherever they are shown: the description and the file itself.
    assert all("synthetic" in s.description for s in Study.objects.all())
    assert b"synthetic demo image" in image_bytes(Image.objects.first())
    assert "synthetic X-ray studies" in log


def test_a_few_patients_have_synthetic_scans_and_one_an_aligner_staging(built):
    from yachi.imaging.models import ArchSetup, Scan
    from yachi.imaging.scans.services import scan_glb

    _summary, _plan, log = built
    assert Scan.objects.values("patient").distinct().count() >= 2
    assert all(scan.synthetic and "合成" in scan.description for scan in Scan.objects.all())
    assert scan_glb(Scan.objects.first())[:4] == b"glTF"
    (setup,) = ArchSetup.objects.all()
    # The aligner patient has scans on two dates to compare, before and during treatment.
    assert Scan.objects.filter(patient=setup.patient).values("taken_on").distinct().count() == 2
    assert "synthetic intraoral scans" in log


def test_the_first_clinic_settles_with_medical_insurance_and_has_a_claim(built):
    from yachi.insurance.claims.models import ClaimCase
    from yachi.insurance.medical.models import CatalogueMapping, Settlement

    assert CatalogueMapping.objects.count() == 6
    statuses = sorted(Settlement.objects.values_list("status", flat=True))
    assert statuses == ["reversed", "settled", "settled"]
    claim = ClaimCase.objects.get()
    assert claim.status == "approved" and claim.documents.filter(kind="xray").exists()


def test_demo_bitewings_carry_caries_marks_some_reviewed_for_the_dashboard(built):
    from yachi.imaging.caries.selectors import agreement
    from yachi.imaging.models import CariesMark, Study

    _summary, _plan, log = built
    marks = CariesMark.objects.all()
    assert marks.filter(source="ai").exists()
    assert marks.filter(status="confirmed").exists() and marks.filter(status="rejected").exists()
    assert marks.filter(status="suggested").exists()  # some wait for a doctor in the console
    clinic = Study.objects.filter(patient__isnull=False).first().clinic
    (version,) = agreement(clinic=clinic)["versions"]
    assert version["version"] == "caries-synthetic-v1" and len(version["weeks"]) >= 2
    assert version["total"]["precision"] is not None and version["total"]["recall"] is not None
    assert "caries marks by the demonstration model" in log


def test_some_implant_and_aligner_plans_are_paid_in_instalments(built):
    from yachi.financing.models import Instalment, InstalmentPlan

    _summary, _plan, output = built
    assert "instalment plans" in output
    plans = list(InstalmentPlan.objects.all())
    assert {p.status for p in plans} >= {"repaying", "applied", "quoted"}
    for plan in plans:
        rows = Instalment.objects.filter(plan=plan)
        assert sum(r.principal_fen for r in rows) == plan.principal_fen
        assert sum(r.interest_fen for r in rows) == plan.total_interest_fen
    assert Instalment.objects.filter(status="overdue").exists()
    assert Instalment.objects.filter(status="paid").exists()
