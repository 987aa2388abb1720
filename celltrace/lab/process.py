"""A lot's place in its product's process: the catalog's steps against the steps recorded.

Reads the lot's recorded steps and the product's defined steps through `.all()`, so a list
that prefetched `steps` and `product__process_steps` asks the database nothing more per lot.
"""

from __future__ import annotations

import datetime as dt

from celltrace.accounts import site_time
from celltrace.clinical import process
from celltrace.refusal import Refused


def recorded(lot) -> list[str]:
    """The product steps recorded, in order; a division (the lot split in parts) is none."""
    steps = sorted(lot.steps.all(), key=lambda s: (s.performed_at, s.pk))
    return [s.step for s in steps if s.step != "division"]


def progress(lot) -> list[process.StepState]:
    return process.progress(lot.product.process_definition(), recorded(lot))


def next_steps(lot) -> list[process.NextStep]:
    return process.next_steps(lot.product.process_definition(), recorded(lot))


def hours_left(lot) -> float:
    return process.hours_left(lot.product.process_definition(), recorded(lot))


def check_next(lot, step: str, *, passage: int | None) -> int | None:
    """Refuse a step the product's process does not allow now; return a cultivation's passage."""
    defined = lot.product.process_definition()
    if not defined:
        raise Refused(
            f"{lot.product} has no process steps in the catalog; ask for them to be defined.",
            code="no_process",
            params={"product": lot.product},
        )
    why = process.refusal(defined, recorded(lot), step, passage=passage, product=str(lot.product))
    if why is None:
        following = {n.step: n.passage for n in process.next_steps(defined, recorded(lot))}
        return following[step]
    field = "passage" if why.code == "wrong_passage" else "step"
    allowed = ", ".join(n.title.lower() for n in process.next_steps(defined, recorded(lot)))
    raise Refused(
        f"Lot {lot.code}: {why.message}" + (f" Next: {allowed}." if allowed else ""),
        code=why.code,
        params={"lot": lot.code, "step": step},
        field_errors={field: why.message},
    )


def check_reagents(reagents: list[process.ReagentLot], performed_at: dt.datetime, site) -> None:
    """Refuse a reagent lot without a name or number, or expired on the day of the step."""
    problems = process.reagent_problems(reagents, used_on=site_time.local_date(performed_at, site))
    if problems:
        raise Refused(
            "Reagents: " + " ".join(problems),
            code="reagent_refused",
            params={"problems": " ".join(problems)},
            field_errors={"reagents": " ".join(problems)},
        )


def expiry_warnings(lot) -> list[str]:
    """Warn when a new lot expires before the first day its plan needs the product."""
    if lot.plan_id is None:
        return []
    planned = [p for p in lot.plan.products.all() if p.product_id == lot.product_id]
    if not planned:
        return []
    first = min(planned, key=lambda p: (p.day_of_stay, p.planned_time))
    need_by = site_time.at(first.planned_date, first.planned_time, lot.site)
    if lot.expires_at >= need_by:
        return []
    expires = site_time.local_date(lot.expires_at, lot.site)
    return [
        f"Lot {lot.code} expires on {expires} at the latest ({lot.product.process_days} days' "
        f"process, then {lot.product.shelf_life_days} days' shelf life from formulation), "
        f"before the first planned dose on {first.planned_date}: it cannot be given then "
        "as it stands."
    ]
