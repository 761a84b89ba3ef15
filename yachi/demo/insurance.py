"""Medical insurance and claims in the demo: the first clinic a designated institution
with its catalogue mapped (two items left unmapped, for the console to show), bills of
today settled through the local fake platform (one paid in full by the patient's part
afterwards, one reversed), and a claim with the fake insurer, approved.

The fakes run in this process while the demo is built; ``yachi demo`` runs them again on
ports 8114 and 8124 so the desk's screens work against the same protocol.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

from yachi.accounts.models import User
from yachi.core.roles import ClinicRole, Role
from yachi.insurance.claims import services as claims
from yachi.insurance.claims.fakeinsurer import DEMO_APP_ID as INSURER_APP_ID
from yachi.insurance.claims.fakeinsurer import DEMO_SECRET as INSURER_SECRET
from yachi.insurance.claims.fakeinsurer import FakeInsurer
from yachi.insurance.medical import services as medical
from yachi.insurance.medical.fakeplatform import (
    DEMO_APP_ID,
    DEMO_PEOPLE,
    DEMO_SECRET,
    FakeMedicalInsurancePlatform,
)
from yachi.payments.bills import LineDraft, bill_create
from yachi.payments.services import desk_payment_record

MAPPINGS = {
    "cleaning": ("003105010010000", "B"),
    "filling": ("003105020010000", "A"),
    "root_canal": ("003105020050000", "B"),
    "wisdom_tooth_extraction": ("003105030070000", "B"),
    "sealant": ("003105060010000", "B"),
    "emergency": ("003105000010000", "A"),
}
INSTITUTION_CODE = "H31010600001"


@dataclass(frozen=True)
class InsuranceSummary:
    mapped: int
    unmapped: int
    settled: int
    reversed: int
    claims: int


def build_insurance(*, clinic, patients_with_xrays) -> InsuranceSummary:
    desk = (
        User.objects.filter(memberships__clinic=clinic, memberships__role=ClinicRole.FRONT_DESK)
        .order_by("pk")
        .first()
    )
    manager = (
        User.objects.filter(memberships__clinic=clinic, memberships__role=ClinicRole.MANAGER)
        .order_by("pk")
        .first()
        or desk
    )
    medical.institution_save(actor=manager, clinic=clinic, code=INSTITUTION_CODE, area="310000")
    for code, (national, level) in MAPPINGS.items():
        medical.mapping_save(
            actor=manager,
            clinic=clinic,
            kind="service",
            item_code=code,
            national_code=national,
            catalogue_class=level,
        )
    unmapped = sum(1 for item in medical.catalogue_of(clinic) if item.mapping is None)
    payers = list(User.objects.filter(role=Role.PATIENT).order_by("pk")[6:9])
    platform = FakeMedicalInsurancePlatform(app_id=DEMO_APP_ID, secret=DEMO_SECRET)
    for credential, name, balance in DEMO_PEOPLE:
        platform.add_person(credential=credential, name=name, balance_fen=balance)
    insurer = FakeInsurer(app_id=INSURER_APP_ID, secret=INSURER_SECRET)
    settled = reversed_ = claimed = 0
    with (
        platform,
        insurer,
        override_settings(
            YACHI_MEDICAL_INSURANCE_API_BASE=platform.url,
            YACHI_MEDICAL_INSURANCE_APP_ID=DEMO_APP_ID,
            YACHI_MEDICAL_INSURANCE_SECRET=DEMO_SECRET,
            YACHI_CLAIMS_API_BASE=insurer.url,
            YACHI_CLAIMS_APP_ID=INSURER_APP_ID,
            YACHI_CLAIMS_SECRET=INSURER_SECRET,
        ),
    ):
        bills = [("filling", "cleaning"), ("root_canal",), ("filling",)]
        for index, (payer, codes) in enumerate(zip(payers, bills, strict=False)):
            intent = bill_create(
                actor=desk,
                clinic=clinic,
                payer=payer,
                lines=[LineDraft(kind="service", item_code=c) for c in codes],
            )
            medical.pre_settle(actor=desk, payment=intent, credential=DEMO_PEOPLE[index % 2][0])
            settlement = medical.settle(actor=desk, payment=intent)
            settled += 1
            if index == 1:
                medical.undo(actor=desk, settlement=settlement, reason="选错参保人，重新结算")
                reversed_ += 1
            elif settlement.self_fen:
                intent.refresh_from_db()
                desk_payment_record(
                    actor=desk, intent=intent, method="cash", tendered_fen=intent.amount_fen
                )
        for member in patients_with_xrays[:1]:
            owner = member.account.owner
            intent = bill_create(
                actor=desk,
                clinic=clinic,
                payer=owner,
                lines=[LineDraft(kind="service", item_code="filling")],
            )
            intent = desk_payment_record(actor=desk, intent=intent, method="card")
            case = claims.claim_open(
                actor=desk,
                payment=intent,
                insurer="pingan",
                policy_number="PA-ACC-2026-000318",
                accident_date=timezone.localdate() - timedelta(days=5),
                description="运动时撞伤门牙，牙体折裂",
            )
            case = claims.claim_submit(actor=desk, case=case)
            insurer.decide(
                case.insurer_claim_number,
                "approved",
                approved_fen=case.claimed_fen * 8 // 10,
                note="按保单责任赔付80%",
            )
            claims.claim_refresh(case=case)
            claimed += 1
    return InsuranceSummary(len(MAPPINGS), unmapped, settled, reversed_, claimed)
