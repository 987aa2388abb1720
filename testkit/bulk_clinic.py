"""A clinic of thousands of treated patients, written in bulk, for benchmarks.

The testkit's journey builders make one patient in seconds (every stage's records, one row
at a time): fine for tests, hopeless for 100,000 patients. This builder writes the records
the outcome report reads (celltrace/outcomes/report_inputs.py) straight into their tables
(COPY on PostgreSQL, executemany on SQLite) in batches, with each row's "+" audit history
row and its entry in the hash chain, as the audited bulk path would write them, but without
one Django object and one digest call per value (26 s CPU for 10,000 patients, where the
audited bulk_create took several minutes), on SQLite or PostgreSQL:

- enquiries (consultation requests): one converted per patient, and others new, with an
  advisor, or closed with a reason;
- planning screenings: eligible (some with cautions) for the treated, not eligible with the
  rule that excluded them for others;
- diagnoses (the condition's ICD-10 code) giving each treated patient's disease onset;
- a treatment plan, its planned doses, one released lot per dose, a stay and its
  administrations (one to three, the first fixing product and route);
- the plan's outcome measurements at baseline and its time points, some missed, some
  outside every window, some after the cut-off (testkit.registry_cohort's seeded shape);
- completed check-ups at the visits, adverse events in some stays, ends of follow-up;
- for MS, relapses and yearly MRI scans (some active), which NEDA-3 reads.

It bypasses the actions (no signatures, no checks; history rows dated at the build, by no
user): it is for a scratch database only, never the demo's or a clinic's. The records are
synthetic (`synthetic=True`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.utils import timezone

from celltrace.accounts.models import Role, Site, User
from celltrace.audit import chain
from celltrace.audit.models import ChainEntry
from celltrace.catalog.models import AdverseEventTerm, CellProduct, Condition, Route
from celltrace.clinical.isbt128 import make_din
from celltrace.deployment.starting import load_starting_policy
from celltrace.followup.models import FollowUpEnd, FollowUpItem
from celltrace.intake.models import ConsultationRequest
from celltrace.lab.models import ProductLot
from celltrace.outcomes.models import Measurement, MriScan, Relapse
from celltrace.patients.models import Patient
from celltrace.plans.models import PlannedProduct, TreatmentPlan
from celltrace.screening.loading import starting_ruleset
from celltrace.screening.models import PatientFact, Screening
from celltrace.stays.models import Administration, AdverseEvent, Stay
from testkit.registry_cohort import registry_cohort

BATCH = 50_000
CLOSE_REASONS = ("Not a candidate for the condition's protocol", "Could not travel", "")
EXCLUSIONS = ("Active malignancy", "Pregnancy", "Uncontrolled infection")
DOSE_HOUR = dt.time(10, 0)


@dataclass(frozen=True)
class BulkClinic:
    """What a benchmark needs of the clinic built: its site, a manager and its counts."""

    site: Site
    manager: User
    doctor: User
    condition: Condition
    cutoff: dt.date
    treated: int
    rows: dict[str, int]


def build_clinic(
    patients: int,
    *,
    condition: str = "ms",
    seed: int = 11,
    cutoff: dt.date | None = None,
    site_code: str = "bench",
    batch: int = BATCH,
) -> BulkClinic:
    """Write a clinic of `patients` treated patients of `condition`, cut off at `cutoff`.

    The cut-off defaults to today, the day a page's report is asked for. The treated
    patients are testkit.registry_cohort's (same seed, same readings), so a report of them
    can be checked against the cohort's.
    """
    cutoff = cutoff or timezone.localdate()
    rng = random.Random(seed)
    cohort = registry_cohort(seed=seed, patients=patients, condition=condition, cutoff=cutoff)
    with transaction.atomic():
        load_starting_policy()  # the catalog, rule set and analysis plan, where missing
        writer = _Writer(rng, Condition.objects.get(code=condition), cutoff, site_code, batch)
        writer.write(cohort)
    return BulkClinic(
        writer.site,
        writer.manager,
        writer.doctor,
        writer.condition,
        cutoff,
        len(cohort.patients),
        writer.rows,
    )


class _Table:
    """Write one model's rows straight to its table, its audit history and the hash chain.

    Rows are tuples of the model's concrete fields' values (attnames, in order). Primary
    keys are taken as a block (the table's sequence on PostgreSQL), the rows are copied in
    with COPY (PostgreSQL) or executemany (SQLite), each gets its "+" history row, as
    django-simple-history's bulk_history_create writes it (dated now, no user, no reason),
    and each history row is sealed into the chain (celltrace.audit.chain) in order, with
    the digest chain.row_digest computes, from the values written rather than read back.
    """

    def __init__(self, model):
        self.model = model
        self.fields = model._meta.concrete_fields
        self.attnames = [f.attname for f in self.fields]
        self.history = getattr(model, model._meta.simple_history_manager_attribute).model
        self.history_fields = self.history._meta.concrete_fields
        self.layout = chain.layout_key(self.history._meta.db_table, chain.columns_of(self.history))

    def defaults(self) -> dict:
        now = timezone.now()
        return {
            f.attname: now if getattr(f, "auto_now_add", False) else f.get_default()
            for f in self.fields
            if f.has_default() or getattr(f, "auto_now_add", False)
        }

    def rows_of(self, objects: list) -> list[tuple]:
        """The objects' values; unset creation times are now (else kept as given)."""
        now = timezone.now()
        stamped = [f.attname for f in self.fields if getattr(f, "auto_now_add", False)]
        for obj in objects:
            for name in stamped:
                if getattr(obj, name) is None:
                    setattr(obj, name, now)
        return [tuple(getattr(obj, name) for name in self.attnames) for obj in objects]

    def write(self, rows: list[tuple], writer: _Sealer) -> list[int]:
        """Insert the rows (their pk left None); return their primary keys, in order."""
        if not rows:
            return []
        pk = self.attnames.index(self.model._meta.pk.attname)
        ids = _reserve(self.model, len(rows))
        rows = [(*row[:pk], number, *row[pk + 1 :]) for row, number in zip(rows, ids, strict=True)]
        _insert(self.model._meta.db_table, self.fields, rows)
        now = timezone.now()
        by_column = {f.column: k for k, f in enumerate(self.fields)}
        extra = {"history_date": now, "history_change_reason": "", "history_type": "+"}
        history_ids = _reserve(self.history, len(rows))
        layout = []
        for f in self.history_fields:
            if f.column in by_column:
                layout.append(("row", by_column[f.column]))
            elif f.column == self.history._meta.pk.column:
                layout.append(("id", None))
            else:
                layout.append(("value", extra.get(f.column)))
        history = [
            tuple(
                row[where] if kind == "row" else number if kind == "id" else where
                for kind, where in layout
            )
            for row, number in zip(rows, history_ids, strict=True)
        ]
        _insert(self.history._meta.db_table, self.history_fields, history)
        writer.seal(self.history, self.history_fields, history, history_ids, self.layout)
        return ids


class _Sealer:
    """Append chain entries for history rows, continuing the chain's head."""

    def __init__(self):
        self.count = 0

    def seal(self, model, fields, rows, ids, layout) -> None:
        table = model._meta.db_table
        chain._lock_chain(connection.alias)
        seq, prev = ChainEntry.objects.order_by("-seq").values_list("seq", "hash").first() or (
            0,
            chain.GENESIS,
        )
        canonical = [_canonical_of(f) for f in fields]
        columns = [f.column for f in fields]
        entries = []
        dumps, sha = json.dumps, hashlib.sha256
        for row, row_id in zip(rows, ids, strict=True):
            content = {"table": table}
            for column, convert, value in zip(columns, canonical, row, strict=True):
                content[column] = None if value is None else convert(value)
            text = dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            digest = sha(text.encode()).hexdigest()
            seq += 1
            entry = chain.link_hash(prev, seq, table, row_id, digest)
            entries.append((seq, table, row_id, layout, digest, prev, entry))
            prev = entry
        fields = [ChainEntry._meta.get_field(name) for name in
                  ("seq", "table", "row_id", "layout", "digest", "prev_hash", "hash")]  # fmt: skip
        ids = _reserve(ChainEntry, len(entries))
        _insert(ChainEntry._meta.db_table, [ChainEntry._meta.pk, *fields],
                [(n, *e) for n, e in zip(ids, entries, strict=True)])  # fmt: skip
        self.count += len(entries)


def _canonical_of(field):
    """chain._canonical for one field, shortened for the types the builder writes."""
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    if isinstance(target, models.DateTimeField):
        return lambda v: v.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(target, models.DateField):
        return dt.date.isoformat
    if isinstance(target, models.BooleanField):
        return bool
    if isinstance(target, models.FloatField):
        return float
    if isinstance(target, models.IntegerField | models.AutoField):
        return int
    if isinstance(target, models.CharField | models.TextField):
        return str
    return lambda v: chain._canonical(field, v)


def _reserve(model, count: int) -> list[int]:
    """`count` fresh primary keys of the model's table, taken as one block."""
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, %s), nextval(pg_get_serial_sequence("
                "%s, %s)) + %s - 1)",
                [table, column, table, column, count],
            )
            last = cursor.fetchone()[0]
            return list(range(last - count + 1, last + 1))
        # names from the model's meta, never from input
        cursor.execute(f'SELECT COALESCE(MAX("{column}"), 0) FROM "{table}"')  # noqa: S608
        first = cursor.fetchone()[0] + 1
        return list(range(first, first + count))


def _insert(table: str, fields, rows: list[tuple]) -> None:
    """Write rows of the fields' columns: COPY on PostgreSQL, executemany elsewhere."""
    columns = ", ".join(f'"{f.column}"' for f in fields)
    json_columns = [k for k, f in enumerate(fields) if isinstance(f, models.JSONField)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if json_columns:
                rows = [
                    tuple(json.dumps(v) if k in json_columns and v is not None else v
                          for k, v in enumerate(row))
                    for row in rows
                ]  # fmt: skip
            with cursor.cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
            return
        prepared = [
            [f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)]
            for row in rows
        ]
        marks = ", ".join(["%s"] * len(fields))
        insert = f'INSERT INTO "{table}" ({columns}) VALUES ({marks})'  # noqa: S608 (meta names)
        cursor.executemany(insert, prepared)


class _Writer:
    def __init__(self, rng, condition, cutoff, site_code, batch):
        self.rng, self.condition, self.cutoff, self.batch = rng, condition, cutoff, batch
        self.rows: dict[str, int] = {}
        self.tables: dict[type, _Table] = {}
        self.sealer = _Sealer()
        self.site = Site.objects.create(
            code=site_code,
            name=f"Benchmark clinic {site_code}",
            country="Portugal",
            time_zone="Europe/Lisbon",
            isbt_fin="X9992",
        )
        self.doctor, self.nurse, self.technician, self.manager = (
            User.objects.create_user(username=f"{site_code}-{role}", role=role, site=self.site)
            for role in (Role.DOCTOR, Role.NURSE, Role.LAB_TECHNICIAN, Role.MANAGER)
        )
        products = list(CellProduct.objects.filter(active=True).order_by("code")[:2])
        self.products = {"MSC-UC": products[0], "MSC-AD": products[-1]}
        self.routes = {"iv": Route.INTRAVENOUS, "it": Route.INTRATHECAL}
        self.terms = list(AdverseEventTerm.objects.filter(active=True).order_by("code")[:12])
        self.ruleset = starting_ruleset()
        self.icd10 = (condition.icd10.split("/")[0].strip() or "G35")[:10]

    def table(self, model) -> _Table:
        if model not in self.tables:
            self.tables[model] = _Table(model)
        return self.tables[model]

    def save(self, model, objects: list) -> list:
        """Write the objects (with their history, sealed); they come back with their keys.

        Creation times are written as given (an enquiry months before its treatment),
        not as the moment of the insert.
        """
        table = self.table(model)
        for obj, pk in zip(objects, table.write(table.rows_of(objects), self.sealer), strict=True):
            obj.pk = pk
            obj._state.adding = False
        self.count(model, len(objects))
        return objects

    def count(self, model, rows: int) -> None:
        self.rows[model._meta.label] = self.rows.get(model._meta.label, 0) + rows

    def moment(self, day: dt.date, time: dt.time = DOSE_HOUR) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=dt.UTC)

    def write(self, cohort) -> None:
        treated = self.treated = cohort.patients
        untreated = len(treated) // 4  # screened, found not eligible, never treated
        people = self.save(
            Patient,
            [self.patient(n, record) for n, record in enumerate(treated)]
            + [self.patient(len(treated) + n, None) for n in range(untreated)],
        )
        ids = {
            record.patient_id: person.pk for record, person in zip(treated, people, strict=False)
        }
        self.enquiries(people, extra=len(treated) // 2)
        screenings = self.screenings(treated, people)
        self.diagnoses(treated, ids)
        stays = self.treatments(treated, ids, screenings)
        self.measurements(cohort.readings, ids)
        self.check_ups(cohort.readings, treated, ids, stays)
        self.ends(treated, ids)
        if self.condition.code == "ms":
            self.ms_activity(treated, ids)

    def before(self, record, days: int) -> dt.date:
        """`days` before a treated patient's first dose; a day in the last 900 for others."""
        if record is None:
            return self.cutoff - dt.timedelta(days=self.rng.randint(1, 900))
        return record.first_administration - dt.timedelta(days=days)

    def patient(self, n: int, record) -> Patient:
        rng = self.rng
        born = (
            record.birth_date
            if record
            else dt.date(1960, 1, 1) + dt.timedelta(rng.randint(0, 12000))
        )
        return Patient(
            site=self.site,
            condition=self.condition,
            code=f"{self.site.code.upper()}-{n + 1:06d}",
            full_name=f"Synthetic Patient {n + 1}",
            date_of_birth=born,
            sex=record.sex if record and record.sex else rng.choice(("female", "male", "")),
            email=f"patient{n + 1}@{self.site.code}.example.org",
            phone="+351 21 000 0000",
            country="Portugal",
            language="Portuguese",
            weight_kg=round(rng.uniform(50, 100), 1),
            synthetic=True,
            created_at=self.moment(self.before(record, 50)),
        )

    def enquiries(self, people: list[Patient], *, extra: int) -> None:
        """A converted request per patient; others new, with an advisor or closed."""
        statuses = (ConsultationRequest.Status.NEW, ConsultationRequest.Status.CLAIMED)
        treated = self.treated
        requests = [
            self.request(
                n, ConsultationRequest.Status.CONVERTED, patient=person,
                on=self.before(treated[n] if n < len(treated) else None, 60),
            )
            for n, person in enumerate(people)
        ]  # fmt: skip
        for n in range(extra):
            if n % 3 == 2:
                status = self.rng.choice(statuses)
                requests.append(self.request(n, status, on=self.before(None, 0)))
            else:
                reason = CLOSE_REASONS[n // 3 % len(CLOSE_REASONS)]
                closed = ConsultationRequest.Status.CLOSED
                requests.append(self.request(n, closed, reason=reason, on=self.before(None, 0)))
        self.save(ConsultationRequest, requests)

    def request(self, n, status, *, on, patient=None, reason="") -> ConsultationRequest:
        return ConsultationRequest(
            site=self.site, full_name=f"Enquirer {n + 1}", email=f"enquirer{n + 1}@example.org",
            phone="+351 21 000 0001", country="Portugal", language="Portuguese",
            condition=self.condition, description="Synthetic enquiry for a benchmark.",
            consent_health_data=True, status=status, close_reason=reason, patient=patient,
            advisor=None if status == ConsultationRequest.Status.NEW else self.doctor,
            synthetic=True, created_at=self.moment(on, dt.time(8, 30)),
        )  # fmt: skip

    def screenings(self, treated, people) -> list[Screening]:
        """The final planning decision of each patient: eligible for the treated ones."""
        decisions = []
        for n, person in enumerate(people):
            if n < len(treated):
                decision = (
                    Screening.Decision.ELIGIBLE_WITH_CAUTIONS
                    if n % 7 == 0
                    else Screening.Decision.ELIGIBLE
                )
                results = []
            else:
                decision = Screening.Decision.NOT_ELIGIBLE
                label = EXCLUSIONS[n % len(EXCLUSIONS)]
                results = [{"kind": "exclusion", "outcome": "met", "label": label}]
            on = self.before(treated[n] if n < len(treated) else None, 30)
            decisions.append(
                Screening(
                    patient=person, doctor=self.doctor, ruleset=self.ruleset,
                    purpose=Screening.Purpose.PLANNING, decision=decision, treatment_date=on,
                    source="allogeneic", allowed_sources=["allogeneic"] if results == [] else [],
                    results=results, reasons="Synthetic screening for a benchmark.",
                    decided_at=self.moment(on), finalized_at=self.moment(on, dt.time(16, 0)),
                )
            )  # fmt: skip
        return self.save(Screening, decisions)[: len(treated)]

    def diagnoses(self, treated, ids) -> None:
        facts = [
            PatientFact(
                patient_id=ids[record.patient_id], kind=PatientFact.Kind.DIAGNOSIS,
                on=record.first_administration - dt.timedelta(days=self.rng.randint(200, 5000)),
                provenance="Referral letter (synthetic)", code=self.icd10,
                label=self.condition.name, recorded_by=self.doctor,
            )
            for record in treated
        ]  # fmt: skip
        self.save(PatientFact, facts)

    def treatments(self, treated, ids, screenings) -> dict[int, int]:
        """Plan, planned doses, lots, stay and administrations; returns each patient's stay."""
        plans = self.save(
            TreatmentPlan,
            [
                TreatmentPlan(
                    patient_id=ids[record.patient_id], screening=screening, weight_kg=70.0,
                    admission_date=record.first_administration - dt.timedelta(days=1),
                    discharge_date=record.first_administration + dt.timedelta(days=4),
                    created_by=self.doctor,
                )
                for record, screening in zip(treated, screenings, strict=True)
            ],
        )  # fmt: skip
        doses, lots = [], []
        for record, plan in zip(treated, plans, strict=True):
            product = self.products[record.product]
            for number in range(record.administrations):
                doses.append(
                    PlannedProduct(
                        plan=plan, product=product, route=self.routes[record.route],
                        dose_per_kg=1.0e6, day_of_stay=2 + number,
                    )
                )  # fmt: skip
                made = self.moment(record.first_administration) - dt.timedelta(days=3)
                lots.append(
                    ProductLot(
                        site=self.site, code=f"{self.site.code.upper()}-LOT-{len(lots) + 1:07d}",
                        din=make_din(self.site.isbt_fin, made.year, len(lots) + 1).value,
                        product=product, plan=plan, status="released",
                        made_by=self.technician, made_at=made,
                        expires_at=made + dt.timedelta(days=10), released_by=self.doctor,
                        released_at=made + dt.timedelta(days=1), viable_content=1.0e10,
                        volume_ml=20.0,
                    )
                )  # fmt: skip
        doses, lots = self.save(PlannedProduct, doses), self.save(ProductLot, lots)
        stays = self.save(
            Stay,
            [
                Stay(
                    site=self.site, patient_id=plan.patient_id, plan=plan, doctor=self.doctor,
                    weight_kg=70.0, admitted_by=self.nurse,
                    admitted_at=self.moment(record.first_administration) - dt.timedelta(days=1),
                    discharged_at=self.moment(record.first_administration) + dt.timedelta(days=4),
                    discharged_by=self.doctor,
                )
                for record, plan in zip(treated, plans, strict=True)
            ],
        )  # fmt: skip
        given, events, k = [], [], 0
        for record, stay in zip(treated, stays, strict=True):
            for number in range(record.administrations):
                dose, lot = doses[k], lots[k]
                k += 1
                given.append(
                    Administration(
                        stay=stay, lot=lot, planned_product=dose, route=dose.route,
                        dose_per_kg=dose.dose_per_kg, nurse=self.nurse,
                        given_at=self.moment(record.first_administration)
                        + dt.timedelta(days=number),
                        temperature_c=36.8, heart_rate=70, systolic_bp=120, diastolic_bp=80,
                        spo2=98,
                    )
                )  # fmt: skip
                if self.rng.random() < 0.12:
                    events.append(self.adverse_event(stay, lot, record.first_administration))
        self.save(Administration, given)
        self.save(AdverseEvent, events)
        return {plan.patient_id: stay.pk for plan, stay in zip(plans, stays, strict=True)}

    def adverse_event(self, stay, lot, first: dt.date) -> AdverseEvent:
        rng = self.rng
        term = rng.choice(self.terms)
        grade = rng.choices((1, 2, 3, 4), weights=(60, 30, 8, 2))[0]
        onset = self.moment(first) + dt.timedelta(hours=rng.randint(1, 96))
        return AdverseEvent(
            stay=stay, term=term, lot=lot, onset_at=onset,
            term_detail="Synthetic event" if term.code == AdverseEventTerm.OTHER else "",
            resolved_at=onset + dt.timedelta(days=2), ctcae_grade=grade, serious=grade >= 3,
            relatedness=rng.choice(AdverseEvent.Relatedness.values),
            outcome=AdverseEvent.Outcome.RECOVERED, reported_by=self.nurse,
        )  # fmt: skip

    def measurements(self, readings, ids) -> None:
        """The cohort's readings, written in batches from its columns (millions at 100k)."""
        table = self.table(Measurement)
        values = {
            **table.defaults(), "id": None, "timepoint": "follow_up", "details": {},
            "recorded_by_id": self.doctor.pk,
        }  # fmt: skip
        order = table.attnames
        columns = (readings.patient_id, readings.instrument, readings.day, readings.value)
        patient, instrument, day, value = (c.tolist() for c in columns)
        category = readings.category.tolist()
        whole = readings.whole.tolist()
        days = {}
        for start in range(0, len(readings), self.batch):
            rows = []
            for k in range(start, min(start + self.batch, len(readings))):
                on = day[k]
                if on not in days:
                    days[on] = dt.date.fromordinal(on)
                values.update(
                    patient_id=ids[patient[k]], instrument=readings.instruments[instrument[k]],
                    value=int(value[k]) if whole[k] else value[k], category=category[k] or "",
                    measured_on=days[on],
                )  # fmt: skip
                rows.append(tuple(values[name] for name in order))
            table.write(rows, self.sealer)
        self.count(Measurement, len(readings))

    def check_ups(self, readings, treated, ids, stays) -> None:
        """A completed check-up on each day a treated patient was measured after treatment."""
        first = {record.patient_id: record.first_administration for record in treated}
        days = sorted(
            {
                (r.patient_id, r.measured_on)
                for r in readings
                if first[r.patient_id] < r.measured_on <= self.cutoff
            }
        )
        items = [
            FollowUpItem(
                patient_id=ids[patient], stay_id=stays[ids[patient]],
                kind=FollowUpItem.Kind.CHECKUP, title="Check-up", due_date=on,
                completed_at=self.moment(on, dt.time(11, 0)), completed_by=self.doctor,
            )
            for patient, on in days
        ]  # fmt: skip
        self.save(FollowUpItem, items)

    def ms_activity(self, treated, ids) -> None:
        """Relapses and MRI scans of MS patients (NEDA-3 reads them), from their own seed so
        the readings stay the cohort's: about one relapse per three patients, an MRI scan at
        baseline and yearly for most, some of them active."""
        rng = random.Random(f"ms-activity-{len(treated)}")
        relapses, scans = [], []
        for record in treated:
            patient, first = ids[record.patient_id], record.first_administration
            onsets = {first + dt.timedelta(days=rng.randint(-300, 700)) for _ in range(3)}
            for onset in sorted(onsets)[: rng.choice((0, 0, 0, 1, 1, 2))]:
                if onset <= self.cutoff:
                    relapses.append(
                        Relapse(patient_id=patient, onset=onset, confirmed=True,
                                recorded_by=self.doctor, recorded_at=self.moment(onset))
                    )  # fmt: skip
            if rng.random() < 0.15:
                continue  # no MRI on record
            for year in range(0, 3):
                on = first + dt.timedelta(days=365 * year - 20 + rng.randint(0, 40))
                if on > self.cutoff:
                    break
                active = year > 0 and rng.random() < 0.2
                scans.append(
                    MriScan(patient_id=patient, scanned_on=on,
                            new_t2_lesions=rng.randint(1, 3) if active else 0,
                            gd_lesions=rng.choice((None, 0)) if not active else rng.randint(0, 2),
                            recorded_by=self.doctor, recorded_at=self.moment(on))
                )  # fmt: skip
        self.save(Relapse, relapses)
        self.save(MriScan, scans)

    def ends(self, treated, ids) -> None:
        ends = [
            FollowUpEnd(
                patient_id=ids[record.patient_id], on=record.end.on, reason=record.end.reason,
                detail=record.end.detail or "", recorded_by=self.doctor,
            )
            for record in treated
            if record.end is not None
        ]  # fmt: skip
        self.save(FollowUpEnd, ends)
