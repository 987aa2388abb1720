"""Patient flow before treatment: enquired -> screened -> eligible -> treated.

The numbers are reported as recorded. Counted over one period they need not nest: a
patient may be treated under an eligibility decision made before the period, or screened
on a referral that never passed through the enquiry desk. Clipping them to a tidy funnel
would hide that, so each stage that holds more patients than the one before it gets a
plain-words note instead (STROBE item 13: numbers at each stage, with reasons).
"""

from __future__ import annotations

from .inputs import Count, ReportInputs

STAGES = ("enquired", "screened", "eligible", "treated")


def flow_section(inputs: ReportInputs) -> dict:
    """Return the report's "flow" section: the funnel, its reasons and any notes."""
    flow = inputs.flow
    counts = {
        "enquired": flow.enquired,
        "screened": flow.screened,
        "eligible": flow.eligible,
        "treated": len(inputs.patients),
    }
    for stage, n in counts.items():
        _check_count(stage, n)
    return {
        **counts,
        "closed": _reasons("closed", flow.closed),
        "not_eligible": _reasons("not eligible", flow.not_eligible),
        "excluded": _reasons("excluded", flow.excluded),
        "notes": funnel_notes(counts),
    }


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
