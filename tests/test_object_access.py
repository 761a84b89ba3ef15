"""Broken object-level authorisation, checked for every API route.

Every route of the published API that names an object in its path is called with
the id of an object that belongs to someone else: another family's appointment or
family member, another clinic's patient or appointment. The answer must be 404 (or
403) and nothing may change. A new route whose path parameter is not listed below
fails this test until someone says whose objects it addresses.
"""

import json

import pytest

from config.api import api as ninja_api
from conftest import tomorrow_at
from tests.factories import png_upload
from yachi.booking.emergency.services import emergency_request
from yachi.booking.models import Appointment
from yachi.booking.services import appointments_book
from yachi.booking.waitlist.services import _hold_for, waitlist_join
from yachi.messaging.services import notify
from yachi.patients.models import ClinicalNote, FacePhoto, Patient

# Path parameters naming public reference data (anyone may read these: a clinic, a
# doctor, a service a clinic offers, a flash sale on offer, the mall's products and SKUs), or a kind of thing of
# the caller's own account rather than an object (a consent's kind; a cart line is
# addressed by its SKU within the caller's own cart).
PUBLIC = {"clinic_id", "doctor_id", "service_id", "kind", "product_id", "sku_id", "sale_id"}


def _snapshot():
    from yachi.booking.models import EmergencyCase, WaitlistEntry, WaitlistOffer
    from yachi.growth.models import Coupon, CouponTemplate, PointsAccount, PointsEntry
    from yachi.messaging.models import Notification
    from yachi.payments.models import PaymentIntent
    from yachi.shop.models import CartItem, Order, Stock

    return (
        list(EmergencyCase.objects.order_by("pk").values()),
        list(WaitlistEntry.objects.order_by("pk").values()),
        list(WaitlistOffer.objects.order_by("pk").values()),
        list(Notification.objects.order_by("pk").values("pk", "read_at", "status")),
        list(Appointment.objects.order_by("pk").values()),
        list(Patient.objects.order_by("pk").values()),
        list(ClinicalNote.objects.order_by("pk").values()),
        list(FacePhoto.objects.order_by("pk").values()),
        list(PaymentIntent.objects.order_by("pk").values()),
        list(Coupon.objects.order_by("pk").values()),
        list(CouponTemplate.objects.order_by("pk").values()),
        list(PointsAccount.objects.order_by("pk").values()),
        list(PointsEntry.objects.order_by("pk").values()),
        list(Order.objects.order_by("pk").values()),
        list(CartItem.objects.order_by("pk").values()),
        list(Stock.objects.order_by("pk").values()),
    )


def foreign_ids(world) -> dict[str, list[tuple[object, str]]]:
    """For each path parameter: (caller, id of an object the caller must not reach)."""
    theirs = appointments_book(
        actor=world.other_patient,
        doctor=world.clinic_b_doctor,
        service=world.cleaning_b,
        start=tomorrow_at(10),
        patients=[world.other],
    ).appointments[0]
    from tests.factories import face_photo

    their_photo = face_photo(world.other_patient, world.other)
    their_message = notify(
        recipient=world.other_patient,
        kind="appointment_booked",
        params={},
        key="theirs",
        channels=("inbox",),
    )[0]
    their_case = emergency_request(
        actor=world.other_patient,
        patient=world.other,
        pain_level=5,
        symptoms="",
        latitude=31.2,
        longitude=121.4,
    )
    # Everything of theirs is at clinic B, so clinic A's doctor has no reason to see it.
    their_entry = waitlist_join(
        actor=world.other_patient,
        patient=world.other,
        service=world.cleaning_b,
        earliest=tomorrow_at(8),
        latest=tomorrow_at(18),
    )
    their_offer = _hold_for(
        their_entry, world.clinic_b_doctor, tomorrow_at(16), tomorrow_at(16, 30)
    )
    from yachi.patients.records.services import clinical_note_write
    from yachi.payments.bills import bill_create

    their_note = clinical_note_write(
        actor=world.clinic_b_doctor.user,
        patient=world.other,
        clinic_ids={world.clinic_b.pk},
        appointment=theirs,
        diagnosis="龋齿",
        patient_summary="补了一颗牙",
        share=True,
    )
    their_bill = bill_create(
        actor=world.clinic_b_front_desk,
        clinic=world.clinic_b,
        payer=world.other_patient,
        amount_fen=9900,
        description="洁牙",
    )
    # A template offered to nobody for points: redeeming it must be refused even with
    # points to spare.
    from yachi.growth.ledger import points_earn
    from yachi.growth.models import CouponTemplate

    not_a_reward = CouponTemplate.objects.create(
        name="店长专用券", kind="fixed_amount", amount_off_fen=3000, valid_days=30
    )
    retired_reward = CouponTemplate.objects.create(
        name="已下架礼品", kind="free_item", valid_days=30, points_cost=1, active=False
    )
    points_earn(user=world.patient_parent, points=100, reason="activity", idempotency_key="bola")
    # A mall order of theirs, at clinic B.
    from yachi.shop.services import cart_add, order_checkout
    from yachi.shop.tests.conftest import catalogue

    shop = catalogue(world)
    cart_add(user=world.other_patient, sku=shop.white)
    their_order = order_checkout(
        buyer=world.other_patient, clinic=world.clinic_b, fulfilment="pickup"
    ).order
    return {
        "payment_id": [
            (world.patient_parent, str(their_bill.public_id)),
            (world.clinic_a_front_desk, str(their_bill.public_id)),
        ],
        "order_id": [
            (world.patient_parent, str(their_order.public_id)),
            (world.clinic_a_front_desk, str(their_order.public_id)),  # another clinic's
        ],
        "notification_id": [(world.patient_parent, str(their_message.public_id))],
        "note_id": [
            (world.clinic_a_doctor.user, str(their_note.public_id)),  # another clinic's
            (world.patient_parent, str(their_note.public_id)),
        ],
        "case_id": [
            (world.patient_parent, str(their_case.public_id)),
            (world.clinic_a_doctor.user, str(their_case.public_id)),  # never asked to take it
        ],
        "entry_id": [(world.patient_parent, str(their_entry.public_id))],
        "offer_id": [(world.patient_parent, str(their_offer.public_id))],
        "template_id": [
            (world.patient_parent, str(not_a_reward.public_id)),
            (world.patient_parent, str(retired_reward.public_id)),
            (world.clinic_a_manager, str(not_a_reward.public_id)),  # staff have no points
        ],
        "photo_id": [
            (world.patient_parent, str(their_photo.public_id)),
            (world.clinic_b_doctor.user, str(their_photo.public_id)),
        ],
        "appointment_id": [
            (world.patient_parent, str(theirs.public_id)),  # another family's
            (world.clinic_a_front_desk, str(theirs.public_id)),  # another clinic's
            (world.clinic_a_doctor.user, str(theirs.public_id)),
        ],
        "patient_id": [
            (world.patient_parent, str(world.other.public_id)),
            (world.other_patient, str(world.patient_child.public_id)),
            # seen only at clinic B: not a patient of clinic A's doctor
            (world.clinic_a_doctor.user, str(world.other.public_id)),
            (world.clinic_b_front_desk, str(world.other.public_id)),
        ],
    }


def routes_with_objects():
    schema = ninja_api.get_openapi_schema(path_prefix="")
    for path, operations in schema["paths"].items():
        params = {part[1:-1] for part in path.split("/") if part.startswith("{")}
        if params - PUBLIC:
            for method in operations:
                yield method.upper(), path, params - PUBLIC


@pytest.mark.parametrize(("method", "path", "params"), list(routes_with_objects()))
def test_nobody_reaches_another_accounts_or_clinics_objects(api, world, method, path, params):
    cases = foreign_ids(world)
    unknown = params - set(cases)
    assert not unknown, f"{path}: say whose objects {sorted(unknown)} address in this test"
    body = {
        "start": tomorrow_at(15).isoformat(),
        "reason": "x",
        "name": "x",
        "relationship": "child",
        "gender": "male",
        "diagnosis": "龋齿",
        "method": "simulator",
        "coupon_id": "00000000-0000-4000-8000-000000000000",
    }
    for param in params:
        for caller, foreign in cases[param]:
            before = _snapshot()
            api.as_user(caller)
            url = "/api/v1" + path.replace("{" + param + "}", foreign)
            headers = {"Authorization": f"Bearer {api.token}"}
            if url.endswith("/face-photos") and method == "POST":
                upload = {"file": png_upload()}
                response = api.client.post(url, upload, headers=headers)
            else:
                response = api.client.generic(
                    method, url, json.dumps(body), content_type="application/json", headers=headers
                )
            assert response.status_code in (403, 404), (caller, method, url, response.content)
            assert _snapshot() == before, f"{method} {url} changed data for {caller}"
