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
