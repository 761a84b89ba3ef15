"""A token is believed without a round trip while the process hears every revocation,
and a revoked or expired token is refused on its next use in every process (ADR 0034)."""

import multiprocessing
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import UserFactory
from yachi.accounts import revocations, staff_auth, tokencache, tokenformat
from yachi.accounts.claimeduser import ClaimedUser
from yachi.accounts.models import ApiToken, User
from yachi.accounts.services import (
    TokenRevoked,
    token_digest,
    token_issue,
    token_revoke,
    token_user,
)
from yachi.accounts.tests import other_process

with_redis = pytest.mark.skipif(not settings.REDIS_URL, reason="revocations are heard via Redis")


def _forged(raw: str, **change) -> str:
    prefix, body = raw[: len(tokenformat.PREFIX)], raw[len(tokenformat.PREFIX) :]
    user_id, role, expiry, rest = body.split(".", 3)
    values = {"user_id": user_id, "role": role, "expiry": expiry, **change}
    return f"{prefix}{values['user_id']}.{values['role']}.{values['expiry']}.{rest}"


# --- the token's claims --------------------------------------------------------------


def test_a_token_states_its_user_role_and_expiry_under_a_mac():
    expires_at = timezone.now().replace(microsecond=0) + timedelta(days=30)
    raw = tokenformat.make(user_id=7, role="patient", expires_at=expires_at, secret_key="k")
    claims = tokenformat.claims_of(raw, "k")
    assert (claims.user_id, claims.role, claims.expires_at) == (7, "patient", expires_at)
    assert tokenformat.claims_of(raw, "another key") is None
    assert tokenformat.claims_of(_forged(raw, user_id="8"), "k") is None
    assert tokenformat.claims_of(_forged(raw, role="admin"), "k") is None
    assert tokenformat.claims_of("yc2_garbage", "k") is None


@pytest.mark.django_db
def test_a_token_with_a_forged_claim_is_refused():
    patient, other = UserFactory(), UserFactory()
    raw = token_issue(user=patient, label="app")
    assert token_user(_forged(raw, user_id=str(other.pk))) is None


@pytest.mark.django_db
def test_tokens_of_the_old_format_keep_working():
    patient = UserFactory()
    raw = "yc_" + "x" * 43
    ApiToken.objects.create(
        user=patient,
        digest=token_digest(raw),
        label="app",
        expires_at=timezone.now() + timedelta(days=1),
    )
    assert token_user(raw) == patient


@pytest.mark.django_db
def test_an_expired_token_is_refused_even_when_remembered():
    patient = UserFactory()
    raw = token_issue(user=patient, label="app", ttl_hours=1)
    assert token_user(raw) == patient
    with time_machine.travel(timezone.now() + timedelta(hours=1, seconds=1)):
        assert token_user(raw) is None


@pytest.mark.django_db
def test_a_token_logged_out_through_another_memory_is_refused_here():
    """Two independent memories (one per process), on whatever store is configured."""
    patient = UserFactory()
    raw = token_issue(user=patient, label="app")
    tokencache.clear_local()
    assert token_user(raw) == patient
    remembered = dict(tokencache._entries)
    tokencache.clear_local()  # the other process, which never saw the token
    token_revoke(raw=raw)
    tokencache._entries.update(remembered)  # back in the first one
    assert token_user(raw) is None


# --- believed while every revocation is heard (Redis) ------------------------------


@pytest.fixture
def listening():
    listener = tokencache._store().listener()
    assert listener.wait_live(10)
    return listener


@with_redis
@pytest.mark.django_db
def test_a_new_token_is_believed_on_first_use_without_sql_or_redis(listening):
    patient = UserFactory()
    raw = token_issue(user=patient, label="app")
    tokencache.clear_local()
    client = tokencache._store().client
    before = client.info("commandstats")
    with CaptureQueriesContext(connection) as queries:
        user = token_user(raw)
        assert type(user) is ClaimedUser
        assert (user.pk, user.is_patient, user.is_authenticated) == (patient.pk, True, True)
    assert [q for q in queries.captured_queries if "accounts_" in q["sql"]] == []
    # Nothing read from Redis: the process only ever pings and publishes by itself.
    assert client.info("commandstats").get("cmdstat_get") == before.get("cmdstat_get")


@with_redis
@pytest.mark.django_db
def test_reading_more_than_the_claims_loads_the_user(listening):
    patient = UserFactory(name="王小明")
    raw = token_issue(user=patient, label="app")
    tokencache.clear_local()
    user = token_user(raw)
    assert user.name == "王小明"
    assert user == patient


@with_redis
@pytest.mark.django_db
def test_a_request_whose_token_is_revoked_before_it_reads_the_user_stops(listening):
    patient = UserFactory()
    raw = token_issue(user=patient, label="app")
    tokencache.clear_local()
    user = token_user(raw)
    token_revoke(raw=raw)
    with pytest.raises(TokenRevoked):
        user.name  # noqa: B018


@with_redis
@pytest.mark.django_db
def test_a_token_revoked_before_the_process_listened_is_not_believed(listening):
    patient = UserFactory()
    raw = token_issue(user=patient, label="app")
    ApiToken.objects.update(revoked_at=timezone.now())  # as the database holds it
    listening.doubted.clear()  # what a process started afterwards heard: nothing …
    listening.adopt(*revocations.known_doubts())  # … but what it read when it subscribed
    assert token_user(raw) is None


@with_redis
@pytest.mark.django_db
def test_an_account_deactivated_before_the_process_listened_is_not_believed(listening):
    patient = UserFactory()
    raw = token_issue(user=patient, label="app")
    User.objects.filter(pk=patient.pk).update(is_active=False)
    listening.doubted.clear()
    listening.adopt(*revocations.known_doubts())
    tokencache.clear_local()
    assert token_user(raw) is None


@with_redis
@pytest.mark.django_db
def test_a_process_that_does_not_listen_checks_every_use(listening, settings):
    patient = UserFactory()
    raw = token_issue(user=patient, label="app")
    tokencache.clear_local()
    settings.YACHI_TOKEN_LISTEN = False
    assert type(token_user(raw)) is not ClaimedUser
    ApiToken.objects.update(revoked_at=timezone.now())
    tokencache._store().set_many({ApiToken.objects.get().digest: "revoked"}, 60)
    assert token_user(raw) is None


# --- two processes -------------------------------------------------------------


@pytest.fixture
def other(transactional_db):
    """A second server process on the same databases (its first answer: it is ready)."""
    database = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        url = (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
            f"{database['NAME']}"
        )
    else:
        url = f"sqlite:///{database['NAME']}"
    environment = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": url,
        "REDIS_URL": settings.REDIS_URL or "",
        "YACHI_REDIS_PREFIX": settings.YACHI_REDIS_PREFIX,
        "YACHI_DATA_DIR": str(settings.DATA_DIR),
        "SECRET_KEY": settings.SECRET_KEY,
        "LOG_LEVEL": "WARNING",
    }
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(target=other_process.serve, args=(theirs, environment), daemon=True)
    process.start()
    assert ours.poll(60) and ours.recv() is True
    if settings.REDIS_URL:
        assert tokencache._store().listener().wait_live(10)

    def use(raw: str):
        ours.send(raw)
        assert ours.poll(20)
        return ours.recv()

    yield use
    ours.send(None)
    process.join(10)
    if process.is_alive():
        process.kill()


# With Redis the other process believes the token without a round trip; without, it
# reads the token's version in the file cache on every use.
BELIEVED = bool(settings.REDIS_URL)


def test_a_token_logged_out_here_is_refused_at_once_by_another_process(other):
    patient = UserFactory()
    raw = token_issue(user=patient, label="app")
    assert other(raw) == (patient.pk, BELIEVED)
    assert other(raw) == (patient.pk, BELIEVED)
    token_revoke(raw=raw)
    assert other(raw) == (None, False)


def test_log_out_everywhere_is_refused_at_once_by_another_process(other):
    patient = UserFactory()
    phone, tablet = (token_issue(user=patient, label=label) for label in ("phone", "tablet"))
    assert other(phone) == (patient.pk, BELIEVED)
    staff_auth.sessions_end_everywhere(user=patient)
    assert other(phone) == (None, False)
    assert other(tablet) == (None, False)


def test_an_expired_token_is_refused_by_another_process(other):
    patient = UserFactory()
    raw = token_issue(user=patient, label="app", ttl_hours=1)
    assert other(raw) == (patient.pk, BELIEVED)
    ApiToken.objects.update(expires_at=timezone.now())
    # Its claims still promise an hour: a shortened life is a revocation like any other.
    tokencache.forget([ApiToken.objects.get().digest])
    assert other(raw) == (None, False)
