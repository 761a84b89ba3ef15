"""Itemised bills (收费明细): the desk bills treatments and materials of the clinic's
catalogue by quantity, a treatment coupon lowers only the line it is for, and the receipt,
the payment page, the visit history and the API list the lines."""

import importlib

import pytest
from django.apps import apps

from conftest import tomorrow_at
from tests.apiclient import ApiClient
from yachi.booking.choices import Status
from yachi.booking.services import appointment_advance, appointments_book
from yachi.clinics.models import Material
from yachi.compliance.models import AuditEntry
from yachi.core.errors import DomainError
from yachi.growth import facade as growth
from yachi.growth.choices import CouponStatus
from yachi.growth.models import Coupon, CouponTemplate
from yachi.payments import bills, services
from yachi.payments.bills import LineDraft
from yachi.payments.choices import Method
from yachi.payments.models import Bill, BillLine, PaymentIntent

pytestmark = pytest.mark.django_db


@pytest.fixture
def resin(world):
    """The chain's composite resin, ¥180 a tooth."""
    return Material.objects.create(
        chain=world.chain, code="resin", name="树脂材料", name_en="Composite resin", unit="颗",
        price_fen=18000,
    )  # fmt: skip


@pytest.fixture
def polish(world):
    return Material.objects.create(
        chain=world.chain, code="polish", name="抛光膏", name_en="Polishing paste", unit="次",
        price_fen=3000,
    )  # fmt: skip


@pytest.fixture
def scaling_coupon(world):
    template = CouponTemplate.objects.create(
        name="洁牙7折",
        kind="percentage",
        pay_percent=70,
        applies_to="services",
        item_codes=[world.cleaning_a.code],
        valid_days=30,
    )
    coupon_id = growth.coupon_issue(
        template_id=template.public_id, user=world.patient_parent, reason="新客礼"
    )
    return Coupon.objects.get(public_id=coupon_id)


def _bill(world, *lines):
    return bills.bill_create(
        actor=world.clinic_a_front_desk,
        clinic=world.clinic_a,
        payer=world.patient_parent,
        lines=lines or [LineDraft(kind="service", item_code="cleaning")],
    )


def _state(intent):
    """What a refused change must leave as it was."""
    bill = bills.bill_of(intent)
    return (
        list(BillLine.objects.filter(bill=bill).order_by("position").values()),
        Bill.objects.filter(pk=bill.pk).values("list_fen", "discount_fen").get(),
        PaymentIntent.objects.filter(pk=intent.pk).values("amount_fen", "status").get(),
        AuditEntry.objects.filter(action="bill_changed").count(),
    )


def test_a_bill_of_a_filling_and_two_teeth_of_resin_adds_up(world, resin):
    intent = _bill(
        world,
        LineDraft(kind="service", item_code="filling"),
        LineDraft(kind="material", item_code="resin", quantity=2),
    )
    bill = bills.bill_of(intent)
    lines = bills.bill_lines(bill)
    assert [(x.description, x.quantity, x.unit_fen, x.total_fen) for x in lines] == [
        ("补牙", 1, 35000, 35000),
        ("树脂材料", 2, 18000, 36000),
    ]
    assert bill.list_fen == intent.amount_fen == 71000
    assert bill.service_code == "filling" and bill.description == "补牙"
    created = AuditEntry.objects.get(action="bill_created")
    assert [line["item"] for line in created.details["lines"]] == ["filling", "resin"]


def test_a_clinic_price_replaces_the_chains_for_its_bills(world, resin):
    Material.objects.create(
        chain=world.chain, clinic=world.clinic_a, code="resin", name="进口树脂", price_fen=26000
    )
    intent = _bill(world, LineDraft(kind="material", item_code="resin"))
    assert intent.amount_fen == 26000
    elsewhere = bills.bill_create(
        actor=world.clinic_b_front_desk,
        clinic=world.clinic_b,
        payer=world.patient_parent,
        lines=[LineDraft(kind="material", item_code="resin")],
    )
    assert elsewhere.amount_fen == 18000


def test_the_desk_adds_a_material_to_a_bill_on_its_page(client, world, resin):
    intent = _bill(world, LineDraft(kind="service", item_code="filling"))
    client.force_login(world.clinic_a_front_desk)
    page = client.get(f"/console/payments/{intent.public_id}/").content.decode()
    assert "收费明细" in page and "树脂材料" in page and 'value="material:resin"' in page
    response = client.post(
        f"/console/payments/{intent.public_id}/lines/add/",
        {"item": "material:resin", "quantity": "2", "unit_price": ""},
        follow=True,
    )
    page = response.content.decode()
    assert "已添加：树脂材料 × 2" in page
    assert page.count('data-testid="bill-line"') == 2 and "¥710.00" in page
    intent.refresh_from_db()
    assert intent.amount_fen == 71000
    changed = AuditEntry.objects.get(action="bill_changed")
    assert changed.actor_id == world.clinic_a_front_desk.pk
    assert changed.details["line_added"] == {
        "kind": "material",
        "item": "resin",
        "quantity": 2,
        "unit_fen": 18000,
        "total_fen": 36000,
    }
    assert changed.details["amount_fen"] == 71000


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"item": "material:resin", "quantity": "0"}, "数量须为 1 到 999 之间的整数"),
        ({"item": "material:resin", "quantity": "1000"}, "数量须为 1 到 999 之间的整数"),
        ({"item": "material:resin", "quantity": "两"}, "数量须为 1 到 999 之间的整数"),
        ({"item": "material:resin", "quantity": "9" * 5000}, "数量须为 1 到 999 之间的整数"),
        ({"item": "material:resin", "quantity": "1.5"}, "数量须为 1 到 999 之间的整数"),
        ({"item": "material:gold", "quantity": "1"}, "本诊所没有这个治疗项目或材料"),
        ({"item": "service:implant_crown", "quantity": "1"}, "本诊所没有这个治疗项目或材料"),
        ({"item": "", "quantity": "1"}, "本诊所没有这个治疗项目或材料"),
        ({"item": "material:resin", "quantity": "1", "unit_price": "1.234"}, "请输入以元为单位的单价"),
        ({"item": "material:resin", "quantity": "1", "unit_price": "-1"}, "请输入以元为单位的单价"),
        ({"item": "material:resin", "quantity": "1", "unit_price": "1" * 40}, "请输入以元为单位的单价"),
        ({"item": "material:" + "x" * 500, "quantity": "1"}, "本诊所没有这个治疗项目或材料"),
        ({"item": "material:resin", "quantity": "999", "unit_price": "99999.99"}, "金额过大"),
    ],
)  # fmt: skip
def test_a_wrong_line_is_refused_with_a_clear_message_and_nothing_changes(
    client, world, resin, form, message
):
    intent = _bill(world)
    before = _state(intent)
    client.force_login(world.clinic_a_front_desk)
    response = client.post(f"/console/payments/{intent.public_id}/lines/add/", form, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _state(intent) == before


def test_a_paid_bill_keeps_its_lines(client, world, resin):
    intent = _bill(world)
    services.desk_payment_record(actor=world.clinic_a_front_desk, intent=intent, method=Method.CARD)
    before = _state(intent)
    client.force_login(world.clinic_a_front_desk)
    added = client.post(
        f"/console/payments/{intent.public_id}/lines/add/",
        {"item": "material:resin", "quantity": "1"},
        follow=True,
    ).content.decode()
    assert "此账单已支付或正在支付" in added
    removed = client.post(
        f"/console/payments/{intent.public_id}/lines/remove/", {"position": "1"}, follow=True
    ).content.decode()
    assert "此账单已支付或正在支付" in removed
    assert _state(intent) == before
    # Nor by the service another flow calls.
    with pytest.raises(DomainError) as refused:
        bills.bill_line_add(actor=None, intent=intent, kind="material", item_code="resin")
    assert refused.value.code == "bill_settled"
    assert _state(intent) == before


def test_a_bill_being_paid_online_keeps_its_lines(world, resin):
    from yachi.payments import gateway

    intent = _bill(world)
    gateway.payment_start(intent=intent, method=Method.SIMULATOR)
    before = _state(intent)
    with pytest.raises(DomainError) as refused:
        bills.bill_line_add(
            actor=world.clinic_a_front_desk, intent=intent, kind="material", item_code="resin"
        )
    assert refused.value.code == "bill_settled"
    assert _state(intent) == before


def test_the_desk_removes_a_line_and_the_total_follows(client, world, resin, polish):
    intent = _bill(
        world,
        LineDraft(kind="service", item_code="cleaning"),
        LineDraft(kind="material", item_code="resin"),
        LineDraft(kind="material", item_code="polish"),
    )
    client.force_login(world.clinic_a_front_desk)
    client.post(f"/console/payments/{intent.public_id}/lines/remove/", {"position": "2"})
    intent.refresh_from_db()
    assert intent.amount_fen == 20000 + 3000
    assert [x.item_code for x in bills.bill_lines(bills.bill_of(intent))] == [
        "cleaning",
        "polish",
    ]
    removed = AuditEntry.objects.get(action="bill_changed")
    assert removed.details["line_removed"]["item"] == "resin"
    # A line added later goes after the others, not into the gap.
    bills.bill_line_add(actor=world.clinic_a_front_desk, intent=intent, kind="material",
                        item_code="resin")  # fmt: skip
    assert [x.position for x in bills.bill_lines(bills.bill_of(intent))] == [1, 3, 4]


@pytest.mark.parametrize("position", ["", "二", "0", "-1", "9" * 5000, "7"])
def test_removing_a_line_that_is_not_on_the_bill_changes_nothing(client, world, resin, position):
    intent = _bill(world, LineDraft(kind="service", item_code="cleaning"),
                   LineDraft(kind="material", item_code="resin"))  # fmt: skip
    before = _state(intent)
    client.force_login(world.clinic_a_front_desk)
    page = client.post(
        f"/console/payments/{intent.public_id}/lines/remove/", {"position": position}, follow=True
    ).content.decode()
    assert "账单上没有这一项" in page
    assert _state(intent) == before


def test_the_last_line_stays(client, world):
    intent = _bill(world)
    before = _state(intent)
    client.force_login(world.clinic_a_front_desk)
    page = client.post(
        f"/console/payments/{intent.public_id}/lines/remove/", {"position": "1"}, follow=True
    ).content.decode()
    assert "账单至少要有一项" in page
    assert "请先添加其他项目" in page
    assert _state(intent) == before


def test_another_clinics_desk_cannot_add_a_line(client, world, resin):
    intent = _bill(world)
    before = _state(intent)
    client.force_login(world.clinic_b_front_desk)
    response = client.post(
        f"/console/payments/{intent.public_id}/lines/add/",
        {"item": "material:resin", "quantity": "1"},
    )
    assert response.status_code == 404
    assert _state(intent) == before


def test_a_scaling_coupon_lowers_the_cleaning_line_not_the_materials(
    client, world, polish, scaling_coupon
):
    intent = _bill(
        world,
        LineDraft(kind="service", item_code="cleaning"),
        LineDraft(kind="material", item_code="polish"),
    )
    assert [d.discount_fen for d in bills.bill_coupons(intent=intent)] == [6000]
    intent = bills.bill_apply_coupon(
        actor=world.patient_parent, intent=intent, coupon_id=scaling_coupon.public_id
    )
    assert intent.amount_fen == 20000 + 3000 - 6000
    lines = bills.bill_lines(bills.bill_of(intent))
    assert [(x.item_code, x.discount_fen) for x in lines] == [("cleaning", 6000), ("polish", 0)]
    # Shown where the patient pays and where the desk takes the money.
    client.force_login(world.patient_parent)
    page = client.get(f"/pay/{intent.public_id}/").content.decode()
    assert "收费明细" in page and "优惠券 −¥60.00" in page and "¥170.00" in page
    client.force_login(world.clinic_a_front_desk)
    desk = client.get(f"/console/payments/{intent.public_id}/").content.decode()
    assert "−¥60.00" in desk and "¥170.00" in desk
    # A material added afterwards does not change the coupon; a second cleaning does.
    bills.bill_line_add(
        actor=world.clinic_a_front_desk, intent=intent, kind="material", item_code="polish"
    )
    intent.refresh_from_db()
    assert intent.amount_fen == 20000 + 6000 - 6000
    bills.bill_line_add(
        actor=world.clinic_a_front_desk, intent=intent, kind="service", item_code="cleaning"
    )
    intent.refresh_from_db()
    assert intent.amount_fen == 40000 + 6000 - 12000
    assert Coupon.objects.get().status == CouponStatus.HELD
    assert bills.bill_of(intent).discount_fen == 12000


def test_a_line_that_would_leave_the_coupon_with_nothing_to_lower_is_refused(
    client, world, polish, scaling_coupon
):
    intent = _bill(
        world,
        LineDraft(kind="service", item_code="cleaning"),
        LineDraft(kind="material", item_code="polish"),
    )
    intent = bills.bill_apply_coupon(
        actor=world.clinic_a_front_desk, intent=intent, coupon_id=scaling_coupon.public_id
    )
    before = _state(intent)
    client.force_login(world.clinic_a_front_desk)
    page = client.post(
        f"/console/payments/{intent.public_id}/lines/remove/", {"position": "1"}, follow=True
    ).content.decode()
    assert "本账单已用的优惠券将不再适用" in page
    assert _state(intent) == before
    assert Coupon.objects.get().status == CouponStatus.HELD


def test_a_coupon_for_anything_does_not_lower_materials(world, resin):
    template = CouponTemplate.objects.create(
        name="满300减50", kind="fixed_amount", amount_off_fen=5000, min_spend_fen=30000,
        valid_days=30,
    )  # fmt: skip
    growth.coupon_issue(template_id=template.public_id, user=world.patient_parent, reason="活动")
    # ¥180 of treatment and ¥360 of resin: the treatment alone is under the minimum.
    intent = bills.bill_create(
        actor=world.clinic_a_front_desk,
        clinic=world.clinic_a,
        payer=world.patient_parent,
        lines=[
            LineDraft(kind="service", item_code="cleaning", unit_fen=18000),
            LineDraft(kind="material", item_code="resin", quantity=2),
        ],
    )
    assert bills.bill_coupons(intent=intent) == []


def test_the_receipt_lists_lines_quantities_prices_discount_and_total(
    client, world, polish, scaling_coupon
):
    intent = _bill(
        world,
        LineDraft(kind="service", item_code="cleaning"),
        LineDraft(kind="material", item_code="polish", quantity=2),
    )
    intent = bills.bill_apply_coupon(
        actor=world.patient_parent, intent=intent, coupon_id=scaling_coupon.public_id
    )
    services.desk_payment_record(actor=world.clinic_a_front_desk, intent=intent, method=Method.CASH)
    client.force_login(world.patient_parent)
    for url in (
        f"/pay/{intent.public_id}/receipt/",
        f"/pay/{intent.public_id}/receipt/?download=1",
    ):
        sheet = client.get(url).content.decode()
        assert "收费明细" in sheet and "数量" in sheet and "单价" in sheet and "小计" in sheet
        assert sheet.count('data-testid="receipt-line"') == 2
        assert "抛光膏" in sheet and "2次" in sheet and "¥30.00" in sheet and "¥60.00" in sheet
        assert "优惠券（洁牙）" in sheet and "−¥60.00" in sheet
        assert "¥260.00" in sheet and "¥200.00" in sheet  # the lines' total; received
    client.force_login(world.clinic_a_front_desk)
    printed = client.get(f"/console/payments/{intent.public_id}/receipt/")
    assert printed.content.decode().count('data-testid="receipt-line"') == 2
    # Printed from the site, its style is a stylesheet the page's CSP allows, not inline.
    assert "style-src 'self'" in printed["Content-Security-Policy"]
    assert "<style>" not in printed.content.decode()
    assert "payments/receipt" in printed.content.decode()


def test_the_api_shows_the_bills_lines_and_the_receipts(world, polish, scaling_coupon):
    intent = _bill(
        world,
        LineDraft(kind="service", item_code="cleaning"),
        LineDraft(kind="material", item_code="polish"),
    )
    api = ApiClient().as_user(world.patient_parent)
    api.post(f"/payments/{intent.public_id}/coupon", {"coupon_id": str(scaling_coupon.public_id)})
    detail = api.get(f"/payments/{intent.public_id}").json()
    assert detail["amount_fen"] == 17000
    assert detail["bill"]["list_fen"] == 23000 and detail["bill"]["discount_fen"] == 6000
    assert detail["bill"]["lines"] == [
        {
            "position": 1,
            "kind": "service",
            "kind_display": "治疗",
            "item_code": "cleaning",
            "description": "洁牙",
            "unit": "",
            "quantity": 1,
            "unit_fen": 20000,
            "total_fen": 20000,
            "discount_fen": 6000,
            "amount_fen": 14000,
        },
        {
            "position": 2,
            "kind": "material",
            "kind_display": "材料",
            "item_code": "polish",
            "description": "抛光膏",
            "unit": "次",
            "quantity": 1,
            "unit_fen": 3000,
            "total_fen": 3000,
            "discount_fen": 0,
            "amount_fen": 3000,
        },
    ]
    intent.refresh_from_db()
    services.desk_payment_record(actor=world.clinic_a_front_desk, intent=intent, method=Method.CARD)
    receipt = api.get(f"/payments/{intent.public_id}/receipt").json()
    assert [(x["description"], x["discount_fen"]) for x in receipt["lines"]] == [
        ("洁牙", 6000),
        ("抛光膏", 0),
    ]
    listed = api.get("/payments").json()
    assert "bill" not in listed[0]  # the list stays light


def _completed_visit(world):
    appointment = appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.filling_a,
        start=tomorrow_at(10),
        patients=[world.patient_child],
    ).appointments[0]
    desk = world.clinic_a_front_desk
    appointment_advance(
        actor=desk, appointment=appointment, to_status=Status.ARRIVED, now=tomorrow_at(9)
    )
    return appointment_advance(
        actor=desk, appointment=appointment, to_status=Status.COMPLETED, now=tomorrow_at(10, 45)
    )


def test_a_visit_billed_from_its_panel_starts_with_its_treatment_then_takes_materials(
    client, world, resin
):
    visit = _completed_visit(world)
    client.force_login(world.clinic_a_front_desk)
    panel = client.get(f"/console/appointment/{visit.public_id}/").content.decode()
    assert "第一项：补牙 × 1" in panel
    response = client.post(f"/console/appointment/{visit.public_id}/bill/", {"amount": "350.00"})
    intent = PaymentIntent.objects.get()
    assert response["Location"] == f"/console/payments/{intent.public_id}/"
    client.post(
        f"/console/payments/{intent.public_id}/lines/add/",
        {"item": "material:resin", "quantity": "1"},
    )
    panel = client.get(f"/console/appointment/{visit.public_id}/").content.decode()
    assert "2 项" in panel and "¥530.00" in panel
    # The family sees the lines with the visit, in the app and in the API.
    client.force_login(world.patient_parent)
    page = client.get(f"/visits/{visit.public_id}/").content.decode()
    assert "补牙" in page and "树脂材料" in page and "1颗 × ¥180.00" in page
    visits = ApiClient().as_user(world.patient_parent).get("/me/visits").json()
    lines = visits[0]["bills"][0]["lines"]
    assert [(x["item_code"], x["quantity"], x["total_fen"]) for x in lines] == [
        ("filling", 1, 35000),
        ("resin", 1, 18000),
    ]


def test_a_voucher_flow_settles_a_line_through_the_facade(world):
    """Another context adds a line at its own price (a treatment voucher already paid for
    in a flash sale: ¥0 at the desk), without a staff member."""
    from yachi.payments import facade as payments

    intent = _bill(world, LineDraft(kind="service", item_code="filling"))
    line = payments.bill_line_add(
        actor=None,
        intent=intent,
        kind=payments.LineKind.SERVICE,
        item_code="cleaning",
        unit_fen=0,
        description="洁牙（秒杀券已付）",
    )
    assert (line.description, line.total_fen) == ("洁牙（秒杀券已付）", 0)
    intent.refresh_from_db()
    assert intent.amount_fen == 35000
    assert AuditEntry.objects.get(action="bill_changed").actor_id is None


def test_a_bill_of_one_amount_becomes_one_line(world):
    """Bills made before lines existed: the migration gives each its one line."""
    intent = bills.bill_create(
        actor=world.clinic_a_front_desk,
        clinic=world.clinic_a,
        payer=world.patient_parent,
        amount_fen=12345,
        description="复诊",
        service=world.filling_a,
    )
    bill = bills.bill_of(intent)
    Bill.objects.filter(pk=bill.pk).update(discount_fen=2345)
    BillLine.objects.all().delete()
    migration = importlib.import_module("yachi.payments.migrations.0008_bill_lines")
    migration.one_line_per_bill(apps, None)
    (line,) = BillLine.objects.all()
    assert (line.kind, line.item_code, line.description) == ("service", "filling", "复诊")
    assert (line.quantity, line.unit_fen, line.total_fen, line.discount_fen) == (
        1,
        12345,
        12345,
        2345,
    )


def test_the_desk_is_not_charged_an_amount_it_did_not_see(client, world, resin):
    """A colleague adds a line while the bill's page is open: taking the old amount is
    refused, and the page shows the new one."""
    intent = _bill(world)
    bills.bill_line_add(
        actor=world.clinic_a_manager, intent=intent, kind="material", item_code="resin"
    )
    client.force_login(world.clinic_a_front_desk)
    page = client.post(
        f"/console/payments/{intent.public_id}/take/",
        {"method": "card", "amount": "200.00"},
        follow=True,
    ).content.decode()
    assert "账单在打开此页后已更改" in page and "¥380.00" in page
    intent.refresh_from_db()
    assert intent.status == "created" and not intent.entries.exists()
    # With the amount it now shows, the payment is taken.
    client.post(
        f"/console/payments/{intent.public_id}/take/", {"method": "card", "amount": "380.00"}
    )
    intent.refresh_from_db()
    assert intent.status == "paid" and intent.entries.get().amount_fen == 38000
