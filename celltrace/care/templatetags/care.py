"""Care's parts of other stages' pages: {% load care %} in a stays or plans template.

The stays and plans apps sit below care and cannot import it; their templates load these
tags, so the ward, the stay page and the plan page show rounds, sessions and bookings
without a layer being crossed in Python.
"""

from django import template
from django.utils.html import format_html

from celltrace.accounts.access import has_role
from celltrace.care import access, queries

register = template.Library()


@register.simple_tag
def stays_without_round(stays) -> set[int]:
    """{% stays_without_round stays as unseen %}: the open stays with no round today, at once."""
    return queries.stays_without_round_today(stays)


@register.simple_tag
def round_flag(stay, unseen) -> str:
    """A "No round today" badge for an open stay a doctor has not seen today."""
    if stay.pk in unseen:
        return format_html('<span class="badge warn">{}</span>', "No round today")
    return ""


@register.inclusion_tag("care/_stay_care.html", takes_context=True)
def stay_care(context, stay):
    """The stay's daily rounds and therapy sessions, with the actions the user may take."""
    user = context["request"].user
    return {
        "stay": stay,
        "needs_round": queries.needs_round(stay),
        "rounds": access.rounds_for_user(user).filter(stay=stay),
        "sessions": access.therapy_sessions_for_user(user).filter(stay=stay),
        "has_therapies": stay.plan.therapies.exists(),
        "can_round": stay.is_open and has_role(user, access.ROUNDS),
        "can_schedule": stay.is_open and has_role(user, access.SCHEDULE_THERAPY),
        "can_mark": stay.is_open and has_role(user, access.MARK_THERAPY),
        "here": context["request"].get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("care/_plan_bookings.html", takes_context=True)
def plan_bookings(context, plan):
    """The plan's booked services, from every version, for the coordinators who follow them.

    A cancelled plan's bookings are marked so: nobody comes for them any more.
    """
    user = context["request"].user
    shown = has_role(user, access.VIEW_SERVICES)
    bookings = queries.of_plan(access.bookings_for_user(user), plan) if shown else []
    return {
        "shown": shown,
        "plan": plan,
        "bookings": bookings,
        "plan_cancelled": shown and not plan.versions().in_force().exists(),
        "can_book": plan.in_force and has_role(user, access.BOOK_SERVICES),
    }
