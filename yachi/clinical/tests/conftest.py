"""The clinical tests' shared world: the mother has a visit at clinic A tomorrow, a
caries on 16 and a filling for it offered in a plan."""

import pytest

from conftest import tomorrow_at
from yachi.booking.services import appointments_book
from yachi.clinical import services
from yachi.clinical.access import chart_write_access


@pytest.fixture
def seen(world):
    return appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(10),
        patients=[world.parent],
    ).appointments[0]


@pytest.fixture
def plan(world, seen):
    actor = world.clinic_a_doctor.user
    patient, clinic_ids = chart_write_access(actor=actor, patient_id=world.parent.public_id)
    services.finding_record(
        actor=actor, patient=patient, clinic_ids=clinic_ids, tooth="16", kind="caries", surfaces="O"
    )
    plan = services.plan_create(actor=actor, patient=patient, clinic_ids=clinic_ids, title="补牙")
    services.plan_item_add(
        actor=actor,
        plan=plan,
        phase=1,
        service_code="filling",
        tooth="16",
        surfaces="O",
        result="filling",
    )
    return services.plan_propose(actor=actor, plan=plan)


@pytest.fixture
def accepted(world, plan):
    return services.plan_accept(
        actor=world.patient_parent,
        plan=plan,
        revision=plan.revision,
        signature="张妈妈",
        agree=True,
    )
