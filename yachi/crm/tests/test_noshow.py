"""No-show risk as a clinic lives it: models learned from its year, upcoming visits scored
with their reasons, the manager's policy (a deposit, an extra reminder, a call) and the
front desk's confirmation calls."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import override

from conftest import tomorrow_at
from tests.apiclient import ApiClient
from yachi.booking.choices import Status
from yachi.booking.models import Appointment
from yachi.booking.services import appointments_book
from yachi.compliance.models import AuditEntry
from yachi.core.errors import PermissionDenied
from yachi.crm.noshow import services
from yachi.crm.noshow.models import ConfirmationCall, NoShowModel, NoShowPolicy, NoShowScore
from yachi.messaging.models import Notification
from yachi.payments.models import PaymentIntent

pytestmark = pytest.mark.django_db


def _upcoming(world, patient, *, days=3, hour=9, doctor=None, service=None):
    # A midweek day, so that no weekend or Monday-morning habit of the model moves the
    # score with the day the tests run.
    while tomorrow_at(hour, days=days).weekday() not in (1, 2, 3):
        days += 1
    start = tomorrow_at(hour, days=days)
    return Appointment.objects.create(
        clinic=world.clinic_a,
        doctor=doctor or world.clinic_a_doctor,
        chair=world.chairs_a[1],
        service=service or world.cleaning_a,
        patient=patient,
        channel="api",
        start=start,
        end=start + timedelta(minutes=30),
        price_fen=world.cleaning_a.price_fen,
    )


def _policy(world, **changes):
    values = dict(
        threshold_percent=25,
        require_deposit=False,
        deposit_fen=5000,
        extra_reminder=True,
        confirmation_call=True,
    )
    values.update(changes)
    return services.policy_save(actor=world.clinic_a_manager, clinic=world.clinic_a, **values)


def test_the_chain_and_a_clinic_with_enough_history_get_a_model_each(world, trained):
    scopes = sorted((m.clinic_id or 0, m.version) for m in trained)
    assert scopes == [(0, 1), (world.clinic_a.pk, 1)]
    own = services.current_model(world.clinic_a.pk)
    assert own.clinic_id == world.clinic_a.pk and own.samples == 96
    assert own.backtest["model"]["auc"] is not None and own.backtest["baseline"]["bins"]
    # 徐汇 has no history of its own: the chain's model scores its visits.
    assert services.current_model(world.clinic_b.pk).clinic_id is None
    again = services.models_train()
    assert sorted(m.version for m in again) == [2, 2]
    assert AuditEntry.objects.filter(action="no_show_model_trained").count() == 4


def test_a_habitual_no_show_is_scored_high_with_the_reasons_in_chinese(world, trained):
    _policy(world)
    risky = _upcoming(world, world.parent)
    steady = _upcoming(world, world.other, hour=14)
    assert services.scores_refresh() == 2
    high, low = (NoShowScore.objects.get(appointment=a) for a in (risky, steady))
    assert high.score > 0.25 > low.score
    assert high.level == "high" and low.level != "high"
    from yachi.crm.noshow.reasons import reasons_text

    with override("zh-hans"):
        assert any(text.startswith("过去 12 个月爽约") for text in reasons_text(high.reasons))
    # The policy acted on the risky one only, and only once however often the job runs.
    services.scores_refresh()
    reminders = Notification.objects.filter(
        kind="appointment_reminder", idempotency_key__startswith="reminder-risk:"
    )
    assert {n.object_id for n in reminders} == {str(risky.public_id)}
    assert reminders.count() == len({n.channel for n in reminders})
    assert list(ConfirmationCall.objects.values_list("appointment_id", flat=True)) == [risky.pk]


def test_without_a_policy_scores_are_shown_but_nothing_is_sent(world, trained):
    _upcoming(world, world.parent)
    services.scores_refresh()
    assert NoShowScore.objects.count() == 1
    assert not ConfirmationCall.objects.exists()
    assert not Notification.objects.filter(idempotency_key__startswith="reminder-risk:").exists()


def test_the_policy_asks_a_risky_patient_for_a_deposit_when_booking_online(world, trained):
    _policy(world, require_deposit=True, deposit_fen=8000)
    risky = appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(10, days=13),
        patients=[world.parent],
    ).appointments[0]
    assert risky.status == Status.PENDING and risky.deposit_fen == 8000
    intent = PaymentIntent.objects.get(reference=f"booking.appointment:{risky.public_id}")
    assert intent.amount_fen == 8000
    steady = appointments_book(
        actor=world.other_patient,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(11, days=1),
        patients=[world.other],
    ).appointments[0]
    assert steady.status == Status.BOOKED and steady.deposit_fen == 0
    # The front desk's booking never waits for a deposit.
    at_desk = appointments_book(
        actor=world.clinic_a_front_desk,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(15, days=13),
        patients=[world.parent],
        channel="console",
    ).appointments[0]
    assert at_desk.status == Status.BOOKED


def test_only_managers_change_the_policy_and_each_change_is_audited(world):
    with pytest.raises(PermissionDenied):
        services.policy_save(
            actor=world.clinic_a_front_desk,
            clinic=world.clinic_a,
            threshold_percent=10,
            require_deposit=True,
            deposit_fen=100,
            extra_reminder=True,
            confirmation_call=True,
        )
    assert not NoShowPolicy.objects.exists()
    policy = _policy(world, threshold_percent=40)
    assert policy.threshold == 0.4
    entry = AuditEntry.objects.get(action="no_show_policy_changed")
    assert entry.details["threshold_percent"] == 40 and entry.actor_id == world.clinic_a_manager.pk


def test_the_front_desk_records_a_confirmation_call(client, world, trained):
    _policy(world)
    risky = _upcoming(world, world.parent)
    services.scores_refresh()
    call = ConfirmationCall.objects.get()
    client.force_login(world.clinic_a_front_desk)
    page = client.get(f"/console/clinic/{world.clinic_a.public_id}/no-show/calls/")
    assert page.status_code == 200 and "张妈妈" in page.content.decode()
    read = AuditEntry.objects.get(action="no_show_risk_read", object_type="confirmation_calls")
    assert read.details["appointments"] == [str(risky.public_id)]
    url = f"/console/clinic/{world.clinic_a.public_id}/no-show/calls/{call.public_id}/"
    assert client.post(url, {"outcome": "confirmed", "note": "说一定来"}).status_code == 302
    call.refresh_from_db()
    assert (call.outcome, call.note, call.called_by_id) == (
        "confirmed",
        "说一定来",
        world.clinic_a_front_desk.pk,
    )
    assert AuditEntry.objects.get(action="confirmation_call_recorded").object_id == str(
        risky.public_id
    )
    assert "张妈妈" not in client.get(page.request["PATH_INFO"]).content.decode()
    # Another clinic's front desk finds no such call and changes nothing.
    client.force_login(world.clinic_b_front_desk)
    other = f"/console/clinic/{world.clinic_b.public_id}/no-show/calls/{call.public_id}/"
    assert client.post(other, {"outcome": "cancel"}).status_code == 404
    call.refresh_from_db()
    assert call.outcome == "confirmed"


def test_the_manager_sees_the_backtest_and_the_front_desk_may_not(client, world, trained):
    url = f"/console/clinic/{world.clinic_a.public_id}/no-show/"
    client.force_login(world.clinic_a_front_desk)
    assert client.get(url).status_code == 403
    client.force_login(world.clinic_a_manager)
    page = client.get(url).content.decode()
    assert 'data-testid="backtest"' in page and "data-chart" in page
    assert client.post(url, {"threshold_percent": "150", "deposit": "50"}).status_code == 200
    assert not NoShowPolicy.objects.exists()
    saved = client.post(
        url, {"threshold_percent": "20", "deposit": "60", "confirmation_call": "on"}
    )
    assert saved.status_code == 302
    policy = NoShowPolicy.objects.get()
    assert (policy.threshold_percent, policy.deposit_fen, policy.confirmation_call) == (
        20,
        6000,
        True,
    )
    assert policy.extra_reminder is False


def test_the_day_calendar_and_the_panel_show_the_risk(client, world, trained):
    risky = _upcoming(world, world.parent)
    services.scores_refresh()
    client.force_login(world.clinic_a_front_desk)
    day = risky.start.astimezone(timezone.get_current_timezone()).date().isoformat()
    calendar = client.get(f"/console/clinic/{world.clinic_a.public_id}/calendar/", {"date": day})
    assert 'data-testid="risk"' in calendar.content.decode()
    panel = client.get(f"/console/appointment/{risky.public_id}/").content.decode()
    assert 'data-testid="panel-risk"' in panel and "爽约" in panel


def test_staff_read_the_risk_through_the_api(world, trained):
    _policy(world, threshold_percent=20)
    risky = _upcoming(world, world.parent)
    path = f"/clinic/appointments/{risky.public_id}/no-show-risk"
    answer = ApiClient().as_user(world.clinic_a_front_desk).get(path)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["percent"] >= 20 and body["level"] == "high"
    assert body["threshold_percent"] == 20 and body["model"]["scope"] == "clinic"
    assert body["reasons"][0]["code"] == "past_no_shows" and body["reasons"][0]["text"]
    assert AuditEntry.objects.filter(action="no_show_risk_read").count() == 1
    for user, status, code in (
        (world.clinic_b_front_desk, 404, "appointment_not_found"),
        (world.patient_parent, 403, "staff_only"),
    ):
        refused = ApiClient().as_user(user).get(path)
        assert refused.status_code == status and set(refused.json()) == {"code", "message"}
        assert refused.json()["code"] == code
    bad = ApiClient().as_user(world.clinic_a_front_desk).get("/clinic/appointments/x/no-show-risk")
    assert bad.status_code == 404 and set(bad.json()) == {"code", "message"}


def test_without_any_model_the_api_says_so(world):
    waiting = _upcoming(world, world.parent)
    answer = (
        ApiClient()
        .as_user(world.clinic_a_front_desk)
        .get(f"/clinic/appointments/{waiting.public_id}/no-show-risk")
    )
    assert answer.status_code == 409 and answer.json()["code"] == "no_model"
    assert not NoShowModel.objects.exists() and not NoShowScore.objects.exists()
