"""Read a donor's records as the eligibility rule's facts (celltrace.clinical.donor_eligibility)."""

from celltrace.catalog.models import DonorTest, Source
from celltrace.clinical import donor_eligibility


def catalog_tests() -> list[donor_eligibility.DonorTest]:
    return [t.to_domain() for t in DonorTest.objects.filter(active=True)]


def assessment(donor, *, leukocyte_rich: bool) -> donor_eligibility.Assessment:
    """Assess the donor's results against the panel of a (leukocyte-rich or other) product."""
    required = donor_eligibility.required_tests(catalog_tests(), leukocyte_rich=leukocyte_rich)
    results = [r.to_domain() for r in donor.test_results.select_related("test")]
    return donor_eligibility.assess(required, results, recovered_on=donor.recovered_on)


def lot_donor_blockers(lot) -> list[str]:
    """Why the lot's donor stops its release or use: quarantine, segregation, a short panel."""
    autologous = lot.product.source == Source.AUTOLOGOUS
    donor = lot.donor if lot.donor_id else None
    covers = None
    eligible = donor is not None and donor.determination == donor_eligibility.ELIGIBLE
    if eligible and lot.product.leukocyte_rich:
        covers = assessment(donor, leukocyte_rich=True)
    return donor_eligibility.lot_blockers(
        autologous=autologous,
        has_donor=donor is not None,
        determination=donor.determination if donor else "",
        assessment=covers,
    )
