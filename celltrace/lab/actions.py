"""Writing lots: harvest or donor tissue, process steps, QC results, release and allocation.

Every write checks the rules first and refuses with a reason, leaving the database as it was.
"""

from __future__ import annotations

import datetime as dt
import math

from django.db import transaction
from django.utils import timezone

from celltrace.accounts import site_time
from celltrace.accounts.access import check_actor
from celltrace.audit import save_by
from celltrace.catalog.models import Source
from celltrace.clinical import isbt128, qc
from celltrace.lab import access
from celltrace.lab.chain import chain_for, locked_site_with_fin
from celltrace.lab.models import ProcessStep, ProductLot, QCResult
from celltrace.plans.standing import require_in_force
from celltrace.refusal import Refused
from celltrace.screening.verdicts import harvest_verdict

LATER_STEPS = [
    ProcessStep.Step.SEPARATION,
    ProcessStep.Step.CULTIVATION,
    ProcessStep.Step.ACTIVATION,
    ProcessStep.Step.FORMULATION,
    ProcessStep.Step.CRYOSTORAGE,
]


def release_blockers(lot: ProductLot, reviewer=None) -> list[str]:
    """Return every reason the lot may not be released (by this reviewer, if given).

    Reads the lot's specs, results and steps through `.all()`, so a list that prefetched them
    (the worklists) asks the database nothing more per lot.
    """
    specs = [s.to_domain() for s in lot.product.qc_specs.all()]
    recorded = list(lot.qc_results.all())
    results = [qc.Result(r.specification.test, r.passed, r.tested_at) for r in recorded]
    cancelled = [_order_cancelled(lot)] if lot.order_cancelled else []
    if lot.divided_at is not None:
        cancelled.append("It was split into divisions: release its parts.")
    return cancelled + qc.release_blockers(
        specs,
        results,
        made_by_id=lot.made_by_id,
        reviewer_id=reviewer.pk if reviewer else None,
        status=lot.status,
        # Whoever made, processed or tested the lot may not be the one who releases it.
        worked_by_ids={
            *(step.performed_by_id for step in lot.steps.all()),
            *(result.tested_by_id for result in recorded),
        },
        expired=lot.expires_at <= timezone.now(),
    )


def _not_in_future(moment: dt.datetime, field: str) -> None:
    if moment > timezone.now():
        raise Refused(
            "A time in the future cannot be recorded.",
            code="in_future",
            field_errors={field: "In the future."},
        )


def _order_cancelled(lot: ProductLot) -> str:
    plan = lot.plan
    why = "cancelled" if plan.status == plan.Status.CANCELLED else "amended without this product"
    return f"The order was cancelled: plan #{plan.label} was {why}."


def _require_order_open(lot: ProductLot) -> None:
    """Refuse more work on a lot whose plan no longer wants it; rejecting it stays possible."""
    if lot.order_cancelled:
        raise Refused(
            f"Lot {lot.code}: {_order_cancelled(lot)} Reject the lot or keep it aside.",
            code="order_cancelled",
            params={"lot": lot.code, "plan": lot.plan.label},
        )


def _require_in_process(lot: ProductLot) -> None:
    if lot.divided_at is not None:
        raise Refused(
            f"Lot {lot.code} was split into divisions: record the work on its parts.",
            code="divided_lot",
            params={"lot": lot.code},
        )
    if lot.status != ProductLot.Status.IN_PROCESS:
        status = lot.get_status_display().lower()
        raise Refused(
            f"Lot {lot.code} is {status}, not in process.",
            code="lot_not_in_process",
            params={"lot": lot.code, "status": status},
        )


def _next_number(field: str, prefix: str) -> int:
    """Return one more than the highest number after `prefix` in the lots' `field`."""
    last = (
        ProductLot.objects.filter(**{f"{field}__startswith": prefix})
        .order_by(f"-{field}")
        .values_list(field, flat=True)
        .first()
    )
    return int(last.removeprefix(prefix)) + 1 if last else 1


def _next_lot_code(made_at: dt.datetime) -> str:
    prefix = f"L-{timezone.localtime(made_at):%Y%m%d}-"
    return f"{prefix}{_next_number('code', prefix):03d}"


def _next_din(site, made_at: dt.datetime) -> str:
    """Allocate the next Donation Identification Number of the site's FIN for the year.

    The site's row is locked first, so two lots made at once never get the same number.
    """
    site = locked_site_with_fin(site.pk, "the lab labels any lot")
    year = site_time.local_date(made_at, site).year
    sequence = _next_number("din", f"{site.isbt_fin}{year % 100:02d}")
    try:
        return isbt128.make_din(site.isbt_fin, year, sequence).value
    except isbt128.InvalidIdentifier:
        raise Refused(
            f"The FIN {site.isbt_fin} has used every DIN of {year}.", code="din_exhausted"
        ) from None


def _make_lot(*, site, technician, product, made_at, first_step, **fields) -> ProductLot:
    lot = save_by(
        ProductLot(
            site=site,
            code=_next_lot_code(made_at),
            din=_next_din(site, made_at),
            product=product,
            made_by=technician,
            made_at=made_at,
            expires_at=made_at + dt.timedelta(days=product.shelf_life_days),
            **fields,
        ),
        technician,
    )
    save_by(
        ProcessStep(lot=lot, step=first_step, performed_by=technician, performed_at=made_at),
        technician,
    )
    return lot


@transaction.atomic
def start_autologous_lot(plan, technician, *, product, harvested_at) -> ProductLot:
    """Register the harvest of the plan's patient's own cells as a new lot."""
    check_actor(technician, access.LOT_MAKERS, "start a lot", site_id=plan.patient.site_id)
    require_in_force(plan, "start a lot")
    if product.source != Source.AUTOLOGOUS:
        raise Refused(
            f"{product} is a donor product; start a donor lot for it.",
            code="not_autologous",
            params={"product": product},
            field_errors={"product": "Not an autologous product."},
        )
    if not plan.products.filter(product=product).exists():
        raise Refused(
            f"{product} is not in this plan.",
            code="product_not_in_plan",
            params={"product": product},
            field_errors={"product": "Not in the plan."},
        )
    # A harvest is an invasive procedure: it needs the same final, source-allowing decision
    # as the plan, checked again now (a newer screening may have excluded the patient).
    verdict = harvest_verdict(plan.patient)
    if not verdict:
        raise Refused(
            f"No harvest: {verdict.reason}", code=verdict.code, params=dict(verdict.params)
        )
    _not_in_future(harvested_at, "harvested_at")
    return _make_lot(
        site=plan.patient.site,
        technician=technician,
        product=product,
        made_at=harvested_at,
        first_step=ProcessStep.Step.HARVEST,
        plan=plan,
        # The first collection of the event allocates its Chain of Identity (ST-028).
        chain=chain_for(plan, technician),
        source_patient=plan.patient,
    )


@transaction.atomic
def create_donor_lot(site, technician, *, product, donor_code, made_at) -> ProductLot:
    """Register a lot made ahead from donor tissue, not yet allocated to a plan."""
    if site is None:
        raise Refused("A lot is made at a site; your account has none.", code="no_site")
    check_actor(technician, access.LOT_MAKERS, "make a lot", site_id=site.pk)
    if product.source != Source.ALLOGENEIC:
        raise Refused(
            f"{product} is made from the patient's own cells; start it from the patient's plan.",
            code="not_allogeneic",
            params={"product": product},
            field_errors={"product": "Not a donor product."},
        )
    if not product.active:
        raise Refused(
            f"{product} is no longer in the catalog.",
            code="inactive_product",
            params={"product": product},
            field_errors={"product": "Inactive."},
        )
    donor_code = (donor_code or "").strip()
    if not donor_code:
        raise Refused(
            "A donor lot needs the donor's code.",
            code="invalid",
            field_errors={"donor_code": "Required."},
        )
    _not_in_future(made_at, "made_at")
    return _make_lot(
        site=site,
        technician=technician,
        product=product,
        made_at=made_at,
        first_step=ProcessStep.Step.DONOR_TISSUE,
        donor_code=donor_code,
    )


def _formulation_problems(step, viable_content, volume_ml) -> dict[str, str]:
    """Formulation fills the final bag or syringe: what it holds is recorded then, only then."""
    if step != ProcessStep.Step.FORMULATION:
        if viable_content is not None or volume_ml is not None:
            return {"viable_content": "The content and volume are recorded at formulation."}
        return {}
    errors = {}
    for field, value in (("viable_content", viable_content), ("volume_ml", volume_ml)):
        if not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
            errors[field] = "Required at formulation: a number above 0."
    return errors


@transaction.atomic
def record_process_step(
    lot, technician, *, step, performed_at, notes="", viable_content=None, volume_ml=None
) -> ProcessStep:
    """Add one step to the lot's chain of identity; formulation records what the lot holds.

    `viable_content` is in the product's dose unit (viable cells, particles or µg protein):
    the bedside gate refuses a lot holding less than the dose for the patient's weight.
    """
    check_actor(technician, access.LOT_MAKERS, "record a process step", site_id=lot.site_id)
    _require_in_process(lot)
    _require_order_open(lot)
    if errors := _formulation_problems(step, viable_content, volume_ml):
        raise Refused(
            "Formulation records the lot's viable content and volume.",
            code="invalid",
            field_errors=errors,
        )
    if step not in LATER_STEPS:
        raise Refused(
            f"{step!r} is not a processing step.",
            code="invalid",
            field_errors={
                "step": "Choose separation, cultivation, activation, formulation or cryostorage."
            },
        )
    _not_in_future(performed_at, "performed_at")
    if performed_at < lot.made_at:
        raise Refused(
            "A step cannot come before the lot was made.",
            code="before_lot_made",
            field_errors={"performed_at": "Before the lot was made."},
        )
    if step == ProcessStep.Step.FORMULATION:
        lot.viable_content, lot.volume_ml = float(viable_content), float(volume_ml)
        save_by(lot, technician)
    return save_by(
        ProcessStep(
            lot=lot, step=step, performed_by=technician, performed_at=performed_at, notes=notes
        ),
        technician,
    )


@transaction.atomic
def record_qc_result(lot, technician, *, test, value=None, passed=None, tested_at) -> QCResult:
    """Record a QC result; a numeric test's verdict is computed from its specification."""
    check_actor(technician, access.LOT_MAKERS, "record a QC result", site_id=lot.site_id)
    _require_in_process(lot)
    _require_order_open(lot)
    spec = lot.product.qc_specs.filter(test=test).first()
    if spec is None:
        raise Refused(
            f"{lot.product} has no QC specification for {test!r}.",
            code="unknown_test",
            params={"product": lot.product, "test": test},
            field_errors={"test": "Not a test of this product."},
        )
    try:
        verdict = qc.assess(spec.to_domain(), value=value, passed=passed)
    except ValueError as error:
        field = "passed" if spec.is_pass_fail else "value"
        raise Refused(str(error), code="invalid", field_errors={field: str(error)}) from None
    _not_in_future(tested_at, "tested_at")
    if tested_at < lot.made_at:
        raise Refused(
            "A test cannot come before the lot was made.",
            code="before_lot_made",
            field_errors={"tested_at": "Before the lot was made."},
        )
    return save_by(
        QCResult(
            lot=lot,
            specification=spec,
            value=value,
            passed=verdict,
            tested_by=technician,
            tested_at=tested_at,
        ),
        technician,
    )


def _locked(lot) -> ProductLot:
    return ProductLot.objects.select_for_update().select_related("product").get(pk=lot.pk)


@transaction.atomic
def release_lot(lot, reviewer) -> ProductLot:
    """Release a lot for patients once a second person sees every QC test passed."""
    check_actor(reviewer, access.LOT_REVIEWERS, "release a lot", site_id=lot.site_id)
    lot = _locked(lot)
    blockers = release_blockers(lot, reviewer)
    if blockers:
        raise Refused(
            f"Lot {lot.code} cannot be released: " + " ".join(blockers),
            code="release_blocked",
            params={"lot": lot.code, "blockers": " ".join(blockers)},
        )
    lot.status = ProductLot.Status.RELEASED
    lot.released_by = reviewer
    lot.released_at = timezone.now()
    return save_by(lot, reviewer)


@transaction.atomic
def reject_lot(lot, reviewer, *, reason) -> ProductLot:
    """Reject a lot so that no patient ever receives it."""
    check_actor(reviewer, access.LOT_REVIEWERS, "reject a lot", site_id=lot.site_id)
    lot = _locked(lot)
    reason = (reason or "").strip()
    if not reason:
        raise Refused(
            "Say why the lot is rejected.", code="invalid", field_errors={"reason": "Required."}
        )
    if lot.status == ProductLot.Status.REJECTED:
        raise Refused(
            f"Lot {lot.code} is already rejected.",
            code="already_rejected",
            params={"lot": lot.code},
        )
    if lot.administrations.exists():
        raise Refused(
            f"Lot {lot.code} has already been given to a patient.",
            code="already_given",
            params={"lot": lot.code},
        )
    lot.status = ProductLot.Status.REJECTED
    lot.rejection_reason = reason
    return save_by(lot, reviewer)


@transaction.atomic
def allocate_lot(lot, plan, user) -> ProductLot:
    """Set a released donor lot aside for one plan."""
    check_actor(user, access.LOT_MAKERS, "allocate a lot", site_id=lot.site_id)
    lot = _locked(lot)
    problems = []
    if lot.status != ProductLot.Status.RELEASED:
        problems.append(
            f"only released lots are allocated; this one is {lot.get_status_display().lower()}."
        )
    if lot.product.source != Source.ALLOGENEIC:
        problems.append("only donor lots are allocated; autologous lots belong to their patient.")
    if lot.plan_id is not None and not lot.order_cancelled:
        problems.append("it is already allocated to a plan.")
    if lot.divided_at is not None:
        problems.append("it was split into divisions: allocate its parts.")
    if not plan.in_force:
        problems.append(f"plan #{plan.label} is {plan.get_status_display().lower()}.")
    if not plan.products.filter(product=lot.product).exists():
        problems.append(f"{lot.product} is not in the plan.")
    if lot.site_id != plan.patient.site_id:
        problems.append("the lot is at another site than the patient.")
    if lot.expires_at <= timezone.now():
        problems.append("the lot has expired.")
    if problems:
        raise Refused(
            f"Lot {lot.code} cannot be allocated: " + " ".join(problems),
            code="allocation_refused",
            params={"lot": lot.code, "problems": " ".join(problems)},
        )
    lot.plan = plan
    lot.chain = chain_for(plan, user)
    return save_by(lot, user)


def _parts_problems(lot: ProductLot, parts) -> str:
    """What is wrong with the parts a lot is to be split into ("" when nothing is)."""
    if not isinstance(parts, list | tuple) or not 2 <= len(parts) <= 26:
        return "A lot is split into 2 to 26 parts."
    for number, part in enumerate(parts, start=1):
        fields = ("viable_content", "volume_ml")
        values = [part.get(field) for field in fields] if isinstance(part, dict) else []
        if not values or not all(_positive(value) for value in values):
            return f"Part {number}: its viable content and volume are numbers above 0."
    # A part cannot hold more than its lot: the sum of the parts is at most the whole.
    if math.fsum(p["viable_content"] for p in parts) > lot.viable_content * (1 + 1e-9):
        return f"The parts hold more viable content than the lot ({lot.content_label})."
    if math.fsum(p["volume_ml"] for p in parts) > lot.volume_ml * (1 + 1e-9):
        return f"The parts' volume adds up to more than the lot's ({lot.volume_ml} mL)."
    return ""


def _positive(value) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    )


def _require_divisible(lot: ProductLot) -> None:
    if lot.divided_from_id is not None or not lot.din:
        why = "is a part of a divided lot" if lot.din else "has no DIN"
        raise Refused(
            f"Lot {lot.code} {why}: it is not split again.",
            code="not_divisible",
            params={"lot": lot.code},
        )
    if lot.viable_content is None or lot.volume_ml is None:
        raise Refused(
            f"Lot {lot.code} is split after formulation, once its content and volume are recorded.",
            code="not_formulated",
            params={"lot": lot.code},
        )


def _division_step(lot, technician, when, notes) -> ProcessStep:
    step = ProcessStep(
        lot=lot,
        step=ProcessStep.Step.DIVISION,
        performed_by=technician,
        performed_at=when,
        notes=notes,
    )
    return save_by(step, technician)


def _make_part(lot, technician, *, division, part, count, when) -> ProductLot:
    """A part of the lot: the same DIN, product, plan, chain, expiry, steps and QC results."""
    child = ProductLot.objects.get(pk=lot.pk)
    child.pk, child._state.adding = None, True
    child.code, child.division, child.divided_from = f"{lot.code}-{division}", division, lot
    child.viable_content, child.volume_ml = float(part["viable_content"]), float(part["volume_ml"])
    save_by(child, technician)
    # The part's history is its lot's: copy every step and result, whatever fields they have.
    for record in [*lot.steps.all(), *lot.qc_results.all()]:
        record.pk, record._state.adding, record.lot = None, True, child
        save_by(record, technician)
    _division_step(child, technician, when, f"Part {division} of {count}, from lot {lot.code}.")
    return child


@transaction.atomic
def divide_lot(lot, technician, *, parts) -> list[ProductLot]:
    """Split a formulated lot into parts (ISBT 128 divisions A0, B0, ...) of the same DIN.

    `parts` is a list of {"viable_content", "volume_ml"}. Each part is a lot of its own, with
    the lot's product, plan, Chain of Identity, expiry, steps and QC results; the lot itself
    is marked divided, and from then on only its parts are released, allocated or given.
    """
    check_actor(technician, access.LOT_MAKERS, "divide a lot", site_id=lot.site_id)
    lot = _locked(lot)
    _require_in_process(lot)
    _require_order_open(lot)
    _require_divisible(lot)
    if problem := _parts_problems(lot, parts):
        raise Refused(problem, code="invalid", field_errors={"parts": problem})
    now = timezone.now()
    made = [
        _make_part(lot, technician, division=division, part=part, count=len(parts), when=now)
        for division, part in zip(isbt128.divisions(len(parts)), parts, strict=True)
    ]
    lot.divided_at = now
    save_by(lot, technician)
    codes = ", ".join(part.code for part in made)
    _division_step(lot, technician, now, f"Split into {len(parts)} parts: {codes}.")
    return made
