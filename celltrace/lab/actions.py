"""Writing lots: harvest or donor tissue, process steps, QC results, release and allocation.

Every write checks the rules first and refuses with a reason, leaving the database as it was.
"""

from __future__ import annotations

import datetime as dt
import math

from django.db import transaction
from django.utils import timezone

from celltrace.accounts import site_time
from celltrace.accounts.access import check_actor, check_role
from celltrace.accounts.models import Role
from celltrace.audit import save_by
from celltrace.catalog.models import DonorTest, Source
from celltrace.clinical import donor_eligibility, isbt128, qc
from celltrace.lab import access, donors, labels, process, qc_state, signed_records
from celltrace.lab.chain import chain_for, locked_site_with_fin
from celltrace.lab.models import (
    Donor,
    DonorDetermination,
    DonorTestResult,
    ExceptionalRelease,
    Investigation,
    LabelPrint,
    LotAlert,
    LotRecall,
    ProcessStep,
    ProductLot,
    QCResult,
    StepReagent,
)
from celltrace.lab.notices import notify_qc_failure
from celltrace.lab.release_record import lot_content
from celltrace.plans.standing import require_in_force
from celltrace.refusal import Refused
from celltrace.screening.verdicts import harvest_verdict
from celltrace.signatures.models import Signature
from celltrace.signatures.service import records_wrong_passwords, sign


def release_blockers(lot: ProductLot, reviewer=None) -> list[str]:
    """Return every reason the lot may not be released (by this reviewer, if given).

    Reads the lot's specs, results and steps through `.all()`, so a list that prefetched them
    (the worklists) asks the database nothing more per lot.
    """
    specs = [s.to_domain() for s in lot.product.qc_specs.all()]
    recorded = list(lot.qc_results.all())
    results = [r.to_domain() for r in recorded]
    cancelled = [_order_cancelled(lot)] if lot.order_cancelled else []
    if lot.divided_at is not None:
        cancelled.append("It was split into divisions: release its parts.")
    return (
        cancelled
        + donors.lot_donor_blockers(lot)
        + qc_state.endotoxin_over_limit(lot)
        + qc.release_blockers(
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
            # Provisional: the product's shelf life runs from formulation, the end of its
            # manufacture, which sets the expiry for good (record_process_step).
            expires_at=made_at + dt.timedelta(days=product.process_days + product.shelf_life_days),
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
def create_donor_lot(
    site, technician, *, product, made_at, donor=None, donor_code=""
) -> ProductLot:
    """Register a lot made ahead from a registered donor's tissue, not yet allocated to a plan.

    The donor is given as a record or by its code at the site. The lot stays in quarantine
    until the donor is determined eligible.
    """
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
    donor = _donor_of_site(site, donor, donor_code)
    _not_in_future(made_at, "made_at")
    return _make_lot(
        site=site,
        technician=technician,
        product=product,
        made_at=made_at,
        first_step=ProcessStep.Step.DONOR_TISSUE,
        donor=donor,
        donor_code=donor.code,
    )


def _donor_of_site(site, donor, donor_code) -> Donor:
    if donor is None:
        code = (donor_code or "").strip()
        if not code:
            raise Refused(
                "A donor lot needs its donor.",
                code="invalid",
                field_errors={"donor_code": "Required."},
            )
        donor = Donor.objects.filter(site=site, code__iexact=code).first()
        if donor is None:
            raise Refused(
                f"No donor {code} is registered at this site: register the donor first.",
                code="unknown_donor",
                params={"donor": code},
                field_errors={"donor_code": "Not a registered donor."},
            )
    if donor.site_id != site.pk:
        raise Refused(
            f"Donor {donor.code} is registered at another site.",
            code="other_site_donor",
            params={"donor": donor.code},
            field_errors={"donor_code": "Another site's donor."},
        )
    if donor.determination == Donor.Determination.INELIGIBLE:
        raise Refused(
            f"Donor {donor.code} was determined ineligible: no new lot is made from them.",
            code="ineligible_donor",
            params={"donor": donor.code},
            field_errors={"donor_code": "Ineligible donor."},
        )
    return donor


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
    lot,
    technician,
    *,
    step,
    performed_at,
    notes="",
    viable_content=None,
    volume_ml=None,
    passage=None,
    equipment="",
    reagents=(),
) -> ProcessStep:
    """Add the product's next step to the lot's chain of identity, in the catalog's order.

    Records who, when, the equipment ID and the reagent lots (an expired one is refused);
    cultivation records its passage; formulation records what the lot holds, in the
    product's dose unit: the bedside gate refuses a lot holding less than the dose.
    """
    check_actor(technician, access.LOT_MAKERS, "record a process step", site_id=lot.site_id)
    lot = _locked(lot)
    _require_in_process(lot)
    _require_order_open(lot)
    if errors := _formulation_problems(step, viable_content, volume_ml):
        raise Refused(
            "Formulation records the lot's viable content and volume.",
            code="invalid",
            field_errors=errors,
        )
    if passage is not None and step != ProcessStep.Step.CULTIVATION:
        raise Refused(
            "Only cultivation records a passage.",
            code="invalid",
            field_errors={"passage": "Only for cultivation."},
        )
    if step == ProcessStep.Step.CRYOPRESERVATION and lot.thawed_at is not None:
        # Freezing again after a thaw damages the cells: a thawed lot is used or discarded.
        raise Refused(
            f"Lot {lot.code} was thawed on {timezone.localtime(lot.thawed_at):%Y-%m-%d %H:%M}; "
            "a thawed lot is never frozen again.",
            code="thawed_lot",
            params={"lot": lot.code},
            field_errors={"step": "The lot was thawed."},
        )
    passage = process.check_next(lot, step, passage=passage)
    _not_in_future(performed_at, "performed_at")
    if performed_at < lot.made_at:
        raise Refused(
            "A step cannot come before the lot was made.",
            code="before_lot_made",
            field_errors={"performed_at": "Before the lot was made."},
        )
    reagents = list(reagents)
    process.check_reagents(reagents, performed_at, lot.site)
    if step == ProcessStep.Step.FORMULATION:
        lot.viable_content, lot.volume_ml = float(viable_content), float(volume_ml)
        lot.expires_at = performed_at + dt.timedelta(days=lot.product.shelf_life_days)
        save_by(lot, technician)
    recorded = save_by(
        ProcessStep(
            lot=lot,
            step=step,
            performed_by=technician,
            performed_at=performed_at,
            notes=notes,
            passage=passage,
            equipment=(equipment or "").strip(),
        ),
        technician,
    )
    for reagent in reagents:
        save_by(
            StepReagent(
                step=recorded,
                name=reagent.name.strip(),
                lot_number=reagent.lot_number.strip(),
                expires_on=reagent.expires_on,
            ),
            technician,
        )
    return recorded


def _require_recordable(lot, spec) -> None:
    """Results are recorded in process; after release only a culture the release did not
    wait for (released pending sterility), or its retest under investigation."""
    if lot.status == ProductLot.Status.RELEASED and spec.release_before_result:
        return
    _require_in_process(lot)


def _require_retest_allowed(lot, spec) -> None:
    """A failed result is never overwritten: a new result of the test needs an open
    investigation of every failure, or a closed one that found a laboratory error."""
    for failure in lot.qc_results.filter(specification=spec, passed=False):
        domain = failure.to_domain()
        if domain.confirmed:
            raise Refused(
                f"{spec.get_test_display()} of lot {lot.code} is confirmed out of "
                "specification: no retest.",
                code="confirmed_oos",
                params={"lot": lot.code, "test": spec.test},
                field_errors={"test": "Confirmed out of specification."},
            )
        if not (domain.under_investigation or domain.invalidated):
            raise Refused(
                f"{spec.get_test_display()} of lot {lot.code} failed on "
                f"{failure.tested_at:%Y-%m-%d %H:%M}: a retest needs an open investigation "
                "of that failure.",
                code="retest_without_investigation",
                params={"lot": lot.code, "test": spec.test},
                field_errors={"test": "Failed before: open an investigation first."},
            )


def _judge(lot, spec, value, passed):
    try:
        judged, limit, basis = qc_state.judged_spec(lot, spec)
        return qc.assess(judged, value=value, passed=passed), limit, basis
    except ValueError as error:
        field = "passed" if spec.is_pass_fail else "value"
        raise Refused(str(error), code="invalid", field_errors={field: str(error)}) from None


@transaction.atomic
def record_qc_result(lot, technician, *, test, value=None, passed=None, tested_at) -> QCResult:
    """Record a QC result; a numeric test's verdict is computed from its specification.

    An impossible value is refused; a failed result stays and blocks until an investigation
    closes it; a failure after release blocks the lot and alerts the treating doctors.
    """
    check_actor(technician, access.LOT_MAKERS, "record a QC result", site_id=lot.site_id)
    lot = _locked(lot)
    spec = lot.product.qc_specs.filter(test=test).first()
    if spec is None:
        raise Refused(
            f"{lot.product} has no QC specification for {test!r}.",
            code="unknown_test",
            params={"product": lot.product, "test": test},
            field_errors={"test": "Not a test of this product."},
        )
    _require_recordable(lot, spec)
    if lot.status == ProductLot.Status.IN_PROCESS:
        # A culture that turns positive after release is recorded whatever became of the order.
        _require_order_open(lot)
    verdict, limit, basis = _judge(lot, spec, value, passed)
    _not_in_future(tested_at, "tested_at")
    if tested_at < lot.made_at:
        raise Refused(
            "A test cannot come before the lot was made.",
            code="before_lot_made",
            field_errors={"tested_at": "Before the lot was made."},
        )
    _require_retest_allowed(lot, spec)
    result = save_by(
        QCResult(
            lot=lot,
            specification=spec,
            value=value,
            passed=verdict,
            tested_by=technician,
            tested_at=tested_at,
            limit=limit,
            limit_basis=basis,
        ),
        technician,
    )
    if lot.status == ProductLot.Status.RELEASED:
        _after_release_result(lot, result, technician)
    return result


def _locked(lot) -> ProductLot:
    return ProductLot.objects.select_for_update().select_related("product").get(pk=lot.pk)


@records_wrong_passwords
@transaction.atomic
def release_lot(
    lot, reviewer, *, password: str, meaning: str = Signature.Meaning.RELEASE
) -> ProductLot:
    """Release a lot for patients once a second person sees every QC test passed.

    The reviewer signs with the password typed again (21 CFR 11.200); the signature is bound
    to a hash of the lot's record and every QC result (see release_record.lot_content).
    """
    check_actor(reviewer, access.LOT_REVIEWERS, "release a lot", site_id=lot.site_id)
    lot = _locked(lot)
    blockers = release_blockers(lot, reviewer)
    if blockers:
        raise Refused(
            f"Lot {lot.code} cannot be released: " + " ".join(blockers),
            code="release_blocked",
            params={"lot": lot.code, "blockers": " ".join(blockers)},
        )
    if meaning != Signature.Meaning.RELEASE:
        # An exceptional release of a failed lot is its own action, with its own checks.
        raise Refused(
            "A lot is released with the meaning 'release'.",
            code="invalid",
            params={"meaning": meaning},
            field_errors={"meaning": "Only 'release'."},
        )
    content = lot_content(lot)
    signature = sign(lot, reviewer, password=password, meaning=meaning, content=content)
    lot.status = ProductLot.Status.RELEASED
    lot.released_by = reviewer
    lot.released_at = signature.signed_at
    lot.sterility_pending = bool(qc_state.pending_tests(lot))
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
    problems += donors.lot_donor_blockers(lot)
    if lot.blocked_at is not None:
        problems.append(f"it is blocked: {lot.blocked_reason}")
    lot.plan = plan
    problems += qc_state.endotoxin_over_limit(lot)
    if problems:
        raise Refused(
            f"Lot {lot.code} cannot be allocated: " + " ".join(problems),
            code="allocation_refused",
            params={"lot": lot.code, "problems": " ".join(problems)},
        )
    lot.chain = chain_for(plan, user)
    return save_by(lot, user)


# Donors (21 CFR 1271.45-1271.85) and recalls (1271.290). -----------------------------------


@transaction.atomic
def register_donor(site, technician, *, code, recovered_on, sex="unknown", age_years=None):
    """Register an allogeneic donor by the site's code: no name, only what eligibility needs."""
    if site is None:
        raise Refused("A donor is registered at a site; your account has none.", code="no_site")
    check_actor(technician, access.LOT_MAKERS, "register a donor", site_id=site.pk)
    code = (code or "").strip()
    errors = {}
    if not code:
        errors["code"] = "Required."
    elif Donor.objects.filter(site=site, code__iexact=code).exists():
        errors["code"] = "Already registered at this site."
    if recovered_on is None or recovered_on > site_time.today(site):
        errors["recovered_on"] = "Required, not in the future."
    if sex not in Donor.Sex.values:
        errors["sex"] = "Female, male or not recorded."
    if age_years is not None and not 0 <= age_years <= 120:
        errors["age_years"] = "An age from 0 to 120 years."
    if errors:
        raise Refused("The donor cannot be registered.", code="invalid", field_errors=errors)
    donor = Donor(
        site=site,
        code=code,
        recovered_on=recovered_on,
        sex=sex,
        age_years=age_years,
        registered_by=technician,
        registered_at=timezone.now(),
    )
    return save_by(donor, technician)


def _locked_donor(donor) -> Donor:
    return Donor.objects.select_for_update().get(pk=donor.pk)


@transaction.atomic
def record_donor_test(donor, technician, *, test, reactive, specimen_date, laboratory):
    """Record one communicable disease test of the donor's specimen; results are never edited."""
    check_actor(technician, access.LOT_MAKERS, "record a donor test", site_id=donor.site_id)
    donor = _locked_donor(donor)
    errors = {}
    catalog_test = DonorTest.objects.filter(code=test, active=True).first()
    if catalog_test is None:
        errors["test"] = "Not a donor test of the catalog."
    if not isinstance(reactive, bool):
        errors["reactive"] = "Reactive or non-reactive."
    if specimen_date is None or specimen_date > site_time.today(donor.site):
        errors["specimen_date"] = "Required, not in the future."
    laboratory = (laboratory or "").strip()
    if not laboratory:
        errors["laboratory"] = "Name the testing laboratory."
    if errors:
        raise Refused("The test result cannot be recorded.", code="invalid", field_errors=errors)
    if donor.determination == Donor.Determination.ELIGIBLE and reactive:
        # A reactive result after an eligible determination does not change it silently:
        # the determination falls back to pending until someone determines the donor again.
        donor.determination = Donor.Determination.PENDING
        save_by(donor, technician)
    result = DonorTestResult(
        donor=donor,
        test=catalog_test,
        reactive=reactive,
        specimen_date=specimen_date,
        laboratory=laboratory,
        recorded_by=technician,
        recorded_at=timezone.now(),
    )
    return save_by(result, technician)


@transaction.atomic
def determine_donor(donor, user, *, decision, reason=""):
    """Determine the donor eligible or ineligible; eligible only on a complete, non-reactive panel.

    The panel includes the leukocyte-rich tests only when the catalog marks a product of the
    donor's lots so; a lot of such a product made later is checked again at release.
    """
    check_actor(user, access.DONOR_DETERMINERS, "determine a donor", site_id=donor.site_id)
    donor = _locked_donor(donor)
    leukocyte_rich = donor.lots.filter(product__leukocyte_rich=True).exists()
    assessment = donors.assessment(donor, leukocyte_rich=leukocyte_rich)
    reason = (reason or "").strip()
    if problems := donor_eligibility.determination_problems(assessment, decision, reason=reason):
        field = "reason" if decision == donor_eligibility.INELIGIBLE else "decision"
        raise Refused(
            f"Donor {donor.code} cannot be determined {decision}: " + " ".join(problems),
            code="determination_refused",
            params={"donor": donor.code, "problems": " ".join(problems)},
            field_errors={field: " ".join(problems)},
        )
    save_by(
        DonorDetermination(
            donor=donor,
            decision=decision,
            reason=reason,
            decided_by=user,
            decided_at=timezone.now(),
        ),
        user,
    )
    donor.determination = decision
    return save_by(donor, user)


@records_wrong_passwords
@transaction.atomic
def recall_lot(lot, reviewer, *, reason, password) -> LotRecall:
    """Recall a released lot: no remaining dose is given or allocated, its recipients followed."""
    check_actor(reviewer, access.LOT_RECALLERS, "recall a lot", site_id=lot.site_id)
    lot = _locked(lot)
    reason = (reason or "").strip()
    if not reason:
        raise Refused(
            "Say why the lot is recalled.", code="invalid", field_errors={"reason": "Required."}
        )
    if lot.status != ProductLot.Status.RELEASED:
        status = lot.get_status_display().lower()
        raise Refused(
            f"Lot {lot.code} is {status}: only a released lot is recalled "
            "(reject a lot still in process).",
            code="not_recallable",
            params={"lot": lot.code, "status": status},
        )
    recall = LotRecall(
        lot=lot,
        reason=reason,
        previous_status=lot.status,
        recalled_by=reviewer,
        recalled_at=timezone.now(),
    )
    lot.status = ProductLot.Status.RECALLED
    save_by(lot, reviewer)
    save_by(recall, reviewer)
    # Signed with the password typed again (21 CFR 11.200); a wrong one rolls all back.
    sign(
        recall,
        reviewer,
        password=password,
        meaning=Signature.Meaning.RECALL,
        content=signed_records.recall_content(recall),
    )
    return recall


# Out of specification: investigations, alerts after release, exceptional release.


def _after_release_result(lot, result, user) -> None:
    """A result on a released lot: a failure blocks it at once and alerts every treating
    doctor; the last pending culture passing ends "released pending sterility"."""
    if not result.passed:
        label = result.specification.get_test_display()
        reason = (
            f"{label} of lot {lot.code} failed on {result.tested_at:%Y-%m-%d %H:%M} after the "
            "lot was released: no further administration."
        )
        lot.blocked_at = lot.blocked_at or timezone.now()
        lot.blocked_reason = reason
        _alert_treating_doctors(lot, reason, user)
    lot.sterility_pending = bool(qc_state.pending_tests(lot))
    save_by(lot, user)


def _alert_treating_doctors(lot, reason, user) -> None:
    """One alert per patient who received the lot or has it planned, to their doctor."""
    plans = {a.stay.plan for a in lot.administrations.select_related("stay__plan__patient")}
    if lot.plan_id is not None:
        plans.add(lot.plan)
    given = {a.stay.plan_id for a in lot.administrations.all()}
    for plan in sorted(plans, key=lambda p: p.pk):
        alert = save_by(
            LotAlert(
                lot=lot,
                patient=plan.patient,
                doctor=qc_state.treating_doctor(plan),
                reason=reason,
                created_at=timezone.now(),
            ),
            user,
        )
        notify_qc_failure(alert, given=plan.pk in given)


def _refresh_after_investigation(lot, user) -> None:
    """A released lot stays blocked while a failure counts; a lab error lifts the block."""
    if lot.status != ProductLot.Status.RELEASED or lot.blocked_at is None:
        return
    if not qc_state.blocking_failures(lot):
        lot.blocked_at, lot.blocked_reason = None, ""
        lot.sterility_pending = bool(qc_state.pending_tests(lot))
        save_by(lot, user)


@transaction.atomic
def open_investigation(lot, user, *, result_ids, description) -> Investigation:
    """Open an out-of-specification investigation of failed results; only it allows a retest."""
    check_actor(
        user, access.LOT_MAKERS | access.LOT_REVIEWERS, "open an investigation", site_id=lot.site_id
    )
    lot = _locked(lot)
    description = (description or "").strip()
    if not description:
        raise Refused(
            "Say what failed and what will be checked.",
            code="invalid",
            field_errors={"description": "Required."},
        )
    ids = set(result_ids or [])
    results = list(lot.qc_results.filter(pk__in=ids, passed=False))
    if not ids or len(results) != len(ids):
        raise Refused(
            "Choose one or more failed results of this lot.",
            code="invalid",
            field_errors={"result_ids": "Only failed results of this lot are investigated."},
        )
    if Investigation.objects.filter(results__in=results).exists():
        raise Refused(
            "A result chosen is already under investigation or was investigated.",
            code="already_investigated",
            field_errors={"result_ids": "Already investigated."},
        )
    investigation = save_by(
        Investigation(lot=lot, opened_by=user, opened_at=timezone.now(), description=description),
        user,
    )
    investigation.results.set(results)
    return investigation


@transaction.atomic
def close_investigation(investigation, reviewer, *, conclusion, findings) -> Investigation:
    """Close an investigation: a laboratory error invalidates the failed results (a retest
    decides); a confirmed failure leaves the lot out of specification."""
    lot = investigation.lot
    check_actor(reviewer, access.LOT_REVIEWERS, "close an investigation", site_id=lot.site_id)
    lot = _locked(lot)
    investigation = Investigation.objects.select_for_update().get(pk=investigation.pk)
    if not investigation.is_open:
        raise Refused(
            f"Investigation #{investigation.pk} is already closed.",
            code="already_closed",
            params={"investigation": investigation.pk},
        )
    errors = {}
    if conclusion not in Investigation.Conclusion.values:
        errors["conclusion"] = "Laboratory error or confirmed."
    findings = (findings or "").strip()
    if not findings:
        errors["findings"] = "Required: what the investigation found."
    if errors:
        raise Refused(
            "Record the conclusion and the findings.", code="invalid", field_errors=errors
        )
    investigation.conclusion = conclusion
    investigation.findings = findings
    investigation.closed_by = reviewer
    investigation.closed_at = timezone.now()
    save_by(investigation, reviewer)
    _refresh_after_investigation(lot, reviewer)
    return investigation


def _failed_results(lot) -> list[QCResult]:
    return [
        r
        for r in lot.qc_results.select_related("specification")
        if not r.passed and not r.invalidated
    ]


def _require_exceptional_case(lot) -> None:
    specs = [s.to_domain() for s in lot.product.qc_specs.all()]
    problems = qc.exceptional_release_problems(specs, qc_state.domain_results(lot))
    if lot.plan_id is None:
        problems.append("The lot has no plan: an exceptional release is for one patient.")
    elif not lot.plan.in_force:
        problems.append(_order_cancelled(lot))
    if problems:
        raise Refused(
            f"Lot {lot.code} is not a case for exceptional release: " + " ".join(problems),
            code="not_exceptional",
            params={"lot": lot.code, "problems": " ".join(problems)},
        )


@records_wrong_passwords
@transaction.atomic
def accept_exceptional_release(lot, doctor, *, statement, password) -> ExceptionalRelease:
    """Record the treating physician's acceptance of the risk of a lot that failed QC."""
    check_actor(doctor, {Role.DOCTOR}, "accept an exceptional release", site_id=lot.site_id)
    lot = _locked(lot)
    _require_in_process(lot)
    _require_exceptional_case(lot)
    treating = qc_state.treating_doctor(lot.plan)
    if treating.pk != doctor.pk:
        raise Refused(
            f"Only the patient's treating doctor ({treating}) accepts the risk of this lot.",
            code="not_treating_doctor",
            params={"doctor": str(treating)},
        )
    statement = (statement or "").strip()
    if not statement:
        raise Refused(
            "State the risk you accept for this patient.",
            code="invalid",
            field_errors={"statement": "Required."},
        )
    failed = _failed_results(lot)
    for pending in lot.exceptional_releases.filter(released_at__isnull=True):
        if {r.pk for r in pending.failed_results.all()} == {r.pk for r in failed}:
            raise Refused(
                f"You already accepted the risk of lot {lot.code}: the medical director decides.",
                code="already_accepted",
                params={"lot": lot.code},
            )
    record = save_by(
        ExceptionalRelease(
            lot=lot,
            failed_tests="; ".join(
                f"{r.specification.get_test_display()} ({r.tested_at:%Y-%m-%d %H:%M})"
                for r in failed
            ),
            accepted_by=doctor,
            accepted_at=timezone.now(),
            acceptance_statement=statement,
        ),
        doctor,
    )
    record.failed_results.set(failed)
    # The physician signs the lot's record as it stands, with what they accept (21 CFR 11.50).
    content = signed_records.acceptance_content(lot, record)
    sign(lot, doctor, password=password, meaning=Signature.Meaning.RISK_ACCEPTANCE, content=content)
    return record


@records_wrong_passwords
@transaction.atomic
def release_exceptionally(lot, director, *, justification, password) -> ProductLot:
    """Release a lot that failed QC: the site's medical director, after the treating
    physician accepted the risk of exactly the failures now on record."""
    check_actor(director, {Role.DOCTOR}, "release a lot exceptionally", site_id=lot.site_id)
    lot = _locked(lot)
    if lot.site.medical_director_id != director.pk:
        raise Refused(
            "Only the site's medical director releases a lot that failed QC.",
            code="not_medical_director",
        )
    blockers = ([_order_cancelled(lot)] if lot.order_cancelled else []) + qc.lot_blockers(
        made_by_id=lot.made_by_id,
        reviewer_id=director.pk,
        status=lot.status,
        worked_by_ids={
            *(step.performed_by_id for step in lot.steps.all()),
            *(result.tested_by_id for result in lot.qc_results.all()),
        },
        expired=lot.expires_at <= timezone.now(),
    )
    if blockers:
        raise Refused(
            f"Lot {lot.code} cannot be released: " + " ".join(blockers),
            code="release_blocked",
            params={"lot": lot.code, "blockers": " ".join(blockers)},
        )
    _require_exceptional_case(lot)
    record = lot.exceptional_releases.filter(released_at__isnull=True).last()
    failed = {r.pk for r in _failed_results(lot)}
    if record is None or set(record.failed_results.values_list("pk", flat=True)) != failed:
        raise Refused(
            f"Lot {lot.code}: the treating physician has not accepted the risk of the failures "
            "now on record.",
            code="no_acceptance",
            params={"lot": lot.code},
        )
    justification = (justification or "").strip()
    if not justification:
        raise Refused(
            "Justify the release after reviewing every record.",
            code="invalid",
            field_errors={"justification": "Required."},
        )
    signature = sign(
        lot,
        director,
        password=password,
        meaning=Signature.Meaning.EXCEPTIONAL_RELEASE,
        content=lot_content(lot),
    )
    record.released_by, record.released_at = director, signature.signed_at
    record.justification = justification
    save_by(record, director)
    lot.status = ProductLot.Status.RELEASED
    lot.released_by, lot.released_at = director, record.released_at
    lot.exceptional = True
    lot.sterility_pending = bool(qc_state.pending_tests(lot))
    return save_by(lot, director)


@transaction.atomic
def acknowledge_alert(alert, doctor, *, comment) -> LotAlert:
    """The doctor confirms they read the alert and says what they did for the patient."""
    check_actor(doctor, {Role.DOCTOR}, "acknowledge a lot alert", site_id=alert.lot.site_id)
    alert = LotAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.acknowledged_at is not None:
        raise Refused("This alert was already acknowledged.", code="already_acknowledged")
    comment = (comment or "").strip()
    if not comment:
        raise Refused(
            "Say what you did for the patient.",
            code="invalid",
            field_errors={"comment": "Required."},
        )
    alert.acknowledged_by, alert.acknowledged_at = doctor, timezone.now()
    alert.comment = comment
    return save_by(alert, doctor)


MAX_LABEL_COPIES = 20


def _label_problems(kind, copies) -> dict[str, str]:
    errors = {}
    if kind not in LabelPrint.Kind.values:
        errors["kind"] = "Choose the container or the partial label."
    if isinstance(copies, bool) or not isinstance(copies, int):
        errors["copies"] = "A whole number of copies."
    elif not 1 <= copies <= MAX_LABEL_COPIES:
        errors["copies"] = f"From 1 to {MAX_LABEL_COPIES} copies."
    return errors


def _reprint_number(lot, user, kind, reason) -> int:
    """Number this print (0: the first of its kind); a reprint needs its role and a reason."""
    reprint = lot.label_prints.filter(kind=kind).count()
    if not reprint:
        check_actor(user, access.LABEL_PRINTERS, "print a lot's first labels", site_id=lot.site_id)
        return 0
    check_actor(user, access.LABEL_REPRINTERS, "reprint a lot's labels", site_id=lot.site_id)
    if not reason:
        raise Refused(
            "Say why the labels are printed again.",
            code="invalid",
            field_errors={"reason": "Required for a reprint."},
        )
    return reprint


@transaction.atomic
def print_labels(lot, user, *, kind, copies, reason="") -> LabelPrint:
    """Record a printing of the lot's labels: the first by the lab, reprints by quality.

    Every print after the first of its kind is a numbered reprint with its reason, so the
    lot's record shows how many labels of it exist and who asked for each.
    """
    roles = access.LABEL_PRINTERS | access.LABEL_REPRINTERS
    check_actor(user, roles, "print a lot's labels", site_id=lot.site_id)
    if errors := _label_problems(kind, copies):
        raise Refused(
            "Choose the label and the number of copies.", code="invalid", field_errors=errors
        )
    lot = _locked(lot)
    if lot.status == ProductLot.Status.REJECTED or not lot.din:
        why = "has no DIN" if not lot.din else "is rejected"
        raise Refused(
            f"Lot {lot.code} {why}: it cannot be labelled.",
            code="not_labellable",
            params={"lot": lot.code},
        )
    reason = (reason or "").strip()
    reprint = _reprint_number(lot, user, kind, reason)
    try:
        labels.label_content(lot, kind)
    except isbt128.InvalidIdentifier as error:  # a malformed code is never printed
        raise Refused(
            f"Lot {lot.code} cannot be labelled: {error}",
            code="not_labellable",
            params={"lot": lot.code},
        ) from None
    return save_by(
        LabelPrint(
            lot=lot,
            kind=kind,
            copies=copies,
            reprint=reprint,
            reason=reason,
            printed_by=user,
            printed_at=timezone.now(),
        ),
        user,
    )


@transaction.atomic
def print_labels_for_lots(lots, user, *, kind, copies, reason="") -> list[LabelPrint]:
    """Print the labels of several lots at once (the day's lots): all of them or none.

    Each lot follows `print_labels`' rules; a lot already labelled is a reprint.
    """
    check_role(user, access.LABEL_PRINTERS | access.LABEL_REPRINTERS, "print a lot's labels")
    if not lots:
        raise Refused(
            "Choose the lots to label.", code="invalid", field_errors={"lots": "Choose a lot."}
        )
    printed = []
    for lot in lots:
        try:
            printed.append(print_labels(lot, user, kind=kind, copies=copies, reason=reason))
        except Refused as error:
            raise type(error)(
                f"Lot {lot.code}: {error.message} No label was printed.",
                code=error.code,
                params={**error.params, "lot": lot.code},
                field_errors=error.field_errors,
            ) from None
    return printed


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
    # The part's history is its lot's: copy every step and result, whatever fields they have;
    # a copied result keeps its investigations, so a failure the lab invalidated stays so.
    for record in [*lot.steps.all(), *lot.qc_results.all()]:
        investigations = list(record.investigations.all()) if isinstance(record, QCResult) else []
        record.pk, record._state.adding, record.lot = None, True, child
        save_by(record, technician)
        for investigation in investigations:
            investigation.results.add(record)
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
