"""Roster proposals as a manager meets them: asking for rosters, comparing options,
publishing one, and what patients, the front desk and emergency dispatch can then book."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from tests.apiclient import ApiClient
from yachi.booking.selectors import doctor_availability
from yachi.booking.services import appointments_book
from yachi.clinics.models import OpeningHours
from yachi.compliance.models import AuditEntry
from yachi.core.errors import DomainError
from yachi.core.intervals import merge
from yachi.rostering.planner.check import check
from yachi.rostering.planner.model import Shift
from yachi.rostering.proposals import demand, repair
from yachi.rostering.proposals.instance import instance_build
from yachi.rostering.proposals.models import PublishedShift, RosterOption, RosterProposal
from yachi.rostering.selectors import working_intervals

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _quick_optimizer(settings):
    settings.YACHI_ROSTER_TIME_LIMIT_SECONDS = 2
    settings.YACHI_ROSTER_GENERATIONS = 12


def _monday_ahead(weeks=1):
    today = datetime.now(SHANGHAI).date()
    return today + timedelta(days=7 - today.weekday(), weeks=weeks - 1)


@pytest.fixture
def chain(world):
    """静安店 open every day 09:00–18:00; a filling booked with 王医生 next Tuesday morning."""
    for weekday in range(7):
        OpeningHours.objects.create(
            clinic=world.clinic_a, weekday=weekday, opens=time(9), closes=time(18)
        )
    monday = _monday_ahead()
    start = datetime.combine(monday + timedelta(days=1), time(10), tzinfo=SHANGHAI)
    world.visit = appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.filling_a,
        start=start,
        patients=[world.parent],
    ).appointments[0]
    world.monday = monday
    return world


def _propose(world, django_capture_on_commit_callbacks, **body):
    api = ApiClient().as_user(world.clinic_a_manager)
    payload = {
        "clinic_ids": [str(world.clinic_a.public_id)],
        "week_start": world.monday.isoformat(),
        "weeks": 1,
        **body,
    }
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post("/clinic/rosters/proposals", payload)
    return api, created


def _shifts(option):
    return [
        Shift(
            doctor_id=s["doctor_id"],
            clinic_id=s["clinic_id"],
            chair_id=s["chair_id"],
            start=datetime.fromisoformat(s["start"]),
            end=datetime.fromisoformat(s["end"]),
        )
        for s in option.shifts
    ]


def test_a_manager_gets_options_that_keep_every_booked_patient(
    chain, django_capture_on_commit_callbacks
):
    api, created = _propose(chain, django_capture_on_commit_callbacks)
    assert created.status_code == 201, created.content
    body = api.get(f"/clinic/rosters/proposals/{created.json()['id']}").json()
    assert body["status"] == "ready" and body["progress"] == 100
    assert body["options"]
    first = body["options"][0]
    assert set(first["objectives"]) == {
        "unmet_demand_minutes",
        "imbalance_hours",
        "overtime_hours",
        "preference_violations",
        "emergency_buffer_minutes",
    }
    assert set(first["shifts"][0]) == {"doctor_id", "clinic_id", "chair_id", "start", "end"}
    assert first["shifts"][0]["clinic_id"] == str(chain.clinic_a.public_id)
    # The independent checker finds nothing wrong with any option, the visit included.
    proposal = RosterProposal.objects.get(public_id=body["id"])
    built = instance_build(
        clinic_list=[chain.clinic_a], week_start=chain.monday, weeks=1, today=chain.monday
    )
    assert [a.id for a in built.instance.appointments] == [str(chain.visit.public_id)]
    for option in proposal.options.all():
        assert option.uncovered == []
        assert check(built.instance, _shifts(option)) == []


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"weeks": 3}, 422, "invalid"),
        ({"week_start": "next monday"}, 422, "invalid"),
        ({"clinic_ids": []}, 422, "invalid"),
        ({"clinic_ids": ["00000000-0000-0000-0000-000000000000"]}, 404, "clinic_not_found"),
    ],
)
def test_bad_requests_are_refused_and_ask_for_nothing(
    chain, django_capture_on_commit_callbacks, change, status, code
):
    _api, answer = _propose(chain, django_capture_on_commit_callbacks, **change)
    assert (answer.status_code, answer.json()["code"]) == (status, code)
    assert not RosterProposal.objects.exists()


def test_a_roster_starts_on_a_monday_in_the_coming_weeks(chain, django_capture_on_commit_callbacks):
    tuesday = (chain.monday + timedelta(days=1)).isoformat()
    _api, answer = _propose(chain, django_capture_on_commit_callbacks, week_start=tuesday)
    assert (answer.status_code, answer.json()["code"]) == (422, "not_a_monday")
    far = (chain.monday + timedelta(weeks=20)).isoformat()
    _api, answer = _propose(chain, django_capture_on_commit_callbacks, week_start=far)
    assert (answer.status_code, answer.json()["code"]) == (422, "too_far")
    assert not RosterProposal.objects.exists()


def test_the_front_desk_cannot_ask_for_rosters(chain):
    api = ApiClient().as_user(chain.clinic_a_front_desk)
    answer = api.post(
        "/clinic/rosters/proposals",
        {
            "clinic_ids": [str(chain.clinic_a.public_id)],
            "week_start": chain.monday.isoformat(),
            "weeks": 1,
        },
    )
    assert answer.status_code == 403
    assert not RosterProposal.objects.exists()


def _published_ready(chain, django_capture_on_commit_callbacks):
    api, created = _propose(chain, django_capture_on_commit_callbacks)
    proposal = RosterProposal.objects.get(public_id=created.json()["id"])
    return api, proposal, proposal.options.first()


def test_publishing_an_option_makes_its_shifts_the_bookable_hours(
    chain, django_capture_on_commit_callbacks
):
    api, proposal, option = _published_ready(chain, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(
            f"/clinic/rosters/proposals/{proposal.public_id}/options/{option.public_id}/publish"
        )
    assert answer.status_code == 200, answer.content
    doctors = [chain.clinic_a_doctor.pk, chain.clinic_a_implant_doctor.pk]
    hours = working_intervals(
        doctor_ids=doctors,
        clinic_id=chain.clinic_a.pk,
        zone=SHANGHAI,
        first_day=chain.monday,
        last_day=chain.monday + timedelta(days=6),
    )
    rostered = sorted(
        (doctor, start, end) for (doctor, _day), spans in hours.items() for start, end in spans
    )
    by_doctor = {}
    for s in _shifts(option):
        by_doctor.setdefault(s.doctor_id, []).append((s.start, s.end))
    proposed = sorted(
        (doctor, start, end) for doctor, spans in by_doctor.items() for start, end in merge(spans)
    )
    assert rostered == proposed
    # The published roster, read back from the tables, passes the independent checker.
    built = instance_build(
        clinic_list=[chain.clinic_a], week_start=chain.monday, weeks=1, today=chain.monday
    )
    published = [
        Shift(
            doctor_id=row.doctor_id,
            clinic_id=row.day.clinic_id,
            chair_id=row.chair_id,
            start=datetime.combine(row.day.date, row.start_time, tzinfo=SHANGHAI),
            end=datetime.combine(row.day.date, row.end_time, tzinfo=SHANGHAI),
        )
        for row in PublishedShift.objects.select_related("day")
    ]
    assert check(built.instance, published) == []
    entry = AuditEntry.objects.get(action="roster_published")
    assert entry.object_id == str(option.public_id)


def test_a_roster_that_would_orphan_a_newer_booking_is_refused_with_the_list(
    chain, django_capture_on_commit_callbacks
):
    api, proposal, option = _published_ready(chain, django_capture_on_commit_callbacks)
    worked = {(s.doctor_id, s.start) for s in _shifts(option)}
    # A visit booked since, in a half-day where the option leaves its doctor off.
    for days in range(7):
        day = chain.monday + timedelta(days=days)
        start = datetime.combine(day, time(14), tzinfo=SHANGHAI)
        afternoon = datetime.combine(day, time(12), tzinfo=SHANGHAI)
        for doctor in (chain.clinic_a_doctor, chain.clinic_a_implant_doctor):
            if (doctor.pk, afternoon) not in worked:
                break
        else:
            continue
        break
    else:
        pytest.skip("this option rosters every doctor every afternoon")
    newer = appointments_book(
        actor=chain.other_patient,
        doctor=doctor,
        service=chain.cleaning_a,
        start=start,
        patients=[chain.other],
    ).appointments[0]
    answer = api.post(
        f"/clinic/rosters/proposals/{proposal.public_id}/options/{option.public_id}/publish"
    )
    assert answer.status_code == 409
    assert answer.json()["code"] == "orphans_appointments"
    assert [a["id"] for a in answer.json()["appointments"]] == [str(newer.public_id)]
    assert not PublishedShift.objects.exists()
    assert RosterOption.objects.get(pk=option.pk).published_at is None


def test_the_emergency_buffer_is_kept_from_patients_but_not_from_staff(
    chain, django_capture_on_commit_callbacks
):
    api, proposal, option = _published_ready(chain, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        api.post(
            f"/clinic/rosters/proposals/{proposal.public_id}/options/{option.public_id}/publish"
        )
    held = PublishedShift.objects.filter(emergency_minutes__gt=0).select_related("day").first()
    assert held is not None, "the option keeps an emergency buffer somewhere"
    day = held.day.date
    end = datetime.combine(day, held.end_time, tzinfo=SHANGHAI)
    tail = end - timedelta(minutes=held.emergency_minutes)
    args = {
        "doctor_ids": [held.doctor_id],
        "clinic_id": chain.clinic_a.pk,
        "zone": SHANGHAI,
        "first_day": day,
        "last_day": day,
    }
    staff = working_intervals(**args)[(held.doctor_id, day)]
    patients = working_intervals(**args, for_patients=True)[(held.doctor_id, day)]
    assert any(low <= tail < high and high >= end for low, high in staff)
    assert not any(low <= tail < high for low, high in patients)
    # Emergency dispatch reads the doctors' time on duty: the buffer is in it.
    dispatch = working_intervals(**args, on_call=True)[(held.doctor_id, day)]
    assert any(low <= tail < high and high >= end for low, high in dispatch)
    doctor = (
        chain.clinic_a_doctor
        if held.doctor_id == chain.clinic_a_doctor.pk
        else chain.clinic_a_implant_doctor
    )
    days = doctor_availability(doctor=doctor, service=chain.cleaning_a, days=14)
    offered = [s for d in days if d.day == day for s in d.slots]
    # Nothing offered to patients overlaps the buffer (a later shift of the day may be).
    length = timedelta(minutes=chain.cleaning_a.duration_minutes)
    assert offered and not [s for s in offered if s[0] < end and s[0] + length > tail]
    with pytest.raises(DomainError):
        appointments_book(
            actor=chain.other_patient,
            doctor=doctor,
            service=chain.cleaning_a,
            start=tail,
            patients=[chain.other],
        )
    booked = appointments_book(
        actor=chain.clinic_a_front_desk,
        doctor=doctor,
        service=chain.cleaning_a,
        start=tail,
        patients=[chain.other],
    )
    assert booked.appointments


def test_demand_is_the_forecast_with_its_urgent_share_weighted(chain):
    from django.utils import timezone

    from yachi.booking.models import Appointment

    # Three weeks ago on a Tuesday morning: a pain case through emergency dispatch, and a
    # check-up of the same length.
    tuesday = chain.monday + timedelta(days=1) - timedelta(weeks=3)
    for channel, hour in (("emergency", 9), ("console", 11)):
        start = datetime.combine(tuesday, time(hour), tzinfo=SHANGHAI)
        Appointment.objects.create(
            clinic=chain.clinic_a,
            doctor=chain.clinic_a_doctor,
            chair=chain.chairs_a[0],
            service=chain.filling_a,
            patient=chain.parent,
            channel=channel,
            start=start,
            end=start + timedelta(minutes=45),
            status="completed",
            price_fen=0,
        )
    built = instance_build(
        clinic_list=[chain.clinic_a], week_start=chain.monday, weeks=1, today=timezone.localdate()
    )
    booked_tuesday = chain.monday + timedelta(days=1)
    found = {
        d.urgency_weight: d.minutes
        for d in built.instance.demand
        if d.date == booked_tuesday and d.part == "morning" and d.skill == "general"
    }
    # The forecast never falls below what is booked (the 45-minute filling); half of the
    # half-day's recent minutes were urgent, so half of it weighs three times.
    assert sum(found.values()) >= 45
    assert set(found) == {1.0, demand.EMERGENCY_WEIGHT}
    assert abs(found[1.0] - found[demand.EMERGENCY_WEIGHT]) <= 1


def test_the_command_line_prints_the_front(chain, capsys):
    call_command(
        "roster", "propose", "--clinic", chain.clinic_a.name, "--week", chain.monday.isoformat()
    )
    out = capsys.readouterr().out
    assert "unmet min" in out and "buffer min" in out
    assert len(out.splitlines()) >= 4


def test_the_console_shows_the_options_side_by_side(
    chain, client, django_capture_on_commit_callbacks
):
    _api, proposal, _option = _published_ready(chain, django_capture_on_commit_callbacks)
    client.force_login(chain.clinic_a_manager)
    page = client.get(
        f"/console/clinic/{chain.clinic_a.public_id}/roster/proposals/{proposal.public_id}/"
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "方案 1" in text and "未满足需求" in text and "发布" in text
    assert "data-chart" in text


def test_a_sick_doctor_s_patients_go_to_a_qualified_colleague(chain):
    tuesday = chain.monday + timedelta(days=1)
    plan = repair.sick_day_plan(clinic=chain.clinic_a, doctor=chain.clinic_a_doctor, day=tuesday)
    assert [(h.visit.id, h.doctor.pk) for h in plan.handovers] == [
        (str(chain.visit.public_id), chain.clinic_a_implant_doctor.pk)
    ]
    assert plan.to_move == []
