"""Display tokens: what a waiting-room television opens the clinic's board with.

A token shows one clinic's board and nothing else: masked names, ticket numbers, rooms.
Only its digest is stored; the manager sees the link once, when it is created, and
revokes it when the screen is replaced or the link has leaked.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yachi.core.models import BaseModel


class DisplayToken(BaseModel):
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("screen"), max_length=48)
    # SHA-256 of the secret in hex: a database read never yields a working link.
    digest = models.CharField(max_length=64, unique=True)
    # The secret's last characters, to tell links apart in the console.
    hint = models.CharField(max_length=6)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    last_opened_at = models.DateTimeField(_("last opened"), null=True, blank=True)

    class Meta:
        verbose_name = _("display token")
        verbose_name_plural = _("display tokens")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_by__isnull=False),
                name="display_token_revoked_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (…{self.hint})"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
