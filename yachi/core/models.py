import uuid

from django.db import models


class BaseModel(models.Model):
    """Every table: an internal integer key, a public UUID and timestamps.

    The integer key stays inside the database (joins, constraints); URLs and the API
    only ever show ``public_id``, so ids cannot be guessed or counted.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class IdempotencyKey(models.Model):
    """A client-chosen key that makes a retried write return the first result.

    The unique constraint is the guard: two concurrent requests with the same key
    cannot both claim it.
    """

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=64)
    key = models.CharField(max_length=128)
    fingerprint = models.CharField(max_length=64)
    result = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "scope", "key"], name="idempotency_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


def as_public_id(value) -> uuid.UUID | None:
    """A public id from a URL or a payload, or None when it is not a UUID at all."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
