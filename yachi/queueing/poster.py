"""The clinic's check-in poster: a code that changes every local day.

The code is derived, not stored: an HMAC (keyed by the installation's secret) of the
clinic and its local date, so no nightly job has to turn it over and a poster printed
today stops working tomorrow. A patient's phone reads it from the poster's QR code (a
link to the check-in page with the code) or the patient types its six digits.
"""

import hmac
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac


def local_day(clinic, now: datetime | None = None) -> date:
    return (now or timezone.now()).astimezone(ZoneInfo(clinic.timezone)).date()


def poster_code(clinic, day: date) -> str:
    digest = salted_hmac(
        "yachi.queueing.poster", f"{clinic.public_id}:{day.isoformat()}", algorithm="sha256"
    ).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 1_000_000:06d}"


def poster_code_valid(clinic, code: str, *, now: datetime | None = None) -> bool:
    code = "".join(ch for ch in str(code or "") if ch.isdigit())
    return bool(code) and hmac.compare_digest(code, poster_code(clinic, local_day(clinic, now)))


def poster_url(clinic, day: date) -> str:
    """What the poster's QR code opens: the check-in page with today's code."""
    return (
        f"{settings.YACHI_PUBLIC_URL}/queue/check-in/{clinic.public_id}/"
        f"?code={poster_code(clinic, day)}"
    )
