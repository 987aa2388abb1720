"""Patient flow before treatment: enquired -> screened -> eligible -> treated.

Every stage is as it stood at the cut-off (report_inputs replays each request's audit
history; screening decisions and sign-offs are dated): a request made after the cut-off is
not there, and one closed after it is still open.

The numbers are reported as recorded. Counted over one period they need not nest: a
patient may be treated under an eligibility decision made before the period, or screened
on a referral that never passed through the enquiry desk. Clipping them to a tidy funnel
would hide that, so each stage that holds more patients than the one before it gets a
plain-words note instead (STROBE item 13: numbers at each stage, with reasons).

A report of one product or route: no product is chosen before treatment, so the stages
before it (enquired, screened, eligible, and the reasons people left) are the whole
condition's, and are labelled so (`pretreatment_scope`). The funnel then runs to everyone
treated with any product (`treated_any_product`), and `treated` is the part of them first
given the product and route of the report. We chose the label over filtering through a
treatment plan's product: most people leave before a plan exists, so a filtered funnel
would silently drop them.
"""

from __future__ import annotations

from .inputs import Count, ReportInputs

STAGES = ("enquired", "screened", "eligible", "treated")
WHOLE_CONDITION = "whole condition, before a product was chosen"


def flow_section(inputs: ReportInputs) -> dict:
    """Return the report's "flow" section: the funnel, its reasons and any notes."""
    flow = inputs.flow
    filtered = any(inputs.filters.get(key) for key in ("product", "route"))
    treated = len(inputs.patients)
    treated_any = flow.treated_any if filtered and flow.treated_any is not None else treated
    counts = {
        "enquired": flow.enquired,
        "screened": flow.screened,
        "eligible": flow.eligible,
        "treated": treated_any,
    }
    for stage, n in (*counts.items(), ("treated with the filter", treated)):
        _check_count(stage, n)
    if treated > treated_any:
        raise ValueError(
            f"More patients treated with the filter ({treated}) than treated ({treated_any})."
        )
    notes = funnel_notes(counts)
    if flow.undated_requests:
        notes.append(
            f"{flow.undated_requests} request(s) have no audit history by the cut-off: their "
            "present status is shown, which may differ from their status at the cut-off."
        )
    return {
        "enquired": flow.enquired,
        "screened": flow.screened,
        "eligible": flow.eligible,
        "treated": treated,
        "treated_any_product": treated_any,
        "treated_label": treated_label(inputs.filters),
        "pretreatment_scope": WHOLE_CONDITION if filtered else None,
        "closed": _reasons("closed", flow.closed),
        "not_eligible": _reasons("not eligible", flow.not_eligible),
        "excluded": _reasons("excluded", flow.excluded),
        "notes": notes,
    }


def treated_label(filters: dict) -> str:
    """What "treated" counts: at least one administration, of the report's product/route."""
    given = [
        f"{word} {filters[key]}"
        for key, word in (("product", "product"), ("route", "route"))
        if filters.get(key)
    ]
    if not given:
        return "treated (at least one administration)"
    return f"treated, first given {' and '.join(given)}"


def funnel_notes(counts: dict[str, int]) -> list[str]:
    """Say, for each stage larger than the one before it, that the funnel does not nest."""
    notes = []
    for earlier, later in zip(STAGES, STAGES[1:], strict=False):
        if counts[later] > counts[earlier]:
            notes.append(
                f"More patients {later} ({counts[later]}) than {earlier} ({counts[earlier]}): "
                f"the numbers are shown as recorded. Stages are counted over the report's "
                f"period, so a patient may have entered an earlier stage before it (for "
                f"example, treated under an earlier eligibility decision)."
            )
    return notes


def _reasons(stage: str, rows: tuple[Count, ...]) -> list[dict]:
    for row in rows:
        _check_count(f"{stage}: {row.reason}", row.n)
    return [{"reason": row.reason, "n": row.n} for row in rows]


def _check_count(name: str, n: int) -> None:
    if n < 0:
        raise ValueError(f"The flow count {name!r} is negative ({n}).")
