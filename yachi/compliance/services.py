"""Key rotation, while the site keeps serving.

Rotating the master key re-wraps the data keys (a few rows) and never touches the
encrypted values. Rotating the data key makes new values use a new key at once; the
values already stored keep theirs (retired keys still decrypt) until re-encrypted.
Every step works in short batches, each its own transaction, so a run can be
interrupted and started again, and the site never waits long on a lock.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import models, transaction
from django.db.models.functions import Cast
from django.utils import timezone

from yachi.compliance import envelope
from yachi.compliance.fields import EncryptedFieldMixin
from yachi.compliance.keys import keyring
from yachi.compliance.models import DataKey


@dataclass(frozen=True)
class Reencryption:
    model: str  # app_label.model_name
    rows: int  # rows looked at
    reencrypted: int  # rows that had a value under another key


def data_keys_rewrap(*, batch_size: int = 100) -> int:
    """Wrap every data key with the current master key; how many were re-wrapped.

    Every process must already know the current master key (first in
    ``YACHI_MASTER_KEYS``) and still know the old ones: a process reads a data key
    either before or after its row changes, and can unwrap both.
    """
    current = keyring().current_master_key_id
    rewrapped = 0
    while True:
        with transaction.atomic():
            batch = list(
                DataKey.objects.select_for_update()
                .exclude(master_key_id=current)
                .order_by("pk")[:batch_size]
            )
            for row in batch:
                key = envelope.unwrap(row)
                row.wrapped_key = envelope.wrap(key, master_key_id=current)
                row.master_key_id = current
            DataKey.objects.bulk_update(batch, ["wrapped_key", "master_key_id"])
        if not batch:
            return rewrapped
        rewrapped += len(batch)


def data_key_rotate() -> DataKey:
    """Retire the current data key and make a new one current."""
    with transaction.atomic():
        # Locked so that two rotations at once run one after the other.
        list(DataKey.objects.select_for_update().filter(is_current=True))
        DataKey.objects.filter(is_current=True).update(is_current=False, retired_at=timezone.now())
        key = envelope.data_key_create()
    envelope.forget_current()
    return key


def encrypted_fields() -> list[tuple[type[models.Model], list[models.Field]]]:
    """Every model with encrypted columns, and those columns, from the app registry."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        fields = [
            field
            for field in model._meta.local_concrete_fields
            if isinstance(field, EncryptedFieldMixin)
        ]
        if fields:
            found.append((model, fields))
    return found


def values_reencrypt(*, batch_size: int = 500) -> list[Reencryption]:
    """Re-encrypt under the current data key every value that is under another one.

    Rows are scanned by primary key, reading the raw ciphertext only; a row with a
    value under another key is then locked, decrypted and written back in its batch's
    transaction, so a concurrent edit is never overwritten with an older value.
    """
    envelope.forget_current()
    current = f"{envelope.PREFIX}{envelope.current_data_key_id()}:"
    results = []
    for model, fields in encrypted_fields():
        manager = model._base_manager
        names = [field.name for field in fields]
        raw = {f"raw_{name}": Cast(name, models.TextField()) for name in names}
        rows = reencrypted = 0
        last_pk = None
        while True:
            page = manager.order_by("pk")
            if last_pk is not None:
                page = page.filter(pk__gt=last_pk)
            page = list(page.annotate(**raw).values_list("pk", *raw)[:batch_size])
            if not page:
                break
            last_pk = page[-1][0]
            rows += len(page)
            stale = [
                pk
                for pk, *values in page
                if any(value and not value.startswith(current) for value in values)
            ]
            if stale:
                with transaction.atomic():
                    objects = list(
                        manager.select_for_update().filter(pk__in=stale).only("pk", *names)
                    )
                    manager.bulk_update(objects, names)
                reencrypted += len(objects)
        results.append(Reencryption(model._meta.label_lower, rows, reencrypted))
    return results
