"""The lab's worklist: what each plan in force orders, and the orders a plan change cancelled.

An order is one planned administration of a plan's active version: the lab makes (or sets
aside) a lot of that product for that day, holding the cells that the dose per kg times the
plan's weight needs. When a plan is amended, only its new version orders; when it is
cancelled, nothing does, and the lots still in the lab for it show "order cancelled".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from celltrace.accounts import site_time
from celltrace.accounts.access import scope_to_site
from celltrace.catalog.models import Source
from celltrace.lab.models import ProductLot
from celltrace.plans.models import PlannedProduct, TreatmentPlan


@dataclass(frozen=True, slots=True)
class Order:
    planned: PlannedProduct
    lots: tuple[ProductLot, ...] = ()
    cancelled: bool = False

    @property
    def plan(self) -> TreatmentPlan:
        return self.planned.plan

    @property
    def needs_harvest(self) -> bool:
        """An autologous order with no lot yet: the lab starts one with the harvest."""
        return (
            not self.cancelled
            and not self.lots
            and self.planned.product.source == Source.AUTOLOGOUS
        )


def open_orders(user) -> list[Order]:
    """Every administration planned by the active, not yet finished plans at the user's site."""
    planned = PlannedProduct.objects.filter(
        plan__status=TreatmentPlan.Status.ACTIVE,
        plan__discharge_date__gte=site_time.user_today(user)[0],
    ).select_related("plan__patient", "product")
    planned = scope_to_site(planned, user, site_field="plan__patient__site")
    planned = list(planned.order_by("plan__admission_date", "plan_id", "day_of_stay", "pk")[:300])
    lots = defaultdict(list)
    made = ProductLot.objects.filter(plan__in={p.plan_id for p in planned}).select_related(
        "plan", "product", "donor"
    )
    for lot in made.exclude(status=ProductLot.Status.REJECTED):
        lots[lot.plan_id, lot.product_id].append(lot)
    return [Order(p, tuple(lots[p.plan_id, p.product_id])) for p in planned]


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
    stranded = scope_to_site(stranded, user).order_by("plan__admission_date", "pk")[:300]
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
