"""How the dashboards write their figures (ADR 0053)."""

from django import template

register = template.Library()


@register.filter
def percent_1(share: float | None) -> str:
    """0.1234 → 12.3%; nothing → —."""
    if share is None:
        return "—"
    return f"{share * 100:.1f}%"


@register.filter
def hours(minutes: int | None) -> str:
    """Minutes as hours with one decimal: 90 → 1.5."""
    return f"{(minutes or 0) / 60:.1f}"
