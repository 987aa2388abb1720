"""Feed the site's adverse events and administrations to clinical/adverse_event_rates.py."""

from celltrace.accounts.access import scope_to_site
from celltrace.clinical.adverse_event_rates import EventRates, EventRecord, event_rates
from celltrace.stays.models import Administration, AdverseEvent


def site_event_rates(user) -> EventRates:
    """Rates over the administrations of the user's site (every site for an administrator).

    An event that names no administration counts against the last one of its stay given
    before its onset; an event before any administration is not a side effect of one.
    """
    given = scope_to_site(
        Administration.objects.select_related("lot"), user, site_field="stay__site"
    )
    given = list(given.order_by("given_at", "pk"))
    by_stay: dict[int, list[Administration]] = {}
    for administration in given:
        by_stay.setdefault(administration.stay_id, []).append(administration)
    events = scope_to_site(
        AdverseEvent.objects.select_related("term", "administration__lot"),
        user,
        site_field="stay__site",
    )
    records = []
    for event in events:
        administration = event.administration or _last_before(
            by_stay.get(event.stay_id, []), event.onset_at
        )
        if administration is None:
            continue
        records.append(
            EventRecord(
                term=event.term.term,
                grade=event.ctcae_grade,
                administration_id=administration.pk,
                lot_code=administration.lot.code,
            )
        )
    return event_rates(
        records,
        administrations=len(given),
        lots_given=len({a.lot_id for a in given}),
    )


def _last_before(administrations: list[Administration], moment) -> Administration | None:
    earlier = [a for a in administrations if a.given_at <= moment]
    return earlier[-1] if earlier else None
