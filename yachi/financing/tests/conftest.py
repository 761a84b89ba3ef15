import pytest

from tests.fakes.financing_partner import APP_ID, CALLBACK_SECRET, SECRET, FakePartner
from tests.fakes.invoicing import APP_ID as INVOICE_APP
from tests.fakes.invoicing import SECRET as INVOICE_SECRET
from tests.fakes.invoicing import FakeInvoicing


@pytest.fixture
def partner(settings):
    with FakePartner() as fake:
        settings.YACHI_FINANCING_PARTNER_URL = fake.url
        settings.YACHI_FINANCING_PARTNER_APP_ID = APP_ID
        settings.YACHI_FINANCING_PARTNER_SECRET = SECRET
        settings.YACHI_FINANCING_PARTNER_CALLBACK_SECRET = CALLBACK_SECRET
        yield fake


@pytest.fixture
def invoicing(settings):
    with FakeInvoicing() as fake:
        settings.YACHI_INVOICE_PROVIDER_URL = fake.url
        settings.YACHI_INVOICE_PROVIDER_APP_ID = INVOICE_APP
        settings.YACHI_INVOICE_PROVIDER_SECRET = INVOICE_SECRET
        settings.YACHI_INVOICE_SELLER_TAX_NUMBER = "91350100M000100Y43"
        yield fake


@pytest.fixture
def treatment_plan(world, settings):
    """A proposed plan of four fillings (1 400 CNY) for the parent; the threshold lowered
    so that it qualifies."""
    from conftest import tomorrow_at
    from yachi.booking.services import appointments_book
    from yachi.clinical import services
    from yachi.clinical.access import chart_write_access

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
