"""Shared fixtures: the test environment and the named personas of the suite.

Clinic A and clinic B belong to one chain; each has chairs, a cleaning and a
filling service, doctors working every day 09:00–12:00 and 13:00–18:00 and a front
desk. ``patient_parent`` holds a family account with ``patient_child`` on it;
``other_patient`` is a stranger to them.
"""

import copy
import socket
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

SHANGHAI = ZoneInfo("Asia/Shanghai")

# The properties' examples are what is tested, not how fast a shared machine makes them:
# a slow moment must not fail a property that holds.
hypothesis_settings.register_profile(
    "yachi", suppress_health_check=[HealthCheck.too_slow], deadline=None
)
hypothesis_settings.load_profile("yachi")


@pytest.fixture(scope="session", autouse=True)
def _live_server_takes_a_crowd():
    """The concurrency tests open two dozen connections to the live server at once.

    Django's test server listens with a queue of 10; on a busy machine the kernel then
    resets a connection that overflows it, and the test fails for the wrong reason.
    """
    from django.core.servers.basehttp import ThreadedWSGIServer

    ThreadedWSGIServer.request_queue_size = 64


@pytest.fixture(scope="session", autouse=True)
def _test_client_splits_the_stack():
    """The test client takes the served application's path: /api/ through the API's short
    middleware stack, pages through the full one (``yachi.core.handlers``)."""
    from django.test import client

    from yachi.core.handlers import SplitStack

    plain = client.ClientHandler
    client.ClientHandler = type("SplitClientHandler", (SplitStack, plain), {})
    yield
    client.ClientHandler = plain


@pytest.fixture(scope="session")
def django_db_keepdb(request, django_db_modify_db_settings, django_db_blocker):
    """The test database is a copy of a migrated template (``tests.db.templates``): the
    database setup then keeps it as it finds it instead of migrating it again."""
    if request.config.getvalue("reuse_db") or request.config.getvalue("create_db"):
        yield request.config.getvalue("reuse_db")
        return
    from django.db import connection

    from tests.db import templates

    with django_db_blocker.unblock():
        prepared = templates.prepare(connection)
    yield prepared
    if prepared:
        with django_db_blocker.unblock():
            templates.discard(connection)


@pytest.fixture(autouse=True)
def _clean_slate(settings):
    from channels.layers import channel_layers
    from django.core.cache import cache

    from yachi.booking import lookups
    from yachi.compliance.envelope import reset_caches
    from yachi.messaging.providers.local import MemoryProvider
    from yachi.shop.flash import store as flash_store

    cache.clear()
    # A rolled-back sale's id comes again: no sale is believed sold out from before.
    flash_store.forget_sold_out()
    # Keys cached by an earlier test may name rows that a flush has since deleted.
    reset_caches()
    # What the process remembers of services and doctors may name rolled-back rows.
    lookups.forget_all()
    # Checkpoints of their own: one test's must not be held against a database that has
    # since been rolled back or flushed.
    settings.YACHI_AUDIT_CHECKPOINT_FILE = settings.DATA_DIR / f"audit-{uuid.uuid4().hex}.jsonl"
    MemoryProvider.outbox.clear()
    # A channel layer belongs to the event loop it was first used on, and every test runs
    # its sockets on a loop of its own: each test gets a new layer.
    channel_layers.backends.clear()
    yield
    MemoryProvider.outbox.clear()
    channel_layers.backends.clear()


def tomorrow_at(hour: int, minute: int = 0, days: int = 1) -> datetime:
    """A local time on a coming day, so tests never depend on the time they run."""
    day = datetime.now(SHANGHAI).date() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def book_seen(world):
    """Mother and child booked at clinic A tomorrow, the stranger at clinic B: each is then
    a patient their clinic has seen."""
    from yachi.booking.services import appointments_book

    appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.cleaning_a,
        start=tomorrow_at(10),
        patients=[world.parent, world.patient_child],
    )
    appointments_book(
        actor=world.other_patient,
        doctor=world.clinic_b_doctor,
        service=world.cleaning_b,
        start=tomorrow_at(10),
        patients=[world.other],
    )
    return world


class World:
    """The personas and master data most tests share."""

    def __init__(self):
        from tests import factories as f
        from yachi.clinics.choices import Skill
        from yachi.core.roles import ClinicRole
        from yachi.patients.choices import Relationship
        from yachi.patients.privacy.consents import Kind, consent_grant, current_version
        from yachi.patients.services import family_member_add

        self.chain = f.ChainFactory()
        self.clinic_a = f.ClinicFactory(chain=self.chain, name="静安店", name_en="Jing'an")
        self.clinic_b = f.ClinicFactory(chain=self.chain, name="徐汇店", name_en="Xuhui")
        self.chairs_a = [f.ChairFactory(clinic=self.clinic_a) for _ in range(3)]
        self.chairs_b = [f.ChairFactory(clinic=self.clinic_b) for _ in range(2)]
        self.cleaning_a = f.ServiceFactory(clinic=self.clinic_a)
        self.filling_a = f.ServiceFactory(
            clinic=self.clinic_a,
            code="filling",
            name="补牙",
            name_en="Filling",
            duration_minutes=45,
            price_fen=35000,
        )
        self.implant_a = f.ServiceFactory(
            clinic=self.clinic_a,
            code="implant_consultation",
            name="种植咨询",
            name_en="Implant consultation",
            duration_minutes=30,
            price_fen=0,
            required_skill=Skill.IMPLANT,
        )
        self.cleaning_b = f.ServiceFactory(clinic=self.clinic_b)
        self.clinic_a_doctor = f.DoctorFactory(name="王医生", clinics=[self.clinic_a])
        self.clinic_a_implant_doctor = f.DoctorFactory(
            name="李医生", clinics=[self.clinic_a], skills=[Skill.GENERAL, Skill.IMPLANT]
        )
        self.clinic_b_doctor = f.DoctorFactory(name="赵医生", clinics=[self.clinic_b])
        for doctor, clinic in (
            (self.clinic_a_doctor, self.clinic_a),
            (self.clinic_a_implant_doctor, self.clinic_a),
            (self.clinic_b_doctor, self.clinic_b),
        ):
            f.weekly_hours(doctor, clinic)
        self.clinic_a_front_desk = f.staff_member(self.clinic_a)
        self.clinic_b_front_desk = f.staff_member(self.clinic_b)
        self.clinic_a_manager = f.staff_member(self.clinic_a, role=ClinicRole.MANAGER)
        self.patient_parent = f.patient_user("13800000001", name="张妈妈")
        self.parent = self.patient_parent.family_account.members.get(seat=0)
        self.patient_child = family_member_add(
            account=self.patient_parent.family_account,
            name="张小宝",
            relationship=Relationship.CHILD,
            gender="male",
            birth_date=date(2019, 5, 1),
        )
        self.other_patient = f.patient_user("13800000002", name="陌生人")
        self.other = self.other_patient.family_account.members.get(seat=0)
        # Both accepted the privacy policy at their first login; nothing more.
        for user in (self.patient_parent, self.other_patient):
            consent_grant(
                actor=user,
                account=user.family_account,
                kind=Kind.PRIVACY_POLICY,
                version=current_version(),
            )


# --- the shared world ------------------------------------------------------------------------
#
# Most tests run inside a transaction that is rolled back (``db``). For them the personas
# are built once per process, committed before the first test that asks for them, and
# handed to each test as a deep copy (as Django's ``setUpTestData`` does), so that no test
# sees what another changed in memory. Tests that commit for real (``transactional_db``,
# ``live_server``) end with a flush that deletes the shared rows too: the first of them
# reuses the shared world, later ones build their own.
#
# So that nothing else sees the shared rows, database tests without the world run before
# those with it, and the rows are flushed before a committing test that does not use them.

_shared: dict[str, World] = {}


def _commits(node) -> bool:
    """Whether a test (an item, or a fixture request's node) commits for real."""
    names = node.fixturenames
    marker = node.get_closest_marker("django_db")
    return (
        "transactional_db" in names
        or "live_server" in names
        or bool(marker and marker.kwargs.get("transaction"))
    )


@pytest.fixture(scope="session")
def _shared_world(django_db_setup, django_db_blocker) -> dict[str, World]:
    from yachi.compliance.envelope import reset_caches

    # Session fixtures are set up before the test's own clean slate: a data key that an
    # earlier, rolled-back test created must not be remembered and used for these rows.
    reset_caches()
    with django_db_blocker.unblock():
        _shared["world"] = World()
    return _shared


@pytest.fixture
def world(request, _shared_world, db):
    from yachi.clinics.models import Chain

    shared = _shared_world.get("world")
    if shared is not None and Chain.objects.filter(public_id=shared.chain.public_id).exists():
        if _commits(request.node):
            del _shared_world["world"]  # this test's flush deletes it
        return copy.deepcopy(shared)
    _shared_world.pop("world", None)
    if _commits(request.node):
        return _committed_world()
    return World()


def _committed_world() -> World:
    """A committing test's world: put back from the snapshot of the first one built in
    this process on the emptied database (``tests.db.snapshot``), or built."""
    from tests.db import snapshot

    restored = snapshot.restore()
    if restored is not None:
        return restored
    if not snapshot.empty():
        return World()
    built = World()
    snapshot.take(built)
    return built


@pytest.fixture(autouse=True)
def _committing_tests_start_empty(request, django_db_blocker):
    if not _shared or "world" in request.fixturenames or not _commits(request.node):
        return
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0, reset_sequences=False)
    _shared.clear()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Keep pytest-django's order (rolled-back tests, committing ones, the rest), with the
    rolled-back tests that do not use the shared world first.

    Tests marked ``long`` start first among their kind (rolled-back tests with the world,
    committing tests, tests without the database). The workers take tests in this order,
    so the short tests after them keep the other worker busy, and none is left to finish
    a long test alone at the end of the run.

    Tests marked ``embedded`` start their processes on the embedded default (SQLite, no
    Redis) whatever the pass: the PostgreSQL + Redis pass skips them, the SQLite pass
    having run the very same thing."""

    def uses_db(item) -> bool:
        names = getattr(item, "fixturenames", ())
        return "db" in names or item.get_closest_marker("django_db") is not None

    def kind(item) -> int:
        if not hasattr(item, "fixturenames"):
            return 3
        if not uses_db(item) and not _commits(item):
            return 3
        if _commits(item):
            return 2
        return 1 if "world" in getattr(item, "fixturenames", ()) else 0

    def long(item) -> bool:
        return item.get_closest_marker("long") is not None

    from django.conf import settings

    if settings.DATABASE_VENDOR != "sqlite":
        # The same test with the same processes as in the SQLite pass: proven there once.
        once = pytest.mark.skip(reason="embedded: runs in the SQLite pass only")
        for item in items:
            if item.get_closest_marker("embedded") is not None:
                item.add_marker(once)

    groups: dict[int, list] = {0: [], 1: [], 2: [], 3: []}
    for item in items:
        groups[kind(item)].append(item)
    for number in (1, 2, 3):
        groups[number].sort(key=lambda item: not long(item))  # stable: long ones first
    items[:] = groups[0] + groups[1] + groups[2] + groups[3]


@pytest.fixture
def quiet_hours(settings):
    """The quiet hours clinics have (21:00–08:00); the suite otherwise runs without."""
    settings.YACHI_QUIET_HOURS = (21, 8)
    return settings.YACHI_QUIET_HOURS


@pytest.fixture
def api(transactional_db):
    """API tests commit for real, so that after-commit work (SMS, cache) happens."""
    from tests.apiclient import ApiClient

    return ApiClient()


def own_database_url() -> str:
    """The URL of this process's test database, for the servers and workers a test starts."""
    from django.db import connection

    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def unused_port() -> int:
    """A local port nothing listens on now, chosen by the system so that no two tests
    (nor anything else on the machine) are given the same one."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def closed_port() -> int:
    """A local port nothing listens on: connecting is refused at once."""
    return unused_port()
