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
