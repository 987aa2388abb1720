"""Every lot gets an ISBT 128 DIN from its site's FIN, and scans find it by that DIN."""

import datetime as dt

import pytest
from django.utils import timezone

from celltrace.clinical import isbt128
from celltrace.lab.actions import create_donor_lot
from celltrace.lab.models import ProductLot
from celltrace.lab.scanning import lot_from_scan
from celltrace.lab.tests.helpers import product
from celltrace.refusal import Refused


def test_lots_are_numbered_within_the_sites_fin_and_year(autologous_lot, donor_lot):
    year = timezone.localtime(autologous_lot.made_at).strftime("%y")
    assert sorted([autologous_lot.din, donor_lot.din]) == [
        f"X9991{year}000001",
        f"X9991{year}000002",
    ]
    assert autologous_lot.division == "00"
    check = isbt128.check_character(donor_lot.din)
    assert donor_lot.din_with_check == f"X9991 {year} {donor_lot.din[-6:]} {check}"


def test_a_site_without_a_fin_cannot_make_a_lot(site, lab_technician, eligible_donor):
    site.isbt_fin = ""
    site.save()
    with pytest.raises(Refused, match="Facility Identification Number"):
        create_donor_lot(
            site,
            lab_technician,
            product=product("msc-uc-allo"),
            donor=eligible_donor,
            made_at=timezone.now() - dt.timedelta(hours=1),
        )
    assert not ProductLot.objects.exists()


def test_a_lot_is_found_by_its_din_barcode_its_din_with_k_or_its_lot_number(donor_lot):
    lots = ProductLot.objects.all()
    din = isbt128.Din(donor_lot.din)
    assert lot_from_scan(lots, din.data_string()) == donor_lot
    assert lot_from_scan(lots, din.data_string("00")) == donor_lot
    assert lot_from_scan(lots, (din.value + din.check_character).lower()) == donor_lot
    assert lot_from_scan(lots, donor_lot.code) == donor_lot
    assert lot_from_scan(lots, "") is None


def test_a_mistyped_din_is_refused_never_taken_for_another_lot(donor_lot):
    lots = ProductLot.objects.all()
    wrong = next(c for c in isbt128.ALPHABET if c != isbt128.check_character(donor_lot.din))
    with pytest.raises(Refused, match="does not fit"):
        lot_from_scan(lots, donor_lot.din + wrong)
    with pytest.raises(Refused, match="product code"):
        lot_from_scan(lots, "=<A00021V00")
