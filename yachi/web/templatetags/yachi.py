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
def deadline(moment) -> str:
    """A time something must be done by, as a person reads it: 今天 18:00, 明天 09:30,
    后天 12:00, or the whole date when it is further off."""
    local = timezone.localtime(moment)
    if 0 <= (local.date() - timezone.localdate()).days <= 2:
        return f"{relative_day(local.date())} {local:%H:%M}"
    return f"{local:%Y-%m-%d %H:%M}"


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
    from yachi.core.roles import role_label

    return role_label(role)


@register.simple_tag(takes_context=True)
def console_rights(context, clinic) -> dict:
    """What the sidebar offers: the duties the member holds at the clinic shown, and
    whether they manage or treat anywhere (the chain-wide pages). One query a page."""
    standing = context.get("console_standing")
    if standing is None:
        return {}
    from yachi.clinics import facade as clinics

    pk = clinic.pk if clinic else 0
    duties = standing.duties_at(pk)
    manage_at = standing.clinics_where(clinics.Duty.MANAGE)
    return {
        "desk": clinics.Duty.DESK in duties,
        "manage": clinics.Duty.MANAGE in duties,
        "treat": clinics.Duty.TREAT in duties,
        "role": clinics.principal(standing.roles_at(pk)) or context["user"].role,
        "manage_anywhere": manage_at is None or bool(manage_at),
        "treat_anywhere": bool(standing.clinics_where(clinics.Duty.TREAT)),
    }


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
