"""The demo's year as planned: what a clinic would recognise in it, checked on the plan
itself (plain data, no database)."""

from collections import Counter, defaultdict
from datetime import datetime, timedelta
from itertools import pairwise

import pytest

from yachi.demo.builder import demo_plan
from yachi.demo.plan import AGES, ARREARS_EVERY, CANCELLED, COMPLETED, ZONE, calendar

NOW = datetime(2026, 12, 1, 15, 30, tzinfo=ZONE)


@pytest.fixture(scope="module")
def plan():
    return demo_plan(seed=2026, now=NOW)


def held(plan):
    """Visits that held their time (all but the cancelled)."""
    return [v for v in plan.visits if v.status != CANCELLED]


def test_over_three_thousand_patients_live_in_families_of_one_to_five(plan):
    assert len(plan.people) > 3000
    sizes = Counter(len(f.members) for f in plan.families)
    assert set(sizes) <= {1, 2, 3, 4, 5} and sizes[1] < len(plan.families) / 2
    assert [f.phone for f in plan.families[:2]] == ["13800000001", "13800000002"]
    for family in plan.families:
        owner, *others = (plan.people[i] for i in family.members)
        assert owner.seat == 0 and owner.relationship == "self" and owner.age_on(NOW.date()) >= 22
        for child in (p for p in others if p.relationship == "child"):
            assert child.name[0] == owner.name[0]  # a parent's surname
            assert owner.age_on(NOW.date()) - child.age_on(NOW.date()) >= 18


def test_services_fit_the_age_of_the_patient_on_the_day(plan):
    by_service = defaultdict(list)
    for visit in plan.visits:
        age = plan.people[visit.person].age_on(visit.start.date())
        by_service[visit.service].append(age)
        youngest, oldest = AGES[visit.service]
        assert youngest <= age <= oldest, (visit.service, age)
    assert min(by_service["filling"]) >= 3 and min(by_service["orthodontic_consultation"]) >= 3
    assert max(by_service["fluoride_varnish"]) <= 12 and max(by_service["sealant"]) <= 13
    # Children do come for fluoride and sealants; nobody under three is treated.
    assert len(by_service["fluoride_varnish"]) > 100 and len(by_service["sealant"]) > 30
    assert min(a for ages in by_service.values() for a in ages) >= 3


def test_visit_frequencies_are_a_clinics(plan):
    cleanings = Counter(v.person for v in held(plan) if v.service == "cleaning")
    # Cleaning once or twice a year, never three times.
    assert set(cleanings.values()) <= {1, 2} and 1 in cleanings.values() and 2 in cleanings.values()
    adults = [p for p in plan.people if p.age_on(NOW.date()) >= 18]
    assert 0.4 < len(cleanings) / len(adults) < 0.9
    fillings = Counter(v.person for v in held(plan) if v.service == "filling")
    assert len(fillings) < len(plan.people) / 3  # by need, not everyone's
    # A root canal takes visits a week or two apart.
    courses = defaultdict(list)
    for visit in held(plan):
        if visit.service == "root_canal":
            courses[visit.person].append(visit.start.date())
    assert any(len(days) > 1 for days in courses.values())


def test_nobody_has_two_visits_on_one_day_nor_two_cleanings(plan):
    days = Counter((v.person, v.start.date()) for v in held(plan))
    assert max(days.values()) == 1


def test_no_doctor_chair_or_patient_is_booked_twice_at_once(plan):
    for key in (lambda v: ("doctor", v.doctor), lambda v: ("chair", v.clinic, v.chair)):
        rows = defaultdict(list)
        for visit in held(plan):
            rows[key(visit)].append((visit.start, visit.end))
        for spans in rows.values():
            spans.sort()
            assert all(a[1] <= b[0] for a, b in pairwise(spans))


def test_fewer_visits_around_the_spring_festival_and_children_peak_in_summer(plan):
    monthly = Counter(v.start.strftime("%m") for v in held(plan))
    # 春节 2026 is on 17 February: February is the quietest month of the year.
    assert monthly["02"] < 0.75 * monthly["01"] and monthly["02"] < 0.75 * monthly["03"]
    assert monthly["02"] == min(monthly[m] for m in ("01", "02", "03", "04", "05", "06"))
    cal = calendar(NOW.date() - timedelta(days=365), NOW.date())
    festival = Counter(v.start.date() in cal.spring_festival for v in held(plan))
    per_day = festival[False] / (365 - len(cal.spring_festival))
    assert festival[True] / len(cal.spring_festival) < 0.3 * per_day
    children = Counter(
        v.start.strftime("%m")
        for v in held(plan)
        if plan.people[v.person].age_on(v.start.date()) < 13
    )
    summer = (children["07"] + children["08"]) / 2
    school = [children[m] for m in ("03", "04", "05", "06", "09", "10")]
    assert summer > 1.8 * (sum(school) / len(school))


def test_the_second_clinic_closes_on_public_holidays(plan):
    cal = calendar(NOW.date() - timedelta(days=365), NOW.date() + timedelta(days=14))
    assert not [v for v in plan.visits if v.clinic == 1 and v.start.date() in cal.holidays]
    assert [v for v in plan.visits if v.clinic == 0 and v.start.date() in cal.holidays]


def test_doctors_take_leave_and_nobody_is_booked_with_them_then(plan):
    away = {(row.doctor, row.day) for row in plan.leave}
    assert {doctor for doctor, _ in away} == set(range(10))
    assert not [v for v in plan.visits if (v.doctor, v.start.date()) in away]
    assert any(NOW.date() < day <= NOW.date() + timedelta(days=8) for _, day in away)
    assert {row.note for row in plan.leave} >= {"年假", "病假"}


def test_every_completed_visit_that_costs_something_has_a_paid_bill_but_a_few(plan):
    unpaid = []
    for visit in plan.visits:
        if visit.status == COMPLETED and not visit.billed_by_services:
            free = visit.service in ("implant_consultation", "orthodontic_consultation")
            assert (visit.bill is None) == free, visit.service
            if visit.bill:
                payment = visit.bill.payment
                family = plan.people[visit.person].family
                if payment.paid_at is None:  # a family's one bill left unpaid (arrears)
                    assert family % ARREARS_EVERY == 0 and payment.closed_at > visit.end
                    unpaid.append(family)
                else:
                    assert payment.paid_at >= visit.end and payment.method
                assert payment.amount_fen == visit.bill.list_fen - visit.bill.discount_fen > 0
        elif visit.status != COMPLETED:
            assert visit.bill is None
    # The first families' recent visits are billed through the till's services instead.
    assert any(v.billed_by_services for v in plan.visits)
    assert all(plan.people[v.person].family < 10 for v in plan.visits if v.billed_by_services)
    # A few families owe one bill each, past its due day.
    assert 2 <= len(unpaid) == len(set(unpaid))


def test_deposits_of_online_bookings_come_back_when_cancelled_and_some_bills_are_refunded(plan):
    deposits = [v for v in plan.visits if v.deposit]
    assert deposits and all(v.channel in ("api", "patient_app") for v in deposits)
    assert {v.service for v in deposits} <= {"root_canal", "wisdom_tooth_extraction"}
    for visit in deposits:
        refunded = visit.deposit.refund_fen == visit.deposit.amount_fen
        assert refunded == (visit.status == CANCELLED)
    refunds = [v.bill.payment for v in plan.visits if v.bill and v.bill.payment.refund_fen]
    assert refunds and all(0 < p.refund_fen <= p.amount_fen for p in refunds)
    assert all(p.refunded_at > p.paid_at for p in refunds)


def test_a_year_of_mall_orders_coupons_and_points_across_many_families(plan):
    assert len(plan.orders) > 200
    assert {o.status for o in plan.orders} >= {"completed", "cancelled", "refunded"}
    assert len({o.family for o in plan.orders}) > 150
    assert len({c.family for c in plan.coupons}) > 500
    assert {c.status for c in plan.coupons} == {"issued", "redeemed", "expired"}
    for coupon in plan.coupons:
        if coupon.status == "redeemed":
            assert coupon.issued_at <= coupon.redeemed_at < coupon.expires_at
            assert coupon.redeemed_reference.startswith(("payments.bill:", "shop.order:"))
    balance = Counter()
    for posting in plan.points:  # in time order, never below zero
        balance[posting.family] += posting.delta
        assert balance[posting.family] >= 0
    assert len(balance) > 1000
    assert len({p.key for p in plan.points}) == len(plan.points)


def test_most_completed_visits_have_a_chart(plan):
    completed = [v for v in plan.visits if v.status == COMPLETED]
    assert 0.85 < sum(v.noted for v in completed) / len(completed) < 1


def test_families_first_came_through_their_acquisition_channel(plan):
    channels = Counter(f.acquisition for f in plan.families)
    assert len(channels) >= 5
    first = {}
    for visit in plan.visits:
        family = plan.families[plan.people[visit.person].family]
        if (
            family.joined >= NOW - timedelta(days=365)
            and visit.person == family.members[0]
            and visit.status != CANCELLED
        ):
            first.setdefault(family.index, visit)
    walk_ins = [f for f in first if plan.families[f].acquisition == "walk_in"]
    assert walk_ins and all(first[f].channel == "walk_in" for f in walk_ins)


def test_the_coming_days_fill_up_unevenly(plan):
    booked = Counter(
        (v.start.date() - NOW.date()).days
        for v in plan.visits
        if v.start > NOW and v.status != CANCELLED
    )
    soon = sum(booked[d] for d in (1, 2, 3)) / 3
    later = sum(booked[d] for d in range(8, 15)) / 7
    assert soon > 1.5 * later > 0


def test_the_plan_is_the_same_for_a_seed_and_another_for_another_seed(plan):
    again = demo_plan(seed=2026, now=NOW)

    def digest(p):
        return (
            [
                (v.public_id, v.person, v.doctor, v.chair, v.service, v.start, v.status)
                for v in p.visits
            ],
            [(f.phone, f.joined, f.acquisition) for f in p.families],
            p.points,
        )

    assert digest(again) == digest(plan)
    assert [p.name for p in again.people] == [p.name for p in plan.people]
    other = demo_plan(seed=7, now=NOW, families=200)
    assert [p.name for p in other.people[:50]] != [p.name for p in plan.people[:50]]
