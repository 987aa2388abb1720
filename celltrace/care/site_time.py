"""The site's own clock: "today" on a ward is the local day where the ward is."""

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
