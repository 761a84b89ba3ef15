"""The managers' dashboards: figures a manager recognises, agreeing with the ledger,
each with its list, refused to those who may not see them (ADR 0053)."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from conftest import SHANGHAI
from tests import factories as f
from tests.apiclient import ApiClient
from yachi.booking.models import Appointment
from yachi.compliance.models import AuditEntry
from yachi.core.roles import ChainRole
from yachi.crm.reports import nps
from yachi.crm.reports.access import report_scope
from yachi.crm.reports.figures import dashboard
from yachi.crm.tests.reports.data import a_week, visit
from yachi.payments.choices import RefundStatus
from yachi.payments.models import PaymentIntent, Refund

pytestmark = pytest.mark.django_db


@pytest.fixture
def week(world):
    return a_week(world)


@pytest.fixture
def chain_operations(world):
    user = f.StaffFactory(name="运营")
    f.chain_role(user, world.chain, ChainRole.CHAIN_OPERATIONS)
    return user


def _scope(world, week, user=None, clinic=True):
    return report_scope(
        actor=user or world.clinic_a_manager,
        clinic_id=str(world.clinic_a.public_id) if clinic else None,
        date_from=week["from"],
        date_to=week["to"],
    )


def test_a_week_at_the_clinic_in_figures_a_manager_recognises(world, week):
    board = dashboard(_scope(world, week))
    s = board.summary
    assert (s["visits"], s["appointments"]) == (2, 4)
    assert (s["new_patients"], s["returning_patients"]) == (1, 1)
    assert s["no_shows"] == 1 and s["no_show_rate"] == pytest.approx(1 / 3, abs=1e-4)
    assert s["cancellation_rate"] == 0.25
    assert (s["paid_fen"], s["refunds_fen"], s["revenue_fen"]) == (19_800, 5_000, 14_800)
    # The parent also had a cleaning 200 days ago: cleaning's repurchase is 1 of 1.
    repurchase = {r.code: (r.patients, r.repurchased) for r in board.repurchase}
    assert repurchase == {"cleaning": (1, 1), "filling": (1, 0)}
    by_service = {key: fen for key, _label, fen in board.revenue_by["service"].rows}
    assert by_service == {"cleaning": 14_800}
    by_doctor = {label: fen for _key, label, fen in board.revenue_by["doctor"].rows}
    assert by_doctor == {"王医生": 14_800}
    # 王医生: 30 + 45 + 30 booked minutes (the cancelled one not) of 8 h × 7 days.
    doctor = next(u for u in board.doctors if u.label == "王医生")
    assert (doctor.booked_minutes, doctor.available_minutes) == (105, 8 * 60 * 7)
    chairs = board.chairs[0]
    assert (chairs.booked_minutes, chairs.available_minutes) == (105, 10 * 60 * 3 * 7)
    assert s["nps"] is None and "—" not in board.nps_note


def test_revenue_agrees_with_the_ledger_paid_intents_minus_refunds(world, week, chain_operations):
    scope = _scope(world, week)
    paid = sum(
        i.amount_fen
        for i in PaymentIntent.objects.filter(
            clinic=world.clinic_a, paid_at__gte=scope.start, paid_at__lt=scope.end
        )
    )
    refunded = sum(
        r.amount_fen
        for r in Refund.objects.filter(
            intent__clinic=world.clinic_a,
            status=RefundStatus.SUCCEEDED,
            completed_at__gte=scope.start,
            completed_at__lt=scope.end,
        )
    )
    summary = dashboard(scope).summary
    assert summary["revenue_fen"] == paid - refunded == 14_800
    assert summary["refunds_fen"] == refunded
    chain = dashboard(_scope(world, week, user=chain_operations, clinic=False))
    assert chain.summary["revenue_fen"] == 14_800 + 10_000


def test_the_whole_dashboard_reads_in_a_bounded_number_of_queries(world, week, chain_operations):
    with CaptureQueriesContext(connection) as one:
        dashboard(_scope(world, week))
    with CaptureQueriesContext(connection) as chain:
        dashboard(_scope(world, week, user=chain_operations, clinic=False))
    assert len(one) <= 22 and len(chain) <= 22
    # More patients, visits and payments cost no more queries.
    for days_ago in (1, 2, 3, 5):
        visit(world, world.patient_child, days_ago=days_ago, hour=16, status="completed")
    with CaptureQueriesContext(connection) as more:
        dashboard(_scope(world, week))
    assert len(more) == len(one)


def test_every_figure_lists_what_it_counted_and_the_list_is_audited(client, world, week):
    client.force_login(world.clinic_a_manager)
    query = {
        "clinic_id": str(world.clinic_a.public_id),
        "date_from": week["from"],
        "date_to": week["to"],
    }
    page = client.get("/console/reports/", query).content.decode()
    assert 'hx-get="/console/reports/?' in page and "正在统计数据" in page
    figures = client.get("/console/reports/", {**query, "figures": "1"}).content.decode()
    assert "data-chart" in figures and "¥148.00" in figures and "复购率" in figures
    assert "figure=new_patients" in figures and "figure=repurchase%3Acleaning" in figures
    before = AuditEntry.objects.filter(action="report_list_read").count()
    listed = client.get("/console/reports/list/", {**query, "figure": "new_patients"})
    assert listed.status_code == 200
    text = listed.content.decode()
    assert "张小宝" in text and "张妈妈" not in text and "1 行" in text
    assert f"/console/patients/{world.patient_child.public_id}/desk/" in text
    no_shows = client.get(
        "/console/reports/list/", {**query, "figure": "no_shows"}
    ).content.decode()
    assert "陌生人" in no_shows and "爽约" in no_shows
    revenue = client.get(
        "/console/reports/list/", {**query, "figure": "revenue_service:cleaning"}
    ).content.decode()
    assert "148.00" in revenue and "50.00" in revenue
    entries = AuditEntry.objects.filter(action="report_list_read").order_by("-seq")
    assert entries.count() == before + 3
    assert entries[0].details["figure"] == "revenue_service:cleaning"
    assert client.get("/console/reports/list/", {**query, "figure": "nothing"}).status_code == 404
    waits = client.get("/console/reports/list/", {**query, "figure": "waits"}).content.decode()
    assert "本期该指标没有明细" in waits


def test_exports_are_audited_and_mask_phones_for_the_chain(client, world, week, chain_operations):
    query = {
        "clinic_id": str(world.clinic_a.public_id),
        "date_from": week["from"],
        "date_to": week["to"],
    }
    client.force_login(world.clinic_a_manager)
    response = client.get("/console/reports/export.csv", {**query, "figure": "visits"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response["Content-Type"].startswith("text/csv") and len(rows) == 3
    assert any("13800000001" in row for row in rows)  # the clinic's own manager
    client.force_login(chain_operations)
    response = client.get("/console/reports/export.xlsx", {**query, "figure": "visits"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert "138****0001" in cells and "13800000001" not in cells
    summary = client.get("/console/reports/export.xlsx", query)
    assert summary.status_code == 200
    exported = AuditEntry.objects.filter(action="report_exported").order_by("seq")
    assert [e.details["figure"] for e in exported] == ["visits", "visits", "summary"]
    assert [e.details["phones"] for e in exported][:2] == ["full", "masked"]


def test_the_summary_api_for_managers_and_chain_operations(world, week, chain_operations):
    api = ApiClient().as_user(world.clinic_a_manager)
    params = {
        "clinic_id": str(world.clinic_a.public_id),
        "date_from": week["from"],
        "date_to": week["to"],
    }
    body = api.get("/clinic/reports/summary", params).json()
    assert {
        k: body[k]
        for k in ("revenue_fen", "refunds_fen", "visits", "new_patients", "returning_patients")
    } == {
        "revenue_fen": 14_800,
        "refunds_fen": 5_000,
        "visits": 2,
        "new_patients": 1,
        "returning_patients": 1,
    }
    assert body["no_show_rate"] == pytest.approx(0.3333) and body["nps"] is None
    whole = (
        ApiClient()
        .as_user(chain_operations)
        .get("/clinic/reports/summary", {"date_from": week["from"], "date_to": week["to"]})
    )
    assert whole.status_code == 200 and whole.json()["visits"] == 3
    assert len(whole.json()["clinic_ids"]) == 2


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"date_from": "2026-13-01"}, 422, "invalid_date"),
        ({"date_from": "yesterday"}, 422, "invalid_date"),
        ({"date_from": "2026-03-02", "date_to": "2026-03-01"}, 422, "date_range_reversed"),
        ({"date_from": "2020-01-01", "date_to": "2026-01-01"}, 422, "date_range_too_long"),
        ({"date_from": "0001-01-01"}, 422, "invalid_date"),
        ({"clinic_id": "not-a-clinic"}, 404, "clinic_not_found"),
    ],
)
def test_bad_ranges_and_clinics_are_refused_clearly(world, params, status, code):
    api = ApiClient().as_user(world.clinic_a_manager)
    response = api.get(
        "/clinic/reports/summary", {"clinic_id": str(world.clinic_a.public_id), **params}
    )
    assert response.status_code == status and response.json()["code"] == code


def test_other_clinics_managers_patients_and_the_desk_are_refused(world):
    b = str(world.clinic_b.public_id)
    manager = ApiClient().as_user(world.clinic_a_manager)
    assert (
        manager.get("/clinic/reports/summary", {"clinic_id": b}).json()["code"]
        == "manage_forbidden"
    )
    # A clinic manager is no chain role: the whole chain is not theirs.
    whole = manager.get("/clinic/reports/summary")
    assert whole.status_code == 403 and whole.json()["code"] == "chain_forbidden"
    desk = ApiClient().as_user(world.clinic_a_front_desk)
    a = str(world.clinic_a.public_id)
    assert desk.get("/clinic/reports/summary", {"clinic_id": a}).status_code == 403
    patient = ApiClient().as_user(world.patient_parent)
    assert patient.get("/clinic/reports/summary", {"clinic_id": a}).status_code == 403
    assert ApiClient().get("/clinic/reports/summary").status_code == 401


def test_nps_comes_only_from_a_registered_source(world, week):
    scope = _scope(world, week)
    assert dashboard(scope).summary["nps"] is None
    calls = []

    def source(*, clinic_ids, start, end):
        calls.append((clinic_ids, start, end))
        return nps.NpsFigure(promoters=6, passives=2, detractors=2, patient_ids=(world.parent.pk,))

    registered = list(nps._source)  # the surveys' own source, put back afterwards
    nps.register_nps_source(source)
    try:
        board = dashboard(scope)
    finally:
        nps._source[:] = registered
    assert board.summary["nps"] == 40 and board.summary["nps_responses"] == 10
    assert calls == [([world.clinic_a.pk], scope.start, scope.end)]
    assert board.behind["nps"] == [world.parent.pk]


def test_waiting_time_counts_from_check_in_or_the_booked_time_to_the_first_call(world, week):
    from yachi.queueing.models import Queue, Ticket

    cleaning = Appointment.objects.get(
        patient=world.parent, status="completed", start__gte=_start(world, week)
    )
    day = cleaning.start.astimezone(SHANGHAI).date()
    queue = Queue.objects.create(clinic=world.clinic_a, doctor=world.clinic_a_doctor, day=day)
    common = {
        "queue": queue,
        "clinic": world.clinic_a,
        "day": day,
        "kind": "appointment",
        "owner": world.patient_parent,
        "service": world.cleaning_a,
        "duration_minutes": 30,
        "checked_in_by": "desk",
        "status": "finished",
    }
    # Came 20 minutes early and was called 10 minutes after the booked time: 10 minutes.
    Ticket.objects.create(
        **common,
        number="A001",
        patient=world.parent,
        appointment=cleaning,
        masked_name="张*",
        appointment_start=cleaning.start,
        checked_in_at=cleaning.start - timedelta(minutes=20),
        called_at=cleaning.start + timedelta(minutes=10),
    )
    # A walk-in who waited 30 minutes.
    Ticket.objects.create(
        **{**common, "kind": "walk_in"},
        number="B001",
        patient=world.other,
        masked_name="陌*",
        checked_in_at=cleaning.start,
        called_at=cleaning.start + timedelta(minutes=30),
    )
    board = dashboard(_scope(world, week))
    assert board.summary["average_wait_minutes"] == 20.0 and board.summary["waits"] == 2
    doctor = str(world.clinic_a_doctor.public_id)
    assert board.waits_by_doctor == [("王医生", 2, 20.0, doctor)]
    assert len(board.behind[f"waits:{doctor}"]) == 2


def _start(world, week):
    return _scope(world, week).start


def test_coupon_use_counts_coupons_issued_to_the_clinics_patients(client, world, week):
    from yachi.growth.choices import Applicability, CouponKind
    from yachi.growth.facade import coupon_issue
    from yachi.growth.models import Coupon, CouponTemplate

    template = CouponTemplate.objects.create(
        name="满200减30",
        kind=CouponKind.FIXED_AMOUNT,
        amount_off_fen=3000,
        applies_to=Applicability.ANY,
        valid_days=30,
    )
    for user in (world.patient_parent, world.other_patient):
        coupon_issue(template_id=template.public_id, user=user, reason="回访")
    Coupon.objects.filter(owner=world.patient_parent).update(
        status="redeemed", redeemed_at=timezone.now()
    )
    # Someone who never came to the clinic in the week is not its patient here.
    stranger = f.patient_user("13800000099", name="路人")
    coupon_issue(template_id=template.public_id, user=stranger, reason="活动")
    board = dashboard(_scope(world, week))
    assert (board.summary["coupons_issued"], board.summary["coupons_redeemed"]) == (2, 1)
    assert board.summary["coupon_conversion_rate"] == 0.5
    client.force_login(world.clinic_a_manager)
    query = {
        "clinic_id": str(world.clinic_a.public_id),
        "date_from": week["from"],
        "date_to": week["to"],
    }
    listed = client.get("/console/reports/list/", {**query, "figure": "coupons"}).content.decode()
    assert "满200减30" in listed and "2 行" in listed and "路人" not in listed


def _campaign_brought(world, appointments, signup_user):
    """A 小红书 campaign link: a visitor who signed up, and bookings whose first touch it was."""
    from yachi.growth.attribution.models import Channel, Conversion, Touch, TrackedLink

    channel = Channel.objects.create(name="小红书", kind="xiaohongshu")
    link = TrackedLink.objects.create(
        channel=channel, campaign="秋季洁牙", code="xhs-autumn", target="/"
    )
    now = timezone.now()
    for n in range(4):
        Touch.objects.create(
            link=link, visitor=f"v{n}", device="mobile", at=now - timedelta(days=2)
        )
    Conversion.objects.create(
        user=signup_user,
        kind="signup",
        at=now - timedelta(days=2),
        reference="signup:x",
        first_link=link,
    )
    for appointment in appointments:
        Conversion.objects.create(
            user=appointment.patient.account.owner,
            kind="booking",
            at=now - timedelta(days=1),
            reference=f"booking:booking.appointment:{appointment.public_id}",
            first_link=link,
        )


def test_campaign_bookings_count_per_clinic_and_list_their_patients(
    client, world, week, chain_operations
):
    at_a = Appointment.objects.filter(clinic=world.clinic_a, patient=world.parent).latest("start")
    at_b = Appointment.objects.filter(clinic=world.clinic_b).latest("start")
    _campaign_brought(world, [at_a, at_b], world.other_patient)
    board = dashboard(_scope(world, week))
    (campaign,) = board.campaigns
    assert (campaign.visitors, campaign.signups, campaign.bookings) == (4, 1, 1)
    assert board.behind[f"campaign_bookings:{campaign.key}"][0].pk == at_a.pk
    # A clinic's manager sees no list of the chain's sign-ups.
    assert f"campaign_signups:{campaign.key}" not in board.behind
    chain = dashboard(_scope(world, week, user=chain_operations, clinic=False))
    (everywhere,) = chain.campaigns
    assert everywhere.bookings == 2
    assert sorted(count for _key, _name, count in everywhere.by_clinic) == [1, 1]
    client.force_login(world.clinic_a_manager)
    query = {
        "clinic_id": str(world.clinic_a.public_id),
        "date_from": week["from"],
        "date_to": week["to"],
    }
    page = client.get("/console/reports/", {**query, "figures": "1"}).content.decode()
    assert "figure=campaign_bookings%3A" in page
    listed = client.get(
        "/console/reports/list/", {**query, "figure": f"campaign_bookings:{campaign.key}"}
    ).content.decode()
    assert "张妈妈" in listed and "小红书 · 秋季洁牙" in listed
    client.force_login(chain_operations)
    chain_query = {"date_from": week["from"], "date_to": week["to"]}
    signups = client.get(
        "/console/reports/list/", {**chain_query, "figure": f"campaign_signups:{campaign.key}"}
    ).content.decode()
    assert world.other_patient.name in signups
