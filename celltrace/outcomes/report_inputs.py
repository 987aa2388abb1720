"""Read one report's inputs from the database: plain records, in a fixed handful of queries.

Everything the registry report is computed from (celltrace.clinical.registry.inputs) is read
here and nowhere else, over the patients of one condition the user may see (every site for
an administrator, or for the deployment itself: `user=None`, as the command line runs).
Dates are the site's calendar days; nothing after the cut-off date is read into the report.
Each part is one query over all patients, never one per patient, so a report of thousands
of patients costs the same number of queries as one of three.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connections
from django.db.models import BigIntegerField, Exists, Func, IntegerField, OuterRef

from celltrace.accounts.access import scope_to_site
from celltrace.accounts.models import Site
from celltrace.catalog.models import Condition
from celltrace.clinical.isncsci import AIS_GRADES  # the report's "ais" reading: A=0 ... E=4
from celltrace.clinical.registry import inputs as records
from celltrace.followup.models import FollowUpEnd, FollowUpItem
from celltrace.intake.models import ConsultationRequest
from celltrace.outcomes.instruments import measures
from celltrace.outcomes.models import Measurement, MriScan, Relapse
from celltrace.screening.models import PatientFact, PriorTherapy, Screening
from celltrace.screening.prior_therapies import NONE, OTHER, coded
from celltrace.stays.models import Administration, AdverseEvent

ELIGIBLE = frozenset(
    {
        Screening.Decision.ELIGIBLE,
        Screening.Decision.ELIGIBLE_WITH_CAUTIONS,
        Screening.Decision.DONOR_ONLY,
    }
)
NO_REASON = "No reason recorded"
EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()  # numpy's day 0
# A moment read as a site's day can be up to a day off UTC: read a day more, then keep by day.
SLACK = dt.timedelta(days=2)


@dataclass(frozen=True)
class Scope:
    """The patients and requests of one condition that one user (or the deployment) may see."""

    condition: Condition
    user: object | None
    cutoff: dt.date

    def of(self, queryset, *, site_field: str = "site"):
        return (
            queryset
            if self.user is None
            else scope_to_site(queryset, self.user, site_field=site_field)
        )

    @property
    def sites(self):
        if self.user is None or self.user.sees_every_site:
            return Site.objects.all()
        return Site.objects.filter(pk=self.user.site_id)

    @property
    def until(self) -> dt.datetime:
        """A moment safely after the cut-off day at every site (days are then kept by date)."""
        return dt.datetime.combine(self.cutoff, dt.time(), tzinfo=dt.UTC) + SLACK


def report_inputs(
    condition: Condition,
    user,
    *,
    cutoff: dt.date,
    product: str | None = None,
    route: str | None = None,
) -> records.ReportInputs:
    """Return the inputs of `condition`'s report at `cutoff`, for what `user` may see."""
    scope = Scope(condition, user, cutoff)
    sites = {site.pk: site for site in scope.sites}
    zones = {pk: zoneinfo.ZoneInfo(site.time_zone) for pk, site in sites.items()}
    treated, treated_any = _treated(scope, zones, product=product, route=route)
    ids = set(treated)
    readings = _readings(scope, ids)
    patients = _patients(scope, treated, readings, sites, zones)
    filters = {key: value for key, value in (("product", product), ("route", route)) if value}
    return records.ReportInputs(
        condition_code=condition.code,
        condition_name=condition.name,
        cutoff=cutoff,
        data_source=_data_source(sites.values()),
        synthetic=settings.DEMO or any(t.synthetic for t in treated.values()),
        flow=_flow(scope, zones, treated_any=treated_any if filters else None),
        patients=patients,
        readings=readings,
        adverse_events=_adverse_events(scope, ids, zones),
        relapses=_relapses(scope, ids),
        mri_scans=_mri_scans(scope, ids),
        filters=filters,
        ordinal_grades={m.code: m.grades for m in measures() if m.ordinal},
    )


@dataclass
class _Treated:
    """One treated patient as the administrations say; the first fixes product and route."""

    site_id: int
    first: dt.date
    product: str
    route: str
    sex: str
    birth_date: dt.date | None
    synthetic: bool
    administrations: int = 0


def _treated(scope: Scope, zones, *, product, route) -> tuple[dict[int, _Treated], int]:
    """The patients first given `product` by `route` (any when None), and how many were
    treated with any product or route."""
    rows = (
        scope.of(Administration.objects.all(), site_field="stay__patient__site")
        .filter(stay__patient__condition=scope.condition, given_at__lt=scope.until)
        .order_by("given_at", "pk")
        .annotate(given=EpochSecond("given_at"), born=EpochDay("stay__patient__date_of_birth"))
        .values_list(
            "stay__patient_id",
            "stay__patient__site_id",
            "given",
            "lot__product__code",
            "route",
            "stay__patient__sex",
            "born",
            "stay__patient__synthetic",
        )
    )
    treated: dict[int, _Treated] = {}
    rows, days = _with_days(_plain_rows(rows), zones, site=1, moment=2)
    cutoff = scope.cutoff.toordinal()
    for (patient_id, site_id, _, code, how, sex, born, synthetic), day in zip(
        rows, days, strict=True
    ):
        if day > cutoff:
            continue
        if patient_id not in treated:
            first = dt.date.fromordinal(day)
            born = None if born is None else dt.date.fromordinal(born + EPOCH_ORDINAL)
            treated[patient_id] = _Treated(site_id, first, code, how, sex, born, bool(synthetic))
        treated[patient_id].administrations += 1
    kept = {
        pk: t
        for pk, t in treated.items()
        if (product is None or t.product == product) and (route is None or t.route == route)
    }
    return kept, len(treated)


def _patients(scope: Scope, treated, readings, sites, zones) -> tuple[records.TreatedPatient, ...]:
    onsets = _disease_onsets(scope, set(treated))
    therapies = _prior_therapies(scope, set(treated))
    contacts = _last_contacts(scope, set(treated), zones)
    for patient_id, day in _last_reading_days(readings):
        seen = contacts.get(patient_id)
        on = dt.date.fromordinal(day)
        contacts[patient_id] = max(seen, on) if seen else on
    ends = {
        patient_id: records.FollowUpEnd(on, reason, detail)
        for patient_id, on, reason, detail in scope.of(
            FollowUpEnd.objects.filter(on__lte=scope.cutoff), site_field="patient__site"
        ).values_list("patient_id", "on", "reason", "detail")
    }
    return tuple(
        records.TreatedPatient(
            patient_id=pk,
            first_administration=t.first,
            administrations=t.administrations,
            product=t.product,
            route=t.route,
            site=sites[t.site_id].code,
            sex=t.sex if t.sex in ("female", "male") else "",
            birth_date=t.birth_date,
            disease_onset=onsets.get(pk),
            prior_therapy=_yes_no(therapies.get(pk)),
            prior_therapies=tuple(sorted(therapies.get(pk, set()) - {NONE})),
            last_contact=contacts.get(pk),
            end=ends.get(pk),
        )
        for pk, t in sorted(treated.items(), key=lambda item: (item[1].first, item[0]))
    )


def _last_reading_days(readings: records.ReadingTable) -> list[tuple[int, int]]:
    """Each measured patient's last reading day (ordinal), from the table's columns."""
    if not len(readings):
        return []
    order = np.argsort(readings.patient_id, kind="stable")
    patients, days = readings.patient_id[order], readings.day[order]
    ids, starts = np.unique(patients, return_index=True)
    return list(zip(ids.tolist(), np.maximum.reduceat(days, starts).tolist(), strict=True))


def _prior_therapies(scope: Scope, ids: set[int]) -> dict[int, set[str]]:
    """Each patient's prior-therapy categories ("none" for none): what was before the clinic,
    so one recorded after the cut-off counts too, as a diagnosis dated before it does."""
    rows = (
        scope.of(PriorTherapy.objects.all(), site_field="patient__site")
        .filter(patient__condition=scope.condition)
        .values_list("patient_id", "therapy")
    )
    found: dict[int, set[str]] = {}
    for patient_id, code in rows:
        known = coded(scope.condition.code, code)
        category = NONE if code == NONE else (known.category if known else OTHER)
        if patient_id in ids:
            found.setdefault(patient_id, set()).add(category)
    return found


def _yes_no(categories: set[str] | None) -> str | None:
    if not categories:
        return None
    return "no" if categories == {NONE} else "yes"


def _disease_onsets(scope: Scope, ids: set[int]) -> dict[int, dt.date]:
    """The earliest diagnosis of the condition (its ICD-10 codes, e.g. "S14.1/S24.1/S34.1")."""
    codes = tuple(code.strip() for code in scope.condition.icd10.split("/") if code.strip())
    if not codes:
        return {}
    facts = (
        scope.of(PatientFact.objects.all(), site_field="patient__site")
        .filter(kind=PatientFact.Kind.DIAGNOSIS, on__lte=scope.cutoff)
        .filter(patient__condition=scope.condition)
        .values_list("patient_id", "code", "on")
    )
    onsets: dict[int, dt.date] = {}
    for patient_id, code, on in facts:
        if patient_id in ids and code.upper().startswith(codes):
            onsets[patient_id] = min(on, onsets.get(patient_id, on))
    return onsets


def _last_contacts(scope: Scope, ids: set[int], zones) -> dict[int, dt.date]:
    """The day of each patient's last completed check-up on or before the cut-off."""
    done = (
        scope.of(FollowUpItem.objects.all(), site_field="patient__site")
        .filter(kind=FollowUpItem.Kind.CHECKUP, completed_at__lt=scope.until)
        .filter(patient__condition=scope.condition)
        .annotate(completed=EpochSecond("completed_at"))
        .values_list("patient_id", "patient__site_id", "completed")
    )
    last: dict[int, int] = {}
    cutoff = scope.cutoff.toordinal()
    rows, days = _with_days(_plain_rows(done), zones, site=1, moment=2)
    for (patient_id, _, _), day in zip(rows, days, strict=True):
        if patient_id in ids and day <= cutoff:
            last[patient_id] = max(day, last.get(patient_id, day))
    return {patient_id: dt.date.fromordinal(day) for patient_id, day in last.items()}


def _readings(scope: Scope, ids: set[int]) -> records.ReadingTable:
    """Every value on or before the cut-off; an ISNCSCI exam also gives its AIS grade.

    Millions of values at 100,000 patients: read as plain columns and laid out in a
    ReadingTable with array operations, never one record object per value.
    """
    measured = scope.of(Measurement.objects.all(), site_field="patient__site").filter(
        patient__condition=scope.condition, measured_on__lte=scope.cutoff
    )
    rows = measured.annotate(epoch_day=EpochDay("measured_on")).values_list(
        "patient_id", "instrument", "epoch_day", "value"
    )
    patient, instrument, day, value = _columns(_plain_rows(rows), 4)
    keep = np.isin(patient, np.fromiter(ids, np.int64, len(ids)))
    category = np.full(len(patient), None, dtype=object)
    ais = instrument == "ais"
    graded = ais & np.isin(value, np.arange(len(AIS_GRADES)))  # an ordinal 0-4, else no grade
    category[graded] = np.array(AIS_GRADES, dtype=object)[value[graded].astype(int)]
    keep &= ~ais | graded
    patient, instrument, day, value, category = (
        c[keep] for c in (patient, instrument, day, value, category)
    )
    exams = measured.filter(instrument="isncsci_motor").values_list(
        "patient_id", "measured_on", "details__classification__ASIAImpairmentScale"
    )
    ais = instrument == "ais"
    recorded = set(zip(patient[ais].tolist(), day[ais].tolist(), strict=True))
    grades = {}
    for patient_id, measured_on, grade in exams:
        if patient_id in ids and isinstance(grade, str) and grade in AIS_GRADES:
            grades[(patient_id, measured_on.toordinal())] = grade
    extra = [(p, d, g) for (p, d), g in grades.items() if (p, d) not in recorded]
    if extra:
        more_patient, more_day, more_grade = (np.array(c) for c in zip(*extra, strict=True))
        patient = np.concatenate([patient, more_patient.astype(np.int64)])
        instrument = np.concatenate([instrument, np.full(len(extra), "ais", dtype=object)])
        day = np.concatenate([day, more_day.astype(np.int64)])
        value = np.concatenate([value, [float(AIS_GRADES.index(g)) for g in more_grade]])
        category = np.concatenate([category, more_grade.astype(object)])
    codes = tuple(sorted(set(instrument.tolist())))
    instrument_code = np.searchsorted(np.array(codes, dtype=object), instrument).astype(np.int16)
    order = np.lexsort((day, instrument_code, patient))  # by patient, instrument, day: stable
    return records.ReadingTable(
        patient_id=patient[order],
        instrument=instrument_code[order],
        instruments=codes,
        day=day[order],
        value=value[order],
        whole=np.zeros(len(order), bool),  # a measurement's value is a float
        category=category[order],
    )


def _plain_rows(queryset) -> list[tuple]:
    """The query's rows as the database driver gives them, without Django's converters
    (one call per value): only for columns of numbers and text, which need none."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class _Epoch(Func):
    """A date or moment as a number computed by the database, one SQL form per vendor:
    millions of values come back as plain integers, with no date or aware datetime made
    for each row."""

    postgresql = sqlite = "{}"

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return self.postgresql.format(sql), params

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return self.sqlite.format(sql), params


class EpochDay(_Epoch):
    """A date as days since 1970-01-01."""

    output_field = IntegerField()
    postgresql = "({} - DATE '1970-01-01')"
    sqlite = "CAST(julianday({}) - 2440587.5 AS INTEGER)"


class EpochSecond(_Epoch):
    """A moment as whole seconds since 1970-01-01 UTC, rounded down: a site's calendar day
    depends only on the whole second."""

    output_field = BigIntegerField()
    postgresql = "FLOOR(date_part('epoch', {}))::bigint"
    sqlite = "CAST(strftime('%%s', {}) AS INTEGER)"  # %%: Django's escape of a literal %


def _columns(rows, width: int) -> list[np.ndarray]:
    """A query's rows of (patient id, text, epoch day, number) as four numpy columns."""
    columns = list(zip(*rows, strict=True)) or [()] * width
    return [
        np.array(columns[0], np.int64),
        np.array(columns[1], dtype=object),
        np.array(columns[2], np.int64) + EPOCH_ORDINAL,
        np.array(columns[3], np.float64),
    ]


def _relapses(scope: Scope, ids: set[int]) -> tuple[records.Relapse, ...]:
    onsets = scope.of(
        Relapse.objects.filter(patient__condition=scope.condition, onset__lte=scope.cutoff),
        site_field="patient__site",
    ).values_list("patient_id", "onset")
    return tuple(records.Relapse(pk, onset) for pk, onset in onsets if pk in ids)


def _mri_scans(scope: Scope, ids: set[int]) -> tuple[records.MriScan, ...]:
    rows = scope.of(
        MriScan.objects.filter(patient__condition=scope.condition, scanned_on__lte=scope.cutoff),
        site_field="patient__site",
    ).values_list("patient_id", "scanned_on", "new_t2_lesions", "gd_lesions")
    return tuple(records.MriScan(*row) for row in rows if row[0] in ids)


def _adverse_events(scope: Scope, ids: set[int], zones) -> tuple[records.AdverseEventRecord, ...]:
    """Events of treated patients in stays where a product was given, onset by the cut-off."""
    rows = (
        scope.of(AdverseEvent.objects.all(), site_field="stay__patient__site")
        .filter(
            Exists(Administration.objects.filter(stay=OuterRef("stay"))),
            stay__patient__condition=scope.condition,
            onset_at__lt=scope.until,
        )
        .order_by("onset_at", "pk")
        .annotate(onset=EpochSecond("onset_at"))
        .values_list(
            "stay__patient_id",
            "stay__patient__site_id",
            "onset",
            "term__term",
            "term__code",
            "term_detail",
            "ctcae_grade",
            "serious",
            "relatedness",
            "outcome",
            "lot__code",
        )
    )
    events = []
    rows, days = _with_days(rows, zones, site=1, moment=2)
    cutoff = scope.cutoff.toordinal()
    for (patient_id, _, _, term, code, detail, *rest, lot), day in zip(rows, days, strict=True):
        if patient_id in ids and day <= cutoff:
            label = (detail or term) if code == "other" else term
            onset = dt.date.fromordinal(day)
            events.append(
                records.AdverseEventRecord(patient_id, onset, label, code, *rest, lot or "")
            )
    return tuple(events)


def _flow(scope: Scope, zones, *, treated_any: int | None) -> records.Flow:
    """Enquired, screened and eligible as they stood at the cut-off, with the reasons of
    those who stopped.

    A request counts when it was made by the cut-off, with its status at the cut-off: the
    last audit-history version of it on or before that day (django-simple-history), so one
    closed after the cut-off is still open. A request without history by then (imported
    without it) keeps its present status and is counted in `undated_requests`. Screening
    decisions never change once made and become final on a dated sign-off, so their dates
    alone place them. Two queries for the requests, whatever their number.
    """
    requests = (
        scope.of(ConsultationRequest.objects.filter(condition=scope.condition))
        .filter(created_at__lt=scope.until)
        .annotate(created=EpochSecond("created_at"))
        .values_list("pk", "site_id", "created", "status", "close_reason")
    )
    at_cutoff = _request_states_at_cutoff(scope, zones)
    enquired, undated, closed = 0, 0, Counter()
    cutoff = scope.cutoff.toordinal()
    requests, days = _with_days(_plain_rows(requests), zones, site=1, moment=2)
    for (pk, _, _, status, reason), day in zip(requests, days, strict=True):
        if day > cutoff:
            continue
        enquired += 1
        if pk in at_cutoff:
            status, reason = at_cutoff[pk]
        else:
            undated += 1
        if status == ConsultationRequest.Status.CLOSED:
            closed[reason.strip() or NO_REASON] += 1
    decisions = _latest_final_decisions(scope, zones)
    screened = len(decisions["screened"])
    not_eligible = Counter(
        reason for decision, reason in decisions["final"].values() if decision == "not_eligible"
    )
    return records.Flow(
        enquired=enquired,
        screened=screened,
        eligible=sum(1 for decision, _ in decisions["final"].values() if decision in ELIGIBLE),
        closed=_counts(closed),
        not_eligible=_counts(not_eligible),
        treated_any=treated_any,
        undated_requests=undated,
    )


def _request_states_at_cutoff(scope: Scope, zones) -> dict[int, tuple[str, str]]:
    """Each request's (status, close reason) in its last history version by the cut-off."""
    versions = (
        scope.of(ConsultationRequest.history.filter(condition=scope.condition))
        .filter(history_date__lt=scope.until)
        .order_by("history_date", "history_id")
        .annotate(dated=EpochSecond("history_date"))
        .values_list("id", "site_id", "dated", "status", "close_reason")
    )
    states = {}
    cutoff = scope.cutoff.toordinal()
    versions, days = _with_days(_plain_rows(versions), zones, site=1, moment=2)
    for (pk, site_id, _, status, reason), day in zip(versions, days, strict=True):
        if site_id in zones and day <= cutoff:
            states[pk] = (status, reason)
    return states


def _latest_final_decisions(scope: Scope, zones) -> dict:
    """Patients screened before planning, and each one's latest final decision with its reason."""
    screenings = (
        scope.of(Screening.objects.all(), site_field="patient__site")
        .filter(
            patient__condition=scope.condition,
            purpose=Screening.Purpose.PLANNING,
            decided_at__lt=scope.until,
        )
        .order_by("decided_at", "pk")
        .annotate(decided=EpochSecond("decided_at"), finalized=EpochSecond("finalized_at"))
    )
    columns = ("patient_id", "patient__site_id", "decided", "decision", "finalized", "pk")
    screened, final = set(), {}
    cutoff = scope.cutoff.toordinal()
    rows = _plain_rows(screenings.values_list(*columns))
    rows, decided = _with_days(rows, zones, site=1, moment=2)
    _, finalized = _with_days(rows, zones, site=1, moment=4)
    for (patient_id, _, _, decision, _, pk), on, final_on in zip(
        rows, decided, finalized, strict=True
    ):
        if on > cutoff:
            continue
        screened.add(patient_id)
        if final_on is not None and final_on <= cutoff:
            final[patient_id] = (decision, pk)
    # The reason is read (JSON) only for the decisions that need one: not eligible.
    refused = screenings.filter(decision=Screening.Decision.NOT_ELIGIBLE)
    results = dict(refused.values_list("pk", "results"))
    final = {
        patient_id: (decision, _first_exclusion(results.get(pk)))
        for patient_id, (decision, pk) in final.items()
    }
    return {"screened": screened, "final": final}


def _first_exclusion(results: list[dict]) -> str:
    """The label of the first excluding rule met: one reason per patient, so counts add up."""
    met = [r for r in results or () if r.get("kind") != "caution" and r.get("outcome") == "met"]
    return met[0].get("label") or NO_REASON if met else NO_REASON


def _counts(counter: Counter) -> tuple[records.Count, ...]:
    return tuple(
        records.Count(reason, n)
        for reason, n in sorted(counter.items(), key=lambda c: (-c[1], c[0]))
    )


def _data_source(sites) -> str:
    names = ", ".join(sorted(site.name for site in sites)) or "no site"
    return (
        f"celltrace clinical records of {names}: administrations, measurements, "
        "adverse events and follow-up, as recorded by the clinic's staff"
    )


def _with_days(rows, zones, *, site: int, moment: int) -> tuple[list, list]:
    """The rows, and the site's calendar day (ordinal, None for no moment) of each row's
    moment (EpochSecond) at column `moment`, the site's id being at column `site`.

    Converted a site at a time with pandas' time-zone rules (the zone's own data), never
    one datetime per row."""
    rows = rows if isinstance(rows, list) else list(rows)
    sites = np.fromiter((row[site] for row in rows), np.int64, len(rows))
    given = [row[moment] for row in rows]
    missing = np.fromiter((second is None for second in given), bool, len(rows))
    seconds = np.array([second or 0 for second in given], np.int64)  # whole: no rounding
    days = np.zeros(len(rows), np.int64)
    for site_id in np.unique(sites).tolist():
        if site_id not in zones:
            continue
        mine = sites == site_id
        local = (
            pd.to_datetime(seconds[mine], unit="s", utc=True)
            .tz_convert(zones[site_id])
            .tz_localize(None)
        )
        days[mine] = local.values.astype("datetime64[D]").astype(np.int64) + EPOCH_ORDINAL
    out = days.tolist()
    for k in np.flatnonzero(missing).tolist():
        out[k] = None
    return rows, out
