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
    from yachi.accounts.models import ApiToken
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
        list(ApiToken.objects.filter(revoked_at__isnull=False).values_list("pk", flat=True)),
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
    return {
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


# --- every console page, for every combination of roles ------------------------------------
#
# Roles belong to a person's place at each clinic (ADR 0026). Clinics A, B and C are of one
# chain, D of another. Each persona below holds, at each clinic, the duties written here
# (not asked of the code under test): every console page of every clinic must open for a
# duty they hold there, be refused (403 or 404) for one they lack, and answer "not found"
# at a clinic they do not work at, changing nothing. A new console page fails this test
# until someone says which duty it needs.

SEE, TREAT, DESK, MANAGE = "see", "treat", "desk", "manage"
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
    "chart": ("patient", TREAT),
    "note_patient_part": ("patient", TREAT),
    "absence": ("clinic", DESK),
    "visit_bill": ("appointment", DESK),
    "payments": ("clinic", DESK),
    "payment": ("payment", DESK),
    "payment_take": ("payment", DESK),
    "payment_refund": ("payment", DESK),
    "payment_receipt": ("payment", DESK),
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
    "audit": ("chain", MANAGE),
    "audit_export": ("chain", MANAGE),
    "backups": ("administrators", None),
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
}
# Parameters that are not objects: the value each page is opened with.
FIXED_PARAMETERS = {"decision": "approve"}
# Pages that need another object than their parameter's usual one: a receipt is of a
# paid bill.
PAGE_OBJECTS = {("payment_receipt", "payment_id"): "paid"}


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
    from yachi.growth.models import CouponTemplate
    from yachi.patients.records.services import clinical_note_write
    from yachi.payments.bills import bill_create
    from yachi.payments.choices import Method, ReconciliationStatus, RefundStatus
    from yachi.payments.models import Reconciliation
    from yachi.payments.services import desk_payment_record, refund_reserve
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
        objects[key] = {
            "clinic": clinic.public_id,
            "doctor": profiles[key].public_id,
            "appointment": appointment.public_id,
            "note": note.public_id,
            "patient": member.public_id,
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
    chain_wide = {
        "product": shop.brush.public_id,
        "template": CouponTemplate.objects.create(
            name="店长券", kind="fixed_amount", amount_off_fen=1000, valid_days=30
        ).public_id,
        "case": "00000000-0000-4000-8000-000000000000",
        "run": Reconciliation.objects.create(
            day=timezone.localdate() - timedelta(days=1),
            provider=Method.WECHATPAY,
            status=ReconciliationStatus.DIFFERENCES,
            findings=[{"kind": "unknown_trade", "out_trade_no": "X1", "their_fen": 100}],
        ).public_id,
    }
    return people, objects, chain_wide


def _param(page: str, name: str, objects: dict) -> str:
    if name in FIXED_PARAMETERS:
        return FIXED_PARAMETERS[name]
    return str(objects[PAGE_OBJECTS.get((page, name), PARAMETERS[name])])


def _console_snapshot():
    from yachi.payments.models import Reconciliation
    from yachi.rostering.models import ShiftException
    from yachi.shop.models import FlashSale

    return (
        *_snapshot(),
        list(Reconciliation.objects.order_by("pk").values("pk", "findings")),
        list(ShiftException.objects.order_by("pk").values()),
        list(FlashSale.objects.order_by("pk").values("pk", "is_active", "remaining")),
    )


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
                "chain": any(duty in duties for duties in held.values()),
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
