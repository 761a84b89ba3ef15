"""Every operation of the published API, fed generated requests, valid and invalid.

Schemathesis reads the OpenAPI document the application serves and, for each
operation, sends boundary cases and random data through the real WSGI stack: as a
logged-in patient, as the front desk of clinic A, and with no or a forged token.
Whatever comes in, the answer is one the contract lists, with a body that matches it;
errors are ``{"code", "message"}``; nothing is ever a 5xx.

The records the requests address (visits, orders, a flash sale, vouchers, tokens) are added to
the shared world once for the whole module, in a transaction rolled back at its end;
each request runs inside a savepoint rolled back afterwards, so every generated
request meets the same personas and no example depends on another. The seed is fixed
(``deterministic``), so CI sees the same requests on every run.
"""

import copy
from contextlib import contextmanager
from datetime import timedelta

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from conftest import World, tomorrow_at
from tests.factories import ServiceFactory
from yachi.accounts.services import token_issue
from yachi.booking.services import appointments_book
from yachi.booking.vouchers.services import voucher_issue
from yachi.crm.tests.history import follow_up_task
from yachi.shop.flash.services import flash_sale_create

# Values from the personas' records under the names the API gives them, filled in per
# test: valid requests sometimes address real records and free times, so they get past
# "not found" into the services.
KNOWN_VALUES: dict[str, list[str]] = {}


def _with_known_values(case, choices: dict) -> schemathesis.Case:
    for name, value in choices.items():
        if case.path_parameters and name in case.path_parameters:
            case.path_parameters[name] = value
        if case.query and name in case.query:
            case.query[name] = value
        if isinstance(case.body, dict) and name in case.body:
            case.body[name] = value
        if isinstance(case.body, dict) and f"{name}s" in case.body:
            case.body[f"{name}s"] = [value]
    return case


def flatmap_case(context, case):
    """A Schemathesis hook: valid cases draw some of their fields from the personas."""
    if case.meta is None or case.meta.generation.mode is not schemathesis.GenerationMode.POSITIVE:
        return st.just(case)  # invalid data stays exactly as generated
    names = [name for name in KNOWN_VALUES if name in _field_names(case)]
    if not names:
        return st.just(case)
    choices = st.fixed_dictionaries(
        {}, optional={n: st.sampled_from(KNOWN_VALUES[n]) for n in names}
    )
    return choices.map(lambda chosen: _with_known_values(case, chosen))


def _field_names(case) -> set[str]:
    fields = set(case.path_parameters or {}) | set(case.query or {})
    if isinstance(case.body, dict):
        fields |= set(case.body) | {name.removesuffix("s") for name in case.body}
    return fields


# The coverage phase's settings in this pass: every boundary case on SQLite, only the valid
# ones on PostgreSQL (see ``fuzz_schema``).
BOUNDARIES = (
    {} if django_settings.DATABASE_VENDOR == "sqlite" else {"generation": {"mode": "positive"}}
)


def fuzz_schema(*, forged_tokens: bool, examples: int, boundaries: bool):
    """The API as the application serves it, with the fuzzer's settings.

    ``boundaries`` adds Schemathesis's coverage phase: every boundary case the schema
    defines (lengths, ranges, formats, missing and wrong-typed fields), about sixty per
    operation. They probe validation, which answers alike whoever asks, so one persona
    runs them; the others get random examples, where the personas' real ids lead past
    "not found" into the services.

    The invalid boundary cases (a value past a declared limit, of the wrong type or
    format, a field missing) run in the SQLite pass only: the API's validation refuses them
    before any query, the same code whatever the database. The valid ones (values at the
    limits, which reach the database: the longest name a column must hold) run in both.
    """
    config = schemathesis.Config.from_dict(
        {
            "phases": {"coverage": {"enabled": boundaries, **BOUNDARIES}},
            "generation": {
                "deterministic": True,
                "max-examples": examples,
                "database": "none",
                # Forged tokens in the stranger's requests; the patient's stays valid.
                "with-security-parameters": forged_tokens,
            },
            "checks": {
                # A request can match the schema and still break a rule no schema can
                # say ("a time on the doctor's roster, within the booking horizon").
                "positive_data_acceptance": {
                    "expected-statuses": ["2xx", "401", "403", "404", "409", "422", "429"]
                },
            },
        }
    )
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler(), config=config)
    schema.hook(flatmap_case)
    return schema


@pytest.fixture(scope="module")
def personas(_shared_world, django_db_blocker):
    """The shared personas with, for this module only, a visit booked for the parent and
    one for a stranger, a flash sale, a small catalogue with orders, and a token each
    for the parent and the front desk."""
    from yachi.clinics.models import Chain

    with django_db_blocker.unblock():
        shared = _shared_world.get("world")
        if shared is None or not Chain.objects.filter(public_id=shared.chain.public_id).exists():
            # A committing test flushed it: build it again, as the session did at first.
            _shared_world["world"] = shared = World()
        with transaction.atomic():
            world = copy.deepcopy(shared)
            _fill_known_values(world)
            world.patient_token = token_issue(user=world.patient_parent, label="fuzz")
            world.front_desk_token = token_issue(user=world.clinic_a_front_desk, label="fuzz")
            yield world
            KNOWN_VALUES.clear()
            transaction.set_rollback(True)


def _fill_known_values(world) -> None:
    visits = [
        appointments_book(
            actor=user,
            doctor=world.clinic_a_doctor,
            service=world.cleaning_a,
            start=tomorrow_at(hour),
            patients=[patient],
        ).appointments[0]
        for user, patient, hour in (
            (world.patient_parent, world.parent, 10),
            (world.other_patient, world.other, 11),
        )
    ]
    sale = flash_sale_create(
        clinic=world.clinic_a,
        title="儿童涂氟",
        price_fen=990,
        original_price_fen=12800,
        places=100,
        starts_at=timezone.now() - timedelta(minutes=1),
        ends_at=timezone.now() + timedelta(days=1),
    )
    fluoride = ServiceFactory(
        clinic=world.clinic_a, code="fluoride_varnish", duration_minutes=20, price_fen=12800
    )
    vouchers = [
        voucher_issue(
            source=f"fuzz:{user.pk}",
            owner=user,
            service=fluoride,
            title="儿童涂氟 9.9 元",
            paid_fen=990,
            valid_until=timezone.now() + timedelta(days=30),
        )
        for user in (world.patient_parent, world.other_patient)
    ]
    KNOWN_VALUES.update(
        sale_id=[str(sale.public_id)],
        voucher_id=[str(v.public_id) for v in vouchers],
        clinic_id=[str(c.public_id) for c in (world.clinic_a, world.clinic_b)],
        doctor_id=[str(d.public_id) for d in (world.clinic_a_doctor, world.clinic_b_doctor)],
        service_id=[str(s.public_id) for s in (world.cleaning_a, world.filling_a)],
        patient_id=[str(p.public_id) for p in (world.parent, world.patient_child, world.other)],
        appointment_id=[str(a.public_id) for a in visits],
        task_id=[
            str(follow_up_task(clinic, patient).public_id)
            for clinic, patient in ((world.clinic_a, world.parent), (world.clinic_b, world.other))
        ],
        start=[tomorrow_at(14).isoformat(), tomorrow_at(15, 30).isoformat()],
        **_mall_values(world),
    )


def _mall_values(world) -> dict[str, list[str]]:
    """A small catalogue with stock, something in the parent's cart and an order each."""
    from yachi.shop.services import cart_add, order_checkout
    from yachi.shop.tests.conftest import catalogue

    shop = catalogue(world)
    orders = []
    for user in (world.patient_parent, world.other_patient):
        cart_add(user=user, sku=shop.floss_50)
        orders.append(order_checkout(buyer=user, clinic=world.clinic_a, fulfilment="pickup").order)
    cart_add(user=world.patient_parent, sku=shop.white)
    return {
        "product_id": [str(p.public_id) for p in (shop.brush, shop.floss)],
        "sku_id": [str(s.public_id) for s in (shop.white, shop.pink, shop.floss_50)],
        "order_id": [str(o.public_id) for o in orders],
    }


@pytest.fixture
def in_process(world):
    """Requests share the test's database connection, as with Django's test client.

    The WSGI handler closes "old" connections at the start and end of each request;
    inside the test's transaction that would break the connection, so, like
    Django's own test client, the fuzzer's requests skip it. The requests see the shared
    world's rows, so these tests ask for ``world`` and run among those that use it.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def error_is_code_and_message(ctx, response, case):
    if response.status_code < 400:
        return
    body = response.json()
    assert isinstance(body, dict), body
    assert isinstance(body.get("code"), str) and body["code"], body
    assert isinstance(body.get("message"), str) and body["message"], body


# Each operation's examples share one test's database savepoint (each rolled back in
# turn), which is what Hypothesis's function-scoped fixture check warns about.
FUZZ_SETTINGS = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


# A few examples each, so that the whole module stays within a minute: the patient
# meets every boundary case too; the stranger mostly meets 401, so fewer do.
patient_schema = fuzz_schema(forged_tokens=False, examples=8, boundaries=True)
front_desk_schema = fuzz_schema(forged_tokens=False, examples=12, boundaries=False)
stranger_schema = fuzz_schema(forged_tokens=True, examples=5, boundaries=False)


@patient_schema.parametrize()
@FUZZ_SETTINGS
def test_a_patient_only_gets_documented_answers(case, personas, in_process):
    with rolled_back():
        case.call_and_validate(
            headers={"Authorization": f"Bearer {personas.patient_token}"},
            additional_checks=[error_is_code_and_message],
        )


@front_desk_schema.parametrize()
@FUZZ_SETTINGS
def test_the_front_desk_only_gets_documented_answers(case, personas, in_process):
    with rolled_back():
        case.call_and_validate(
            headers={"Authorization": f"Bearer {personas.front_desk_token}"},
            additional_checks=[error_is_code_and_message],
        )


@stranger_schema.parametrize()
@FUZZ_SETTINGS
def test_a_stranger_only_gets_documented_answers(case, personas, in_process):
    with rolled_back():
        case.call_and_validate(additional_checks=[error_is_code_and_message])
