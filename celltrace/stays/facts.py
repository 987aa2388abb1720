"""Turn stays, lots and plans into the bedside gate's facts (celltrace.clinical.administration)."""

from django.db.models import Exists, OuterRef, Q

from celltrace.accounts import site_time
from celltrace.catalog.models import DoseLimit, Source
from celltrace.clinical.administration import HeldBy, LotFacts, PatientFacts, PlannedDose
from celltrace.clinical.dosing import DayDose, day_of_stay
from celltrace.cryostore.store import storage_state
from celltrace.lab.chain import chain_of
from celltrace.lab.donors import lot_donor_blockers
from celltrace.lab.models import LotRecall, ProductLot
from celltrace.lab.scanning import lot_from_scan
from celltrace.patients.models import Patient
from celltrace.screening.evaluation import day_one_check
from celltrace.screening.verdicts import treatment_verdict
from celltrace.stays.models import Administration, DoseDayChange, LotHold, Stay


def find_patient(code: str, site_id) -> Patient | None:
    """The patient the wristband names, if of the nurse's site or on its ward.

    Another site's patient is as unknown as nobody: the answer never tells a nurse that a
    code exists elsewhere.
    """
    code = code.strip()
    if not code:
        return None
    here = Q(site_id=site_id) | Q(stays__site_id=site_id, stays__discharged_at__isnull=True)
    return Patient.objects.filter(here, code__iexact=code).distinct().first()


def find_lot(code: str, site_id) -> ProductLot | None:
    """The lot the scan names among the nurse's site's lots (another site's: as unknown)."""
    lots = ProductLot.objects.filter(site_id=site_id)
    lots = lots.select_for_update(of=("self",)).select_related("product", "chain")
    return lot_from_scan(lots, code)


def open_stay_at(patient: Patient | None, site_id) -> Stay | None:
    """Return the patient's open stay at the site, locked until the transaction ends.

    The lock makes two administrations for the same stay wait for each other, so two lots
    cannot both pass the "not given yet" check for the same planned dose.
    """
    if patient is None:
        return None
    stays = Stay.objects.select_for_update(of=("self",)).select_related("plan", "patient", "site")
    return stays.filter(patient=patient, discharged_at__isnull=True, site_id=site_id).first()


def patient_facts(patient: Patient | None, stay: Stay | None) -> PatientFacts | None:
    if patient is None:
        return None
    if stay is None:
        return PatientFacts(
            patient_id=patient.pk, code=patient.code, open_stay_plan_id=None, admitted_at=None
        )
    day_one = day_one_check(stay)
    return PatientFacts(
        patient_id=patient.pk,
        code=patient.code,
        open_stay_plan_id=stay.plan_id,
        admitted_at=stay.admitted_at,
        day_one_refusal=day_one.problem,
        cleared_at=day_one.cleared_at,
        screening_refusal=treatment_verdict(stay.plan).reason,
        first_day=stay.plan.admission_date,
        weight_kg=stay.dosing_weight_kg,
        plan_chain=chain_identifier(stay.plan),
    )


def lot_facts(lot: ProductLot | None) -> LotFacts | None:
    if lot is None:
        return None
    stored_at, frozen = storage_state(lot)
    return LotFacts(
        code=lot.code,
        status=lot.status,
        status_label=lot.get_status_display(),
        expires_at=lot.expires_at,
        plan_id=lot.plan_id,
        product_code=lot.product.code,
        product_name=lot.product.name,
        autologous=lot.product.source == Source.AUTOLOGOUS,
        source_patient_id=lot.source_patient_id,
        released_at=lot.released_at,
        already_administered=Administration.objects.filter(lot=lot).exists(),
        held_by=held_by(lot),
        content=lot.viable_content,
        unit=lot.product.dose_unit,
        recall_reason=_recall_reason(lot),
        donor_refusal=" ".join(lot_donor_blockers(lot)),
        sterility_pending=lot.sterility_pending,
        exceptional_release=lot.exceptional,
        blocked_reason=lot.blocked_reason if lot.blocked_at else "",
        stored_at=stored_at,
        awaiting_thaw=frozen,
        thawed_at=lot.thawed_at,
        chain=lot.chain.identifier if lot.chain_id else "",
        divided=lot.divided_at is not None,
    )


def chain_identifier(plan) -> str:
    """The Chain of Identity identifier of the plan's event, "" when it has none."""
    chain = chain_of(plan)
    return chain.identifier if chain else ""


def chain_with_check(plan) -> str:
    """The plan's event's Chain of Identity as printed, with K; "" when it has none."""
    chain = chain_of(plan)
    return chain.with_check if chain else ""


def _recall_reason(lot: ProductLot) -> str:
    if lot.status != ProductLot.Status.RECALLED:
        return ""
    recall = LotRecall.objects.filter(lot=lot).first()
    return recall.reason.rstrip(".") if recall else "no reason on record"


def same_source(path: str, *, product, donor_code, source_patient) -> Q:
    """Lots (at `path`, "" for ProductLot itself) of the same product from the same donor or
    the same harvest: they share whatever may have caused a serious event, so one hold stops
    them all. The values may be OuterRefs, to ask it the other way round."""
    p = f"{path}__" if path else ""
    donor = Q(**{f"{p}donor_code": donor_code}) & ~Q(**{f"{p}donor_code": ""})
    harvest = Q(**{f"{p}source_patient": source_patient, f"{p}source_patient__isnull": False})
    return Q(**{f"{p}product": product}) & (donor | harvest)


def held_by(lot: ProductLot) -> tuple[HeldBy, ...]:
    """The open holds that stop this lot: on itself, or on a lot of the same source, each with
    the site of the event, whose doctors review and clear it."""
    source = same_source(
        "lot",
        product=lot.product_id,
        donor_code=lot.donor_code,
        source_patient=lot.source_patient_id,
    )
    holds = LotHold.objects.filter(Q(lot=lot) | source, cleared_at__isnull=True)
    rows = set(holds.values_list("lot__code", "event__stay__site__name"))
    return tuple(HeldBy(code, site) for code, site in sorted(rows))


def planned_doses(stay: Stay | None) -> list[PlannedDose]:
    if stay is None:
        return []
    given = Administration.objects.filter(planned_product=OuterRef("pk"))
    rows = stay.plan.products.select_related("product").annotate(given=Exists(given))
    limits = {
        (limit.product_id, limit.route): limit.to_domain()
        for limit in DoseLimit.objects.select_related("product").filter(
            product__in=[row.product_id for row in rows]
        )
    }
    changes = latest_day_changes(stay.plan)
    return [
        PlannedDose(
            planned_product_id=row.pk,
            product_code=row.product.code,
            route=row.route,
            dose_per_kg=row.dose_per_kg,
            limit=limits.get((row.product_id, row.route)),
            already_given=row.given,
            day_of_stay=row.day_of_stay,
            allowed_day=changes[row.pk].day_of_stay if row.pk in changes else None,
            allowed_reason=changes[row.pk].reason if row.pk in changes else "",
            unit=row.product.dose_unit,
            planned_time=row.planned_time,
        )
        for row in rows
    ]


def latest_day_changes(plan) -> dict[int, DoseDayChange]:
    """Return the latest day change of each planned dose of the plan: the one in force."""
    changes = DoseDayChange.objects.filter(planned_product__plan=plan).select_related("doctor")
    return {change.planned_product_id: change for change in changes.order_by("decided_at", "pk")}


def day_in_force(planned) -> int:
    """Return the day of the stay a planned dose is due on: the latest doctor's change, if any.

    Reads `planned.day_changes`, prefetched in decision order where many doses are read.
    """
    changes = list(planned.day_changes.all())
    return changes[-1].day_of_stay if changes else planned.day_of_stay


def given_doses(stay: Stay | None) -> list[DayDose]:
    """Return what the stay's patient has received, by product, route and day of the stay."""
    if stay is None:
        return []
    given = Administration.objects.filter(stay=stay).select_related("planned_product__product")
    return [
        DayDose(
            a.planned_product.product.code,
            a.route,
            day_of_stay(stay.plan.admission_date, site_time.local_date(a.given_at, stay.site)),
            a.dose_per_kg,
        )
        for a in given
    ]
