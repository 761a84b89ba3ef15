"""An accident-insurance claim for a paid treatment: its documents as PDF from the
platform's own data, sent to the (fake) insurer, its status followed and the patient told."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from conftest import book_seen
from yachi.core.errors import DomainError
from yachi.insurance.claims import services
from yachi.insurance.claims.models import ClaimCase
from yachi.insurance.tests.conftest import bill
from yachi.messaging.models import Notification
from yachi.payments.services import desk_payment_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(world):
    book_seen(world)
    intent = bill(world, "filling")
    return desk_payment_record(actor=world.clinic_a_front_desk, intent=intent, method="card")


def _xray_and_finding(world):
    from yachi.clinical.services import finding_record
    from yachi.imaging.facade import SyntheticPicture, instance_receive, synthetic_part10

    instance_receive(
        clinic=world.clinic_a,
        data=synthetic_part10(
            SyntheticPicture(
                patient_id=world.parent.chart_number,
                taken_at=datetime(2026, 11, 30, 9, 15),  # noqa: DTZ001 - as DICOM writes it
            )
        ),
    )
    finding_record(
        actor=world.clinic_a_doctor.user,
        patient=world.parent,
        clinic_ids={world.clinic_a.pk},
        tooth="11",
        kind="fracture",
    )


def _open(world, paid):
    return services.claim_open(
        actor=world.clinic_a_front_desk,
        payment=paid,
        insurer="pingan",
        policy_number="P-2026-0001",
        accident_date=timezone.localdate() - timedelta(days=3),
        description="骑车摔倒，门牙折断",
    )


def test_the_documents_are_pdfs_made_from_the_bill_the_chart_and_the_xray(world, paid):
    _xray_and_finding(world)
    case = _open(world, paid)
    made = {d.kind: d for d in services.documents_of(actor=world.clinic_a_front_desk, case=case)}
    assert set(made) == {"itemised_bill", "diagnosis", "xray"}
    assert all(d.data.startswith(b"%PDF-") for d in made.values())
    # The Chinese text is in the PDF, in the built-in CID font, not a copied font file.
    assert b"STSong-Light" in made["itemised_bill"].data
    assert len(made["xray"].data) > len(made["diagnosis"].data)  # it carries the picture


def test_a_claim_goes_to_the_insurer_and_the_patient_hears_of_each_status(
    world, paid, insurer, django_capture_on_commit_callbacks
):
    case = _open(world, paid)
    with django_capture_on_commit_callbacks(execute=True):
        case = services.claim_submit(actor=world.clinic_a_front_desk, case=case)
    assert case.status == "submitted" and case.insurer_claim_number.startswith("LP")
    sent = insurer.claims[case.insurer_claim_number]
    assert {d["kind"] for d in sent["documents"]} == {"itemised_bill", "diagnosis"}
    assert sent["claimed_fen"] == 35_000
    insurer.decide(case.insurer_claim_number, "approved", approved_fen=30_000)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.claim_refresh(case=case) is True
    insurer.decide(case.insurer_claim_number, "paid", paid_fen=30_000)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.claims_poll() == 1
    case.refresh_from_db()
    assert (case.status, case.paid_fen) == ("paid", 30_000)
    assert [e.status for e in case.events.all()] == ["draft", "submitted", "approved", "paid"]
    told = Notification.objects.filter(recipient=world.patient_parent, kind="claim_status")
    keys = {key.split(":")[2] for key in told.values_list("idempotency_key", flat=True)}
    assert keys == {"submitted", "approved", "paid"}


def test_when_the_insurer_asks_for_more_documents_they_are_sent_again(world, paid, insurer):
    case = services.claim_submit(actor=world.clinic_a_front_desk, case=_open(world, paid))
    insurer.decide(case.insurer_claim_number, "more_documents", note="请补充影像资料")
    services.claim_refresh(case=case)
    case.refresh_from_db()
    assert case.status == "more_documents" and case.insurer_note == "请补充影像资料"
    _xray_and_finding(world)
    case = services.claim_submit(actor=world.clinic_a_front_desk, case=case)
    assert "xray" in {d["kind"] for d in insurer.claims[case.insurer_claim_number]["documents"]}


def test_a_claim_needs_a_paid_bill_and_is_one_per_insurer(world, insurer):
    unpaid = bill(world, "filling")
    with pytest.raises(DomainError) as refused:
        services.claim_open(
            actor=world.clinic_a_front_desk,
            payment=unpaid,
            insurer="pingan",
            policy_number="P1",
            accident_date=timezone.localdate(),
        )
    assert refused.value.code == "bill_not_paid"
    paid = desk_payment_record(actor=world.clinic_a_front_desk, intent=unpaid, method="card")
    _open(world, paid)
    with pytest.raises(DomainError) as twice:
        _open(world, paid)
    assert twice.value.code == "claim_exists"
    assert ClaimCase.objects.count() == 1


def test_the_insurer_refuses_a_request_we_did_not_sign(world, paid, insurer, settings):
    settings.YACHI_CLAIMS_SECRET = "not-ours"
    case = _open(world, paid)
    with pytest.raises(DomainError):
        services.claim_submit(actor=world.clinic_a_front_desk, case=case)
    assert insurer.refused_signatures == 1 and not insurer.claims
    case.refresh_from_db()
    assert case.status == "draft" and not case.documents.exists()
