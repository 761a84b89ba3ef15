import base64
import os

import pytest

from yachi.compliance.envelope import reset_caches

KEY_VARIABLES = ("YACHI_MASTER_KEYS", "YACHI_INDEX_KEY", "YACHI_AUDIT_KEY")


def new_master_key(key_id: str) -> str:
    return f"{key_id}:{base64.b64encode(os.urandom(16)).decode()}"


def new_secret() -> str:
    return base64.b64encode(os.urandom(32)).decode()


@pytest.fixture
def no_configured_keys(monkeypatch, settings, tmp_path):
    """No key in the environment, and a data directory of the test's own."""
    for name in KEY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(f"{name}_FILE", raising=False)
    monkeypatch.delenv("YACHI_KEYS_FILE", raising=False)
    settings.DATA_DIR = tmp_path
    reset_caches()
    return tmp_path


@pytest.fixture
def use_keys(monkeypatch):
    """Configure keys as an operator does, in the environment, and reload them."""
    index_key, audit_key = new_secret(), new_secret()

    def configure(master_keys: str, *, index_key: str = index_key) -> None:
        monkeypatch.setenv("YACHI_MASTER_KEYS", master_keys)
        monkeypatch.setenv("YACHI_INDEX_KEY", index_key)
        monkeypatch.setenv("YACHI_AUDIT_KEY", audit_key)
        reset_caches()

    return configure


def raw_column(model, field: str, pk) -> str | None:
    """A column as stored, read with plain SQL."""
    from django.db import connection

    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.get_field(field).column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def write_raw_column(model, field: str, pk, value) -> None:
    """Change a column behind the application's back."""
    from django.db import connection

    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.get_field(field).column)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])


def some_entries(count: int, actor=None, days_ago: int = 0):
    """``count`` chart reads, appended one by one as staff would."""
    from datetime import timedelta

    from django.utils import timezone

    from yachi.compliance.audit import audit_record
    from yachi.compliance.models import AuditAction

    at = timezone.now() - timedelta(days=days_ago)
    return [
        audit_record(
            action=AuditAction.CLINICAL_READ,
            actor=actor,
            object_type="patient",
            object_id=f"p{n}",
            at=at,
        )
        for n in range(count)
    ]


def sql(statement: str, params=()):
    """Plain SQL, as someone with access to the database would write it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def verify_command(*arguments: str) -> tuple[int, str]:
    """``yachi audit verify``: its exit code and, when it fails, its message."""
    from django.core.management import CommandError, call_command

    try:
        call_command("audit", "verify", *arguments)
    except CommandError as exc:
        return exc.returncode, str(exc)
    return 0, ""
