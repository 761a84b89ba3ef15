"""Paying as a patient (API and pages), and the front desk's till."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yachi.payments import bills, reconciliation, services
from yachi.payments.choices import CallbackOutcome, IntentStatus, Method
from yachi.payments.models import CallbackRecord, PaymentIntent
from yachi.payments.providers.simulator import SimulatorProvider

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def bill(world):
    return bills.bill_create(
        actor=world.clinic_a_front_desk,
        clinic=world.clinic_a,
        payer=world.patient_parent,
        amount_fen=19900,
        description="补牙",
    )


def test_patient_sees_only_their_own_payments(api, world, bill):
    mine = api.as_user(world.patient_parent).get("/payments")
    assert [p["id"] for p in mine.json()] == [str(bill.public_id)]
    assert mine.json()[0]["amount_fen"] == 19900
    # Times read as the patient's clock shows them.
    assert mine.json()[0]["expires_at"].endswith("+08:00")
    assert api.as_user(world.other_patient).get("/payments").json() == []
    assert api.get(f"/payments/{bill.public_id}").status_code == 404


def test_starting_a_payment_gives_the_page_to_pay_on(api, world, bill):
    response = api.as_user(world.patient_parent).post(
        f"/payments/{bill.public_id}/start", {"method": "simulator"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["kind"] == "redirect"
    assert response.json()["url"].endswith(f"/payments/simulator/{bill.out_trade_no}/")


def test_a_method_this_deployment_does_not_offer_is_refused(api, world, bill, settings):
    settings.YACHI_PAYMENT_SIMULATOR = False
    response = api.as_user(world.patient_parent).post(
        f"/payments/{bill.public_id}/start", {"method": "simulator"}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "method_unavailable"


def test_a_closed_payment_cannot_be_started(api, world, bill):
    services.intent_close(intent=bill, reason="test")
    response = api.as_user(world.patient_parent).post(
        f"/payments/{bill.public_id}/start", {"method": "simulator"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "not_payable"


def test_bad_start_input_is_refused_clearly(api, world, bill):
    api.as_user(world.patient_parent)
    for body in (
        {"method": "bitcoin"},
        {"method": "simulator", "return_url": "https://evil.example/"},
    ):
        response = api.post(f"/payments/{bill.public_id}/start", body)
        assert response.status_code == 422
        assert {"code", "message"} <= set(response.json())
    assert PaymentIntent.objects.get().method == ""


def test_patient_pays_a_bill_through_the_pages(client, world, bill):
    client.force_login(world.patient_parent)
    page = client.get(f"/pay/{bill.public_id}/")
    assert "¥199.00" in page.content.decode()
    to_cashier = client.post(f"/pay/{bill.public_id}/", {"method": "simulator"})
    assert to_cashier.status_code == 302
    assert to_cashier["Location"] == f"/payments/simulator/{bill.out_trade_no}/"
    paid = client.post(to_cashier["Location"], follow=True)
    assert "已支付" in paid.content.decode()
    bill.refresh_from_db()
    assert bill.status == IntentStatus.PAID and bill.method == Method.SIMULATOR
    assert client.get("/me/payments/").status_code == 200


def test_someone_elses_payment_page_is_not_found(client, world, bill):
    client.force_login(world.other_patient)
    assert client.get(f"/pay/{bill.public_id}/").status_code == 404
    assert client.get(f"/payments/simulator/{bill.out_trade_no}/").status_code == 404


def test_notification_with_a_bad_signature_is_refused_and_recorded(client, bill):
    response = client.post(
        "/payments/notify/simulator/",
        b'{"event": "paid", "out_trade_no": "%s", "amount_fen": 19900}'
        % bill.out_trade_no.encode(),
        content_type="application/json",
        headers={"X-Simulator-Signature": "forged"},
    )
    assert response.status_code == 500
    assert CallbackRecord.objects.get().outcome == CallbackOutcome.BAD_SIGNATURE
    bill.refresh_from_db()
    assert bill.status == IntentStatus.CREATED
    assert (
        client.post("/payments/notify/paypal/", b"{}", content_type="application/json").status_code
        == 404
    )


def test_front_desk_creates_a_bill_takes_cash_and_refunds(client, world):
    client.force_login(world.clinic_a_front_desk)
    created = client.post(
        f"/console/clinic/{world.clinic_a.public_id}/payments/",
        {"phone": "13800000001", "amount": "350.00", "description": "根管治疗"},
    )
    assert created.status_code == 302
    intent = PaymentIntent.objects.get()
    assert (intent.amount_fen, intent.payer, intent.clinic) == (
        35000,
        world.patient_parent,
        world.clinic_a,
    )
    taken = client.post(
        f"/console/payments/{intent.public_id}/take/",
        {"method": "cash", "tendered": "400"},
        follow=True,
    ).content.decode()
    assert "实收 ¥400.00，找零 ¥50.00" in taken
    intent.refresh_from_db()
    assert intent.status == IntentStatus.PAID
    charge = intent.entries.get()
    assert (charge.tendered_fen, charge.change_fen) == (40000, 5000)
    client.post(f"/console/payments/{intent.public_id}/refund/", {"amount": "50", "reason": "优惠"})
    intent.refresh_from_db()
    assert intent.refunded_fen == 5000 and services.balance_fen(intent) == 30000
    detail = client.get(f"/console/payments/{intent.public_id}/").content.decode()
    assert "¥300.00" in detail


def test_cash_short_of_the_amount_due_is_refused_and_nothing_is_recorded(client, world, bill):
    client.force_login(world.clinic_a_front_desk)
    for tendered in ("", "abc", "-1", str(bill.amount_fen / 100 - 0.01)):
        page = client.post(
            f"/console/payments/{bill.public_id}/take/",
            {"method": "cash", "tendered": tendered},
            follow=True,
        )
        assert page.status_code == 200
        assert 'class="flash-error"' in page.content.decode()
    short = client.post(
        f"/console/payments/{bill.public_id}/take/",
        {"method": "cash", "tendered": "1"},
        follow=True,
    ).content.decode()
    assert "¥1.00" in short
    bill.refresh_from_db()
    assert bill.status == IntentStatus.CREATED and not bill.entries.exists()


def test_bad_bill_input_changes_nothing(client, world):
    client.force_login(world.clinic_a_front_desk)
    url = f"/console/clinic/{world.clinic_a.public_id}/payments/"
    for form in (
        {"phone": "13899999999", "amount": "10", "description": "x"},
        {"phone": "13800000001", "amount": "-5", "description": "x"},
        {"phone": "13800000001", "amount": "1.234", "description": "x"},
        {"phone": "13800000001", "amount": "abc", "description": "x"},
        {"phone": "13800000001", "amount": "10", "description": " "},
    ):
        page = client.post(url, form)
        assert page.status_code == 200
        assert 'class="flash-error"' in page.content.decode()
    assert not PaymentIntent.objects.exists()


def test_other_clinics_and_doctors_stay_out_of_the_till(client, world, bill):
    client.force_login(world.clinic_b_front_desk)
    assert client.get(f"/console/payments/{bill.public_id}/").status_code == 404
    assert client.get(f"/console/clinic/{world.clinic_a.public_id}/payments/").status_code == 404
    client.force_login(world.clinic_a_doctor.user)
    assert (
        client.post(f"/console/payments/{bill.public_id}/take/", {"method": "cash"}).status_code
        == 403
    )
    bill.refresh_from_db()
    assert bill.status == IntentStatus.CREATED


def test_reconciliation_records_a_payment_whose_notification_was_lost(world, bill):
    from yachi.payments import gateway

    gateway.payment_start(intent=bill, method=Method.SIMULATOR)
    SimulatorProvider().pay(bill.out_trade_no)  # paid at the provider; no notification
    report = reconciliation.reconcile(day=timezone.localdate(), method=Method.SIMULATOR)
    assert report.statement_count == 1
    assert report.findings[0]["kind"] == "recorded_now" and report.findings[0]["repaired"]
    bill.refresh_from_db()
    assert bill.status == IntentStatus.PAID
    again = reconciliation.reconcile(day=timezone.localdate(), method=Method.SIMULATOR)
    assert again.findings == []


def test_expired_bill_is_not_payable_on_the_page(client, world, bill):
    PaymentIntent.objects.filter(pk=bill.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(world.patient_parent)
    page = client.post(f"/pay/{bill.public_id}/", {"method": "simulator"})
    assert page.status_code == 200
    assert "该笔款项已无法支付" in page.content.decode()


@pytest.mark.django_db
def test_only_the_payer_logged_in_can_confirm_a_simulated_payment(client, world, bill):
    from yachi.payments import gateway

    gateway.payment_start(intent=bill, method=Method.SIMULATOR)
    page = f"/payments/simulator/{bill.out_trade_no}/"
    anonymous = client.post(page)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")
    client.force_login(world.other_patient)
    assert client.post(page).status_code == 404
    client.force_login(world.clinic_a_front_desk)
    assert client.post(page).status_code == 403
    bill.refresh_from_db()
    assert bill.status == IntentStatus.CREATED and not CallbackRecord.objects.exists()
    client.force_login(world.patient_parent)
    assert client.post(page).status_code == 302
    bill.refresh_from_db()
    assert bill.status == IntentStatus.PAID


SIGNED_GARBLE = [
    b"not json",
    b"[]",
    b'{"event": "paid"}',
    b'{"event": "paid", "out_trade_no": 20261128000001, "amount_fen": 19900}',
    b'{"event": "paid", "out_trade_no": "%s", "amount_fen": "all of it"}',
    b'{"event": "paid", "out_trade_no": "%s\\u0000", "amount_fen": 19900}',
    b'{"event": "paid", "out_trade_no": "%s", "amount_fen": -1}',
]


@pytest.mark.django_db
@pytest.mark.parametrize("body", SIGNED_GARBLE)
def test_a_signed_but_garbled_simulator_notification_is_recorded(client, bill, body):
    from yachi.payments.providers.simulator import SIGNATURE_HEADER, sign

    if b"%s" in body:
        body = body % bill.out_trade_no.encode()
    response = client.post(
        "/payments/notify/simulator/",
        body,
        content_type="application/json",
        headers={SIGNATURE_HEADER: sign(body)},
    )
    assert response.status_code == 500  # the simulator's "not processed"
    record = CallbackRecord.objects.get()
    assert record.outcome == CallbackOutcome.MALFORMED and record.detail
    bill.refresh_from_db()
    assert bill.status == IntentStatus.CREATED


@pytest.mark.django_db
def test_a_huge_notification_is_recorded_without_being_read(client, bill):
    body = b'{"event": "paid", "padding": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    response = client.post(
        "/payments/notify/simulator/",
        body,
        content_type="application/json",
        headers={"X-Simulator-Signature": "forged"},
    )
    assert response.status_code == 500
    record = CallbackRecord.objects.get()
    assert record.outcome == CallbackOutcome.MALFORMED and "65536" in record.detail
    bill.refresh_from_db()
    assert bill.status == IntentStatus.CREATED


def test_the_refund_form_offers_a_large_balance_as_an_amount_it_accepts(client, world):
    client.force_login(world.clinic_a_manager)
    client.post(
        f"/console/clinic/{world.clinic_a.public_id}/payments/",
        {"phone": "13800000001", "amount": "12800.00", "description": "种植牙"},
    )
    intent = PaymentIntent.objects.get()
    client.post(
        f"/console/payments/{intent.public_id}/take/", {"method": "cash", "tendered": "12800"}
    )

    detail = client.get(f"/console/payments/{intent.public_id}/").content.decode()
    assert 'name="amount" value="12800.00"' in detail
    client.post(
        f"/console/payments/{intent.public_id}/refund/", {"amount": "12800.00", "reason": "未治疗"}
    )
    intent.refresh_from_db()
    assert intent.refunded_fen == 1280000
