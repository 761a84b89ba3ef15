"""With Redis, a token's first use in a process costs one Redis read and no SQL; its last
use reaches the table through a job; a logout stays as strong as before."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import UserFactory
from yachi.accounts import staff_auth, tasks, tokencache
from yachi.accounts.models import ApiToken, User
from yachi.accounts.services import token_issue, token_revoke, token_user

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not settings.REDIS_URL, reason="records are kept in Redis"),
]


@pytest.fixture
def patient():
    return UserFactory(name="王小明", password="md5$seasalt$0123456789abcdef0123456789abcdef")


@pytest.fixture
def raw(patient, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        raw = token_issue(user=patient, label="app")
    tokencache.clear_local()  # a process that never saw the token
    return raw


class accounts_queries(CaptureQueriesContext):
    """The queries of the accounts tables (a test's data key, made in its transaction,
    is read on every decryption; a process keeps a committed one)."""

    def __init__(self):
        super().__init__(connection)

    @property
    def sql(self) -> list[str]:
        return [q["sql"] for q in self.captured_queries if "accounts_" in q["sql"]]


def test_a_new_token_is_used_without_sql_in_any_process(raw, patient):
    with accounts_queries() as queries:
        user = token_user(raw)
        assert user == patient
        assert user.name == "王小明"  # decrypted from the record
        assert user.phone == patient.phone
        assert user.is_patient
    assert queries.sql == []


def test_the_record_holds_no_name_number_or_secret_in_clear(raw, patient):
    digest = ApiToken.objects.get(user=patient).digest
    stored = tokencache._store().client.get(
        f"{settings.YACHI_REDIS_PREFIX}:accounts:token:{digest}"
    )
    assert stored
    assert "王小明".encode() not in stored
    assert patient.phone.encode() not in stored
    assert b"seasalt" not in stored


def test_what_a_record_leaves_out_is_read_when_asked_for(raw, patient):
    user = token_user(raw)
    with accounts_queries() as queries:
        assert user.password == patient.password
    assert len(queries.sql) == 1


def test_a_token_read_from_the_database_once_is_then_known_to_every_process(patient):
    raw = token_issue(user=patient, label="app")  # never committed here: no record yet
    tokencache.clear_local()
    with accounts_queries() as queries:
        assert token_user(raw) == patient
    assert len(queries.sql) == 1  # the token and its user; no UPDATE of its last use
    assert queries.sql[0].startswith("SELECT")
    tokencache.clear_local()
    with accounts_queries() as queries:
        assert token_user(raw) == patient
    assert queries.sql == []


def test_a_logged_out_token_is_refused_by_a_process_that_never_saw_it(raw):
    token_revoke(raw=raw)
    tokencache.clear_local()
    assert token_user(raw) is None


def test_log_out_everywhere_refuses_every_new_process_too(raw, patient):
    staff_auth.sessions_end_everywhere(user=patient)
    tokencache.clear_local()
    assert token_user(raw) is None


def test_a_deactivated_account_is_refused_by_every_process(raw, patient):
    User.objects.filter(pk=patient.pk).update(is_active=False)
    tokencache.forget_user(patient.pk)
    tokencache.clear_local()
    assert token_user(raw) is None


def test_a_read_that_raced_a_logout_does_not_bring_the_token_back(patient):
    raw = token_issue(user=patient, label="app")
    digest = ApiToken.objects.get(user=patient).digest
    now = timezone.now()
    # A request finds no record and reads the live token from the database …
    miss = tokencache.find(digest, now)
    assert isinstance(miss, tokencache.Miss) and miss.version is None
    token = ApiToken.objects.select_related("user").get(digest=digest)
    # … the logout commits meanwhile …
    token_revoke(raw=raw)
    # … and the request, finishing, may neither write its (stale) record over the logout
    # nor trust what it read in this process.
    tokencache.remember(digest, token=token, user=token.user, miss=miss)
    assert token_user(raw) is None
    tokencache.clear_local()
    assert token_user(raw) is None


def test_last_use_reaches_the_token_through_the_job(raw, patient):
    assert token_user(raw) == patient
    token = ApiToken.objects.get(user=patient)
    assert token.last_used_at is None  # the request wrote nothing
    assert tasks.record_token_uses.call_local() == 1
    token.refresh_from_db()
    assert timezone.now() - token.last_used_at < timedelta(seconds=5)
    assert tasks.record_token_uses.call_local() == 0  # each use is written once


def test_a_refused_try_with_a_revoked_token_is_not_a_use(raw, patient):
    token_revoke(raw=raw)
    assert token_user(raw) is None
    tasks.record_token_uses.call_local()
    assert ApiToken.objects.get(user=patient).last_used_at is None


def test_a_second_factor_turned_on_is_seen_at_once(raw, patient):
    import pyotp

    assert not token_user(raw).has_totp
    secret = pyotp.random_base32()
    staff_auth.totp_enroll(user=patient, secret=secret, code=pyotp.TOTP(secret).now())
    tokencache.clear_local()
    assert token_user(raw).has_totp


def test_a_user_from_a_record_saved_by_a_request_keeps_its_name_and_number(raw, patient):
    """Name and number come sealed and are opened only when read: a save in between
    writes what the request changed and leaves them as they are."""
    user = token_user(raw)
    user.is_active = True
    user.save()
    stored = User.objects.get(pk=patient.pk)
    assert stored.name == "王小明" and stored.phone == patient.phone
    assert user.name == "王小明" and user.phone == patient.phone
