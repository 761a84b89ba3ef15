"""Service vouchers (服务券) booked into real appointments: the voucher's states follow the
visit's, it books only its treatment at its clinic, before it expires, once at a time."""

import threading
from datetime import timedelta

import httpx
import pytest
from django.utils import timezone

from conftest import tomorrow_at
from tests.factories import ServiceFactory
from yachi.accounts.services import token_issue
from yachi.booking.choices import Status, VoucherStatus
from yachi.booking.errors import SlotTaken
from yachi.booking.models import Appointment, ServiceVoucher
from yachi.booking.services import appointment_advance, appointment_cancel, appointments_book
from yachi.booking.tasks import expire_service_vouchers
from yachi.booking.vouchers.errors import (
    VoucherExpiresFirst,
    VoucherNotForPatient,
    VoucherNotRefundable,
    VoucherNotUsable,
)
from yachi.booking.vouchers.services import voucher_book, voucher_issue, voucher_withdraw
from yachi.payments.models import Bill, PaymentIntent


def fluoride(clinic, **extra):
    return ServiceFactory(
        clinic=clinic,
        code="fluoride_varnish",
        name="儿童涂氟",
        name_en="Fluoride varnish for children",
        duration_minutes=20,
        price_fen=12800,
        **extra,
    )


def issue(world, service=None, *, days=30, source="shop.order:test", **extra):
    service = service or fluoride(world.clinic_a)
    return voucher_issue(
        source=source,
        owner=world.patient_parent,
        service=service,
        title="儿童涂氟 9.9 元",
        paid_fen=990,
        valid_until=timezone.now() + timedelta(days=days),
        **extra,
    )


def book(world, voucher, start, *, patient=None, doctor=None):
    return voucher_book(
        actor=world.patient_parent,
        voucher=voucher,
        doctor=doctor or world.clinic_a_doctor,
        start=start,
        patient=patient or world.patient_child,
    )


def status(voucher) -> str:
    return ServiceVoucher.objects.get(pk=voucher.pk).status


def test_issuing_twice_for_one_payment_gives_one_voucher(world):
    first = issue(world)
    again = issue(world, first.service)
    assert again.pk == first.pk
    assert ServiceVoucher.objects.count() == 1
    assert first.status == VoucherStatus.UNUSED and len(first.code) == 10


def test_booking_with_a_voucher_makes_a_real_appointment_of_its_treatment(world):
    voucher = issue(world)
    appointment = book(world, voucher, tomorrow_at(10))
    assert appointment.service == voucher.service
    assert appointment.patient == world.patient_child
    assert appointment.doctor == world.clinic_a_doctor
    assert appointment.status == Status.BOOKED  # no deposit: the voucher paid
    voucher.refresh_from_db()
    assert voucher.status == VoucherStatus.BOOKED and voucher.appointment == appointment


def test_the_visit_holds_the_doctors_time_like_any_booking(world):
    voucher = issue(world)
    book(world, voucher, tomorrow_at(10))
    with pytest.raises(SlotTaken):
        appointments_book(
            actor=world.other_patient,
            doctor=world.clinic_a_doctor,
            service=world.cleaning_a,
            start=tomorrow_at(10, 15),
            patients=[world.other],
        )


def test_a_taken_time_leaves_the_voucher_unused(world):
    appointments_book(
        actor=world.other_patient,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(10),
        patients=[world.other],
    )
    voucher = issue(world)
    with pytest.raises(SlotTaken):
        book(world, voucher, tomorrow_at(10))
    assert status(voucher) == VoucherStatus.UNUSED
    assert not Appointment.objects.filter(service=voucher.service).exists()


def test_a_voucher_books_once(world):
    voucher = issue(world)
    book(world, voucher, tomorrow_at(10))
    with pytest.raises(VoucherNotUsable) as refused:
        book(world, voucher, tomorrow_at(14))
    assert refused.value.code == "voucher_not_usable"
    assert Appointment.objects.filter(service=voucher.service).count() == 1


def test_cancelling_the_visit_gives_the_voucher_back_and_completing_it_uses_it(world):
    voucher = issue(world)
    first = book(world, voucher, tomorrow_at(10))
    appointment_cancel(actor=world.patient_parent, appointment=first)
    voucher.refresh_from_db()
    assert voucher.status == VoucherStatus.UNUSED and voucher.appointment is None
    second = book(world, voucher, tomorrow_at(11))
    desk = world.clinic_a_front_desk
    for step, at in (
        (Status.ARRIVED, tomorrow_at(10, 50)),
        (Status.IN_TREATMENT, tomorrow_at(11)),
        (Status.COMPLETED, tomorrow_at(11, 20)),
    ):
        second = appointment_advance(actor=desk, appointment=second, to_status=step, now=at)
    voucher.refresh_from_db()
    assert voucher.status == VoucherStatus.USED and voucher.appointment == second
    assert voucher.used_at == tomorrow_at(11, 20)


def test_a_missed_visit_gives_the_voucher_back(world):
    voucher = issue(world)
    appointment = book(world, voucher, tomorrow_at(10))
    appointment_advance(
        actor=world.clinic_a_front_desk,
        appointment=appointment,
        to_status=Status.NO_SHOW,
        now=tomorrow_at(10, 30),
    )
    assert status(voucher) == VoucherStatus.UNUSED


def test_a_voucher_books_only_before_it_expires(world):
    voucher = issue(world, days=1)
    with pytest.raises(VoucherExpiresFirst):
        book(world, voucher, tomorrow_at(10, days=3))
    assert status(voucher) == VoucherStatus.UNUSED


def test_a_voucher_for_one_person_books_only_them(world):
    voucher = issue(world, patient=world.patient_child)
    with pytest.raises(VoucherNotForPatient):
        book(world, voucher, tomorrow_at(10), patient=world.parent)
    assert book(world, voucher, tomorrow_at(10)).patient == world.patient_child


def test_another_familys_voucher_is_not_found(world):
    voucher = issue(world)
    with pytest.raises(Exception) as refused:
        voucher_book(
            actor=world.other_patient,
            voucher=voucher,
            doctor=world.clinic_a_doctor,
            start=tomorrow_at(10),
            patient=world.other,
        )
    assert refused.value.code == "voucher_not_found"
    assert status(voucher) == VoucherStatus.UNUSED


def test_only_an_unused_voucher_is_refunded(world):
    voucher = issue(world)
    book(world, voucher, tomorrow_at(10))
    with pytest.raises(VoucherNotRefundable):
        voucher_withdraw(source=voucher.source)
    assert status(voucher) == VoucherStatus.BOOKED
    other = issue(world, voucher.service, source="shop.order:other")
    voucher_withdraw(source=other.source)
    assert status(other) == VoucherStatus.REFUNDED
    with pytest.raises(VoucherNotUsable):
        book(world, ServiceVoucher.objects.get(pk=other.pk), tomorrow_at(14))


def test_unused_vouchers_expire_by_the_job_and_booked_ones_keep_their_visit(world):
    service = fluoride(world.clinic_a)
    unused = issue(world, service, days=2, source="shop.order:a")
    booked = issue(world, service, days=2, source="shop.order:b")
    book(world, booked, tomorrow_at(10))
    ServiceVoucher.objects.update(valid_until=timezone.now() - timedelta(minutes=1))
    assert expire_service_vouchers.call_local() == 1
    assert status(unused) == VoucherStatus.EXPIRED
    assert status(booked) == VoucherStatus.BOOKED
    with pytest.raises(VoucherNotUsable):
        book(world, ServiceVoucher.objects.get(pk=unused.pk), tomorrow_at(14))


# --- the API ------------------------------------------------------------------------------


def test_the_patient_lists_their_vouchers_and_books_one_over_the_api(api, world):
    voucher = issue(world)
    api.as_user(world.patient_parent)
    listed = api.get("/me/vouchers")
    assert listed.status_code == 200
    (row,) = listed.json()
    assert row["code"] == voucher.code and row["status"] == "unused"
    assert row["service"]["name"] == "儿童涂氟" and row["list_price_fen"] == 12800
    assert row["can_book"] is True and row["order_id"] is None
    body = {
        "doctor_id": str(world.clinic_a_doctor.public_id),
        "start": tomorrow_at(10).isoformat(),
        "patient_id": str(world.patient_child.public_id),
    }
    booked = api.post(f"/me/vouchers/{voucher.public_id}/book", body)
    assert booked.status_code == 201, booked.json()
    assert booked.json()["service"]["name"] == "儿童涂氟"
    assert booked.json()["deposit"] is None
    again = api.post(f"/me/vouchers/{voucher.public_id}/book", body)
    assert again.status_code == 409
    assert again.json()["code"] == "voucher_not_usable" and again.json()["message"]
    shown = api.get(f"/me/vouchers/{voucher.public_id}").json()
    assert shown["status"] == "booked" and shown["appointment"]["id"] == booked.json()["id"]


@pytest.mark.parametrize(
    ("body", "status_code", "code"),
    [
        ({"doctor_id": "nope", "start": "x"}, 422, None),
        ({"start": "2020-01-01T10:00:00+08:00"}, 422, None),
    ],
)
def test_bad_voucher_bookings_are_clear_errors(api, world, body, status_code, code):
    voucher = issue(world)
    body = {"doctor_id": str(world.clinic_a_doctor.public_id), **body}
    response = api.as_user(world.patient_parent).post(
        f"/me/vouchers/{voucher.public_id}/book", body
    )
    assert response.status_code == status_code
    assert set(response.json()) >= {"code", "message"}
    assert status(voucher) == VoucherStatus.UNUSED


def test_someone_elses_voucher_is_not_found_over_the_api(api, world):
    voucher = issue(world)
    api.as_user(world.other_patient)
    assert api.get(f"/me/vouchers/{voucher.public_id}").json()["code"] == "voucher_not_found"
    response = api.post(
        f"/me/vouchers/{voucher.public_id}/book",
        {"doctor_id": str(world.clinic_a_doctor.public_id), "start": tomorrow_at(10).isoformat()},
    )
    assert response.status_code == 404 and response.json()["code"] == "voucher_not_found"
    assert api.get("/me/vouchers").json() == []
    assert status(voucher) == VoucherStatus.UNUSED


ATTEMPTS = 6


def test_bookings_with_one_voucher_at_the_same_moment_make_one_appointment(live_server, world):
    """Real threads, each with its own connection, press "book" with the same voucher
    at different free times at once: one appointment, every other answer 409."""
    voucher = issue(world)
    token = token_issue(user=world.patient_parent, label="test")
    barrier = threading.Barrier(ATTEMPTS)
    results = [None] * ATTEMPTS

    def attempt(index):
        body = {
            "doctor_id": str(world.clinic_a_doctor.public_id),
            "start": tomorrow_at(9 + index // 2, 30 * (index % 2)).isoformat(),  # 9:00–11:30
        }
        with httpx.Client(base_url=live_server.url, timeout=60) as client:
            barrier.wait()
            response = client.post(
                f"/api/v1/me/vouchers/{voucher.public_id}/book",
                json=body,
                headers={"Authorization": f"Bearer {token}"},
            )
            results[index] = (response.status_code, response.json().get("code"))

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results, key=str) == sorted(
        [(201, None)] + [(409, "voucher_not_usable")] * (ATTEMPTS - 1), key=str
    ), results
    assert Appointment.objects.filter(service=voucher.service).count() == 1
    voucher.refresh_from_db()
    assert voucher.status == VoucherStatus.BOOKED


def _completed(world, voucher):
    appointment = book(world, voucher, tomorrow_at(10))
    desk = world.clinic_a_front_desk
    for step, at in ((Status.ARRIVED, tomorrow_at(9, 55)), (Status.COMPLETED, tomorrow_at(10, 20))):
        appointment = appointment_advance(
            actor=desk, appointment=appointment, to_status=step, now=at
        )
    return appointment


def test_the_visits_bill_shows_the_service_paid_by_the_voucher(api, world):
    voucher = issue(world)
    appointment = _completed(world, voucher)
    api.as_user(world.patient_parent)
    visit = api.get(f"/me/visits/{appointment.public_id}").json()
    assert visit["paid_by_voucher"] == {
        "code": voucher.code,
        "title": "儿童涂氟 9.9 元",
        "service": "儿童涂氟",
        "list_fen": 12800,
        "paid_fen": 990,
        "status": "used",
    }
    assert api.get("/me/visits").json()[0]["paid_by_voucher"]["code"] == voucher.code
    api.client.force_login(world.patient_parent)
    page = api.client.get(f"/visits/{appointment.public_id}/").content.decode()
    assert "服务券" in page and voucher.code in page and "¥128.00" in page
    api.client.force_login(world.clinic_a_front_desk)
    panel = api.client.get(f"/console/appointment/{appointment.public_id}/").content.decode()
    assert voucher.code in panel and "本次就诊只需为其他项目开账单" in panel


def test_a_voucher_visit_is_billed_for_the_rest_with_its_treatment_at_nothing(client, world):
    voucher = issue(world)
    appointment = _completed(world, voucher)
    client.force_login(world.clinic_a_front_desk)
    url = f"/console/appointment/{appointment.public_id}/bill/"
    client.post(url, {"amount": "30.00"})
    assert not PaymentIntent.objects.exists()  # what else was done must be said
    client.post(url, {"amount": "30.00", "description": "抛光"})
    intent = PaymentIntent.objects.get()
    assert intent.amount_fen == 3000
    lines = [(x.description, x.total_fen) for x in Bill.objects.get().lines.order_by("position")]
    assert lines == [("抛光", 3000), (f"儿童涂氟（服务券 {voucher.code} 已付）", 0)]
