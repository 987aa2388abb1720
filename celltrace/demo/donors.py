"""The demo lab's donors beside the stories' eligible ones: a donor awaiting determination
with a quarantined lot, an ineligible donor whose lot is segregated, and a lot recalled after
a positive culture, each made by the lab's own actions at the end of the build ("now")."""

from django.utils import timezone

from celltrace.catalog.models import CellProduct
from celltrace.demo.steps import register_and_test_donor
from celltrace.lab.actions import (
    create_donor_lot,
    determine_donor,
    recall_lot,
    record_donor_test,
)
from celltrace.lab.models import ProductLot

STOCK_PRODUCT = "msc-uc-allo"
RECALL_REASON = (
    "Positive bacterial culture of the retained sample, reported after release (Ph. Eur. 2.6.27)"
)


def lab_at_the_end(clinic, site_code: str) -> None:
    """Quarantine, segregation and one recall at the site, as the lab and quality make them."""
    site, staff = clinic.sites[site_code], clinic.staff[site_code]
    product = CellProduct.objects.get(code=STOCK_PRODUCT)
    technician = staff["lab_technician"]
    # Serology of the first donor is still out: its lot waits in quarantine.
    pending = register_and_test_donor(site, staff, "D-0001", skip=("hcv-nat", "treponema"))
    create_donor_lot(site, technician, product=product, donor=pending, made_at=timezone.now())
    # The second donor's tissue came in before the results: HBsAg reactive, so ineligible.
    ineligible = register_and_test_donor(site, staff, "D-0002", skip=("hbsag",))
    create_donor_lot(site, technician, product=product, donor=ineligible, made_at=timezone.now())
    record_donor_test(
        ineligible,
        technician,
        test="hbsag",
        reactive=True,
        specimen_date=ineligible.recovered_on,
        laboratory="Regional serology laboratory",
    )
    determine_donor(
        ineligible, staff["quality_reviewer"], decision="ineligible", reason="HBsAg reactive."
    )
    _recall_one_given_lot(clinic, site, staff)


def _recall_one_given_lot(clinic, site, staff) -> None:
    """Recall the latest donor lot given at the site: its recipient is listed for follow-up."""
    lot = (
        ProductLot.objects.filter(site=site, status=ProductLot.Status.RELEASED, donor__isnull=False)
        .filter(administrations__isnull=False)
        .order_by("-released_at")
        .first()
    )
    if lot is not None:
        recall_lot(lot, staff["quality_reviewer"], reason=RECALL_REASON, password=clinic.password)
