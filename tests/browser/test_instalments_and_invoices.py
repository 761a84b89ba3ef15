"""A patient chooses instalments for a treatment plan, reads the schedule with its APR and
total cost, and agrees with the two separate ticks; then asks for the invoice of a paid
bill and sees its status; the desk sees it on the bill. At 1366 and 390 px."""

import pytest

from conftest import tomorrow_at
from tests import factories as f
from tests.browser.conftest import screenshot
from tests.browser.test_patient_books import log_in
from tests.fakes.financing_partner import APP_ID, CALLBACK_SECRET, SECRET, FakePartner
from tests.fakes.invoicing import APP_ID as INVOICE_APP
from tests.fakes.invoicing import SECRET as INVOICE_SECRET
from tests.fakes.invoicing import FakeInvoicing
from yachi.booking.services import appointments_book
from yachi.clinical import services
from yachi.clinical.access import chart_write_access
from yachi.financing.models import InstalmentPlan, Invoice
from yachi.payments import bills
from yachi.payments import services as payments
from yachi.payments.choices import Method

pytestmark = pytest.mark.browser


@pytest.fixture
def partner(settings):
    with FakePartner() as fake:
        settings.YACHI_FINANCING_PARTNER_URL = fake.url
        settings.YACHI_FINANCING_PARTNER_APP_ID = APP_ID
        settings.YACHI_FINANCING_PARTNER_SECRET = SECRET
        settings.YACHI_FINANCING_PARTNER_CALLBACK_SECRET = CALLBACK_SECRET
        yield fake


@pytest.fixture
def provider(settings):
    with FakeInvoicing() as fake:
        settings.YACHI_INVOICE_PROVIDER_URL = fake.url
        settings.YACHI_INVOICE_PROVIDER_APP_ID = INVOICE_APP
        settings.YACHI_INVOICE_PROVIDER_SECRET = INVOICE_SECRET
        yield fake


def _plan(world, settings):
    settings.YACHI_INSTALMENT_MIN_FEN = 100_000
    appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(10),
        patients=[world.parent],
    )
    actor = world.clinic_a_doctor.user
    patient, clinic_ids = chart_write_access(actor=actor, patient_id=world.parent.public_id)
    plan = services.plan_create(actor=actor, patient=patient, clinic_ids=clinic_ids, title="补牙")
    services.plan_item_add(
        actor=actor, plan=plan, phase=1, service_code="filling", tooth="16", quantity=4
    )
    return services.plan_propose(actor=actor, plan=plan)


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1366, 900)])
def test_the_patient_reads_the_schedule_and_agrees_to_instalments(
    live_server, world, browser, settings, partner, width, height
):
    from tests.browser.conftest import checked_page

    plan = _plan(world, settings)
    with checked_page(browser, width=width, height=height) as page:
        base = live_server.url
        log_in(page, base, world.patient_parent.phone)
        page.goto(f"{base}/family/{world.parent.public_id}/treatment-plans/")
        page.get_by_role("link", name="分期付款").click()
        page.check("input[name=months][value='12']")
        page.check("input[name=method][value='equal_principal']")
        page.get_by_role("button", name="查看还款计划").click()
        page.wait_for_selector("[data-testid=schedule]")
        assert page.locator("[data-testid=schedule] tbody tr").count() == 12
        assert "¥1,400.00" in page.locator("[data-testid=principal]").inner_text()
        assert page.locator("[data-testid=apr]").inner_text().startswith("0.0699")
        screenshot(page, f"instalment-quote-{width}")
        page.check("input[name=agree_terms]")
        page.get_by_role("button", name="同意并申请").click()
        # Without the separate consent the browser itself keeps the form back.
        assert InstalmentPlan.objects.get().status == "quoted"
        page.check("input[name=agree_terms]")
        page.check("input[name=share_with_partner]")
        page.get_by_role("button", name="同意并申请").click()
        page.wait_for_selector("text=申请已提交金融合作机构")
        assert "等待金融机构审批" in page.locator("[data-testid=plan-status]").inner_text()
        assert len(partner.applications) == 1
    assert plan.total_fen == 140_000


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1366, 900)])
def test_the_patient_asks_for_an_invoice_and_the_desk_sees_it_on_the_bill(
    live_server, world, browser, provider, width, height
):
    from tests.browser.conftest import checked_page

    intent = bills.bill_create(
        actor=world.clinic_a_front_desk,
        clinic=world.clinic_a,
        payer=world.patient_parent,
        amount_fen=20_000,
        description="",
        service=world.filling_a,
    )
    payments.desk_payment_record(actor=world.clinic_a_front_desk, intent=intent, method=Method.CARD)
    base = live_server.url
    with checked_page(browser, width=width, height=height) as page:
        log_in(page, base, world.patient_parent.phone)
        page.goto(f"{base}/pay/{intent.public_id}/receipt/")
        page.get_by_role("link", name="发票").click()
        page.check("input[name=kind][value='company']")
        page.fill("input[name=name]", "厦门某科技有限公司")
        page.fill("input[name=tax_number]", "91350100M000100Y44")
        page.get_by_role("button", name="申请开票").click()
        page.wait_for_selector("text=这不是有效的统一社会信用代码")
        assert Invoice.objects.count() == 0
        page.check("input[name=kind][value='company']")
        page.fill("input[name=name]", "厦门某科技有限公司")
        page.fill("input[name=tax_number]", "91350100M000100Y43")
        page.get_by_role("button", name="申请开票").click()
        page.wait_for_selector("[data-testid=invoice-number]")
        assert "已开具" in page.locator("[data-testid=invoice-status]").inner_text()
        screenshot(page, f"invoice-{width}")
    with checked_page(browser, width=width, height=height) as desk:
        desk.goto(f"{base}/console/login/")
        desk.fill("input[name=phone]", world.clinic_a_front_desk.phone)
        desk.fill("input[name=password]", f.STAFF_PASSWORD)
        desk.click("button[type=submit]")
        desk.wait_for_url("**/console/**")
        desk.goto(f"{base}/console/payments/{intent.public_id}/")
        assert "已开具" in desk.locator("[data-testid=payment-document]").first.inner_text()
        pdf = desk.request.get(f"{base}/console/payments/{intent.public_id}/receipt.pdf")
        assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
        screenshot(desk, f"bill-with-invoice-{width}")
