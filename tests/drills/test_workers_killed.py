"""Job workers killed before they acknowledge (ADR 0040): the work is done once after
the restart, not zero or two times.

The workers are real processes (`yachi flash-worker`, `yachi jobs`) on the test's
database and Redis, killed with SIGKILL at the moment that matters. The moment is made
by holding a row lock the worker's transaction needs (it then waits inside it), by
pausing Redis's writes (the acknowledgement waits after the commit), or by a provider
that has the message and has not answered yet.
"""

import json
from datetime import timedelta

import psycopg
import pytest
import redis
import time_machine
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from conftest import own_database_url
from tests.drills.conftest import worker_env
from tests.drills.servers import kill, start, wait_until
from tests.factories import UserFactory, patient_user
from tests.fakes.aliyun_sms import FakeAliyunSms
from yachi.messaging.choices import Status
from yachi.messaging.models import Notification
from yachi.messaging.services import dispatch_due, notify
from yachi.shop.flash import store as flash_store
from yachi.shop.flash.services import reservation_token
from yachi.shop.models import FlashReservation, Order
from yachi.shop.tests.test_flash import make_sale, redis_agrees, remaining

pytestmark = [pytest.mark.long, pytest.mark.django_db(transaction=True)]


class RowLock:
    """A row held ``FOR UPDATE`` by a connection of the test's own, until released."""

    def __init__(self, table: str, pk: int):
        self.db = psycopg.connect(own_database_url())
        self.db.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR UPDATE", [pk])

    def release(self):
        if self.db.closed:
            return
        self.db.rollback()
        self.db.close()


def _waiting_on_a_lock() -> set[int]:
    """The server processes of connections waiting for a lock: the worker's."""
    with psycopg.connect(own_database_url(), autocommit=True) as db:
        rows = db.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock'"
        ).fetchall()
    return {pid for (pid,) in rows}


def _gone(pids: set[int]) -> bool:
    with psycopg.connect(own_database_url(), autocommit=True) as db:
        rows = db.execute("SELECT pid FROM pg_stat_activity WHERE pid = ANY(%s)", [list(pids)])
        return not rows.fetchall()


# --- the flash-sale stream -------------------------------------------------------------


def _pending(r) -> int:
    try:
        return r.xpending(flash_store.stream(), flash_store.GROUP)["pending"]
    except redis.ResponseError:  # no group yet: the worker's first read makes it
        return 0


def _flash_worker(settings):
    return start(["flash-worker", "--claim-after", "1"], worker_env(settings))


def _granted_without_order(sale):
    """The request that took this place in Redis died before writing its order."""
    buyer = UserFactory()
    token = reservation_token(buyer=buyer)
    outcome = flash_store.reserve(
        sale_id=sale.pk, buyer_id=buyer.pk, token=token, now=timezone.now()
    )
    assert outcome.status == "ok"
    return buyer, token


def _made_once(buyer, token):
    reservation = FlashReservation.objects.get(token=token)
    assert Order.objects.filter(buyer=buyer).count() == 1
    assert reservation.order.buyer == buyer


@pytest.fixture
def stream(own_redis):
    return flash_store.client()


def test_a_flash_worker_killed_inside_its_transaction_makes_the_order_once_after_restart(
    stream, world, settings
):
    sale = make_sale(world.clinic_a, places=5)
    buyer, token = _granted_without_order(sale)
    lock = RowLock("shop_flashsale", sale.pk)
    worker = _flash_worker(settings)
    try:
        # It has read the entry and waits for the sale's row, its order not committed.
        wait_until(
            lambda: _pending(stream) == 1 and _waiting_on_a_lock(),
            what="the worker",
            process=worker,
        )
        waiting = _waiting_on_a_lock()
        kill(worker)
    finally:
        lock.release()
    wait_until(lambda: _gone(waiting), what="the killed worker's connection to end")
    assert not FlashReservation.objects.filter(token=token).exists()
    assert remaining(sale) == 5

    worker = _flash_worker(settings)
    try:
        wait_until(
            lambda: _pending(stream) == 0,
            what="the entry to be taken over",
            process=worker,
        )
    finally:
        kill(worker)
    _made_once(buyer, token)
    assert remaining(sale) == 4
    redis_agrees(sale)


def test_a_flash_worker_killed_between_its_commit_and_its_ack_does_not_make_the_order_twice(
    stream, world, settings
):
    sale = make_sale(world.clinic_a, places=5)
    buyer, token = _granted_without_order(sale)
    lock = RowLock("shop_flashsale", sale.pk)
    worker = _flash_worker(settings)
    try:
        wait_until(
            lambda: _pending(stream) == 1 and _waiting_on_a_lock(),
            what="the worker",
            process=worker,
        )
        # Writes wait in Redis from now on: the acknowledgement cannot get through.
        stream.execute_command("CLIENT", "PAUSE", 30_000, "WRITE")
        lock.release()
        wait_until(lambda: FlashReservation.objects.filter(token=token).exists(), what="the commit")
        kill(worker)
    finally:
        stream.execute_command("CLIENT", "UNPAUSE")
        # Released above unless the drill failed first: a row still locked would hold the
        # flush after the test, and with it the rest of the run.
        lock.release()
    assert _pending(stream) == 1

    worker = _flash_worker(settings)
    try:
        wait_until(
            lambda: _pending(stream) == 0,
            what="the entry to be taken over",
            process=worker,
        )
    finally:
        kill(worker)
    _made_once(buyer, token)
    assert remaining(sale) == 4
    redis_agrees(sale)


# --- notification delivery through the job queue ------------------------------------------

SIGN = "牙齿口腔"
KEY_ID = "LTAI5tYachiDrillSms"
SECRET = "aliyun-drill-secret-0123456789"
TEMPLATE = "SMS_465000002"
LOGIN_TEMPLATE = "SMS_465000001"


@pytest.fixture
def provider(postgres_and_redis):
    fake = FakeAliyunSms(
        access_keys={KEY_ID: SECRET},
        signs={SIGN},
        templates={
            TEMPLATE: "${name}您好，您预约的${service}在${time}，请提前10分钟到诊。",
            LOGIN_TEMPLATE: "您的验证码为${code}，${minutes}分钟内有效，请勿泄露给他人。",
        },
    )
    with fake:
        yield fake


@pytest.fixture
def queued():
    """Jobs go to the real queue in Redis (the suite otherwise runs them inline)."""
    before = HUEY.immediate
    HUEY.immediate = False
    HUEY.storage.flush_queue()
    yield
    HUEY.storage.flush_queue()
    HUEY.immediate = before


def _jobs(settings, provider):
    env = worker_env(
        settings,
        YACHI_SMS_PROVIDER="aliyun",
        YACHI_ALIYUN_ACCESS_KEY_ID=KEY_ID,
        YACHI_ALIYUN_ACCESS_KEY_SECRET=SECRET,
        YACHI_ALIYUN_SMS_SIGN_NAME=SIGN,
        YACHI_ALIYUN_SMS_TEMPLATES=json.dumps(
            {"appointment_reminder": TEMPLATE, "login_code": LOGIN_TEMPLATE}
        ),
        YACHI_ALIYUN_SMS_ENDPOINT=provider.host,
        YACHI_ALIYUN_SMS_PROTOCOL="http",
        YACHI_SMS_TIMEOUT_SECONDS="30",
    )
    return start(["jobs", "--workers", "1"], env)


def _reminder() -> Notification:
    patient = patient_user("13600000001")
    params = {"name": "张妈妈", "patient": "张妈妈", "service": "洁牙", "doctor": "王医生",
              "clinic": "牙齿口腔", "time": "12月3日 10:00"}  # fmt: skip
    (sms,) = notify(
        recipient=patient,
        kind="appointment_reminder",
        params=params,
        key="drill",
        channels=("sms",),
    )
    return sms


def test_a_job_worker_killed_while_claiming_a_message_sends_it_once_after_restart(
    provider, queued, settings
):
    sms = _reminder()
    lock = RowLock("messaging_notification", sms.pk)
    worker = _jobs(settings, provider)
    try:
        # The job is off the queue and the worker's claim waits for the row.
        waiting = wait_until(_waiting_on_a_lock, what="the worker's claim", process=worker)
        kill(worker)
    finally:
        lock.release()
    wait_until(lambda: _gone(waiting), what="the killed worker's connection to end")

    worker = _jobs(settings, provider)
    try:
        dispatch_due()  # what the minute job does: hand due messages to the workers
        wait_until(lambda: provider.sent, what="the message", process=worker)
        wait_until(lambda: Notification.objects.get(pk=sms.pk).status == Status.SENT, what="sent")
        dispatch_due()
    finally:
        kill(worker)
    assert len(provider.sent) == 1
    assert Notification.objects.get(pk=sms.pk).attempts == 1


def test_a_job_worker_killed_while_the_provider_sends_never_sends_twice(provider, queued, settings):
    provider.delay_next(60)  # the provider has the message and has not answered yet
    sms = _reminder()
    worker = _jobs(settings, provider)
    try:
        wait_until(lambda: provider.sent, what="the message at the provider", process=worker)
    finally:
        kill(worker)
    worker = _jobs(settings, provider)
    try:
        dispatch_due()
        with time_machine.travel(timezone.now() + timedelta(minutes=11)):
            # The worker's lease is over: it may have sent, so nothing is sent again.
            dispatch_due()
            dispatch_due()
    finally:
        kill(worker)
    assert len(provider.sent) == 1
    assert Notification.objects.get(pk=sms.pk).status == Status.UNCERTAIN
