"""Writing lots: harvest or donor tissue, process steps, QC results, release and allocation.

Every write checks the rules first and refuses with a reason, leaving the database as it was.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from celltrace.accounts.models import Role
from celltrace.audit import save_by
from celltrace.catalog.models import QCSpecification, Source
from celltrace.clinical import qc
from celltrace.lab.models import ProcessStep, ProductLot, QCResult
from celltrace.refusal import Refused
from celltrace.screening.verdicts import harvest_verdict

LATER_STEPS = [
    ProcessStep.Step.SEPARATION,
    ProcessStep.Step.CULTIVATION,
    ProcessStep.Step.ACTIVATION,
    ProcessStep.Step.FORMULATION,
    ProcessStep.Step.CRYOSTORAGE,
]


def spec_to_domain(spec: QCSpecification) -> qc.Spec:
    return qc.Spec(spec.test, spec.get_test_display(), spec.minimum, spec.maximum, spec.unit)


def release_blockers(lot: ProductLot, reviewer=None) -> list[str]:
    """Return every reason the lot may not be released (by this reviewer, if given)."""
    specs = [spec_to_domain(s) for s in lot.product.qc_specs.all()]
    results = [
        qc.Result(r.specification.test, r.passed, r.tested_at)
        for r in lot.qc_results.select_related("specification")
    ]
    return qc.release_blockers(
        specs,
        results,
        made_by_id=lot.made_by_id,
        reviewer_id=reviewer.pk if reviewer else None,
        status=lot.status,
        # Whoever made, processed or tested the lot may not be the one who releases it.
        worked_by_ids={
            *lot.steps.values_list("performed_by_id", flat=True),
            *lot.qc_results.values_list("tested_by_id", flat=True),
        },
        expired=lot.expires_at <= timezone.now(),
    )


def _require_role(user, role: str, what: str) -> None:
    if user.role != role:
        raise Refused(f"Only a {Role(role).label.lower()} may {what}.")


def _not_in_future(moment: dt.datetime, field: str) -> None:
    if moment > timezone.now():
        raise Refused(
            "A time in the future cannot be recorded.", field_errors={field: "In the future."}
        )


def _require_in_process(lot: ProductLot) -> None:
    if lot.status != ProductLot.Status.IN_PROCESS:
        raise Refused(f"Lot {lot.code} is {lot.get_status_display().lower()}, not in process.")


def _next_lot_code(made_at: dt.datetime) -> str:
    prefix = f"L-{timezone.localtime(made_at):%Y%m%d}-"
    last = (
        ProductLot.objects.filter(code__startswith=prefix)
        .order_by("-code")
        .values_list("code", flat=True)
        .first()
    )
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:03d}"


def _make_lot(*, site, technician, product, made_at, first_step, **fields) -> ProductLot:
    lot = save_by(
        ProductLot(
            site=site,
            code=_next_lot_code(made_at),
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
    _require_role(technician, Role.LAB_TECHNICIAN, "start a lot")
    if product.source != Source.AUTOLOGOUS:
        raise Refused(
            f"{product} is a donor product; start a donor lot for it.",
            field_errors={"product": "Not an autologous product."},
        )
    if not plan.products.filter(product=product).exists():
        raise Refused(
            f"{product} is not in this plan.", field_errors={"product": "Not in the plan."}
        )
    # A harvest is an invasive procedure: it needs the same final, source-allowing decision
    # as the plan, checked again now (a newer screening may have excluded the patient).
    verdict = harvest_verdict(plan.patient)
    if not verdict:
        raise Refused(f"No harvest: {verdict.reason}")
    _not_in_future(harvested_at, "harvested_at")
    return _make_lot(
        site=plan.patient.site,
        technician=technician,
        product=product,
        made_at=harvested_at,
        first_step=ProcessStep.Step.HARVEST,
        plan=plan,
        source_patient=plan.patient,
    )


@transaction.atomic
def create_donor_lot(site, technician, *, product, donor_code, made_at) -> ProductLot:
    """Register a lot made ahead from donor tissue, not yet allocated to a plan."""
    _require_role(technician, Role.LAB_TECHNICIAN, "make a lot")
    if site is None:
        raise Refused("A lot is made at a site; your account has none.")
    if product.source != Source.ALLOGENEIC:
        raise Refused(
            f"{product} is made from the patient's own cells; start it from the patient's plan.",
            field_errors={"product": "Not a donor product."},
        )
    if not product.active:
        raise Refused(
            f"{product} is no longer in the catalog.", field_errors={"product": "Inactive."}
        )
    donor_code = (donor_code or "").strip()
    if not donor_code:
        raise Refused(
            "A donor lot needs the donor's code.", field_errors={"donor_code": "Required."}
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


@transaction.atomic
def record_process_step(lot, technician, *, step, performed_at, notes="") -> ProcessStep:
    """Add one step to the lot's chain of identity."""
    _require_role(technician, Role.LAB_TECHNICIAN, "record a process step")
    _require_in_process(lot)
    if step not in LATER_STEPS:
        raise Refused(
            f"{step!r} is not a processing step.",
            field_errors={
                "step": "Choose separation, cultivation, activation, formulation or cryostorage."
            },
        )
    _not_in_future(performed_at, "performed_at")
    if performed_at < lot.made_at:
        raise Refused(
            "A step cannot come before the lot was made.",
            field_errors={"performed_at": "Before the lot was made."},
        )
    return save_by(
        ProcessStep(
            lot=lot, step=step, performed_by=technician, performed_at=performed_at, notes=notes
        ),
        technician,
    )


@transaction.atomic
def record_qc_result(lot, technician, *, test, value=None, passed=None, tested_at) -> QCResult:
    """Record a QC result; a numeric test's verdict is computed from its specification."""
    _require_role(technician, Role.LAB_TECHNICIAN, "record a QC result")
    _require_in_process(lot)
    spec = lot.product.qc_specs.filter(test=test).first()
    if spec is None:
        raise Refused(
            f"{lot.product} has no QC specification for {test!r}.",
            field_errors={"test": "Not a test of this product."},
        )
    try:
        verdict = qc.assess(spec_to_domain(spec), value=value, passed=passed)
    except ValueError as error:
        field = "passed" if spec.is_pass_fail else "value"
        raise Refused(str(error), field_errors={field: str(error)}) from None
    _not_in_future(tested_at, "tested_at")
    if tested_at < lot.made_at:
        raise Refused(
            "A test cannot come before the lot was made.",
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
    _require_role(reviewer, Role.QUALITY_REVIEWER, "release a lot")
    lot = _locked(lot)
    blockers = release_blockers(lot, reviewer)
    if blockers:
        raise Refused(f"Lot {lot.code} cannot be released: " + " ".join(blockers))
    lot.status = ProductLot.Status.RELEASED
    lot.released_by = reviewer
    lot.released_at = timezone.now()
    return save_by(lot, reviewer)


@transaction.atomic
def reject_lot(lot, reviewer, *, reason) -> ProductLot:
    """Reject a lot so that no patient ever receives it."""
    _require_role(reviewer, Role.QUALITY_REVIEWER, "reject a lot")
    lot = _locked(lot)
    reason = (reason or "").strip()
    if not reason:
        raise Refused("Say why the lot is rejected.", field_errors={"reason": "Required."})
    if lot.status == ProductLot.Status.REJECTED:
        raise Refused(f"Lot {lot.code} is already rejected.")
    if lot.administrations.exists():
        raise Refused(f"Lot {lot.code} has already been given to a patient.")
    lot.status = ProductLot.Status.REJECTED
    lot.rejection_reason = reason
    return save_by(lot, reviewer)


@transaction.atomic
def allocate_lot(lot, plan, user) -> ProductLot:
    """Set a released donor lot aside for one plan."""
    _require_role(user, Role.LAB_TECHNICIAN, "allocate a lot")
    lot = _locked(lot)
    problems = []
    if lot.status != ProductLot.Status.RELEASED:
        problems.append(
            f"only released lots are allocated; this one is {lot.get_status_display().lower()}."
        )
    if lot.product.source != Source.ALLOGENEIC:
        problems.append("only donor lots are allocated; autologous lots belong to their patient.")
    if lot.plan_id is not None:
        problems.append("it is already allocated to a plan.")
    if not plan.products.filter(product=lot.product).exists():
        problems.append(f"{lot.product} is not in the plan.")
    if lot.site_id != plan.patient.site_id:
        problems.append("the lot is at another site than the patient.")
    if lot.expires_at <= timezone.now():
        problems.append("the lot has expired.")
    if problems:
        raise Refused(f"Lot {lot.code} cannot be allocated: " + " ".join(problems))
    lot.plan = plan
    return save_by(lot, user)
