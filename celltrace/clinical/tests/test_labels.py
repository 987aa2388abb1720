"""Label content: every item LAB.md lists, and barcode data that is isbt128's own."""

import dataclasses
import datetime as dt

import pytest

from celltrace.clinical import isbt128, labels

UTC = dt.UTC

AUTOLOGOUS = labels.LotFacts(
    din="G123417654321",
    division="00",
    product_name="Autologous bone marrow MSCs",
    product_description_code="A0001",
    autologous=True,
    donor_status="",
    recipient_name="Ana Costa",
    recipient_id="P-0007",
    collected_at=dt.datetime(2026, 7, 1, 8, 30, tzinfo=UTC),
    expires_at=dt.datetime(2026, 7, 3, 8, 30, tzinfo=UTC),
    time_zone="Europe/Lisbon",
    volume_ml=20.0,
    storage_temperature="2-8 °C",
    facility_name="Lisbon clinic",
    fin="G1234",
)
DONOR = dataclasses.replace(
    AUTOLOGOUS,
    autologous=False,
    donor_status="ALLOGENEIC — donor eligibility: see record",
    recipient_name=None,
    recipient_id=None,
    volume_ml=None,
    division="A0",
)


def test_an_autologous_container_label_says_every_item_lab_md_lists():
    label = labels.container_label(AUTOLOGOUS)
    assert label.lines() == [
        "G1234 17 654321 A",
        "Autologous bone marrow MSCs",
        "Product code A0001100, division 00",
        "FOR AUTOLOGOUS USE ONLY",
        "Recipient: Ana Costa, ID P-0007",
        "Collected 2026-07-01 09:30 Europe/Lisbon (UTC+01:00)",
        "EXPIRES 2026-07-03 09:30 Europe/Lisbon (UTC+01:00)",
        "= 2026-07-03 08:30 UTC",
        "Volume: 20 mL",
        "Store at 2-8 °C",
        "Processed by Lisbon clinic, FIN G1234",
        "Properly identify intended recipient and product",
    ]


def test_the_check_character_is_printed_but_never_in_a_barcode():
    label = labels.container_label(AUTOLOGOUS)
    assert label.check_character == "A"
    assert label.din_data == "=G12341765432170"  # flag 70 = 60 + the checksum, not K
    assert label.din_data == isbt128.Din("G123417654321").data_string()


def test_every_barcode_carries_isbt128s_data_strings():
    label = labels.container_label(DONOR)
    din = isbt128.Din(DONOR.din)
    code = isbt128.product_code_data("A0001", "V", "A0")
    # ST-001 expiry data is local time: 09:30 in Lisbon summer time, day 184 of 2026.
    expiry = isbt128.expiry_data(dt.datetime(2026, 7, 3, 9, 30))
    assert (label.din_data, label.product_code_data, label.expiry_data) == (
        din.data_string(),
        code,
        expiry,
    )
    assert expiry == "&>0261840930"
    assert label.datamatrix_data == f"=+03000{din.data_string()}{code}{expiry}"
    assert label.datamatrix_data == isbt128.compound_message(din.data_string(), code, expiry)


def test_a_donor_lot_shows_its_donor_status_and_that_it_has_no_recipient_yet():
    label = labels.container_label(DONOR)
    assert label.use_statement == "ALLOGENEIC — donor eligibility: see record"
    assert labels.AUTOLOGOUS_STATEMENT not in label.lines()
    assert label.recipient == "Not allocated to a recipient"
    assert label.volume == "Volume: not yet formulated"
    assert label.product_code == "Product code A0001VA0, division A0"


def test_the_expiry_is_shown_in_the_sites_zone_and_in_utc_across_a_date_line():
    tokyo = dataclasses.replace(AUTOLOGOUS, time_zone="Asia/Tokyo")
    label = labels.container_label(tokyo)
    assert label.expires == "EXPIRES 2026-07-03 17:30 Asia/Tokyo (UTC+09:00)"
    assert label.expires_utc == "= 2026-07-03 08:30 UTC"
    assert label.expiry_data == "&>0261841730"


def test_a_partial_label_has_the_identifier_product_and_recipient():
    label = labels.partial_label(AUTOLOGOUS)
    assert label.lines() == [
        "G1234 17 654321 A",
        "Autologous bone marrow MSCs",
        "Recipient: Ana Costa, ID P-0007",
    ]
    assert label.din_data == "=G12341765432170"


def test_a_malformed_din_is_never_printed():
    with pytest.raises(isbt128.InvalidIdentifier):
        labels.container_label(dataclasses.replace(AUTOLOGOUS, din="O123417654321"))


def test_a_compound_message_holds_only_data_strings():
    with pytest.raises(isbt128.InvalidIdentifier):
        isbt128.compound_message("G123417654321")
    with pytest.raises(isbt128.InvalidIdentifier):
        isbt128.compound_message()


def test_a_scan_of_the_datamatrix_reads_the_lots_din_and_checks_it():
    label = labels.container_label(DONOR)
    scan = isbt128.read_scan(label.datamatrix_data)
    assert (scan.kind, scan.value) == ("din", DONOR.din)
    assert isbt128.split_compound(label.datamatrix_data) == [
        label.din_data,
        label.product_code_data,
        label.expiry_data,
    ]
    misread = label.datamatrix_data.replace(label.din_data, label.din_data[:-2] + "61")
    with pytest.raises(isbt128.InvalidIdentifier, match="misread"):
        isbt128.read_scan(misread)


@pytest.mark.parametrize("text", ["=+02000=G12341765432170", "=+01000=G1234", "=+ab000"])
def test_a_malformed_compound_message_is_refused(text):
    with pytest.raises(isbt128.InvalidIdentifier):
        isbt128.read_scan(text)
