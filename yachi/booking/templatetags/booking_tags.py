"""Template pieces of the booking pages."""

from django import template

from yachi.booking.saturation import thresholds

register = template.Library()


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"


@register.inclusion_tag("booking/partials/legend.html")
def saturation_legend():
    """The colours of the grids with the thresholds they stand for, grey included."""
    limits = thresholds()
    return {"yellow": _percent(limits.yellow_from), "red": _percent(limits.red_from)}
