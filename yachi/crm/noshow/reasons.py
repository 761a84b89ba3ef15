"""The reasons of a risk in words, in the reader's language (codes are stored)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def reason_text(code: str, value: int = 0) -> str:
    if code == "past_no_shows":
        return ngettext(
            "%(count)s no-show in the past 12 months",
            "%(count)s no-shows in the past 12 months",
            value,
        ) % {"count": value}
    if code == "few_visits":
        if value == 0:
            return _("No visit in the past 12 months")
        return ngettext(
            "Only %(count)s visit in the past 12 months",
            "Only %(count)s visits in the past 12 months",
            value,
        ) % {"count": value}
    if code == "lead_time":
        return ngettext("Booked %(days)s day ahead", "Booked %(days)s days ahead", value) % {
            "days": value
        }
    texts = {
        "first_visit": _("First visit"),
        "monday_morning": _("Monday morning"),
        "weekend": _("Weekend"),
        "evening": _("Evening"),
        "online": _("Booked online"),
        "waitlist": _("Booked from the waitlist"),
        "no_deposit": _("No deposit paid"),
        "not_confirmed": _("Reminder not confirmed"),
    }
    return texts.get(code, code)


def reasons_text(reasons: list) -> tuple[str, ...]:
    return tuple(reason_text(r["code"], r.get("value", 0)) for r in reasons)
