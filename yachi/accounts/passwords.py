"""Password profiles for staff: MLPS 2.0 level 3 by default, OWASP ASVS on request.

The two standards disagree. MLPS (GB/T 22239-2019, 8.1.4.1) asks for complex
passwords that are changed regularly; ASVS 4 (2.1) asks for long passwords with no
composition rules and no forced rotation, checked against known-bad lists. A clinic
chooses with ``YACHI_PASSWORD_PROFILE``; both keep the last five from being reused
and both go with lockout and, for managers and administrators, a second factor.
See docs/security.md.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Profile:
    name: str
    min_length: int
    min_classes: int  # of lower case, upper case, digits, symbols
    max_age_days: int | None
    history: int = 5


PROFILES = {
    "mlps": Profile("mlps", min_length=8, min_classes=3, max_age_days=90),
    "asvs": Profile("asvs", min_length=12, min_classes=0, max_age_days=None),
}


def profile() -> Profile:
    return PROFILES[settings.YACHI_PASSWORD_PROFILE]


def _classes(password: str) -> int:
    return sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


class ProfileValidator:
    """Length and character classes of the active profile."""

    def validate(self, password, user=None):
        rules = profile()
        if len(password) < rules.min_length:
            raise ValidationError(
                ngettext(
                    "The password must be at least %(count)d character long.",
                    "The password must be at least %(count)d characters long.",
                    rules.min_length,
                )
                % {"count": rules.min_length},
                code="password_too_short",
            )
        if _classes(password) < rules.min_classes:
            raise ValidationError(
                _(
                    "Use at least %(count)d of: lower-case letters, upper-case letters, "
                    "digits and symbols."
                )
                % {"count": rules.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self):
        rules = profile()
        if rules.min_classes:
            return _(
                "At least %(length)d characters with %(count)d of: lower-case, upper-case, "
                "digits, symbols."
            ) % {"length": rules.min_length, "count": rules.min_classes}
        return _("At least %(length)d characters.") % {"length": rules.min_length}


class HistoryValidator:
    """The new password must not be one of the last few: the current one included."""

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        earlier = user.password_history.order_by("-created_at").values_list("password", flat=True)
        recent = [user.password, *earlier[: profile().history - 1]]
        if any(encoded and check_password(password, encoded) for encoded in recent):
            raise ValidationError(
                _("Choose a password you have not used for your last %(count)d passwords.")
                % {"count": profile().history},
                code="password_reused",
            )

    def get_help_text(self):
        return _("Not one of your last %(count)d passwords.") % {"count": profile().history}
