"""The lab's and the quality reviewer's list: lots in process, oldest first, and what each lacks."""

from dataclasses import dataclass

from django.urls import reverse

from celltrace.lab.access import RELEASE_READING, lots_for_user
from celltrace.lab.actions import release_blockers
from celltrace.lab.models import ProductLot
from celltrace.web.worklists.base import SHOWN, Queue


@dataclass(frozen=True)
class LotInProcess:
    lot: ProductLot
    required: int  # the tests the product's specification lists
    recorded: int  # of those, with a result
    blockers: list[str]  # why it may not be released yet (any reviewer)

    @property
    def ready_for_review(self) -> bool:
        return not self.blockers


def lots_in_process(user) -> list[LotInProcess]:
    """The lots in process at the user's site, oldest first, with their QC so far."""
    lots = (
        lots_for_user(user)
        .filter(status=ProductLot.Status.IN_PROCESS)
        .select_related("plan")
        .prefetch_related(*RELEASE_READING)
        .order_by("made_at", "pk")[:SHOWN]
    )
    rows = []
    for lot in lots:
        # The lab's own list of blockers, so a lot whose order was cancelled is never shown
        # as ready for release review.
        blockers = release_blockers(lot)
        specs = list(lot.product.qc_specs.all())
        tested = {r.specification.test for r in lot.qc_results.all()}
        recorded = sum(1 for spec in specs if spec.test in tested)
        rows.append(LotInProcess(lot, len(specs), recorded, blockers))
    return rows


def worklists(user) -> list[Queue]:
    rows = lots_in_process(user)
    ready = [row for row in rows if row.ready_for_review]
    return [
        Queue(
            "Lots ready for release review",
            ready,
            reverse("lab:lots") + "?status=in_process",
            kind="lots",
            note="Every test has a passing result: a second person may release them.",
        ),
        Queue(
            "Lots in process",
            [row for row in rows if not row.ready_for_review],
            reverse("lab:lots") + "?status=in_process",
            kind="lots",
            note="Oldest first, with what each lot still lacks.",
        ),
    ]
