"""Broken object-level authorisation, checked for every API route.

Every route of the published API that names an object in its path is called with
the id of an object that belongs to someone else: another family's appointment or
family member, another clinic's patient or appointment. The answer must be 404 (or
403) and nothing may change. A new route whose path parameter is not listed below
fails this test until someone says whose objects it addresses.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from config.api import api as ninja_api
from conftest import tomorrow_at
from tests.factories import png_upload
from tests.sockets import run
from yachi.booking.emergency.services import emergency_request
from yachi.booking.models import Appointment
from yachi.booking.services import appointments_book
from yachi.booking.waitlist.services import _hold_for, waitlist_join
from yachi.crm.tests.history import follow_up_task
from yachi.imaging.models import Image, Study
from yachi.messaging.services import notify
from yachi.patients.models import ClinicalNote, FacePhoto, Patient

# Path parameters naming public reference data (anyone may read these: a clinic, a
# doctor, a service a clinic offers, a flash sale on offer, the mall's products and SKUs), or a kind of thing of
# the caller's own account rather than an object (a consent's kind; a cart line is
# addressed by its SKU within the caller's own cart).
PUBLIC = {"clinic_id", "doctor_id", "service_id", "kind", "product_id", "sku_id", "sale_id"}
# A group-buy campaign and a check-in challenge on offer are anyone's to see and take part
# in; a group is addressed by its share link, which its members send to others so that
# they may see it (names masked) and join it: none of them is one account's object.
PUBLIC |= {"campaign_id", "group_id", "challenge_id"}
# Published articles are read by anyone (shared beyond the app); a draft is "not found" to
# all (growth/tests/test_articles.py).
PUBLIC |= {"article_id"}
# So are case contests open or judged (never their entries); a draft is "not found".
PUBLIC |= {"contest_id"}
# The financing partner's callback names the partner, not anyone's object; it is signed.
PUBLIC |= {"partner"}


def _snapshot_queries():
    """What a refused request must leave as it was."""
    from yachi.accounts.models import ApiToken
    from yachi.booking.models import EmergencyCase, WaitlistEntry, WaitlistOffer
    from yachi.crm.playbook.models import FollowUpTask
    from yachi.financing.models import InstalmentPlan, Invoice, InvoiceBuyer
    from yachi.growth.models import (
        CaseEntry,
        CaseFile,
        Coupon,
        CouponTemplate,
        PointsAccount,
        PointsEntry,
    )
    from yachi.messaging.models import (
        ChatMessage,
        Conversation,
        Notification,
        QuickReply,
        VideoRoomEvent,
    )
    from yachi.payments.models import PaymentIntent
    from yachi.queueing.models import QueueEvent, Ticket
    from yachi.shop.models import CartItem, Order, Stock

    return [
        InstalmentPlan.objects.order_by("pk").values("pk", "status"),
        Invoice.objects.order_by("pk").values("pk", "status"),
        InvoiceBuyer.objects.order_by("pk").values("pk"),
        EmergencyCase.objects.order_by("pk").values(),
        WaitlistEntry.objects.order_by("pk").values(),
        WaitlistOffer.objects.order_by("pk").values(),
        Notification.objects.order_by("pk").values("pk", "read_at", "status"),
        Appointment.objects.order_by("pk").values(),
        Patient.objects.order_by("pk").values(),
        ClinicalNote.objects.order_by("pk").values(),
        FacePhoto.objects.order_by("pk").values(),
        Study.objects.order_by("pk").values("pk", "patient_id", "assigned_at"),
        Image.objects.order_by("pk").values("pk", "study_id"),
        PaymentIntent.objects.order_by("pk").values(),
        Coupon.objects.order_by("pk").values(),
        CouponTemplate.objects.order_by("pk").values(),
        PointsAccount.objects.order_by("pk").values(),
        PointsEntry.objects.order_by("pk").values(),
        Order.objects.order_by("pk").values(),
        CartItem.objects.order_by("pk").values(),
        Stock.objects.order_by("pk").values(),
        ApiToken.objects.filter(revoked_at__isnull=False).values_list("pk", flat=True),
        Ticket.objects.order_by("pk").values(),
        QueueEvent.objects.order_by("pk").values("pk", "seq"),
        Conversation.objects.order_by("pk").values(),
        ChatMessage.objects.order_by("pk").values("pk", "seq", "kind"),
        QuickReply.objects.order_by("pk").values(),
        VideoRoomEvent.objects.order_by("pk").values(),
        CaseEntry.objects.order_by("pk").values("pk", "status", "consent_withdrawn_at"),
        CaseFile.objects.order_by("pk").values("pk"),
        FollowUpTask.objects.order_by("pk").values("pk", "status", "outcome", "done_at"),
        *_insurance_queries(),
    ]


def _insurance_queries():
    from yachi.insurance.claims.models import ClaimCase, ClaimDocument
    from yachi.insurance.medical.models import CatalogueMapping, Institution, Settlement
    from yachi.payments.models import LedgerEntry

    return [
        Settlement.objects.order_by("pk").values("pk", "status", "payment_id", "share_payment_id"),
        ClaimCase.objects.order_by("pk").values("pk", "status", "insurer_claim_number"),
        ClaimDocument.objects.order_by("pk").values_list("pk", flat=True),
        CatalogueMapping.objects.order_by("pk").values(),
        Institution.objects.order_by("pk").values(),
        LedgerEntry.objects.order_by("pk").values_list("pk", flat=True),
    ]


# The snapshots' SQL, compiled once per process: a snapshot is taken before and after each
# of some thousands of refused requests, and compiling thirty querysets each time was most
# of the console sweep's CPU (the queries themselves cost a tenth of it).
_COMPILED: dict[str, list] = {}


def _stored(key: str, queries) -> list:
    """The rows the queries read, as stored (encrypted columns as their ciphertext: a
    refused request leaves them byte for byte as they were)."""
    from django.db import connection

    if key not in _COMPILED:
        _COMPILED[key] = [query.query.sql_with_params() for query in queries()]
    rows = []
    with connection.cursor() as cursor:
        for sql, params in _COMPILED[key]:
            cursor.execute(sql, params)
            rows.append(cursor.fetchall())
    return rows


def _snapshot() -> list:
    return _stored("api", _snapshot_queries)


def _roster_proposal(clinic):
    """A computed roster proposal of ``clinic`` three weeks ahead with one option that
    rosters nobody (publishing it orphans no visit of these tests)."""
    from datetime import timedelta

    from django.utils import timezone

    from yachi.rostering.proposals.models import ProposalStatus, RosterOption, RosterProposal

    today = timezone.localdate()
    proposal = RosterProposal.objects.create(
        week_start=today + timedelta(days=7 - today.weekday(), weeks=2),
        weeks=1,
        status=ProposalStatus.READY,
        progress=100,
    )
    proposal.clinics.set([clinic])
    RosterOption.objects.create(
        proposal=proposal,
        position=0,
        objectives={
            "unmet_demand_minutes": 0,
            "imbalance_hours": 0,
            "overtime_hours": 0,
            "preference_violations": 0,
            "emergency_buffer_minutes": 0,
        },
        shifts=[],
    )
    return proposal


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
    from yachi.imaging.dicom.synthetic import Picture, part10
    from yachi.imaging.services import instance_receive

    their_xray = instance_receive(
        clinic=world.clinic_b, data=part10(Picture(patient_id=world.other.chart_number))
    ).image
    from yachi.imaging.scans.geometry.arch import place
    from yachi.imaging.scans.geometry.synthetic import jaw_stl
    from yachi.imaging.scans.services import scan_upload

    their_scan = scan_upload(
        actor=world.clinic_b_doctor.user,
        patient=world.other,
        clinic=world.clinic_b,
        upload=SimpleUploadedFile(
            "upper.stl", jaw_stl(place({"11", "21"}), "upper", subdivisions=0)
        ),
        jaw="upper",
        taken_on="2026-11-01",
    )
    their_mark = _caries_mark(their_xray)
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
    from yachi.growth.tests.test_cases import contest, enter

    their_case_entry = enter(world.other_patient, contest(world))
    their_case_file = their_case_entry.files.first()
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
    # Clinic C, of the same chain, is nobody's here but its own staff's: not the regional
    # manager's over A and B, not the manager of A who is front desk at B.
    from tests import factories as f
    from yachi.clinics.models import StaffMembership
    from yachi.core.roles import ChainRole, ClinicRole

    clinic_c = f.ClinicFactory(chain=world.chain, name="浦东店")
    f.ChairFactory(clinic=clinic_c)
    doctor_c = f.DoctorFactory(clinics=[clinic_c])
    f.weekly_hours(doctor_c, clinic_c)
    stranger = f.patient_user("13500000009", name="浦东患者")
    at_c = appointments_book(
        actor=stranger,
        doctor=doctor_c,
        service=f.ServiceFactory(clinic=clinic_c),
        start=tomorrow_at(11),
        patients=[stranger.family_account.members.get(seat=0)],
    ).appointments[0]
    bill_c = bill_create(
        actor=f.staff_member(clinic_c),
        clinic=clinic_c,
        payer=stranger,
        amount_fen=9900,
        description="洁牙",
    )
    # A service voucher of theirs, bought at clinic B.
    from yachi.booking.vouchers.services import voucher_issue

    their_voucher = voucher_issue(
        source="test:their-voucher",
        owner=world.other_patient,
        service=world.cleaning_b,
        title="洁牙 9.9 元",
        paid_fen=990,
        valid_until=tomorrow_at(18, days=30),
    )
    # One of their logged-in devices.
    from yachi.accounts.models import ApiToken
    from yachi.accounts.services import token_issue

    token_issue(user=world.other_patient, label="sms-login")
    their_token = ApiToken.objects.filter(user=world.other_patient).latest("pk")
    regional = f.StaffFactory()
    f.chain_role(
        regional, world.chain, ChainRole.REGIONAL_MANAGER, [world.clinic_a, world.clinic_b]
    )
    mixed = f.staff_member(world.clinic_a, role=ClinicRole.MANAGER)
    StaffMembership.objects.create(user=mixed, clinic=world.clinic_b, role=ClinicRole.FRONT_DESK)
    # A queue ticket of theirs at clinic B, and one at clinic C.
    from yachi.queueing.services import walk_in

    their_ticket = walk_in(
        actor=world.clinic_b_front_desk,
        clinic=world.clinic_b,
        phone="13800000002",
        service=world.cleaning_b,
    )
    ticket_c = walk_in(
        actor=f.staff_member(clinic_c), clinic=clinic_c, phone="13500000009", service=at_c.service
    )
    # Their conversation with clinic B, with a picture; and a stranger's with clinic C.
    from yachi.messaging.chat.services import conversation_open, message_send

    their_chat = conversation_open(
        actor=world.other_patient, clinic_id=world.clinic_b.public_id
    ).conversation
    their_picture = message_send(
        actor=world.other_patient, conversation=their_chat, image=png_upload()
    )
    chat_c = conversation_open(actor=stranger, clinic_id=clinic_c.public_id).conversation
    picture_c = message_send(actor=stranger, conversation=chat_c, image=png_upload())
    their_roster = _roster_proposal(world.clinic_b)
    their_option = their_roster.options.get()
    their_call = follow_up_task(world.clinic_b, world.other)
    # A treatment plan of theirs at clinic B, offered to them.
    from yachi.clinical.models import TreatmentPlan

    their_plan = TreatmentPlan.objects.create(
        patient=world.other,
        clinic=world.clinic_b,
        doctor=world.clinic_b_doctor,
        title="种植",
        status="proposed",
    )
    # Their instalment quote for that plan, and their paid bill's invoice.
    from datetime import timedelta

    from django.utils import timezone

    from yachi.financing.models import InstalmentPlan

    their_instalments = InstalmentPlan.objects.create(
        treatment_plan=their_plan,
        plan_revision=1,
        patient=world.other,
        clinic=world.clinic_b,
        borrower=world.other_patient,
        product="implant_instalments",
        partner="partner",
        months=6,
        method="equal_payment",
        principal_fen=600_000,
        annual_rate=0,
        apr=0,
        total_interest_fen=0,
        start_date=timezone.localdate(),
        quote_expires_at=timezone.now() + timedelta(days=7),
        application_no="IPTHEIRS",
    )
    from yachi.clinical.models import PlanItem, PlanPhase

    their_item = PlanItem.objects.create(
        phase=PlanPhase.objects.create(plan=their_plan, position=1, title="一"),
        position=1,
        service_code="cleaning",
        description="洁牙",
        unit_fen=100,
    )
    from yachi.insurance.claims.models import ClaimCase
    from yachi.insurance.medical.models import Settlement

    their_settlement = Settlement.objects.create(
        clinic=world.clinic_b,
        payment=their_bill,
        bill_id=their_bill.public_id,
        status="settled",
        visit_serial="MZ-THEIRS",
        platform_settlement_id="SETL-THEIRS",
        bill_fen=9900,
        fund_fen=5000,
        account_fen=0,
        self_fen=4900,
    )
    their_claim = ClaimCase.objects.create(
        clinic=world.clinic_b,
        payer=world.other_patient,
        patient=world.other,
        payment=their_bill,
        bill_id=their_bill.public_id,
        insurer="pingan",
        policy_number="P-THEIRS",
        accident_date=tomorrow_at(9).date(),
        claimed_fen=9900,
    )
    return {
        "settlement_id": [
            (world.patient_parent, str(their_settlement.public_id)),
            (world.clinic_a_front_desk, str(their_settlement.public_id)),
            (world.other_patient, str(their_settlement.public_id)),  # patients never
        ],
        "claim_id": [
            (world.patient_parent, str(their_claim.public_id)),
            (world.clinic_a_front_desk, str(their_claim.public_id)),
        ],
        "item_id": [
            (world.patient_parent, str(their_item.public_id)),
            (world.clinic_a_front_desk, str(their_item.public_id)),
        ],
        "instalment_plan_id": [
            (world.patient_parent, str(their_instalments.public_id)),  # another family's
            (world.clinic_a_front_desk, str(their_instalments.public_id)),  # another clinic's
            (world.clinic_a_doctor.user, str(their_instalments.public_id)),
        ],
        "plan_id": [
            (world.patient_parent, str(their_plan.public_id)),  # another family's
            (world.clinic_a_front_desk, str(their_plan.public_id)),  # another clinic's
            (world.clinic_a_doctor.user, str(their_plan.public_id)),
        ],
        "queue_id": [
            (world.clinic_a_front_desk, str(their_ticket.queue.public_id)),  # another clinic's
            (world.patient_parent, str(their_ticket.queue.public_id)),  # staff only
            (world.other_patient, str(their_ticket.queue.public_id)),  # even their own
            (regional, str(ticket_c.queue.public_id)),
            (mixed, str(ticket_c.queue.public_id)),
        ],
        "ticket_id": [
            (world.patient_parent, str(their_ticket.public_id)),  # another family's
            (world.clinic_a_front_desk, str(their_ticket.public_id)),  # another clinic's
            (regional, str(ticket_c.public_id)),
        ],
        "conversation_id": [
            (world.patient_parent, str(their_chat.public_id)),  # another family's
            (world.clinic_a_front_desk, str(their_chat.public_id)),  # another clinic's
            (world.clinic_a_doctor.user, str(their_chat.public_id)),
            (regional, str(chat_c.public_id)),
            (mixed, str(chat_c.public_id)),
        ],
        "proposal_id": [
            (world.clinic_a_manager, str(their_roster.public_id)),  # another clinic's
            (world.clinic_b_front_desk, str(their_roster.public_id)),  # managers only
            (world.patient_parent, str(their_roster.public_id)),
        ],
        "task_id": [
            (world.clinic_a_front_desk, str(their_call.public_id)),  # another clinic's
            (world.clinic_a_manager, str(their_call.public_id)),
            (world.patient_parent, str(their_call.public_id)),  # staff only
            (world.other_patient, str(their_call.public_id)),  # even about themselves
            (regional, str(follow_up_task(clinic_c, at_c.patient).public_id)),
        ],
        "option_id": [
            (world.clinic_a_manager, str(their_option.public_id)),
            (world.clinic_b_front_desk, str(their_option.public_id)),
        ],
        "message_id": [
            (world.patient_parent, str(their_picture.public_id)),
            (world.clinic_a_front_desk, str(their_picture.public_id)),
            (regional, str(picture_c.public_id)),
        ],
        "payment_id": [
            (world.patient_parent, str(their_bill.public_id)),
            (world.clinic_a_front_desk, str(their_bill.public_id)),
            (regional, str(bill_c.public_id)),
            (mixed, str(bill_c.public_id)),
        ],
        "order_id": [
            (world.patient_parent, str(their_order.public_id)),
            (world.clinic_a_front_desk, str(their_order.public_id)),  # another clinic's
        ],
        "voucher_id": [
            (world.patient_parent, str(their_voucher.public_id)),  # another family's
            (world.clinic_b_front_desk, str(their_voucher.public_id)),  # patients' own only
        ],
        "notification_id": [(world.patient_parent, str(their_message.public_id))],
        "token_id": [
            (world.patient_parent, str(their_token.public_id)),
            (world.clinic_b_front_desk, str(their_token.public_id)),  # even at their clinic
        ],
        "note_id": [
            (world.clinic_a_doctor.user, str(their_note.public_id)),  # another clinic's
            (world.patient_parent, str(their_note.public_id)),
        ],
        "case_id": [
            (world.patient_parent, str(their_case.public_id)),
            (world.clinic_a_doctor.user, str(their_case.public_id)),  # never asked to take it
        ],
        "entry_id": [(world.patient_parent, str(their_entry.public_id))],
        "case_entry_id": [(world.patient_parent, str(their_case_entry.public_id))],
        "case_file_id": [
            (world.patient_parent, str(their_case_file.public_id)),
            (world.clinic_a_front_desk, str(their_case_file.public_id)),  # patients' own only
        ],
        "offer_id": [(world.patient_parent, str(their_offer.public_id))],
        "template_id": [
            (world.patient_parent, str(not_a_reward.public_id)),
            (world.patient_parent, str(retired_reward.public_id)),
            (world.clinic_a_manager, str(not_a_reward.public_id)),  # staff have no points
        ],
        "image_id": [
            (world.patient_parent, str(their_xray.public_id)),  # another family's
            (world.clinic_a_front_desk, str(their_xray.public_id)),  # another clinic's
            (world.clinic_a_doctor.user, str(their_xray.public_id)),
        ],
        "scan_id": [
            (world.patient_parent, str(their_scan.public_id)),  # another family's
            (world.clinic_a_front_desk, str(their_scan.public_id)),  # another clinic's
            (world.clinic_a_doctor.user, str(their_scan.public_id)),
        ],
        "study_id": [
            (world.patient_parent, str(their_xray.study.public_id)),  # another family's
            (world.clinic_a_front_desk, str(their_xray.study.public_id)),  # another clinic's
            (world.clinic_a_doctor.user, str(their_xray.study.public_id)),
        ],
        "mark_id": [
            (world.patient_parent, str(their_mark.public_id)),  # patients review nothing
            (world.other_patient, str(their_mark.public_id)),  # not even their own
            (world.clinic_a_doctor.user, str(their_mark.public_id)),  # another clinic's
        ],
        "photo_id": [
            (world.patient_parent, str(their_photo.public_id)),
            (world.clinic_b_doctor.user, str(their_photo.public_id)),
        ],
        "appointment_id": [
            (world.patient_parent, str(theirs.public_id)),  # another family's
            (world.clinic_a_front_desk, str(theirs.public_id)),  # another clinic's
            (world.clinic_a_doctor.user, str(theirs.public_id)),
            (regional, str(at_c.public_id)),
            (mixed, str(at_c.public_id)),
        ],
        "patient_id": [
            (world.patient_parent, str(world.other.public_id)),
            (world.other_patient, str(world.patient_child.public_id)),
            # seen only at clinic B: not a patient of clinic A's doctor
            (world.clinic_a_doctor.user, str(world.other.public_id)),
            (world.clinic_b_front_desk, str(world.other.public_id)),
            (regional, str(at_c.patient.public_id)),
            (mixed, str(at_c.patient.public_id)),
        ],
    }


def _entitled(world, method, path) -> set[int]:
    """Callers of the lists above whom a route lets in by right: the front desk of the
    clinic where a person was seen reads their tags, as on the patient 360 page (ADR 0050)
    — unlike their clinical notes."""
    if (method, path) == ("GET", "/clinic/patients/{patient_id}/tags"):
        return {world.clinic_b_front_desk.pk}
    # The tooth chart, the plans and the X-rays are read by the staff of a clinic the patient
    # was seen at, as the API contract says (ADR 0059, ADR 0060); only doctors write.
    if method == "GET" and path in (
        "/patients/{patient_id}/chart",
        "/patients/{patient_id}/treatment-plans",
        "/patients/{patient_id}/studies",
        "/patients/{patient_id}/scans",
        "/patients/{patient_id}/arch",
    ):
        return {world.clinic_b_front_desk.pk}
    # Staff of a clinic where the patient was seen upload their intraoral scans (ADR 0062).
    if (method, path) == ("POST", "/patients/{patient_id}/scans"):
        return {world.clinic_b_front_desk.pk}
    return set()


# Bodies that pass an endpoint's validation, so that its access check is what answers.
BODIES = {
    "/images/{image_id}/caries-marks": {"box": [1, 1, 9, 9], "tooth": "16"},
    "/patients/{patient_id}/chart/findings": {"tooth": "16", "kind": "caries", "surfaces": "O"},
    "/treatment-plans/{plan_id}/accept": {"revision": 1, "signature": "x", "agree": True},
    "/payments/{payment_id}/insurance/identity": {"credential": "YBCODE"},
    "/payments/{payment_id}/insurance/pre-settle": {"credential": "YBCODE"},
    "/payments/{payment_id}/claims": {
        "insurer": "pingan",
        "policy_number": "P1",
        "accident_date": "2026-12-01",
    },
    "/treatment-plans/{plan_id}/instalment-quotes": {"months": 6, "method": "equal_payment"},
    "/instalment-plans/{instalment_plan_id}/agree": {
        "agree_terms": True,
        "share_with_partner": True,
    },
    "/payments/{payment_id}/invoice": {"kind": "personal", "name": "张三"},
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
        "doctor_id": str(world.clinic_a_doctor.public_id),
        "latitude": 31.2,
        "longitude": 121.4,
        "score": 9,
        "outcome": "well",
        **BODIES.get(path, {}),
    }
    entitled = _entitled(world, method, path)
    for param in params:
        for caller, foreign in cases[param]:
            if caller.pk in entitled:
                continue
            before = _snapshot()
            api.as_user(caller)
            url = "/api/v1" + path.replace("{" + param + "}", foreign)
            headers = {"Authorization": f"Bearer {api.token}"}
            if (url.endswith("/face-photos") or url.endswith("/images")) and method == "POST":
                upload = {"file": png_upload()}
                response = api.client.post(url, upload, headers=headers)
            elif url.endswith("/scans") and method == "POST":
                # A complete form, so that the access check is what answers.
                upload = {"file": png_upload(), "jaw": "upper", "taken_on": "2026-11-01"}
                response = api.client.post(url, upload, headers=headers)
            else:
                response = api.client.generic(
                    method, url, json.dumps(body), content_type="application/json", headers=headers
                )
            assert response.status_code in (403, 404), (caller, method, url, response.content)
            assert _snapshot() == before, f"{method} {url} changed data for {caller}"


# --- every console page, for every combination of roles ------------------------------------
#
# Roles belong to a person's place at each clinic (ADR 0026). Clinics A, B and C are of one
# chain, D of another. Each persona below holds, at each clinic, the duties written here
# (not asked of the code under test): every console page of every clinic must open for a
# duty they hold there, be refused (403 or 404) for one they lack, and answer "not found"
# at a clinic they do not work at, changing nothing. A new console page fails this test
# until someone says which duty it needs.

SEE, TREAT, DESK, MANAGE = "see", "treat", "desk", "manage"
TREAT_OR_MANAGE = "treat or manage"
MANAGER = {SEE, DESK, MANAGE}
PERSONAS = {
    "manager at A, front desk at B": {"A": MANAGER, "B": {SEE, DESK}},
    "regional manager over A and B": {"A": MANAGER, "B": MANAGER},
    "chain operations": {"A": MANAGER, "B": MANAGER, "C": MANAGER},
    "front desk at A only": {"A": {SEE, DESK}},
    "doctor at A": {"A": {SEE, TREAT}},
}

# Pages of one's own account, not of a clinic.
OWN_ACCOUNT = {"login", "logout", "totp", "totp_enroll", "password"}
# url name: (what the page addresses, the duty it needs). "clinic" and the objects are
# those of one clinic; "chain" pages belong to no clinic (managing one is enough); "staff"
# pages are any staff member's; "nobody" refuses everyone here (an emergency is accepted
# only by the doctors it was sent to; the page says so and goes back to the list);
# "administrators" pages are the installation's administrators' alone (none of the personas).
CONSOLE_PAGES = {
    "home": ("staff", None),
    "patients": ("staff", None),
    "emergencies": ("staff", None),
    "emergency_accept": ("nobody", None),
    "calendar": ("clinic", SEE),
    "doctors": ("clinic", SEE),
    "doctor_edit": ("doctor", MANAGE),
    "book": ("clinic", SEE),
    "grid": ("clinic", SEE),
    "flash_sales": ("clinic", SEE),
    "flash_sales_live": ("clinic", SEE),
    "appointment": ("appointment", SEE),
    "step": ("appointment", SEE),
    "patient_desk": ("patient", SEE),
    # X-rays (ADR 0060): staff of the clinic where the patient was seen, its queue its own.
    "xrays": ("patient", SEE),
    "xray_image": ("image", SEE),
    "xray_unmatched": ("clinic", SEE),
    "xray_assign": ("clinic", SEE),
    # 3D scans and the arch (ADR 0062): as X-rays; the arch as the tooth chart.
    "scans": ("patient", SEE),
    "scan_upload": ("patient", SEE),
    "scan_glb": ("scan", SEE),
    "arch": ("patient", SEE),
    "arch_setup": ("patient", TREAT),
    "instalments": ("clinic", DESK),
    # Caries marks (ADR 0061): seen by the clinic's staff, decided by its doctors.
    "xray_picture": ("image", SEE),
    "caries_review": ("image", SEE),
    "caries_add": ("image", TREAT),
    "caries_decide": ("caries_mark", TREAT),
    "caries_agreement": ("clinic", SEE),
    "chart": ("patient", TREAT),
    "note_patient_part": ("patient", TREAT),
    "absence": ("clinic", DESK),
    "visit_bill": ("appointment", DESK),
    # A video consultation's room: the appointment's own doctor only (ADR 0045).
    "video_room": ("appointment", TREAT),
    "payments": ("clinic", DESK),
    "payment": ("payment", DESK),
    "payment_take": ("payment", DESK),
    "payment_refund": ("payment", DESK),
    "payment_receipt": ("payment", DESK),
    # The receipt as a PDF, printed at the desk (financing's page over payments' receipt).
    "receipt_pdf": ("payment", DESK),
    "payment_coupon": ("payment", DESK),
    "payment_line_add": ("payment", DESK),
    "payment_line_remove": ("payment", DESK),
    "refund_approvals": ("clinic", MANAGE),
    "refund_decide": ("refund", MANAGE),
    "shop_orders": ("clinic", DESK),
    "shop_stock": ("clinic", DESK),
    "shop_pickup": ("clinic", DESK),
    "shop_order": ("order", DESK),
    "shop_order_step": ("order", DESK),
    "roster": ("clinic", MANAGE),
    "roster_calendar": ("clinic", MANAGE),
    "roster_school_holidays": ("clinic", MANAGE),
    "roster_forecast": ("clinic", SEE),
    "displays": ("clinic", MANAGE),
    "flash_sale_active": ("sale", MANAGE),
    "shop_products": ("chain", MANAGE),
    "shop_product": ("chain", MANAGE),
    "reconciliation": ("chain", MANAGE),
    "reconciliation_run": ("chain", MANAGE),
    "reconciliation_detail": ("chain", MANAGE),
    "coupons": ("chain", MANAGE),
    "coupon_template_new": ("chain", MANAGE),
    "coupon_issue": ("chain", MANAGE),
    "coupon_template": ("chain", MANAGE),
    "coupon_template_edit": ("chain", MANAGE),
    "points": ("chain", MANAGE),
    "points_adjust": ("chain", MANAGE),
    "referral_campaigns": ("chain", MANAGE),
    "referral_campaign_new": ("chain", MANAGE),
    "referral_campaign_edit": ("chain", MANAGE),
    "fraud_reviews": ("chain", MANAGE),
    "fraud_review_decide": ("chain", MANAGE),
    "audit": ("chain", MANAGE),
    "audit_export": ("chain", MANAGE),
    "articles": ("chain", MANAGE),
    "article_new": ("chain", MANAGE),
    "article_preview": ("chain", MANAGE),
    "article_edit": ("chain", MANAGE),
    "article_publish": ("chain", MANAGE),
    # Case entries are seen by doctors and managers (review, teaching); contests are run
    # by managers.
    "case_contests": ("chain", TREAT_OR_MANAGE),
    "case_contest": ("chain", TREAT_OR_MANAGE),
    "case_entry": ("chain", TREAT_OR_MANAGE),
    "case_file": ("chain", TREAT_OR_MANAGE),
    "case_contest_new": ("chain", MANAGE),
    "case_contest_edit": ("chain", MANAGE),
    "case_contest_move": ("chain", MANAGE),
    "channels": ("chain", MANAGE),
    "channel_roi": ("chain", MANAGE),
    "reports": ("chain", MANAGE),
    "report_figure": ("chain", MANAGE),
    "report_export_csv": ("chain", MANAGE),
    "report_export_xlsx": ("chain", MANAGE),
    "channel": ("chain", MANAGE),
    "tracked_link": ("chain", MANAGE),
    "tracked_link_toggle": ("chain", MANAGE),
    "backups": ("administrators", None),
    "group_buys": ("clinic", SEE),
    "group_buy": ("group_buy", SEE),
    "group_buy_status": ("group_buy", MANAGE),
    "challenges": ("clinic", SEE),
    "challenge": ("challenge", SEE),
    "challenge_status": ("challenge", MANAGE),
    "queue_help": ("staff", None),
    "queue_board": ("clinic", SEE),
    "queue_summary": ("clinic", SEE),
    "queue_poster": ("clinic", SEE),
    "queue_desk_check_in": ("appointment", SEE),
    "queue_walk_in": ("clinic", SEE),
    "queue_doctor": ("queue", SEE),
    "queue_call_next": ("queue", SEE),
    "queue_ticket_step": ("ticket", SEE),
    "chat_inbox": ("clinic", SEE),
    "chat_conversation": ("conversation", SEE),
    "chat_send": ("conversation", SEE),
    "chat_read": ("conversation", SEE),
    "chat_assign": ("conversation", DESK),
    "chat_close": ("conversation", DESK),
    "chat_quick_replies": ("clinic", DESK),
    "chat_quick_reply": ("quick_reply", DESK),
    # CRM: the patient 360 page and its manual tags as the front desk's page; complaint
    # cases and tag definitions for managers (ADR 0050).
    "crm_patients": ("staff", None),
    "crm_patient": ("patient", SEE),
    "crm_patient_tags": ("patient", SEE),
    "crm_tags": ("chain", MANAGE),
    "crm_complaints": ("chain", MANAGE),
    "crm_complaint": ("complaint", MANAGE),
    # No-show risk: the model and the policy are the managers'; the calls the front desk's.
    "noshow_risk": ("clinic", MANAGE),
    "noshow_train": ("clinic", MANAGE),
    "noshow_calls": ("clinic", DESK),
    "noshow_call_record": ("confirmation_call", DESK),
    # CRM (ADR 0052): segments, campaigns and the playbook are managers'; follow-up calls
    # are any of the clinic's staff's.
    "crm_segments": ("clinic", MANAGE),
    "crm_segment_new": ("clinic", MANAGE),
    "crm_segment_count": ("clinic", MANAGE),
    "crm_segment": ("segment", MANAGE),
    "crm_segment_export": ("segment", MANAGE),
    "crm_campaigns": ("clinic", MANAGE),
    "crm_campaign": ("crm_campaign", MANAGE),
    "crm_campaign_send": ("crm_campaign", MANAGE),
    "crm_playbook": ("clinic", MANAGE),
    "crm_rule": ("rule", MANAGE),
    "crm_follow_ups": ("clinic", SEE),
    "crm_follow_up": ("follow_up", SEE),
    "roster_proposals": ("clinic", MANAGE),
    "roster_proposal": ("clinic", MANAGE),
    "roster_option_publish": ("clinic", MANAGE),
    "roster_sick": ("clinic", MANAGE),
    # The tooth chart and treatment plans (ADR 0059): staff of the clinic read them,
    # doctors write.
    "clinical_chart": ("patient", SEE),
    "clinical_withdraw": ("patient", TREAT),
    "clinical_plans": ("patient", SEE),
    "clinical_plan_action": ("plan", TREAT),
    # Medical insurance and claims (ADR 0064, 0065): the front desk's and managers'.
    "insurance_desk": ("payment", DESK),
    "insurance_identity": ("payment", DESK),
    "insurance_pre_settle": ("payment", DESK),
    "insurance_settle": ("payment", DESK),
    "insurance_undo": ("insurance_settlement", DESK),
    "insurance_catalogue": ("clinic", DESK),
    "insurance_reconciliation": ("clinic", DESK),
    "claim_new": ("payment", DESK),
    "claims": ("clinic", DESK),
    "claim": ("claim", DESK),
    "claim_document": ("claim", DESK),
    "claim_action": ("claim", DESK),
    # Booking a plan's procedure is booking at the desk (ADR 0063).
    "clinical_book_item": ("plan", SEE),
}
PARAMETERS = {
    "clinic_id": "clinic",
    "doctor_id": "doctor",
    "note_id": "note",
    "appointment_id": "appointment",
    "patient_id": "patient",
    "payment_id": "payment",
    "order_id": "order",
    "sale_id": "sale",
    "case_id": "case",
    "product_id": "product",
    "template_id": "template",
    "refund_id": "refund",
    "run_id": "run",
    "campaign_id": "group_buy",
    "challenge_id": "challenge",
    "article_id": "article",
    "contest_id": "contest",
    "entry_id": "case_entry",
    "file_id": "case_file",
    "channel_id": "channel",
    "link_id": "link",
    "referral_campaign_id": "referral_campaign",
    "risk_review_id": "risk_review",
    "queue_id": "queue",
    "ticket_id": "ticket",
    "proposal_id": "proposal",
    "option_id": "option",
    "conversation_id": "conversation",
    "reply_id": "quick_reply",
    "complaint_id": "complaint",
    "call_id": "confirmation_call",
    "segment_id": "segment",
    "crm_campaign_id": "crm_campaign",
    "rule_id": "rule",
    "task_id": "follow_up",
    "plan_id": "plan",
    "item_id": "plan_item",
    "finding_id": "finding",
    "image_id": "xray_image",
    "scan_id": "scan",
    "study_id": "xray_study",
    "settlement_id": "insurance_settlement",
    "claim_id": "claim",
    "mark_id": "caries_mark",
}
# Parameters that are not objects: the value each page is opened with.
FIXED_PARAMETERS = {"decision": "approve", "step": "recall", "kind": "itemised_bill"}
# Pages that need another object than their parameter's usual one: a receipt is of a
# paid bill.
PAGE_OBJECTS = {("payment_receipt", "payment_id"): "paid", ("receipt_pdf", "payment_id"): "paid"}


def _caries_mark(image):
    """A model's suggestion on an image, written as the marking job writes it."""
    from yachi.imaging.caries.models import CariesAnalysis, CariesMark

    analysis = CariesAnalysis.objects.create(image=image, model_version="test-v1", status="done")
    return CariesMark.objects.create(
        image=image,
        analysis=analysis,
        source="ai",
        status="suggested",
        x0=1,
        y0=1,
        x1=9,
        y1=9,
        tooth="16",
        probability=0.9,
        model_version="test-v1",
    )


def _treatment_plan(clinic, member, doctor):
    from yachi.clinical.models import PlanItem, PlanPhase, TreatmentPlan

    plan = TreatmentPlan.objects.create(
        patient=member, clinic=clinic, doctor=doctor, title="补牙", status="accepted"
    )
    item = PlanItem.objects.create(
        phase=PlanPhase.objects.create(plan=plan, position=1, title="一"),
        position=1,
        service_code="filling",
        description="补牙",
        unit_fen=100,
    )
    return plan, item


def _chart_finding(clinic, member, doctor):
    from django.utils import timezone

    from yachi.clinical.models import ChartEntry

    return ChartEntry.objects.create(
        patient=member,
        clinic=clinic,
        doctor=doctor,
        tooth="16",
        kind="caries",
        surfaces="O",
        seen_on=timezone.localdate(),
    )


def console_routes():
    from yachi.web.console_urls import urlpatterns

    for pattern in urlpatterns:
        params = list(pattern.pattern.converters)
        yield pattern.name, params


def _role_world(world):
    """Clinics C (the same chain) and D (another), something of each clinic to open, and
    the personas."""
    from datetime import timedelta

    from django.utils import timezone

    from tests import factories as f
    from yachi.clinics.models import StaffMembership
    from yachi.core.roles import ChainRole, ClinicRole, Role
    from yachi.crm.noshow.models import ConfirmationCall
    from yachi.growth.models import CouponTemplate
    from yachi.messaging.chat.services import conversation_open, message_send, quick_reply_save
    from yachi.patients.records.services import clinical_note_write
    from yachi.payments.bills import bill_create
    from yachi.payments.choices import Method, ReconciliationStatus, RefundStatus
    from yachi.payments.models import Reconciliation
    from yachi.payments.services import desk_payment_record, refund_reserve
    from yachi.queueing.services import walk_in
    from yachi.shop.flash.services import flash_sale_create
    from yachi.shop.models import Stock
    from yachi.shop.services import cart_add, order_checkout
    from yachi.shop.tests.conftest import catalogue

    clinic_c = f.ClinicFactory(chain=world.chain, name="浦东店")
    clinic_d = f.ClinicFactory(chain=f.ChainFactory(name="别家口腔"), name="别家店")
    clinics = {"A": world.clinic_a, "B": world.clinic_b, "C": clinic_c, "D": clinic_d}
    doctors = {"A": world.clinic_a_doctor, "B": world.clinic_b_doctor}
    # A doctor's profile is edited by the clinic's managers (and by the doctor, who is a
    # persona here: so another doctor's profile is the one opened at A).
    profiles = {"A": world.clinic_a_implant_doctor, "B": world.clinic_b_doctor}
    services = {"A": world.cleaning_a, "B": world.cleaning_b}
    for key in ("C", "D"):
        f.ChairFactory(clinic=clinics[key])
        services[key] = f.ServiceFactory(clinic=clinics[key])
        doctors[key] = profiles[key] = f.DoctorFactory(clinics=[clinics[key]])
        f.weekly_hours(doctors[key], clinics[key])
    administrator = f.StaffFactory(role=Role.ADMIN, is_superuser=True)
    shop = catalogue(world)
    objects = {}
    for index, key in enumerate("ABCD"):
        clinic = clinics[key]
        buyer = f.patient_user(f"1350000000{index}", name=f"{key}店患者")
        member = buyer.family_account.members.get(seat=0)
        appointment = appointments_book(
            actor=buyer,
            doctor=doctors[key],
            service=services[key],
            start=tomorrow_at((9, 10, 11, 14)[index]),
            patients=[member],
        ).appointments[0]
        note = clinical_note_write(
            actor=doctors[key].user,
            patient=member,
            clinic_ids={clinic.pk},
            diagnosis="龋齿",
            appointment=appointment,
        )
        bill = bill_create(
            actor=administrator, clinic=clinic, payer=buyer, amount_fen=9900, description="洁牙"
        )
        implant = bill_create(
            actor=administrator,
            clinic=clinic,
            payer=buyer,
            amount_fen=1_280_000,
            description="种植",
        )
        desk_payment_record(actor=administrator, intent=implant, method=Method.CARD)
        refund = refund_reserve(
            intent=implant,
            amount_fen=300_000,
            reason="未治疗",
            actor=administrator,
            status=RefundStatus.AWAITING_APPROVAL,
        )
        Stock.objects.update_or_create(clinic=clinic, sku=shop.floss_50, defaults={"quantity": 5})
        cart_add(user=buyer, sku=shop.floss_50)
        order = order_checkout(buyer=buyer, clinic=clinic, fulfilment="pickup").order
        sale = flash_sale_create(
            clinic=clinic,
            title=f"{key}店秒杀",
            price_fen=990,
            original_price_fen=20000,
            places=5,
            starts_at=timezone.now() + timedelta(hours=1),
            ends_at=timezone.now() + timedelta(days=1),
        )
        from yachi.growth.models import Challenge, GroupBuyCampaign

        group_buy = GroupBuyCampaign.objects.create(
            clinic=clinic,
            service=services[key],
            title=f"{key}店拼团",
            size=3,
            price_fen=9900,
            starts_at=timezone.now(),
            ends_at=timezone.now() + timedelta(days=7),
            stock=5,
            groups_left=5,
        )
        challenge = Challenge.objects.create(
            clinic=clinic,
            title=f"{key}店打卡",
            days_required=7,
            reward_template=CouponTemplate.objects.create(
                name=f"{key}店刷头", kind="free_item", valid_days=30
            ),
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate() + timedelta(days=30),
        )
        ticket = walk_in(
            actor=administrator,
            clinic=clinic,
            phone=f"1350000010{index}",
            service=services[key],
            doctor=doctors[key],
        )
        chat = conversation_open(actor=buyer, clinic_id=clinic.public_id).conversation
        message_send(actor=buyer, conversation=chat, text="请问停车方便吗")
        reply = quick_reply_save(clinic_pk=clinic.pk, title="停车", text="地下车库免费两小时")
        from yachi.crm.feedback.models import Complaint

        complaint = Complaint.objects.create(clinic=clinic, patient=member, summary="等太久")
        crm = _crm_objects(clinic, member, administrator)
        roster = _roster_proposal(clinic)
        from yachi.imaging.dicom.synthetic import Picture, part10
        from yachi.imaging.services import instance_receive

        xray = instance_receive(
            clinic=clinic, data=part10(Picture(patient_id=member.chart_number, seed=index))
        ).image
        stray = instance_receive(
            clinic=clinic, data=part10(Picture(patient_id="", seed=index + 10))
        ).image
        from yachi.imaging.scans.geometry.arch import place
        from yachi.imaging.scans.geometry.synthetic import jaw_stl
        from yachi.imaging.scans.services import scan_upload

        scan = scan_upload(
            actor=None,
            patient=member,
            clinic=clinic,
            upload=SimpleUploadedFile(
                "lower.stl", jaw_stl(place({"31", "41"}), "lower", subdivisions=0)
            ),
            jaw="lower",
            taken_on="2026-11-01",
        )
        from yachi.insurance.claims.models import ClaimCase
        from yachi.insurance.medical.models import Settlement

        plan, plan_item = _treatment_plan(clinic, member, doctors[key])
        objects[key] = {
            "insurance_settlement": Settlement.objects.create(
                clinic=clinic,
                payment=bill,
                bill_id=bill.public_id,
                status="settled",
                visit_serial=f"MZ-{key}",
                platform_settlement_id=f"SETL-{key}",
                bill_fen=9900,
                fund_fen=5000,
                account_fen=0,
                self_fen=4900,
            ).public_id,
            "claim": ClaimCase.objects.create(
                clinic=clinic,
                payer=buyer,
                patient=member,
                payment=implant,
                bill_id=implant.public_id,
                insurer="pingan",
                policy_number=f"P-{key}",
                accident_date=timezone.localdate(),
                claimed_fen=1_280_000,
            ).public_id,
            **crm,
            "scan": scan.public_id,
            "xray_image": xray.public_id,
            "caries_mark": _caries_mark(xray).public_id,
            "xray_study": stray.study.public_id,
            "complaint": complaint.public_id,
            "group_buy": group_buy.public_id,
            "proposal": roster.public_id,
            "option": roster.options.get().public_id,
            "challenge": challenge.public_id,
            "queue": ticket.queue.public_id,
            "ticket": ticket.public_id,
            "conversation": chat.public_id,
            "quick_reply": reply.public_id,
            "clinic": clinic.public_id,
            "doctor": profiles[key].public_id,
            "appointment": appointment.public_id,
            "confirmation_call": ConfirmationCall.objects.create(
                appointment_id=appointment.pk,
                clinic=clinic,
                start=appointment.start,
                score=0.4,
            ).public_id,
            "note": note.public_id,
            "patient": member.public_id,
            "plan": plan.public_id,
            "plan_item": plan_item.public_id,
            "finding": _chart_finding(clinic, member, doctors[key]).public_id,
            "payment": bill.public_id,
            "order": order.public_id,
            "sale": sale.public_id,
            "refund": refund.public_id,
            "paid": implant.public_id,
        }
    mixed = f.staff_member(world.clinic_a, role=ClinicRole.MANAGER)
    StaffMembership.objects.create(user=mixed, clinic=world.clinic_b, role=ClinicRole.FRONT_DESK)
    regional, operations = f.StaffFactory(), f.StaffFactory()
    f.chain_role(
        regional, world.chain, ChainRole.REGIONAL_MANAGER, [world.clinic_a, world.clinic_b]
    )
    f.chain_role(operations, world.chain, ChainRole.CHAIN_OPERATIONS)
    people = {
        "manager at A, front desk at B": mixed,
        "regional manager over A and B": regional,
        "chain operations": operations,
        "front desk at A only": world.clinic_a_front_desk,
        "doctor at A": world.clinic_a_doctor.user,
    }
    from yachi.growth.models import ReferralCampaign, RiskReview

    chain_wide = {
        "referral_campaign": ReferralCampaign.objects.create(
            name="老带新", starts_at=timezone.now(), level1_points=500, level2_points=100
        ).public_id,
        "risk_review": RiskReview.objects.create(
            key="referral:sweep:level1",
            kind="referral",
            beneficiary=world.patient_parent,
            score=80,
            reasons=[{"rule": "device_shared", "score": 60, "facts": {"accounts": 20}}],
            status="held",
        ).public_id,
        "product": shop.brush.public_id,
        "template": CouponTemplate.objects.create(
            name="店长券", kind="fixed_amount", amount_off_fen=1000, valid_days=30
        ).public_id,
        "case": "00000000-0000-4000-8000-000000000000",
        **_growth_objects(world),
        "run": Reconciliation.objects.create(
            day=timezone.localdate() - timedelta(days=1),
            provider=Method.WECHATPAY,
            status=ReconciliationStatus.DIFFERENCES,
            findings=[{"kind": "unknown_trade", "out_trade_no": "X1", "their_fen": 100}],
        ).public_id,
    }
    return people, objects, chain_wide


def _crm_objects(clinic, member, actor) -> dict:
    """A segment, a draft campaign to it, a playbook rule and a follow-up call."""
    from django.utils import timezone

    from yachi.crm.campaigns.services import campaign_create
    from yachi.crm.playbook.models import FollowUpTask, Rule, Touch
    from yachi.crm.playbook.services import rules_seed
    from yachi.crm.segments.services import segment_save

    segment = segment_save(
        actor=actor, clinic=clinic, name="全部患者", definition={"match": "all", "groups": []}
    )
    campaign = campaign_create(
        actor=actor,
        segment=segment,
        name="复查提醒",
        kind="message",
        text="欢迎回店复查。",
        channels=["inbox"],
    )
    rules_seed(clinic=clinic)
    rule = Rule.objects.get(clinic=clinic, code="extraction_follow_up")
    touch = Touch.objects.create(
        rule=rule, patient=member, occurrence="visit:test", group="reached", at=timezone.now()
    )
    task = FollowUpTask.objects.create(
        clinic=clinic,
        rule=rule,
        touch=touch,
        patient=member,
        visit_on=timezone.localdate(),
        due_on=timezone.localdate(),
    )
    return {
        "segment": segment.public_id,
        "crm_campaign": campaign.public_id,
        "rule": rule.public_id,
        "follow_up": task.public_id,
    }


def _growth_objects(world) -> dict:
    """An article, a case contest with an entry and its file, a channel and its link."""
    from django.utils import timezone

    from tests.factories import patient_user
    from yachi.growth.articles.services import article_save
    from yachi.growth.attribution.services import channel_save, link_create
    from yachi.growth.cases.services import contest_move, contest_save, entry_submit

    manager = world.clinic_a_manager
    article = article_save(actor=manager, category="education", title="t", summary="", body="b")
    today = timezone.localdate()
    contest = contest_save(
        actor=manager,
        title="病例征集",
        description="",
        starts_on=today,
        ends_on=today,
        prize_pool_fen=100,
        winners=1,
        split_rule="equal",
        prize_kind="points",
    )
    contest_move(actor=manager, contest=contest, step="open")
    entry = entry_submit(
        user=patient_user("13600000009"),
        contest=contest,
        story="",
        consent=True,
        before=[png_upload()],
        after=[png_upload()],
    )
    channel = channel_save(actor=manager, name="抖音", kind="douyin")
    link = link_create(actor=manager, channel=channel, campaign="新人礼包", target="/")
    return {
        "article": article.public_id,
        "contest": contest.public_id,
        "case_entry": entry.public_id,
        "case_file": entry.files.first().public_id,
        "channel": channel.public_id,
        "link": link.public_id,
    }


def _param(page: str, name: str, objects: dict) -> str:
    if name in FIXED_PARAMETERS:
        return FIXED_PARAMETERS[name]
    return str(objects[PAGE_OBJECTS.get((page, name), PARAMETERS[name])])


def _console_queries():
    from yachi.crm.campaigns.models import Campaign, Recipient
    from yachi.crm.noshow.models import ConfirmationCall, NoShowModel, NoShowPolicy
    from yachi.crm.playbook.models import FollowUpTask, Rule
    from yachi.crm.segments.models import Segment
    from yachi.growth.models import Challenge, GroupBuyCampaign, ReferralCampaign, RiskReview
    from yachi.payments.models import Reconciliation
    from yachi.rostering.models import ShiftException
    from yachi.shop.models import FlashSale

    return [
        *_snapshot_queries(),
        Reconciliation.objects.order_by("pk").values("pk", "findings"),
        ShiftException.objects.order_by("pk").values(),
        FlashSale.objects.order_by("pk").values("pk", "is_active", "remaining"),
        GroupBuyCampaign.objects.order_by("pk").values("pk", "status", "groups_left"),
        Challenge.objects.order_by("pk").values("pk", "status"),
        ReferralCampaign.objects.order_by("pk").values(),
        RiskReview.objects.order_by("pk").values("pk", "status", "paid_at"),
        ConfirmationCall.objects.order_by("pk").values("pk", "outcome", "attempts"),
        NoShowPolicy.objects.order_by("pk").values(),
        NoShowModel.objects.order_by("pk").values("pk", "version"),
        Segment.objects.order_by("pk").values("pk", "name", "definition"),
        Campaign.objects.order_by("pk").values("pk", "status"),
        Recipient.objects.order_by("pk").values_list("pk", flat=True),
        Rule.objects.order_by("pk").values("pk", "days_after", "holdout_percent", "active"),
        FollowUpTask.objects.order_by("pk").values("pk", "status", "outcome"),
        *_insurance_queries(),
    ]


def _console_snapshot() -> list:
    return _stored("console", _console_queries)


def _open(client, name, kwargs):
    from django.urls import reverse

    url = reverse(f"console:{name}", kwargs=kwargs)
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    return url, response


@pytest.mark.long
@pytest.mark.django_db
@pytest.mark.parametrize("persona", list(PERSONAS))
def test_every_console_page_opens_exactly_where_the_role_allows(client, world, persona):
    routes = list(console_routes())
    unnamed = {name for name, _ in routes} - set(CONSOLE_PAGES) - OWN_ACCOUNT
    assert not unnamed, f"say which duty the console pages {sorted(unnamed)} need"
    people, objects, chain_wide = _role_world(world)
    held = PERSONAS[persona]
    client.force_login(people[persona])
    for name, params in routes:
        if name in OWN_ACCOUNT:
            continue
        scope, duty = CONSOLE_PAGES[name]
        if scope in ("staff", "nobody", "chain", "administrators"):
            kwargs = {p: _param(name, p, chain_wide) for p in params}
            may = {
                "staff": True,
                "nobody": False,
                "administrators": False,
                "chain": any(
                    duty in duties or (duty == TREAT_OR_MANAGE and duties & {TREAT, MANAGE})
                    for duties in held.values()
                ),
            }[scope]
            cases = [(None, kwargs, may, False)]
        else:
            cases = []
            for key in "ABCD":
                kwargs = {p: _param(name, p, objects[key]) for p in params}
                duties = held.get(key, set())
                cases.append((key, kwargs, duty in duties, SEE not in duties))
        for key, kwargs, may, stranger in cases:
            # What a refused page must leave as it was (an allowed one may change things).
            before = None if may else _console_snapshot()
            url, response = _open(client, name, kwargs)
            status = response.status_code
            where = f"{persona} at {key or 'the chain'}: {url}"
            if may:
                assert status in (200, 302), (where, status)
                assert "/login/" not in response.get("Location", ""), where
            elif scope in ("nobody", "administrators"):
                assert status in (302, 403, 404), (where, status)
            elif stranger and not (duty == TREAT and not any(TREAT in d for d in held.values())):
                assert status == 404, (where, status)
            else:
                assert status in (403, 404), (where, status)
            if not may:
                assert _console_snapshot() == before, f"{where} changed data"


# --- every socket ----------------------------------------------------------------------------
#
# Each WebSocket route that names an object is opened without a user and, for each caller
# of ``foreign_ids``, with the id of an object the caller must not reach: the socket is
# closed with 4403 before anything is sent, and nothing changes. A new socket whose path
# parameter is not listed there fails this test until someone says whose objects it
# addresses.


def socket_routes():
    from yachi.web.routing import websocket_patterns

    for pattern in websocket_patterns:
        yield str(pattern.pattern), list(pattern.pattern.converters)


@pytest.mark.parametrize(("route", "params"), list(socket_routes()))
def test_no_socket_reaches_another_accounts_or_clinics_objects(
    transactional_db, world, route, params
):
    from channels.testing import WebsocketCommunicator

    from config.asgi import application
    from yachi.accounts.services import token_issue

    cases = foreign_ids(world)
    # A clinic's display socket opens with that clinic's display token only: a person's
    # token, even its own staff's, is not one.
    theirs = str(world.clinic_b.public_id)
    cases["clinic_id"] = [
        (world.patient_parent, theirs),
        (world.clinic_a_front_desk, theirs),
        (world.clinic_b_front_desk, theirs),
    ]
    unknown = set(params) - set(cases)
    assert not unknown, f"{route}: say whose objects {sorted(unknown)} address in this test"

    async def closed(url):
        socket = WebsocketCommunicator(application, url)
        # Generous: on a loaded machine the refusal can take seconds to arrive.
        connected, _ = await socket.connect(timeout=20)
        assert connected
        return await socket.receive_output(timeout=20)

    for param in params:
        for caller, foreign in [(None, cases[param][0][1]), *cases[param]]:
            path = "/" + route.replace(f"<str:{param}>", foreign).replace(
                f"<uuid:{param}>", foreign
            )
            if caller is not None:
                path += "?token=" + token_issue(user=caller, label="test")
            before = _snapshot()
            assert run(closed, path) == {"type": "websocket.close", "code": 4403}, (
                caller,
                path,
            )
            assert _snapshot() == before, f"{path} changed data for {caller}"
