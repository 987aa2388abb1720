"""Numbers on the outcome pages, shown no more precisely than they are known."""

from django import template

register = template.Library()


@register.filter
def percent(fraction):
    """Show a fraction as a percentage with one decimal ('—' when there is none)."""
    if fraction is None:
        return "—"
    return f"{fraction * 100:.1f} %"
