"""A patient asks for the invoice of a paid bill, the buyer is kept, a refund reverses it
by a red-letter invoice; the receipt is a PDF for the payer and the desk."""

import pytest

from yachi.compliance.models import AuditEntry
from yachi.financing.invoicing import services as invoicing
from yachi.financing.invoicing.taxnumbers import is_credit_code
from yachi.financing.models import Invoice, InvoiceBuyer
from yachi.payments import bills, services
from yachi.payments.choices import Method


@pytest.fixture
def paid(world):
    intent = bills.bill_create(
        actor=world.clinic_a_front_desk,
        clinic=world.clinic_a,
        payer=world.patient_parent,
        amount_fen=20_000,
        description="",
        service=world.filling_a,
    )
    return services.desk_payment_record(
        actor=world.clinic_a_front_desk, intent=intent, method=Method.CARD
    )


def test_the_check_character_of_a_unified_social_credit_code():
    assert is_credit_code("91350100M000100Y43")
    assert not is_credit_code("91350100M000100Y44")
    assert not is_credit_code("91350100M000100Y4")
    assert not is_credit_code("91350100M000100I43")


def test_a_company_invoice_is_issued_and_the_buyer_kept_for_next_time(api, world, paid, invoicing):
    api.as_user(world.patient_parent)
    url = f"/payments/{paid.public_id}/invoice"
    bad = api.post(
        url, {"kind": "company", "name": "厦门某科技有限公司", "tax_number": "91350100M000100Y44"}
    )
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_tax_number"
    assert Invoice.objects.count() == 0 and InvoiceBuyer.objects.count() == 0
    made = api.post(
        url, {"kind": "company", "name": "厦门某科技有限公司", "tax_number": "91350100m000100y43"}
    )
    assert made.status_code == 200, made.content
    body = made.json()
    assert body["status"] == "issued" and len(body["invoice_number"]) == 20
    assert body["amount_fen"] == 20_000 and body["buyer"]["tax_number"] == "91350100M000100Y43"
    assert invoicing.refused == 0
    assert api.get("/me/invoice-buyer").json()["name"] == "厦门某科技有限公司"
    assert api.post(url, {}).json()["invoice_number"] == body["invoice_number"]
    assert len(invoicing.issued) == 1
    assert api.as_user(world.other_patient).post(url, {}).status_code == 404


def test_a_refund_issues_a_red_letter_invoice_for_the_refunded_amount(world, paid, invoicing):
    invoicing_buyer = {"kind": "personal", "name": "张妈妈"}
    blue = invoicing_services_request(world, paid, **invoicing_buyer)
    assert blue.status == "issued"
    services.refund_request(
        intent=paid, amount_fen=5_000, reason="少做一颗", actor=world.clinic_a_front_desk
    )
    red = Invoice.objects.get(kind="red")
    invoicing_services_issue(red)
    red.refresh_from_db()
    assert red.status == "issued" and red.amount_fen == 5_000
    assert red.original_id == blue.pk
    sent = invoicing.issued[red.request_no]
    assert (
        invoicing.by_number[sent["invoice_number"]]["original_invoice_number"]
        == blue.invoice_number
    )
    blue.refresh_from_db()
    assert blue.status == "issued"  # 150 CNY of it stands
    services.refund_request(
        intent=paid, amount_fen=15_000, reason="全部退款", actor=world.clinic_a_front_desk
    )
    assert invoicing.__class__ and invoicing_services_retry() >= 1
    blue.refresh_from_db()
    assert blue.status == "reversed"
    assert AuditEntry.objects.filter(action="invoice_requested").count() == 3


def invoicing_services_request(world, paid, **buyer):
    return invoicing.invoice_request(actor=world.patient_parent, payment_id=paid.public_id, **buyer)


def invoicing_services_issue(invoice):
    invoicing._issue(invoice)


def invoicing_services_retry():
    return invoicing.invoices_retry()


def test_a_provider_that_does_not_answer_leaves_the_invoice_to_retry(world, paid, invoicing):
    invoicing_fake = invoicing
    invoicing_fake.fail_next("server_error")
    invoice = invoicing_services_request(world, paid, kind="personal", name="张妈妈")
    assert invoice.status == "failed"
    assert invoicing_services_retry() == 1
    invoice.refresh_from_db()
    assert invoice.status == "issued"


def test_the_receipt_pdf_is_the_payers_and_the_desks_and_the_desks_read_is_audited(
    api, world, paid
):
    mine = api.as_user(world.patient_parent).get(f"/payments/{paid.public_id}/receipt.pdf")
    assert mine.status_code == 200 and mine.content.startswith(b"%PDF")
    assert b"STSong-Light" in mine.content
    assert not AuditEntry.objects.filter(action="receipt_printed").exists()
    desk = api.as_user(world.clinic_a_front_desk).get(f"/payments/{paid.public_id}/receipt.pdf")
    assert desk.status_code == 200
    assert AuditEntry.objects.filter(action="receipt_printed").count() == 1
    for stranger in (world.other_patient, world.clinic_b_front_desk):
        assert (
            api.as_user(stranger).get(f"/payments/{paid.public_id}/receipt.pdf").status_code == 404
        )
