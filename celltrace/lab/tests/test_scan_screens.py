"""The lab's list and the API open a lot from a scan: DIN barcode, DIN with K, lot number."""

from django.urls import reverse

from celltrace.clinical import isbt128

SCAN = "/api/lab/lots/scan"


def test_the_scan_box_opens_the_lot_by_barcode_din_with_k_or_lot_number(
    client_for, lab_technician, donor_lot
):
    client = client_for(lab_technician)
    din = isbt128.Din(donor_lot.din)
    for code in (din.data_string(), din.eye_readable(), donor_lot.code):
        response = client.get(reverse("lab:lots"), {"scan": code})
        assert response.status_code == 302, code
        assert response["Location"] == donor_lot.get_absolute_url()


def test_the_scan_box_says_why_a_scan_opens_nothing(client_for, lab_technician, donor_lot):
    client = client_for(lab_technician)
    wrong_k = next(c for c in isbt128.ALPHABET if c != isbt128.check_character(donor_lot.din))
    page = client.get(reverse("lab:lots"), {"scan": donor_lot.din + wrong_k}).content.decode()
    assert "does not fit" in page and 'class="refusal"' in page
    page = client.get(reverse("lab:lots"), {"scan": "L-19990101-001"}).content.decode()
    assert "No lot of your site has the DIN or lot number" in page


def test_the_lot_list_shows_the_din_with_k(client_for, lab_technician, donor_lot):
    page = client_for(lab_technician).get(reverse("lab:lots")).content.decode()
    assert donor_lot.din_with_check in page


def test_the_api_returns_the_scanned_lot_or_the_reason(client_for, doctor, donor_lot):
    client = client_for(doctor)
    din = isbt128.Din(donor_lot.din)
    body = client.get(SCAN, {"code": din.data_string()}).json()
    assert (body["id"], body["din_with_check"]) == (donor_lot.pk, donor_lot.din_with_check)
    assert client.get(SCAN, {"code": donor_lot.din + din.check_character}).json()["id"] == (
        donor_lot.pk
    )
    missing = client.get(SCAN, {"code": "L-19990101-001"})
    assert missing.status_code == 404 and "No lot of your site" in missing.json()["detail"]
    typed_without_k = client.get(SCAN, {"code": donor_lot.din})
    assert typed_without_k.status_code == 422
    assert "with its check character K" in typed_without_k.json()["detail"]
    other_barcode = client.get(SCAN, {"code": "=<A00021V00"})
    assert other_barcode.status_code == 422 and "product code" in other_barcode.json()["detail"]


def test_a_lot_of_another_site_is_not_found_by_its_scan(client_for, other_site_doctor, donor_lot):
    client = client_for(other_site_doctor)
    din = isbt128.Din(donor_lot.din)
    assert client.get(SCAN, {"code": din.data_string()}).status_code == 404
    response = client.get(reverse("lab:lots"), {"scan": din.data_string()})
    assert response.status_code == 200 and "No lot of your site" in response.content.decode()


def test_another_sites_lot_and_no_lot_get_the_same_answer_to_a_scan(
    client_for, other_site_doctor, donor_lot
):
    client = client_for(other_site_doctor)
    there = client.get(SCAN, {"code": donor_lot.code})
    nowhere = client.get(SCAN, {"code": "LOT-999999"})
    assert there.status_code == nowhere.status_code == 404
    assert there.json()["detail"].replace(donor_lot.code, "?") == nowhere.json()["detail"].replace(
        "LOT-999999", "?"
    )
