from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DataKey(models.Model):
    """A random SM4 key that encrypts field values, stored wrapped by a master key.

    The master keys live outside the database (``YACHI_MASTER_KEYS``), so a copy of the
    database alone opens nothing. Each encrypted value names its data key; each data key
    names the master key that wrapped it, so either can be rotated while the other stays.
    New values are encrypted under the current key; the constraint keeps it unique even
    when two processes create the first one at the same instant.
    """

    wrapped_key = models.CharField(max_length=128)
    master_key_id = models.CharField(_("master key"), max_length=32)
    is_current = models.BooleanField(_("current"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        verbose_name = _("data key")
        verbose_name_plural = _("data keys")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="compliance_one_current_data_key",
            )
        ]

    def __str__(self) -> str:
        return f"data key {self.pk} (master key {self.master_key_id})"
