"""Helpers for the lab tests."""

import datetime as dt

from django.utils import timezone

from celltrace.catalog.models import CellProduct
from celltrace.lab.actions import record_qc_result


def an_hour_ago():
    return timezone.now() - dt.timedelta(hours=1)


def product(code):
    return CellProduct.objects.get(code=code)


def pass_every_test(lot, technician, *, skip=()):
    """Record a passing result for every QC test of the lot's product."""
    for spec in lot.product.qc_specs.all():
        if spec.test in skip:
            continue
        if spec.is_pass_fail:
            record_qc_result(lot, technician, test=spec.test, passed=True, tested_at=an_hour_ago())
        else:
            value = spec.minimum if spec.minimum is not None else spec.maximum
            record_qc_result(lot, technician, test=spec.test, value=value, tested_at=an_hour_ago())


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
