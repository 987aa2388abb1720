"""{% if user|may_open:"plans:new" %}: show a link only to users its view admits."""

from django import template

from celltrace.web import links

register = template.Library()


@register.filter
def may_open(user, target: str) -> bool:
    """Tell whether the user may open a URL name or a path (see celltrace.web.links)."""
    return links.may_open(user, str(target))
