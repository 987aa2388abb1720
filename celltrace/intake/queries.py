"""Reading the advisor queue: one filter for the screen and the API, always at the user's site."""

import re

from django.db.models import Q, TextChoices

from celltrace.intake.access import requests_for_user

_REFERENCE = re.compile(r"^CR-?0*(\d+)$", re.IGNORECASE)


class Claimed(TextChoices):
    MINE = "mine", "Claimed by me"
    UNCLAIMED = "unclaimed", "Not claimed yet"


def queue_for(user, *, status="", condition="", claimed="", search=""):
    """Return the requests at the user's site, narrowed by each filter that is given."""
    rows = requests_for_user(user)
    if status:
        rows = rows.filter(status=status)
    if condition:
        rows = rows.filter(condition__code=condition)
    if claimed == Claimed.MINE:
        rows = rows.filter(advisor=user)
    elif claimed == Claimed.UNCLAIMED:
        rows = rows.filter(advisor__isnull=True)
    search = search.strip()
    if search:
        matches = Q(full_name__icontains=search) | Q(email__icontains=search)
        if reference := _REFERENCE.match(search):
            matches |= Q(pk=int(reference.group(1)))
        rows = rows.filter(matches)
    return rows
