"""What the scripts in ``bench/`` share: the environment they run in, a bench database,
the people, clinics and sales they measure with, and how figures are printed.

Each script calls ``configure()`` before it imports anything from Django. The rest
needs Django set up.
"""

import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHANGHAI = "Asia/Shanghai"
# Phone numbers of the people a bench creates: far from the demo's 138… and 139….
BENCH_PHONES = "186"


def configure(*, database_url: str | None = None, redis_url: str | None = None) -> None:
    """Environment defaults for a bench process (and the servers it starts), then Django.

    ``database_url`` and ``redis_url`` are defaults: ``DATABASE_URL`` and ``REDIS_URL``
    in the environment win. A PostgreSQL database that does not exist yet is created.
    """
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    if database_url:
        os.environ.setdefault("DATABASE_URL", database_url)
    if redis_url:
        os.environ.setdefault("REDIS_URL", redis_url)
    os.environ.setdefault("YACHI_DATA_DIR", tempfile.mkdtemp(prefix="yachi-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("YACHI_SMS_PROVIDER", "memory")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        ensure_database(os.environ["DATABASE_URL"])

    import django

    django.setup()


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def empty_stores() -> None:
    """A bench database made anew and migrated, and its Redis database emptied.

    A PostgreSQL bench database is dropped and created again rather than flushed: rows
    left by an earlier run are sealed with that run's development keys, which a migration
    that encrypts existing rows could not open. The embedded default lives in a fresh
    temporary data directory and starts empty.
    """
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    if settings.DATABASE_VENDOR != "sqlite":
        connections.close_all()
        recreate_database(os.environ["DATABASE_URL"])
    call_command("migrate", verbosity=0)
    if settings.REDIS_URL:
        import redis

        redis.Redis.from_url(settings.REDIS_URL).flushdb()


def recreate_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        # FORCE ends the connections an earlier bench server may have left behind.
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def describe_stores() -> str:
    from django.conf import settings

    database = settings.DATABASES["default"]
    engine = database["ENGINE"].rsplit(".", 1)[-1]
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    return f"database: {engine} {database['NAME']}; cache: {cache}; redis: {settings.REDIS_URL}"


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def process_ticks(pid: int) -> int | None:
    """The CPU a process has used so far (user + system), in clock ticks, from /proc;
    None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])


def session_ticks(leaders: set[int]) -> int:
    """The CPU used so far by every process of the sessions that ``leaders`` lead (a
    server started with ``start_new_session``: its workers, threads and companions), in
    clock ticks, from /proc."""
    used = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) in leaders:  # the session the process belongs to
            used += int(fields[11]) + int(fields[12])
    return used


def percentile(sorted_values: list[float], share: float) -> float:
    """The nearest-rank percentile of values sorted already (``share`` in 0..1)."""
    rank = max(1, round(share * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def timed(label: str, runs: int, action, extra: str = "", prepare=None) -> list[float]:
    """Runs ``action`` ``runs`` times (each after ``prepare``, which is not timed); prints
    p50 / p95 in ms, the rate at p50, and the median CPU time of this process (``cpu``:
    what the request cost the interpreter, which a loaded machine inflates far less than
    the time it waited; the database's and Redis's own CPU is not in it)."""
    samples, cpu = [], []
    for _ in range(runs):
        if prepare is not None:
            prepare()
        begin, begin_cpu = time.perf_counter(), time.process_time()
        action()
        samples.append((time.perf_counter() - begin) * 1000)
        cpu.append((time.process_time() - begin_cpu) * 1000)
    samples.sort()
    p50 = statistics.median(samples)
    p95 = percentile(samples, 0.95)
    print(
        f"{label:<52} n={runs:<5} p50={p50:7.2f} ms  p95={p95:7.2f} ms  {1000 / p50:8.0f}/s"
        f"  cpu={statistics.median(cpu):6.2f} ms" + (f"  {extra}" if extra else ""),
        flush=True,
    )
    return samples


@contextmanager
def database_cpu():
    """The CPU time (ms) the PostgreSQL backend serving this process's default
    connection spent inside the block, read from /proc (the server on this machine);
    ``None`` elsewhere. Clock ticks: average it over many requests."""
    from django.db import connection

    result = {"ms": None}

    def ticks(pid):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return int(fields[11]) + int(fields[12])  # utime + stime

    def backends():
        # Every client backend of the bench database (the pool may hand out another).
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND backend_type = 'client backend'"
            )
            return {pid: ticks(pid) for (pid,) in cursor.fetchall()}

    if connection.vendor != "postgresql":
        yield result
        return
    before = backends()
    yield result
    after = backends()
    spent = sum(a - before.get(pid, a) for pid, a in after.items() if a is not None)
    result["ms"] = spent * 1000 / os.sysconf("SC_CLK_TCK")


# --- who and what the benches measure with ----------------------------------------------


def bench_clinic(*, name: str = "静安店", chairs: int = 3, chain=None):
    """A clinic open every day 09:00–19:00 with ``chairs`` chairs and a cleaning service."""
    from yachi.clinics.choices import Skill
    from yachi.clinics.models import Chain, Chair, Clinic, OpeningHours, Service

    chain = chain or Chain.objects.create(name="牙齿口腔", name_en="Yachi Dental")
    clinic = Clinic.objects.create(
        chain=chain,
        name=name,
        name_en=name,
        address="上海市静安区南京西路 1266 号",
        phone="021-60000000",
        latitude="31.228611",
        longitude="121.454722",
    )
    OpeningHours.objects.bulk_create(
        OpeningHours(clinic=clinic, weekday=d, opens=clock(9), closes=clock(19)) for d in range(7)
    )
    Chair.objects.bulk_create(Chair(clinic=clinic, name=f"{n}号牙椅") for n in range(1, chairs + 1))
    Service.objects.create(
        clinic=clinic,
        code="cleaning",
        name="洁牙",
        name_en="Scaling and polishing",
        duration_minutes=30,
        price_fen=19800,
        required_skill=Skill.GENERAL,
    )
    return clinic


def rostered_doctors(*, clinic, count: int, first: int = 1) -> list:
    """``count`` general dentists working at ``clinic`` every day 09:00–12:00 and 13:00–18:00."""
    from yachi.accounts.models import User
    from yachi.clinics.choices import DoctorTitle, Skill
    from yachi.clinics.models import Doctor, DoctorSkill
    from yachi.core.roles import Role
    from yachi.rostering.models import WeeklyShift

    doctors = []
    for index in range(first, first + count):
        user = User.objects.create(
            phone=f"{BENCH_PHONES}9{index:07d}", name=f"医生{index}", role=Role.STAFF
        )
        doctor = Doctor.objects.create(user=user, name=f"医生{index}", title=DoctorTitle.ATTENDING)
        DoctorSkill.objects.create(doctor=doctor, skill=Skill.GENERAL)
        doctor.clinics.add(clinic)
        WeeklyShift.objects.bulk_create(
            WeeklyShift(doctor=doctor, clinic=clinic, weekday=d, start_time=s, end_time=e)
            for d in range(7)
            for s, e in ((clock(9), clock(12)), (clock(13), clock(18)))
        )
        doctors.append(doctor)
    return doctors


def patients_with_tokens(count: int) -> list[tuple[object, str]]:
    """``count`` registered patients (user, family account, holder), each with an API token.

    Written in bulk like the demo's patients; each token is issued by the accounts
    service, as ``POST /auth/login`` would, so the API checks it the way it checks any.
    """
    from django.db import transaction

    from yachi.accounts.models import User
    from yachi.accounts.services import token_issue
    from yachi.compliance.envelope import current_data_key_id
    from yachi.core.roles import Role
    from yachi.patients.choices import Relationship
    from yachi.patients.models import FamilyAccount, Patient

    # The data key is made and committed first, as the demo does: one made inside the
    # transaction below could not be cached, and every encrypted value would read it again.
    current_data_key_id()
    phones = [f"{BENCH_PHONES}{n:08d}" for n in range(count)]
    with transaction.atomic():
        # Both engines hand back the new rows' keys (names are encrypted: no filter by them).
        users = User.objects.bulk_create(
            [User(phone=p, name=f"患者{n}", role=Role.PATIENT) for n, p in enumerate(phones)],
            batch_size=1000,
        )
        assert all(user.pk for user in users)
        FamilyAccount.objects.bulk_create((FamilyAccount(owner=u) for u in users), batch_size=1000)
        Patient.objects.bulk_create(
            (
                Patient(
                    account=account,
                    seat=0,
                    relationship=Relationship.SELF,
                    name=account.owner.name,
                    phone=account.owner.phone,
                )
                for account in FamilyAccount.objects.filter(owner__in=users).select_related("owner")
            ),
            batch_size=1000,
        )
    issued = []
    # In batches: each token's audit entry updates the one audit head row, and thousands of
    # updates of one row inside one transaction slow every next one down on PostgreSQL.
    for first in range(0, len(users), 100):
        with transaction.atomic():
            issued += [(u, token_issue(user=u, label="bench")) for u in users[first : first + 100]]
    return issued


def flash_sale(*, clinic, places: int):
    """A flash sale running now with ``places`` places, one per person."""
    from django.utils import timezone

    from yachi.shop.flash.services import flash_sale_create

    now = timezone.now()
    return flash_sale_create(
        clinic=clinic,
        title="儿童涂氟",
        price_fen=990,
        original_price_fen=12800,
        places=places,
        starts_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(days=1),
    )


def sold_out_sale(*, clinic, buyer):
    """A running sale whose one place ``buyer`` has taken: every other buyer is refused."""
    from yachi.shop.flash.services import flash_reserve

    sale = flash_sale(clinic=clinic, places=1)
    flash_reserve(sale=sale, buyer=buyer)
    sale.refresh_from_db()
    assert sale.remaining == 0, sale.remaining
    return sale


def free_starts(
    *, doctors: list, first_day: date, days: int, zone
) -> list[tuple[object, datetime]]:
    """Every half-hour start of the doctors' rostered hours over ``days`` days: ``(doctor,
    start)`` pairs for 30-minute bookings, none overlapping another.

    Ordered as a booking wave: bookings sent one after another, and so at once, are each
    for another doctor (pass them interleaved across clinics, as many clinics as a
    doctor's turn comes back to) and, for doctors of one clinic, on another day, so that
    none waits on another's rows (the doctor's, the chair's) and the figure is what a
    booking costs, not a queue on one chair. Doctor *j* takes day ``(k + j) % days`` in
    round *k*, so that every doctor books every day at every time of day once.
    """
    times = [clock(h, m) for h in (9, 10, 11, 13, 14, 15, 16, 17) for m in (0, 30)]
    return [
        (doctor, datetime.combine(first_day + timedelta(days=(k + j) % days), at, tzinfo=zone))
        for at in times
        for k in range(days)
        for j, doctor in enumerate(doctors)
    ]


# --- a shorter middleware stack for the API --------------------------------------------

# What an API request needs of settings.MIDDLEWARE: the client's address and request id,
# the security headers, the language of its messages and the JSON error format.
API_MIDDLEWARE = [
    "yachi.core.middleware.RequestOriginMiddleware",
    "yachi.core.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "yachi.core.security.SecurityHeadersMiddleware",
    "yachi.core.middleware.LanguageMiddleware",
    "yachi.core.api_errors.JsonErrorsMiddleware",
]


def middleware_handler(middleware: list[str]):
    """A WSGI handler built with its own middleware list instead of ``MIDDLEWARE``."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.test.utils import override_settings

    class Handler(WSGIHandler):
        def load_middleware(self, is_async=False):
            with override_settings(MIDDLEWARE=middleware):
                super().load_middleware(is_async=is_async)

    return Handler()


# --- counting what the cache costs --------------------------------------------------------

_CACHE_METHODS = (
    "get",
    "set",
    "add",
    "delete",
    "touch",
    "get_many",
    "set_many",
    "delete_many",
    "incr",
    "decr",
    "has_key",
    "get_or_set",
    "clear",
)


class CacheCalls:
    """What the default cache costs one request: calls to the cache backend (one
    ``get_many`` counts once, whatever it does inside) and, with Redis, round trips to
    the server (each command sent on its own, each pipeline executed) and the commands
    they carried."""

    def __init__(self):
        self.calls = 0
        self.round_trips = 0
        self.commands = 0

    def reset(self) -> None:
        self.calls = 0
        self.round_trips = 0
        self.commands = 0

    def __str__(self) -> str:
        return f"cache calls={self.calls} redis round trips={self.round_trips}"


@contextmanager
def counting_cache():
    """Counts the default cache's calls and the process's Redis round trips inside."""
    import redis
    from django.core.cache import caches

    counts = CacheCalls()
    backend = caches["default"]
    depth = [0]
    originals = {}

    def counted(method):
        def wrapper(*args, **kwargs):
            if depth[0] == 0:
                counts.calls += 1
            depth[0] += 1
            try:
                return method(*args, **kwargs)
            finally:
                depth[0] -= 1

        return wrapper

    for name in _CACHE_METHODS:
        originals[name] = getattr(backend, name)
        setattr(backend, name, counted(originals[name]))
    send_one = redis.Redis.execute_command
    send_pipeline = redis.client.Pipeline.execute

    def execute_command(self, *args, **kwargs):
        counts.round_trips += 1
        counts.commands += 1
        return send_one(self, *args, **kwargs)

    def execute(self, *args, **kwargs):
        if self.command_stack:
            counts.round_trips += 1
            counts.commands += len(self.command_stack)
        return send_pipeline(self, *args, **kwargs)

    # A pipeline queues its commands with an execute_command of its own.
    redis.Redis.execute_command = execute_command
    redis.client.Pipeline.execute = execute
    try:
        yield counts
    finally:
        redis.Redis.execute_command = send_one
        redis.client.Pipeline.execute = send_pipeline
        for name in _CACHE_METHODS:
            delattr(backend, name)


def free_port() -> int:
    """A TCP port free on this machine now, for a server a bench starts."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
