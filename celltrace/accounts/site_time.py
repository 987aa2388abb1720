"""The site's own clock: "today" on a ward is the local day where the ward is.

Every day the clinic counts (a dose's day of the stay, a discharge day, a worklist's today)
is the site's day, never the server's: a site may be in another time zone than the server.
"""

import datetime as dt
import zoneinfo

from django.utils import timezone


def zone(site) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(site.time_zone)


def local_date(moment: dt.datetime, site) -> dt.date:
    """Return the site's calendar day of a moment."""
    return timezone.localtime(moment, zone(site)).date()


def today(site) -> dt.date:
    return local_date(timezone.now(), site)


def at(day: dt.date, wall_clock: dt.time, site) -> dt.datetime:
    """Return the moment a local wall-clock time on a day at the site happens."""
    return dt.datetime.combine(day, wall_clock, tzinfo=zone(site))


def day_bounds(day: dt.date, site) -> tuple[dt.datetime, dt.datetime]:
    """Return the moments the site's day starts and the next one starts."""
    start = at(day, dt.time(0, 0), site)
    return start, at(day + dt.timedelta(days=1), dt.time(0, 0), site)


def user_today(user) -> tuple[dt.date, object]:
    """Return today at the user's site and the site (the server's today for an administrator)."""
    if user.site_id:
        return today(user.site), user.site
    return timezone.localdate(), None


def user_day_bounds(user, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Return the moments a day starts and ends at the user's site (the server's, for an admin)."""
    if user.site_id:
        return day_bounds(day, user.site)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(0, 0)))
    return start, timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
