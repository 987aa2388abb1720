"""Helpers for the lab tests."""

import datetime as dt

from django.utils import timezone

from celltrace.catalog.models import CellProduct
from celltrace.lab.actions import record_process_step, record_qc_result


def an_hour_ago():
    return timezone.now() - dt.timedelta(hours=1)


def product(code):
    return CellProduct.objects.get(code=code)


def formulate(lot, technician, *, viable_content=1.0e10, volume_ml=10.0):
    """Fill the lot's bag: its volume sets the endotoxin limit for its patient."""
    lot = process_until(
        lot, technician, "formulation", when=an_hour_ago() - dt.timedelta(minutes=9)
    )
    record_process_step(
        lot,
        technician,
        step="formulation",
        performed_at=an_hour_ago() - dt.timedelta(minutes=5),
        viable_content=viable_content,
        volume_ml=volume_ml,
    )
    lot.refresh_from_db()


def passing_value(spec):
    """A value that meets the spec: its limit, or a tenth of an EU/mL for a computed one."""
    if spec.limit_from_dose and spec.maximum is None:
        return 0.1
    return spec.minimum if spec.minimum is not None else spec.maximum


def pass_every_test(lot, technician, *, skip=()):
    """Record a passing result for every QC test of the lot's product (formulating the lot
    first when its endotoxin limit needs the volume)."""
    specs = list(lot.product.qc_specs.all())
    needs_volume = any(s.limit_from_dose and s.maximum is None for s in specs)
    if needs_volume and lot.volume_ml is None and "endotoxin" not in skip:
        formulate(lot, technician)
    for spec in specs:
        if spec.test in skip:
            continue
        if spec.is_pass_fail:
            record_qc_result(lot, technician, test=spec.test, passed=True, tested_at=an_hour_ago())
        else:
            record_qc_result(
                lot, technician, test=spec.test, value=passing_value(spec), tested_at=an_hour_ago()
            )


def make_donor(site, technician, *, code="UC-0042", determiner=None, reactive=(), skip=()):
    """Register a donor with a result for every catalog test, made through the actions.

    Tests in `reactive` are reactive, those in `skip` have no result; with a `determiner`
    the donor is determined eligible (nothing reactive) or ineligible.
    """
    from celltrace.catalog.models import DonorTest
    from celltrace.lab.actions import determine_donor, record_donor_test, register_donor

    recovered_on = timezone.localdate()
    donor = register_donor(
        site, technician, code=code, recovered_on=recovered_on, sex="female", age_years=29
    )
    for test in DonorTest.objects.filter(active=True):
        if test.code in skip:
            continue
        record_donor_test(
            donor,
            technician,
            test=test.code,
            reactive=test.code in reactive,
            specimen_date=recovered_on,
            laboratory="Central serology lab",
        )
    if determiner is not None:
        decision = "ineligible" if reactive else "eligible"
        reason = "Reactive: " + ", ".join(reactive) if reactive else ""
        donor = determine_donor(donor, determiner, decision=decision, reason=reason)
    return donor


def process_until(lot, technician, step, *, when=None):
    """Record the product's required steps up to, not including, `step`, in order."""
    from celltrace.lab import process
    from celltrace.lab.actions import record_process_step
    from celltrace.lab.models import ProductLot

    when = when or an_hour_ago() - dt.timedelta(minutes=30)
    while True:
        lot = ProductLot.objects.get(pk=lot.pk)
        allowed = process.next_steps(lot)
        if not allowed or any(n.step == step for n in allowed):
            return lot
        first = allowed[0]
        content = {}
        if first.step == "formulation":
            content = {"viable_content": 1.0e9, "volume_ml": 20.0}
        record_process_step(
            lot, technician, step=first.step, performed_at=when, passage=first.passage, **content
        )
