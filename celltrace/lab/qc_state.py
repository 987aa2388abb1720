"""Read a lot's QC as the clinical core sees it: results with their investigations, the
endotoxin limit for the lot's patient, the treating doctor to alert, the failures that block.

Nothing here writes; lab/actions.py does (docs/clinical/qc-release.md).
"""

from __future__ import annotations

import dataclasses

from celltrace.clinical import numbers, qc


def domain_results(lot) -> list[qc.Result]:
    """The lot's results with what investigations concluded (prefetch-friendly `.all()`)."""
    return [r.to_domain() for r in lot.qc_results.all()]


def qc_states(lot) -> list[qc.QCState]:
    specs = [s.to_domain() for s in lot.product.qc_specs.all()]
    return qc.qc_states(specs, domain_results(lot))


def pending_tests(lot) -> list[str]:
    """The tests the lot was or may be released without: their culture still runs."""
    return [s.spec.label for s in qc_states(lot) if s.state == qc.PENDING]


def treating_doctor(plan):
    """The plan's attending doctor on the ward, or the doctor who wrote the plan."""
    # A missing reverse one-to-one raises an AttributeError subclass: getattr's default.
    stay = getattr(plan, "stay", None)
    if stay is not None and stay.doctor_id is not None:
        return stay.doctor
    return plan.created_by


def endotoxin_limit(lot, spec) -> tuple[float, str]:
    """Return the endotoxin limit (EU/mL) for the lot and how it was found.

    K/M for each route the lot's plan gives its product, with the plan's weight and the lot's
    volume; the stricter of that and the specification's fixed ceiling. Without a plan or a
    volume, the fixed ceiling alone (donor stock); without either, ValueError.
    """
    computed = None
    if lot.plan_id is not None and lot.volume_ml:
        routes = sorted(
            set(lot.plan.products.filter(product=lot.product).values_list("route", flat=True))
        )
        limits = [
            (qc.endotoxin_limit(route=r, weight_kg=lot.plan.weight_kg, volume_ml=lot.volume_ml), r)
            for r in routes
        ]
        if limits:
            computed = min(limits)
    if computed is not None:
        limit, route = computed
        basis = (
            f"K/M for {route}, {numbers.plain(lot.plan.weight_kg)} kg, "
            f"{numbers.plain(lot.volume_ml)} mL (plan #{lot.plan.label})"
        )
        if spec.maximum is not None and spec.maximum < limit:
            return (
                spec.maximum,
                f"fixed ceiling (stricter than {numbers.plain(limit)} EU/mL {basis})",
            )
        return limit, basis
    if spec.maximum is not None:
        return spec.maximum, "fixed ceiling: no patient, weight or volume known yet"
    raise ValueError(
        f"{spec.get_test_display()}: the limit is computed for the lot's patient; record it "
        "once the lot is formulated (volume) for a plan (route and weight)."
    )


def judged_spec(lot, spec) -> tuple[qc.Spec, float | None, str]:
    """The domain spec a new result of `spec` is judged against, with the limit applied."""
    domain = spec.to_domain()
    if not spec.limit_from_dose:
        return domain, None, ""
    limit, basis = endotoxin_limit(lot, spec)
    return dataclasses.replace(domain, maximum=limit, limit_from_dose=False), limit, basis


def endotoxin_over_limit(lot) -> list[str]:
    """Passing endotoxin results above the limit for the lot's patient as it is now known.

    A donor lot judged against the fixed ceiling may have a patient (and a stricter K/M) by
    the time it is released or allocated.
    """
    problems = []
    for result in lot.qc_results.all():
        spec = result.specification
        if not spec.limit_from_dose or not result.passed or result.value is None:
            continue
        try:
            limit, basis = endotoxin_limit(lot, spec)
        except ValueError:
            continue
        if result.value > limit:
            problems.append(
                f"{spec.get_test_display()}: {numbers.plain(result.value)} EU/mL exceeds the "
                f"limit of {numbers.plain(limit)} EU/mL ({basis})."
            )
    return problems


def blocking_failures(lot) -> list:
    """Failed results that stop administration: not invalidated, not accepted at an
    exceptional release."""
    accepted = {
        pk
        for release in lot.exceptional_releases.all()
        if release.released_at is not None
        for pk in release.failed_results.values_list("pk", flat=True)
    }
    return [
        r
        for r in lot.qc_results.all()
        if not r.passed and r.pk not in accepted and not r.to_domain().invalidated
    ]
