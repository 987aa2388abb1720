"""The lab board: what each plan in force orders, by due date, and what a plan change cancelled.

An order is one product of a plan in force (DOMAIN section 4: the lab works to the admission
date). It is derived from the plan, never stored, so an amendment or a cancellation changes
the board at once. Its need-by time is the product's first planned dose (the plan's admission
date, the day of the stay and the planned time, at the site); it needs the dose per kg times
the plan's weight for each planned dose; it must be started by the need-by time minus the
product's process days. When a plan is amended, only its new version orders; when it is
cancelled, nothing does, and the lots still in the lab for it show "order cancelled".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from celltrace.accounts import site_time
from celltrace.accounts.access import scope_to_site
from celltrace.catalog.models import Source
from celltrace.clinical import lot_readiness
from celltrace.lab import process
from celltrace.lab.models import ProductLot
from celltrace.plans.models import PlannedProduct, TreatmentPlan

SHOWN = 300


@dataclass(frozen=True, slots=True)
class Order:
    planned: PlannedProduct  # the first planned dose of the product
    lots: tuple[ProductLot, ...] = ()
    cancelled: bool = False
    doses: tuple[PlannedProduct, ...] = ()
    need_by: dt.datetime | None = None
    start_by: dt.datetime | None = None
    last_dose_at: dt.datetime | None = None
    content: str = lot_readiness.NO_LOT
    warnings: tuple[str, ...] = ()

    @property
    def plan(self) -> TreatmentPlan:
        return self.planned.plan

    @property
    def required(self) -> float:
        """What the planned doses need together, in the product's unit."""
        return sum(dose.total_amount for dose in self.doses or (self.planned,))

    @property
    def needs_harvest(self) -> bool:
        """An autologous order with no lot yet: the lab starts one with the harvest."""
        return (
            not self.cancelled
            and not self.lots
            and self.planned.product.source == Source.AUTOLOGOUS
        )


def _moment(planned: PlannedProduct, site) -> dt.datetime:
    return site_time.at(planned.planned_date, planned.planned_time, site)


def _lot_state(lot: ProductLot, zone) -> lot_readiness.LotState:
    in_process = lot.status == ProductLot.Status.IN_PROCESS
    return lot_readiness.LotState(
        code=lot.code,
        in_process=in_process,
        hours_left=process.hours_left(lot) if in_process else 0.0,
        viable_content=lot.viable_content,
        expires_at=timezone.localtime(lot.expires_at, zone),
    )


def order_for(doses: list[PlannedProduct], lots: list[ProductLot], *, now) -> Order:
    """Build the order of one product of one plan from its planned doses and its lots."""
    first = min(doses, key=lambda p: (p.day_of_stay, p.planned_time, p.pk))
    last = max(doses, key=lambda p: (p.day_of_stay, p.planned_time, p.pk))
    site = first.plan.patient.site
    need_by, last_dose_at = _moment(first, site), _moment(last, site)
    start_by = need_by - dt.timedelta(days=first.product.process_days)
    state = lot_readiness.OrderState(
        need_by=need_by,
        start_by=start_by,
        last_dose_at=last_dose_at,
        required=sum(dose.total_amount for dose in doses),
        unit=first.product.dose_unit,
        lots=tuple(_lot_state(lot, site_time.zone(site)) for lot in lots),
    )
    return Order(
        first,
        tuple(lots),
        doses=tuple(sorted(doses, key=lambda p: (p.day_of_stay, p.planned_time, p.pk))),
        need_by=need_by,
        start_by=start_by,
        last_dose_at=last_dose_at,
        content=lot_readiness.content_status(state),
        warnings=tuple(lot_readiness.order_warnings(state, now=now)),
    )


def _lots_of(plan_ids) -> dict[tuple[int, int], list[ProductLot]]:
    lots = defaultdict(list)
    made = (
        ProductLot.objects.filter(plan__in=plan_ids)
        .exclude(status=ProductLot.Status.REJECTED)
        .select_related("plan", "donor")
        .prefetch_related("steps", "product__process_steps")
    )
    for lot in made:
        lots[lot.plan_id, lot.product_id].append(lot)
    return lots


def open_orders(user) -> list[Order]:
    """Every product the active, not yet finished plans at the user's site order, by due date."""
    planned = PlannedProduct.objects.filter(
        plan__status=TreatmentPlan.Status.ACTIVE,
        plan__discharge_date__gte=site_time.user_today(user)[0],
    ).select_related("plan__patient__site", "product")
    planned = scope_to_site(planned, user, site_field="plan__patient__site")
    planned = list(planned.order_by("plan__admission_date", "plan_id", "day_of_stay", "pk")[:SHOWN])
    doses = defaultdict(list)
    for dose in planned:
        doses[dose.plan_id, dose.product_id].append(dose)
    lots = _lots_of({p.plan_id for p in planned})
    now = timezone.now()
    orders = [order_for(group, lots[key], now=now) for key, group in doses.items()]
    return sorted(orders, key=lambda o: (o.start_by, o.need_by, o.plan.pk))


def cancelled_orders(user) -> list[Order]:
    """The lots still in the lab, not given, made for a plan version no longer in force."""
    stranded = (
        ProductLot.objects.exclude(plan__status=TreatmentPlan.Status.ACTIVE)
        .filter(
            plan__isnull=False,
            status__in=[ProductLot.Status.IN_PROCESS, ProductLot.Status.RELEASED],
            administrations__isnull=True,
        )
        .select_related("plan__patient", "product", "donor")
    )
    stranded = scope_to_site(stranded, user).order_by("plan__admission_date", "pk")[:SHOWN]
    planned = {
        (p.plan_id, p.product_id): p
        for p in PlannedProduct.objects.filter(plan__in={lot.plan_id for lot in stranded})
        .select_related("plan__patient", "product")
        .order_by("-day_of_stay")
    }
    return [
        Order(planned[lot.plan_id, lot.product_id], (lot,), cancelled=True)
        for lot in stranded
        if (lot.plan_id, lot.product_id) in planned
    ]
