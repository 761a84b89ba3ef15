"""The local fakes of the medical-insurance platform and an insurer on free ports, with
the settings pointed at them; a clinic set up as a designated institution with its
catalogue mapped."""

import pytest

from yachi.insurance.claims.fakeinsurer import FakeInsurer
from yachi.insurance.medical.fakeplatform import FakeMedicalInsurancePlatform

APP_ID = "yachi-test"
SECRET = "a-test-secret-nobody-else-has"
CREDENTIAL = "YBCODE-TEST-0001"


@pytest.fixture
def platform(settings):
    fake = FakeMedicalInsurancePlatform(app_id=APP_ID, secret=SECRET)
    fake.add_person(credential=CREDENTIAL, name="李秀英", balance_fen=5_000)
    with fake:
        settings.YACHI_MEDICAL_INSURANCE_API_BASE = fake.url
        settings.YACHI_MEDICAL_INSURANCE_APP_ID = APP_ID
        settings.YACHI_MEDICAL_INSURANCE_SECRET = SECRET
        settings.YACHI_MEDICAL_INSURANCE_TIMEOUT_SECONDS = 2.0
        yield fake


@pytest.fixture
def insurer(settings):
    fake = FakeInsurer(app_id=APP_ID, secret=SECRET)
    with fake:
        settings.YACHI_CLAIMS_API_BASE = fake.url
        settings.YACHI_CLAIMS_APP_ID = APP_ID
        settings.YACHI_CLAIMS_SECRET = SECRET
        yield fake


def set_up_clinic(world):
    """Clinic A as designated institution: 洁牙 class B, 补牙 class A; the rest unmapped."""
    from yachi.insurance.medical import services

    services.institution_save(
        actor=world.clinic_a_manager, clinic=world.clinic_a, code="H31010400123", area="310000"
    )
    services.mapping_save(
        actor=world.clinic_a_manager,
        clinic=world.clinic_a,
        kind="service",
        item_code="cleaning",
        national_code="003105010010000",
        catalogue_class="B",
    )
    services.mapping_save(
        actor=world.clinic_a_manager,
        clinic=world.clinic_a,
        kind="service",
        item_code="filling",
        national_code="003105020010000",
        catalogue_class="A",
    )


def bill(world, *codes):
    from yachi.payments import facade as payments

    return payments.bill_create(
        actor=world.clinic_a_front_desk,
        clinic=world.clinic_a,
        payer=world.patient_parent,
        lines=[payments.LineDraft(kind="service", item_code=code) for code in codes],
    )
