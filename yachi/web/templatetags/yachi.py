from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.core.money import fen_to_yuan, format_yuan

register = template.Library()


@register.filter
def yuan(fen: int) -> str:
    return format_yuan(fen or 0)


@register.filter
def yuan_amount(fen: int) -> str:
    """1234.50: the amount as a form field takes it back (no yuan sign, no thousands commas)."""
    return f"{fen_to_yuan(fen or 0)}"


@register.filter
def weekday_short(day) -> str:
    names = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
    return names[day.weekday()]


@register.filter
def relative_day(day) -> str:
    """今天 / 明天 / 后天, or the weekday."""
    today = timezone.localdate()
    delta = (day - today).days
    if delta == 0:
        return _("Today")
    if delta == 1:
        return _("Tomorrow")
    if delta == 2:
        return _("Day after tomorrow")
    return weekday_short(day)


@register.filter
def percent(share: float) -> str:
    return f"{round(share * 100)}%"


@register.simple_tag(takes_context=True)
def active_tab(context, name: str) -> str:
    return "active" if context.get("tab") == name else ""


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def role_label(role: str) -> str:
    from yachi.core.roles import Role

    return Role(role).label if role in Role.values else role


@register.inclusion_tag("web/partials/doctor_avatar.html")
def doctor_avatar(doctor, size: str = "sm"):
    """A doctor's photo, or a tidy placeholder with their initials; an illustration is
    marked as one, so nobody takes it for the doctor's likeness."""
    from yachi.clinics.facade import doctor_photo_url

    return {
        "doctor": doctor,
        "size": size,
        "url": doctor_photo_url(doctor),
        "tone": doctor.public_id.int % 6,
    }
