"""The family's visit history: what the doctor shared, the bill and its receipt, 再约."""

import pytest

from conftest import tomorrow_at
from tests.apiclient import ApiClient
from yachi.booking.choices import Status
from yachi.booking.services import appointment_advance, appointments_book
from yachi.compliance.models import AuditEntry
from yachi.patients.records.services import (
    clinical_note_patient_part_change,
    clinical_note_write,
)
from yachi.payments import bills, services
from yachi.payments.choices import Method
from yachi.payments.models import Bill, PaymentIntent

pytestmark = pytest.mark.django_db

PRIVATE = "46 慢性牙髓炎，叩痛(+)"
SUMMARY = "今天给右下后牙做了根管治疗的第一步。"
ADVICE = "两小时内不要用这一侧咀嚼；一周后复诊。"


def _completed_visit(world, patient=None, doctor=None, hour=10):
    appointment = appointments_book(
        actor=world.patient_parent,
        doctor=doctor or world.clinic_a_doctor,
        service=world.filling_a,
        start=tomorrow_at(hour),
        patients=[patient or world.patient_child],
    ).appointments[0]
    desk = world.clinic_a_front_desk
    appointment_advance(
        actor=desk, appointment=appointment, to_status=Status.ARRIVED, now=tomorrow_at(hour - 1)
    )
    return appointment_advance(
        actor=desk, appointment=appointment, to_status=Status.COMPLETED, now=tomorrow_at(hour, 45)
    )


def _note(world, visit, share):
    patient = visit.patient
    return clinical_note_write(
        actor=world.clinic_a_doctor.user,
        patient=patient,
        clinic_ids={world.clinic_a.pk},
        appointment=visit,
        diagnosis=PRIVATE,
        treatment="46 根管预备，封药",
        patient_summary=SUMMARY,
        advice=ADVICE,
        share=share,
    )


def _paid_bill(world, visit, amount=35000):
    intent = bills.bill_create(
        actor=world.clinic_a_front_desk,
        clinic=world.clinic_a,
        payer=world.patient_parent,
        amount_fen=amount,
        description="",
        service=world.filling_a,
        appointment=visit,
    )
    return services.desk_payment_record(
        actor=world.clinic_a_front_desk, intent=intent, method=Method.CASH
    )


def test_what_the_doctor_shares_the_family_reads_and_nothing_of_the_chart(client, world):
    visit = _completed_visit(world)
    _note(world, visit, share=True)
    client.force_login(world.patient_parent)
    listing = client.get("/visits/").content.decode()
    assert "张小宝" in listing and "补牙" in listing and "王医生" in listing
    page = client.get(f"/visits/{visit.public_id}/").content.decode()
    assert SUMMARY in page and ADVICE in page and "医嘱" in page
    assert PRIVATE not in page and "根管预备" not in page


def test_a_note_not_shared_shows_nothing_but_the_visit_still_shows_date_doctor_and_bill(
    client, world
):
    visit = _completed_visit(world)
    _note(world, visit, share=False)
    _paid_bill(world, visit)
    client.force_login(world.patient_parent)
    page = client.get(f"/visits/{visit.public_id}/").content.decode()
    assert SUMMARY not in page and ADVICE not in page and PRIVATE not in page
    assert "医生未分享本次就诊的小结" in page
    assert "王医生" in page and "补牙" in page and "¥350.00" in page and "已支付" in page


def test_stopping_sharing_hides_it_again_and_each_change_is_audited(client, world):
    visit = _completed_visit(world)
    note = _note(world, visit, share=True)
    clinical_note_patient_part_change(
        actor=world.clinic_a_doctor.user, note=note, patient_summary=SUMMARY, advice="", share=False
    )
    client.force_login(world.patient_parent)
    assert SUMMARY not in client.get(f"/visits/{visit.public_id}/").content.decode()
    writes = AuditEntry.objects.filter(action="clinical_write", object_id=str(note.public_id))
    assert [e.details.get("shared") for e in writes.order_by("seq")] == [True, False]
    assert writes.order_by("seq").last().details["change"] == "patient_part"


def test_only_the_author_changes_what_the_patient_sees(world):
    visit = _completed_visit(world)
    note = _note(world, visit, share=False)
    from yachi.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        clinical_note_patient_part_change(
            actor=world.clinic_a_implant_doctor.user,
            note=note,
            patient_summary="别人写的",
            advice="",
            share=True,
        )
    note.refresh_from_db()
    assert note.shared_at is None and note.patient_summary == SUMMARY


def test_another_family_cannot_open_the_visit_or_its_receipt(client, world):
    visit = _completed_visit(world)
    _note(world, visit, share=True)
    intent = _paid_bill(world, visit)
    client.force_login(world.other_patient)
    assert client.get(f"/visits/{visit.public_id}/").status_code == 404
    assert client.get(f"/pay/{intent.public_id}/receipt/").status_code == 404
    assert client.get(f"/visits/{'0' * 8}-0000-4000-8000-{'0' * 12}/").status_code == 404
    assert SUMMARY not in client.get("/visits/").content.decode()
    api = ApiClient().as_user(world.other_patient)
    assert api.get(f"/me/visits/{visit.public_id}").status_code == 404
    assert api.get(f"/payments/{intent.public_id}/receipt").status_code == 404
    assert api.get("/me/visits").json() == []


def test_an_upcoming_appointment_is_not_a_visit_yet(client, world):
    booked = appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(15),
        patients=[world.parent],
    ).appointments[0]
    client.force_login(world.patient_parent)
    assert client.get(f"/visits/{booked.public_id}/").status_code == 404


def test_rebook_starts_with_the_same_service_doctor_and_person(client, world):
    visit = _completed_visit(world)
    client.force_login(world.patient_parent)
    page = client.get(f"/visits/{visit.public_id}/").content.decode()
    slots = f"/book/service/{world.filling_a.public_id}/doctor/{world.clinic_a_doctor.public_id}/"
    assert f'href="{slots}?who={world.patient_child.public_id}"' in page
    grid = client.get(slots, {"who": str(world.patient_child.public_id)}).content.decode()
    assert "补牙" in grid and "王医生" in grid
    # The child is the one chosen for the booking, not the holder.
    assert f'value="{world.patient_child.public_id}" checked' in grid


def test_rebook_falls_back_to_the_service_when_the_doctor_left(client, world):
    visit = _completed_visit(world)
    world.clinic_a_doctor.clinics.remove(world.clinic_a)
    client.force_login(world.patient_parent)
    page = client.get(f"/visits/{visit.public_id}/").content.decode()
    assert f'href="/book/service/{world.filling_a.public_id}/?who=' in page
    rebook = ApiClient().as_user(world.patient_parent).get(f"/me/visits/{visit.public_id}")
    assert rebook.json()["rebook"] == {
        "service_id": str(world.filling_a.public_id),
        "doctor_id": None,
        "patient_id": str(world.patient_child.public_id),
        "clinic_id": str(world.clinic_a.public_id),
    }


def test_the_receipt_shows_list_price_coupon_paid_and_refund(client, world):
    visit = _completed_visit(world)
    intent = _paid_bill(world, visit)
    Bill.objects.filter(appointment=visit).update(list_fen=40000, discount_fen=5000)
    services.refund_request(
        intent=intent, amount_fen=10000, reason="少做一项", actor=world.clinic_a_front_desk
    )
    client.force_login(world.patient_parent)
    page = client.get(f"/pay/{intent.public_id}/receipt/").content.decode()
    assert "收据" in page and "发票" in page  # it says it is not one
    assert "¥400.00" in page and "−¥50.00" in page and "¥350.00" in page
    assert "−¥100.00" in page and "¥250.00" in page
    assert "张小宝" in page and "王医生" in page and intent.out_trade_no in page
    download = client.get(f"/pay/{intent.public_id}/receipt/", {"download": "1"})
    assert download["Content-Disposition"].startswith("attachment;")
    assert "<style>" in download.content.decode() and "¥350.00" in download.content.decode()
    receipt = ApiClient().as_user(world.patient_parent).get(f"/payments/{intent.public_id}/receipt")
    body = receipt.json()
    assert (body["list_fen"], body["discount_fen"], body["paid_fen"]) == (40000, 5000, 35000)
    assert (body["refunded_fen"], body["kept_fen"]) == (10000, 25000)
    assert body["visit"]["patient"] == "张小宝"


def test_an_unpaid_bill_has_no_receipt_yet(client, world):
    visit = _completed_visit(world)
    intent = bills.bill_create(
        actor=world.clinic_a_front_desk,
        clinic=world.clinic_a,
        payer=world.patient_parent,
        amount_fen=35000,
        description="",
        service=world.filling_a,
        appointment=visit,
    )
    client.force_login(world.patient_parent)
    page = client.get(f"/visits/{visit.public_id}/").content.decode()
    assert f"/pay/{intent.public_id}/" in page and "receipt" not in page
    answer = ApiClient().as_user(world.patient_parent).get(f"/payments/{intent.public_id}/receipt")
    assert answer.status_code == 404 and answer.json()["code"] == "not_paid"


def test_the_api_lists_each_family_members_visits(world):
    child_visit = _completed_visit(world)
    _note(world, child_visit, share=True)
    _paid_bill(world, child_visit)
    _completed_visit(world, patient=world.parent, hour=14)
    api = ApiClient().as_user(world.patient_parent)
    everyone = api.get("/me/visits").json()
    assert [v["patient"]["name"] for v in everyone] == ["张妈妈", "张小宝"]
    child = api.get("/me/visits", {"patient_id": str(world.patient_child.public_id)}).json()
    assert len(child) == 1
    (visit,) = child
    assert visit["notes"] == [
        {
            "summary": SUMMARY,
            "advice": ADVICE,
            "doctor": "王医生",
            "written_at": visit["notes"][0]["written_at"],
        }
    ]
    assert visit["bills"][0]["status"] == "paid" and visit["bills"][0]["has_receipt"] is True
    assert "diagnosis" not in str(visit) and PRIVATE not in str(visit)
    stranger = api.get("/me/visits", {"patient_id": str(world.other.public_id)})
    assert stranger.status_code == 404


def _earlier_visits(visit, count):
    """``count`` more completed visits like ``visit``, one a day on the days before it."""
    from datetime import timedelta
    from uuid import uuid4

    from yachi.booking.models import Appointment

    fields = {
        f.attname: getattr(visit, f.attname)
        for f in Appointment._meta.concrete_fields
        if not f.primary_key
    }
    Appointment.objects.bulk_create(
        Appointment(
            **{
                **fields,
                "public_id": uuid4(),
                "start": visit.start - timedelta(days=day),
                "end": visit.end - timedelta(days=day),
            }
        )
        for day in range(1, count + 1)
    )


def test_a_long_history_pages_on_without_a_gap_or_a_repeat(world):
    visit = _completed_visit(world)
    _earlier_visits(visit, 104)
    api = ApiClient().as_user(world.patient_parent)
    seen, before = [], None
    while True:
        query = {"limit": 40, **({"before": before} if before else {})}
        page = api.get("/me/visits", query).json()
        if not page:
            break
        seen += [v["id"] for v in page]
        before = page[-1]["id"]
    assert len(seen) == len(set(seen)) == 105
    starts = [v["start"] for v in api.get("/me/visits").json()]
    assert len(starts) == 100 and starts == sorted(starts, reverse=True)
    assert api.get("/me/visits", {"limit": 101}).status_code == 422
    other = _completed_visit(world, patient=world.other, hour=15)
    refused = api.get("/me/visits", {"before": str(other.public_id)})
    assert (refused.status_code, refused.json()["code"]) == (404, "visit_not_found")


def test_the_history_page_shows_twenty_visits_and_links_the_earlier_ones(client, world):
    visit = _completed_visit(world)
    _earlier_visits(visit, 24)
    client.force_login(world.patient_parent)
    first = client.get("/visits/")
    assert first.content.decode().count('data-testid="visit"') == 20
    earlier = first.context["earlier"]
    second = client.get(f"/visits/?before={earlier}").content.decode()
    assert second.count('data-testid="visit"') == 5
    assert "更早的就诊" not in second and "最近的就诊" in second
    # A cursor that is not a visit of the family starts from the latest.
    assert client.get("/visits/?before=nonsense").context["earlier"] == earlier


def test_the_front_desk_bills_a_visit_from_its_panel(client, world):
    visit = _completed_visit(world)
    client.force_login(world.clinic_a_front_desk)
    panel = client.get(f"/console/appointment/{visit.public_id}/").content.decode()
    assert "为本次就诊开账单" in panel and 'value="350.00"' in panel
    response = client.post(f"/console/appointment/{visit.public_id}/bill/", {"amount": "320.00"})
    assert response.status_code == 302
    bill = Bill.objects.get(appointment=visit)
    assert bill.list_fen == 32000 and bill.payer == world.patient_parent
    assert PaymentIntent.objects.get(reference=bill.reference).amount_fen == 32000
    created = AuditEntry.objects.get(action="bill_created")
    assert created.details["appointment"] == str(visit.public_id)


def test_a_visit_not_come_to_is_not_billed(client, world):
    booked = appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(15),
        patients=[world.parent],
    ).appointments[0]
    client.force_login(world.clinic_a_front_desk)
    client.post(f"/console/appointment/{booked.public_id}/bill/", {"amount": "100"})
    assert not Bill.objects.exists()
    client.force_login(world.clinic_b_front_desk)
    visit = _completed_visit(world, hour=11)
    assert (
        client.post(f"/console/appointment/{visit.public_id}/bill/", {"amount": "1"}).status_code
        == 404
    )
    assert not Bill.objects.exists()
