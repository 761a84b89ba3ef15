"""A token a process remembers costs no SQL, and stops working at once when it is
revoked, here or in another process (the version in the shared cache changes)."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory
from yachi.accounts import staff_auth, tokencache
from yachi.accounts.models import User
from yachi.accounts.services import token_issue, token_revoke, token_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient():
    return UserFactory()


@pytest.fixture
def raw(patient):
    tokencache.clear_local()
    raw = token_issue(user=patient, label="app")
    assert token_user(raw) == patient  # remembered from here on
    return raw


def _elsewhere():
    """What another process's memory looks like: its own, empty."""
    return mock.patch.object(tokencache, "_entries", {})


def test_a_remembered_token_costs_no_sql(raw, patient, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert token_user(raw) == patient


def test_each_use_hands_out_its_own_user(raw):
    first = token_user(raw)
    first.name = "changed by a request"
    assert token_user(raw).name != "changed by a request"


def test_a_logged_out_token_is_refused_at_once_in_the_same_process(raw):
    token_revoke(raw=raw)
    assert token_user(raw) is None


def test_a_token_logged_out_in_another_process_is_refused_at_once(raw):
    with _elsewhere():
        token_revoke(raw=raw)
    assert tokencache._entries  # this process still remembers the token …
    assert token_user(raw) is None  # … and does not trust it


def test_log_out_everywhere_elsewhere_refuses_every_token(raw, patient):
    other = token_issue(user=patient, label="tablet")
    assert token_user(other) == patient
    with _elsewhere():
        staff_auth.sessions_end_everywhere(user=patient)
    assert token_user(raw) is None
    assert token_user(other) is None


def test_a_deactivated_account_is_refused_at_once(raw, patient):
    with _elsewhere():
        User.objects.filter(pk=patient.pk).update(is_active=False)
        tokencache.forget_user(patient.pk)
    assert token_user(raw) is None


def test_a_password_change_is_seen_at_once(raw, patient):
    with _elsewhere():
        staff_auth.password_change(user=patient, current=None, new="A-long-new-passw0rd!")
    again = token_user(raw)
    assert again.password_changed_at is not None


def test_a_lost_version_means_asking_the_database(raw, patient, settings):
    # A process that hears revocations trusts its memory instead (ADR 0034).
    settings.YACHI_TOKEN_LISTEN = False
    cache.clear()
    with _elsewhere():
        User.objects.filter(pk=patient.pk).update(is_active=False)
    assert token_user(raw) is None


def test_no_memory_when_switched_off(raw, patient, settings):
    settings.YACHI_TOKEN_CACHE_SECONDS = 0
    with CaptureQueriesContext(connection) as queries:
        assert token_user(raw) == patient
    assert any("accounts_apitoken" in query["sql"] for query in queries.captured_queries)
