"""Free text a manager or patient types into articles, contests and links: trimmed,
limited in length, refused (never stripped) with control characters."""

from django.utils.translation import gettext as _

from yachi.core.errors import InvalidInput
from yachi.core.text import has_control_characters


def text_input(
    value, *, label: str, limit: int, multiline: bool = False, required: bool = True
) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(_("%(label)s is required.") % {"label": label}, code="required")
    if len(text) > limit:
        raise InvalidInput(
            _("%(label)s is at most %(limit)d characters.") % {"label": label, "limit": limit},
            code="too_long",
        )
    if has_control_characters(text, multiline=multiline):
        raise InvalidInput(
            _("%(label)s contains characters that cannot be stored.") % {"label": label},
            code="control_characters",
        )
    return text
