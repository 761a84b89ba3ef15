"""Writing the plan fast: rows in bulk, with the times the plan gives them.

Values still go through each field's own code on the way in, so encrypted fields are
encrypted and blind indexes computed as on any save.
"""

import random
from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

from yachi.accounts.models import User
from yachi.core.roles import ClinicRole

ZONE = ZoneInfo("Asia/Shanghai")
# The alphabet of the payments and shop numbers: no look-alikes.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BATCH = 1000


@contextmanager
def given_times(*models):
    """While inside, ``created_at`` and ``updated_at`` keep the values set on the rows
    (the history happened before today) instead of being stamped with now."""
    saved = []
    for model in models:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def bulk(model, rows, batch_size=BATCH):
    """Insert ``rows`` keeping their times; returns them with their keys set."""
    with given_times(model):
        return model.objects.bulk_create(rows, batch_size=batch_size)


def number(prefix: str, at: datetime, rng: random.Random) -> str:
    """A trade or order number as the services make them (prefix, local time, ten
    characters), the characters from the demo's seeded generator."""
    stamp = at.astimezone(ZONE).strftime("%y%m%d%H%M%S")
    return prefix + stamp + "".join(rng.choice(ALPHABET) for _ in range(10))


def code(rng: random.Random, length: int = 8) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(length))


def insert_rows(model, fields: list[str], rows) -> int:
    """Plain rows of plain columns (no encrypted field, no default to compute), many at a
    time: for tables of tens of thousands of small rows, such as search tokens."""
    from django.db import connection

    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    marks = ", ".join(["%s"] * len(fields))
    rows = list(rows)
    with connection.cursor() as cursor:
        # Table and column names come from the model, never from data.
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608
    return len(rows)


def front_desks(clinics) -> dict:
    """Each clinic's first front-desk member, by clinic key: who made the desk's bills."""
    return {
        clinic.pk: User.objects.filter(
            memberships__clinic=clinic, memberships__role=ClinicRole.FRONT_DESK
        )
        .order_by("pk")
        .first()
        for clinic in clinics
    }
