"""A hand-made insert lists every column and refuses to stand a constant in for a value
that is computed per row."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from yachi.core.models import IdempotencyKey
from yachi.core.rows import Insert

GIVEN = ("user_id", "scope", "key", "fingerprint", "result", "created_at")


def test_an_insert_refuses_a_column_whose_default_is_computed_unless_given():
    with pytest.raises(ImproperlyConfigured, match="created_at must be given"):
        Insert(IdempotencyKey, given=("user_id", "scope", "key", "fingerprint", "result"))
    with pytest.raises(ImproperlyConfigured, match="result must be given"):
        Insert(IdempotencyKey, given=("user_id", "scope", "key", "fingerprint", "created_at"))


def test_an_insert_refuses_a_column_the_model_does_not_have():
    with pytest.raises(ImproperlyConfigured, match="no column"):
        Insert(IdempotencyKey, given=(*GIVEN, "user"))


def test_an_insert_lists_every_column_but_the_key():
    statement = Insert(IdempotencyKey, given=GIVEN).sql(connection, returning="id")
    columns = statement.split("(", 1)[1].split(")", 1)[0]
    assert columns == '"user_id", "scope", "key", "fingerprint", "result", "created_at"'
    assert statement.endswith("RETURNING id")
