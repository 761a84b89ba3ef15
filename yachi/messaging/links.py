"""Short links for messages: ``/s/<code>`` with 8 characters instead of a 200-character
token. A code is drawn at random from 55 unambiguous letters and digits (about 46 bits)
and lives only until what it points to expires, so guessing a live one is hopeless; a
link to the same place while it lives reuses its code, so both reminders of a visit
carry the same one."""

import secrets
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from yachi.messaging.models import ShortLink

ALPHABET = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 8


def _code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def on_this_site(url: str) -> str | None:
    """The path of a link to this site, or None for a link elsewhere."""
    public = settings.YACHI_PUBLIC_URL
    if url.startswith(public + "/"):
        return url[len(public) :]
    if url.startswith("/") and not url.startswith("//"):
        return url
    return None


def shorten(url: str, *, expires_at: datetime) -> str:
    """The short form of a link to this site (links elsewhere are left as they are)."""
    target = on_this_site(url)
    if target is None or is_short(target):
        return url
    now = timezone.now()
    link = ShortLink.objects.filter(target=target, expires_at__gt=now).first()
    if link is not None:
        if link.expires_at < expires_at:
            ShortLink.objects.filter(pk=link.pk).update(expires_at=expires_at)
    else:
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    link = ShortLink.objects.create(
                        code=_code(), target=target, expires_at=expires_at
                    )
                break
            except IntegrityError:
                continue  # the code was taken: draw another
        else:
            return url
    return settings.YACHI_PUBLIC_URL + reverse("web:short_link", args=[link.code])


def is_short(path: str) -> bool:
    return path.startswith("/s/")


def follow(code: str) -> str | None:
    """Where a live short link leads, or None."""
    if len(code) != LENGTH:
        return None
    link = ShortLink.objects.filter(code=code, expires_at__gt=timezone.now()).first()
    return link.target if link else None
