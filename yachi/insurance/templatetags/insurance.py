from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def catalogue_class(value: str) -> str:
    """甲 / 乙 / 丙 in Chinese, A / B / C in English."""
    return {"A": _("Class A"), "B": _("Class B"), "C": _("Class C")}.get(value, "—")
